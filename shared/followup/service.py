"""The API's use cases: submit, read, edit, decide, mark done, delete, unsubscribe.

Ordering keeps the stored interview the source of truth and never loses a follow-up:
schedules are created *before* the write that makes them meaningful (a schedule that fires for a
write that never happened finds no matching follow-up and does nothing), and deleted *after* the
write that cancels them (one that fires in between finds a newer version and does nothing).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup import clock, policy
from followup.adapters.schedules import FollowUpScheduler
from followup.adapters.store import IdempotencyKeyTaken, IdempotencyRecord, InterviewStore
from followup.config import Settings
from followup.errors import (
    AlreadyDecided,
    ConcurrentModification,
    Conflict,
    IdempotencyKeyReused,
    InterviewNotFound,
    InvalidFields,
)
from followup.models import (
    Candidate,
    CreatedInterviewView,
    Decision,
    FollowUp,
    Interview,
    Interviewer,
    Person,
    to_view,
)
from followup.observability import count, logger
from followup.requests import DecisionRequest, InterviewSubmission, InterviewUpdate
from followup.tokens import hash_secret, interview_id_of, manage_url, new_token, token_matches

RETENTION = timedelta(days=90)  # personal data is kept this long after the last follow-up, then expires (TTL)
IDEMPOTENCY_WINDOW = timedelta(hours=24)
MAX_INTERVIEW_AGE = timedelta(days=365)
RESCHEDULING_FIELDS = frozenset({"interview_at", "expected_decision_days", "candidate", "channels", "sms_consent"})
WRITE_ATTEMPTS = 4


def check_contact(candidate: Candidate, channels: list[str], sms_consent: bool) -> None:
    """Cross-field rules of a submission or an edit, each failure naming its field."""
    problems: list[tuple[str, str]] = []
    if "email" in channels and not candidate.email:
        problems.append(("candidate.email", "is required when channels include email"))
    if "sms" in channels and not candidate.phone:
        problems.append(("candidate.phone", "is required when channels include sms"))
    if "sms" in channels and not sms_consent:
        problems.append(("sms_consent", "must be true when channels include sms"))
    if problems:
        raise InvalidFields(fields=problems)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


@dataclass
class _Change:
    """What one mutation does besides the write: schedules to create first, and to delete after."""

    put_before: list[tuple[str, FollowUp]] = field(default_factory=list)
    put_after: list[tuple[str, FollowUp]] = field(default_factory=list)
    delete_after: list[str] = field(default_factory=list)


class FollowUpService:
    def __init__(
        self,
        settings: Settings,
        store: InterviewStore | None = None,
        scheduler: FollowUpScheduler | None = None,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self.settings = settings
        self.store = store or InterviewStore(settings.table_name)
        self._scheduler = scheduler
        self.now = now

    @property
    def scheduler(self) -> FollowUpScheduler:
        if self._scheduler is None:
            self._scheduler = FollowUpScheduler(self.settings.require_scheduler())
        return self._scheduler

    # ---- submit ---------------------------------------------------------------------------

    def submit(self, submission: InterviewSubmission, idempotency_key: str | None = None) -> dict:
        """Store a new interview and schedule its follow-ups; answers the created view as JSON-ready dict."""
        request_hash = hash_secret(submission.model_dump_json())
        key_hash = hash_secret(idempotency_key) if idempotency_key else None
        if key_hash:
            replay = self._replay(key_hash, request_hash)
            if replay is not None:
                return replay

        candidate = Candidate(**submission.candidate.model_dump())
        check_contact(candidate, list(submission.channels), submission.sms_consent)
        zone = ZoneInfo(candidate.time_zone)
        now = self.now()
        interview_at = _aware(submission.interview_at, zone).astimezone(zone)
        if abs(now - interview_at) > MAX_INTERVIEW_AGE:
            raise InvalidFields(fields=[("interview_at", "must be within a year of today")])

        interview_id = secrets.token_hex(6)
        token = new_token(interview_id)
        follow_ups = {
            planned.step: FollowUp(
                step=planned.step,
                status="skipped" if planned.skipped else "scheduled",
                due_at=planned.due_at.isoformat(),
            )
            for planned in policy.plan_follow_ups(
                interview_at,
                zone,
                expected_decision_days=submission.expected_decision_days,
                now=now,
                nudge_hour=self.settings.nudge_hour,
            )
        }
        stamp = now.astimezone(zone).isoformat()
        interview = Interview(
            id=interview_id,
            token_hashes=[hash_secret(token)],
            company=submission.company,
            role=submission.role,
            interviewer=Interviewer(**submission.interviewer.model_dump()),
            interview_at=interview_at.isoformat(),
            candidate=candidate,
            channels=list(submission.channels),
            sms_consent=submission.sms_consent,
            expected_decision_days=submission.expected_decision_days,
            follow_ups=follow_ups,
            created_at=stamp,
            updated_at=stamp,
            idempotency_key_hash=key_hash,
        )
        interview = self._with_expiry(interview)
        created = CreatedInterviewView(
            **to_view(interview).model_dump(),
            manage_token=token,
            manage_url=manage_url(self.settings.base_url, interview_id, token),
        ).model_dump(mode="json")

        pending = [f for f in follow_ups.values() if f.status == "scheduled"]
        for follow_up in pending:
            self._put_schedule(interview, follow_up)
        record = None
        if key_hash:
            record = IdempotencyRecord(
                key_hash=key_hash,
                request_hash=request_hash,
                interview_id=interview_id,
                response=json.dumps(created),
                expires_at=int((now + IDEMPOTENCY_WINDOW).timestamp()),
            )
        try:
            self.store.create(interview, record)
        except IdempotencyKeyTaken:
            # A twin request won the race: ours never existed, so neither should its schedules.
            for follow_up in pending:
                self.scheduler.delete(interview_id, follow_up.step)
            replay = self._replay(key_hash or "", request_hash)
            if replay is None:
                raise ConcurrentModification() from None
            return replay
        for follow_up in pending:
            count("FollowUpScheduled", step=follow_up.step)
        logger.info(
            "interview submitted",
            extra={"interview_id": interview_id, "follow_ups": {s: f.status for s, f in follow_ups.items()}},
        )
        return created

    def _replay(self, key_hash: str, request_hash: str) -> dict | None:
        record = self.store.load_idempotency(key_hash)
        if record is None or record.expires_at < int(self.now().timestamp()):
            return None
        if record.request_hash != request_hash:
            raise IdempotencyKeyReused(fields=[("Idempotency-Key", IdempotencyKeyReused.message)])
        if self.store.load(record.interview_id) is None:
            raise InterviewNotFound()  # submitted, then deleted: the first answer is gone with it
        logger.info("idempotent replay", extra={"interview_id": record.interview_id})
        return json.loads(record.response)

    # ---- read -----------------------------------------------------------------------------

    def get(self, interview_id: str, token: str) -> Interview:
        if not token.startswith(f"{interview_id}."):
            raise InterviewNotFound()
        interview = self.store.load(interview_id)
        if interview is None or not token_matches(interview.token_hashes, token):
            raise InterviewNotFound()
        return interview

    # ---- edit -----------------------------------------------------------------------------

    def update(self, interview_id: str, token: str, patch: InterviewUpdate) -> Interview:
        given = patch.model_fields_set

        def change(interview: Interview) -> tuple[Interview, _Change]:
            if interview.status == "cancelled":
                raise Conflict("the interview is cancelled; it can no longer be edited")
            data = interview.model_copy(deep=True)
            if patch.candidate is not None:
                candidate = data.candidate.model_dump()
                for name in patch.candidate.model_fields_set:
                    value = getattr(patch.candidate, name)
                    if value is None and name in ("name", "time_zone"):
                        raise InvalidFields(fields=[(f"candidate.{name}", "may be left out but not set to null")])
                    candidate[name] = value
                data.candidate = Candidate(**candidate)
            for name in ("channels", "sms_consent", "company", "role", "expected_decision_days"):
                if name in given:
                    setattr(data, name, getattr(patch, name))
            if "interviewer" in given and patch.interviewer is not None:
                data.interviewer = Interviewer(**patch.interviewer.model_dump())
            zone = ZoneInfo(data.candidate.time_zone)
            if patch.interview_at is not None:
                data.interview_at = _aware(patch.interview_at, zone).astimezone(zone).isoformat()
            else:
                data.interview_at = datetime.fromisoformat(data.interview_at).astimezone(zone).isoformat()
            check_contact(data.candidate, list(data.channels), data.sms_consent)
            work = _Change()
            if given & RESCHEDULING_FIELDS:
                work = self._reschedule(data, zone)
            return data, work

        return self._mutate(interview_id, token, change)

    def _reschedule(self, interview: Interview, zone: ZoneInfo) -> _Change:
        now = self.now()
        planned = {
            p.step: p
            for p in policy.plan_follow_ups(
                datetime.fromisoformat(interview.interview_at),
                zone,
                expected_decision_days=interview.expected_decision_days,
                now=now,
                nudge_hour=self.settings.nudge_hour,
            )
        }
        if interview.decision is not None:
            planned["decision_thank_you"] = policy.plan_decision_thank_you(
                datetime.fromisoformat(interview.decision.decided_at), zone, nudge_hour=self.settings.nudge_hour
            )
        work = _Change()
        for step, follow_up in interview.follow_ups.items():
            if follow_up.status != "scheduled" or step not in planned:
                continue
            plan = planned[step]
            due_at = plan.due_at.isoformat()
            if plan.skipped:
                follow_up.status, follow_up.due_at = "skipped", due_at
                follow_up.version += 1
                work.delete_after.append(step)
                continue
            if due_at != follow_up.due_at:
                follow_up.due_at = due_at
                follow_up.version += 1
            # Always re-put: a retried edit whose first try failed after the write still heals the schedule.
            work.put_after.append((step, follow_up))
        return work

    # ---- decision -------------------------------------------------------------------------

    def decide(self, interview_id: str, token: str, request: DecisionRequest) -> Interview:
        if request.outcome == "offer" and request.supervisor is None:
            raise InvalidFields(fields=[("supervisor.name", "is required for an offer: thank your direct supervisor too")])
        if request.outcome == "not_selected" and request.supervisor is not None:
            raise InvalidFields(fields=[("supervisor", "is only for an offer")])

        def change(interview: Interview) -> tuple[Interview, _Change]:
            if interview.status != "active":
                raise AlreadyDecided()
            zone = ZoneInfo(interview.candidate.time_zone)
            now = self.now()
            data = interview.model_copy(deep=True)
            data.decision = Decision(
                outcome=request.outcome,
                hiring_manager=request.hiring_manager or Person(name=interview.interviewer.name),
                supervisor=request.supervisor,
                decided_at=now.astimezone(zone).isoformat(),
            )
            data.status = "decided"
            work = _Change()
            for step in ("thank_you_note", "check_in"):
                follow_up = data.follow_ups.get(step)
                if follow_up is not None and follow_up.status == "scheduled":
                    follow_up.status = "cancelled"
                    follow_up.version += 1
                    work.delete_after.append(step)
            planned = policy.plan_decision_thank_you(now, zone, nudge_hour=self.settings.nudge_hour)
            card = FollowUp(step="decision_thank_you", status="scheduled", due_at=planned.due_at.isoformat())
            data.follow_ups["decision_thank_you"] = card
            work.put_before.append(("decision_thank_you", card))
            return data, work

        decided = self._mutate(interview_id, token, change)
        count("FollowUpScheduled", step="decision_thank_you")
        return decided

    # ---- mark done ------------------------------------------------------------------------

    def mark_done(self, interview_id: str, token: str, step: str) -> Interview:
        def change(interview: Interview) -> tuple[Interview, _Change]:
            follow_up = interview.follow_ups.get(step)
            if follow_up is None:
                raise Conflict(f"there is no {step} follow-up yet")
            if follow_up.status in ("cancelled", "skipped"):
                raise Conflict(f"the {step} follow-up is {follow_up.status}")
            data = interview.model_copy(deep=True)
            work = _Change()
            target = data.follow_ups[step]
            if target.status == "scheduled":
                target.version += 1
                work.delete_after.append(step)
            target.status = "done"
            return data, work

        return self._mutate(interview_id, token, change)

    # ---- delete and unsubscribe -----------------------------------------------------------

    def delete(self, interview_id: str, token: str) -> None:
        interview = self.get(interview_id, token)
        for step, follow_up in interview.follow_ups.items():
            if follow_up.status in ("scheduled", "sending"):  # the others' schedules fired or were deleted
                self.scheduler.delete(interview_id, step)
        self.store.delete(interview)
        logger.info("interview erased", extra={"interview_id": interview_id})

    def unsubscribe(self, token: str) -> Interview:
        interview_id = interview_id_of(token)

        def change(interview: Interview) -> tuple[Interview, _Change]:
            data = interview.model_copy(deep=True)
            work = _Change()
            for step, follow_up in data.follow_ups.items():
                if follow_up.status == "scheduled":
                    follow_up.status = "cancelled"
                    follow_up.version += 1
                    work.delete_after.append(step)
            data.status = "cancelled"
            return data, work

        interview = self._mutate(interview_id, token, change)
        logger.info("unsubscribed", extra={"interview_id": interview_id})
        return interview

    # ---- plumbing -------------------------------------------------------------------------

    def _mutate(
        self, interview_id: str, token: str, change: Callable[[Interview], tuple[Interview, _Change]]
    ) -> Interview:
        for attempt in range(WRITE_ATTEMPTS):
            interview = self.get(interview_id, token)
            updated, work = change(interview)
            # Every change is stamped in the candidate's zone and moves the data's expiry with it.
            updated.updated_at = self.now().astimezone(ZoneInfo(updated.candidate.time_zone)).isoformat()
            updated = self._with_expiry(updated)
            for _, follow_up in work.put_before:
                self._put_schedule(updated, follow_up)
            try:
                stored = self.store.replace(updated)
            except ConcurrentModification:
                logger.info("write conflict, retrying", extra={"interview_id": interview_id, "attempt": attempt})
                continue
            for _, follow_up in work.put_after:
                self._put_schedule(stored, follow_up)
            for step in work.delete_after:
                self.scheduler.delete(interview_id, step)
            return stored
        raise ConcurrentModification()

    def _put_schedule(self, interview: Interview, follow_up: FollowUp) -> None:
        # The schedule names the zone, so the stored offset is turned back into the candidate's ZoneInfo.
        due_at = datetime.fromisoformat(follow_up.due_at).astimezone(ZoneInfo(interview.candidate.time_zone))
        self.scheduler.put(interview.id, follow_up.step, follow_up.version, due_at)

    @staticmethod
    def _with_expiry(interview: Interview) -> Interview:
        """Personal data lives until RETENTION after the last follow-up that goes (or went) out, or after the
        last change if that is later; cancelled and skipped follow-ups do not hold it."""
        moments = [f.due_at for f in interview.follow_ups.values() if f.status not in ("cancelled", "skipped")]
        last = max(_epoch(m) for m in [*moments, interview.interview_at, interview.updated_at])
        interview.expires_at = last + int(RETENTION.total_seconds())
        return interview
