"""The API's use cases: submit, confirm, read, edit, decide, mark done, delete, unsubscribe.

A facade: each use case is a pure transition (``followup.domain.transitions``) applied by the unit of work
(``followup.usecases.unit_of_work``, where the write/schedule ordering rule lives); submission and its
idempotency are ``followup.usecases.submission``. It takes domain commands (``followup.api.commands``), never an
API request model, and its ports (store, scheduler, clock) as arguments; ``service_for`` wires the
deployed adapters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from followup.adapters.counters import DynamoCounters
from followup.adapters.limits import DynamoLimiter
from followup.adapters.notify import AwsSenders
from followup.adapters.schedules import FollowUpScheduler
from followup.adapters.store import InterviewStore
from followup.domain import clock, transitions
from followup.domain.destinations import address_key, destination_of, same_destination
from followup.domain.errors import ConcurrentModification, Conflict, InterviewNotFound
from followup.domain.models import Interview, Step, TokenGrant
from followup.domain.tokens import Links, binds, interview_id_of, mint_links
from followup.ports import Counters, DuplicatePointer, Limiter, PointerTaken, Scheduler, Senders, Store
from followup.runtime.config import Settings
from followup.runtime.observability import logger
from followup.usecases import alerts
from followup.usecases.submission import Submissions, check_sms_destination
from followup.usecases.unit_of_work import Change, UnitOfWork

# A confirmation's write, again after the older interview its pointer named is ended (and once more should a third
# interview take the pointer meanwhile).
POINTER_ATTEMPTS = 3

if TYPE_CHECKING:  # the API's commands, read here by their fields only: no pydantic in a use case's imports
    from followup.api.commands import EditInterview, RecordDecision, SubmitInterview


class FollowUpService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        scheduler: Scheduler,
        limiter: Limiter,
        senders: Senders,
        now: Callable[[], datetime] = clock.now,
        *,
        counters: Counters,
    ) -> None:
        self.settings = settings
        self.store = store
        self.senders = senders
        self.now = now
        self.work = UnitOfWork(store, scheduler, now, settings.default_time_zone)
        self.submissions = Submissions(settings, store, self.work, limiter, senders, now, counters)

    def submit(self, command: SubmitInterview, *, client: str, idempotency_key: str | None = None) -> dict:
        """Store a new interview awaiting confirmation and send each destination its confirmation; answers
        where they went (masked) as a JSON-ready dict. ``client`` is the caller's address (a limit counts it)."""
        return self.submissions.submit(command, client=client, idempotency_key=idempotency_key)

    def confirm(self, interview_id: str, token: str) -> Interview:
        """Verify the channel the manage token was delivered on; the first time, schedule the follow-ups.
        Once a channel is verified, an older active interview of that destination with the same company on
        the same day is replaced (cancelled): a re-submission never doubles the nudges. The pointer of
        (destination, company, day) to this interview rides the confirmation's own write; when it names an older
        interview, that write is refused whole, the older one is ended, and the confirmation written again."""
        newly_verified: list[str] = []
        replacing: dict[str, str] = {}  # pointer key -> the older interview it named, ended already

        def change(interview: Interview, grant: TokenGrant, now: datetime) -> transitions.Transition:
            if grant.channel is None or not proves_address(interview, grant):
                raise InterviewNotFound()
            newly_verified[:] = [] if grant.channel in interview.verified_channels else [grant.channel]
            return transitions.confirm(interview, grant.channel, now=now, nudge_hour=self.settings.nudge_hour,
                                       default_country=self.settings.default_country)

        def pointers(updated: Interview) -> tuple[DuplicatePointer, ...]:
            if updated.status != "active":
                return ()
            keys = [self._duplicate_key(updated, channel) for channel in newly_verified]
            return tuple(DuplicatePointer(key, updated.id, updated.expires_at, replacing.get(key)) for key in keys)

        for _ in range(POINTER_ATTEMPTS):
            try:
                confirmed = self.work.apply_as(interview_id, token, change, pointers=pointers)
                break
            except PointerTaken as taken:
                replacing[taken.key] = self._end_older(taken.key, interview_id)
        else:
            raise ConcurrentModification()
        for channel in newly_verified:
            logger.info("channel verified", extra={"interview_id": interview_id, "channel": channel})
        return confirmed

    @staticmethod
    def _duplicate_key(interview: Interview, channel: str) -> str:
        return transitions.duplicate_key(channel, destination_of(interview, channel), interview.company,
                                         interview.interview_at)

    def _end_older(self, key: str, interview_id: str) -> str:
        """End the interview the pointer ``key`` names (by key, never by scan), if it is another one and still
        active; its id, which the confirmation's write may then move the pointer from."""
        older = self.store.load_pointer(key) or ""
        if older and older != interview_id:
            def end(stored: Interview, _now: datetime) -> transitions.Transition:
                if stored.status != "active":
                    return transitions.Transition(stored, transitions.ScheduleChanges())
                return transitions.replaced(stored)

            if self.work.apply_unchecked(older, end) is not None:
                logger.info("older interview replaced", extra={"interview_id": older, "by": interview_id})
        return older

    def get(self, interview_id: str, token: str) -> Interview:
        return self.work.load(interview_id, token)

    def update(self, interview_id: str, token: str, command: EditInterview, *, client: str | None = None) -> Interview:
        """Edit; a new email or phone of a chosen channel is sent a confirmation, with a manage link bound to
        it, and its nudges are skipped until it is confirmed; the links sent to the old address stop acting.
        Each new destination counts against this interview's day (``DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW``),
        the ``client``'s hour (the submissions limit) and the destination's confirmations; past any of them,
        ``RateLimited`` and nothing changes. A destination that opted out of the firm is refused."""
        minted: list[Links] = []
        counted: set[str] = set()  # destinations already counted (a change retried after a lost race counts once)
        lifted: list[bool] = []  # the edit turned texts back on after a STOP

        def change(interview: Interview, now: datetime) -> transitions.Transition:
            edited = transitions.edit(interview, command, now=now, nudge_hour=self.settings.nudge_hour,
                                       default_country=self.settings.default_country)
            updated = edited.interview
            check_sms_destination(updated.candidate.phone, list(updated.channels), self.settings.sms_countries)
            minted.clear()
            lifted[:] = [interview.stopped.get("sms") == "stop" and "sms" not in updated.stopped]
            fresh = [c for c in updated.channels if destination_of(updated, c)
                     and not same_destination(c, destination_of(updated, c), destination_of(interview, c))]
            self.submissions.check_opt_outs(updated, fresh, now)
            for channel in fresh:
                self.submissions.take_new_confirmation(updated, channel, now, client=client, counted=counted,
                                                       new_destination=True)
            if fresh:
                minted.append(mint_links(updated.id, {c: destination_of(updated, c) for c in fresh}, now))
                updated.tokens = [*updated.tokens, *minted[-1].grants]
            return edited

        edited = self.work.apply(interview_id, token, change)
        if any(lifted) and edited.candidate.phone:
            # Texts turned back on after a STOP: the number leaves the firm's list too (a STOP's entry only).
            self.store.lift_opt_out(address_key("sms", edited.candidate.phone), "stop")
        if minted:
            self.submissions.send_confirmations(edited, minted[-1])
            logger.info("new destination to confirm",
                        extra={"interview_id": interview_id, "channels": sorted(minted[-1].manage)})
        return edited

    def resend_confirmation(self, interview_id: str, token: str, channel: str, *, client: str | None = None) -> Interview:
        """Send a chosen channel that is not confirmed yet a fresh confirmation, with a manage link bound to its
        address as it is now: the candidate lost the first one, or the channel never had one (chosen by an edit
        while its address stayed the same). Any manage token of the interview may ask. It counts against the
        destination's confirmations and the ``client``'s hour (the submissions limit): past either,
        ``RateLimited`` and nothing is sent. ``Conflict`` when the channel is not chosen, is already confirmed,
        or the interview is cancelled; a destination that opted out of the firm is refused (``InvalidFields``).
        Nothing changes but the new link's grant."""
        minted: list[Links] = []
        counted: set[str] = set()  # a change retried after a lost race counts once

        def change(interview: Interview, now: datetime) -> transitions.Transition:
            if interview.status == "cancelled":
                raise Conflict("the interview is cancelled: nothing more is sent")
            if channel not in interview.channels:
                raise Conflict(f"{channel} is not one of the interview's channels",
                               fields=[("channel", "Choose a channel the reminders go by")])
            if channel in interview.verified_channels:
                raise Conflict(f"{channel} is already confirmed", fields=[("channel", "This one is already confirmed")])
            destination = destination_of(interview, channel)
            check_sms_destination(interview.candidate.phone, [channel], self.settings.sms_countries)
            self.submissions.check_opt_outs(interview, [channel], now)
            self.submissions.take_new_confirmation(interview, channel, now, client=client, counted=counted)
            minted[:] = [mint_links(interview.id, {channel: destination}, now)]
            return transitions.Transition(replace(interview, tokens=[*interview.tokens, *minted[0].grants]),
                                          transitions.ScheduleChanges())

        kept = self.work.apply(interview_id, token, change)
        self.submissions.send_confirmations(kept, minted[0])
        logger.info("confirmation sent again", extra={"interview_id": interview_id, "channel": channel})
        return kept

    def decide(self, interview_id: str, token: str, command: RecordDecision) -> Interview:
        """The candidate's decision; the recruiter who enrolled them, if any, is emailed (``followup.usecases.alerts``: at
        most one an hour). The decision's rules are checked once the token is (a wrong one is 404 whatever the body)."""

        def change(interview: Interview, now: datetime) -> transitions.Transition:
            return transitions.decide(interview, command, now=now, nudge_hour=self.settings.nudge_hour,
                                       default_country=self.settings.default_country)

        return self._alerting(interview_id, token, change, corrected=False)

    def correct_decision(self, interview_id: str, token: str, command: RecordDecision) -> Interview:
        """The candidate's correction of their decision, until its card went out (``Conflict`` after); the
        recruiter, if any, is emailed (at most one an hour). A correction that changes nothing is no write and no
        email."""
        return self._alerting(interview_id, token,
                              lambda interview, _now: transitions.correct_decision(interview, command), corrected=True)

    def _alerting(self, interview_id: str, token: str, change: Change, *, corrected: bool) -> Interview:
        """``change`` of the decision, applied with the token; if it changed anything, the recruiter's alert of it,
        coalesced (``alerts.coalesce``): its state written with the change, its schedule created before the write,
        and an alert due now sent after it."""
        plans: list[alerts.Plan] = []

        def with_alert(interview: Interview, now: datetime) -> transitions.Transition:
            changed = change(interview, now)
            plans[:] = []
            if changed.interview is interview:
                return changed
            plan = alerts.coalesce(changed.interview, now)
            if plan.schedule:
                changed.schedules.create_before_write.append(alerts.SCHEDULE)  # type: ignore[arg-type]
            if plan.unschedule:
                changed.schedules.delete_after_write.append(alerts.SCHEDULE)  # type: ignore[arg-type]
            plans.append(plan)
            return changed

        written = self.work.apply(interview_id, token, with_alert)
        if plans and plans[0].send_now:
            alerts.send_decision_alert(self.senders, self.settings, written, corrected=corrected)
        elif plans and plans[0].schedule:
            logger.info("recruiter alert due within the hour", extra={"interview_id": interview_id})
        return written

    def mark_done(self, interview_id: str, token: str, step: Step) -> Interview:
        return self.work.apply(interview_id, token, lambda interview, _now: transitions.mark_done(interview, step))

    def delete(self, interview_id: str, token: str) -> None:
        self.work.erase(interview_id, token)
        logger.info("interview erased", extra={"interview_id": interview_id})

    def unsubscribe(self, token: str, *, from_firm: bool = False) -> None:
        """With an unsubscribe token only: every pending follow-up cancelled, and the interview with it. With
        ``from_firm``, the email address the token was sent to also gets nothing more from the firm: no nudge
        of any interview, and a submission or edit naming it is refused."""
        interview_id = interview_id_of(token)
        held: list[str | None] = []

        def change(interview: Interview, grant: TokenGrant, _now: datetime) -> transitions.Transition:
            held[:] = [grant.address]
            return transitions.unsubscribe(interview, reason="unsubscribed")

        self.work.apply_as(interview_id, token, change, kind="unsubscribe")
        if from_firm and held and held[0]:
            self.store.opt_out(held[0], "unsubscribed")
        logger.info("unsubscribed", extra={"interview_id": interview_id, "from_firm": bool(from_firm and held and held[0])})

    def can_leave_firm(self, token: str) -> bool:
        """Whether the unsubscribe ``token`` names an address the firm-wide opt-out can stop (it was emailed);
        changes nothing. ``InterviewNotFound`` unless it is a live unsubscribe token."""
        return self.work.authorise(interview_id_of(token), token, kind="unsubscribe")[1].address is not None


def proves_address(interview: Interview, grant: TokenGrant) -> bool:
    """Whether the manage ``grant`` was delivered to its channel's address as it is now: only such a token
    verifies the channel. A grant from before tokens were bound to addresses proves it only while the interview
    was never written since it was submitted (revision 0: its address is still the one the confirmation went to)."""
    destination = destination_of(interview, grant.channel or "")
    if grant.address is None:
        return bool(destination) and interview.revision == 0
    return binds(grant, grant.channel or "", destination)


def service_for(settings: Settings) -> FollowUpService:
    """The service as deployed: DynamoDB, EventBridge Scheduler, SES and SNS, and the system clock."""
    return FollowUpService(settings, InterviewStore(settings.table_name), FollowUpScheduler(settings),
                           DynamoLimiter(settings.table_name), AwsSenders(settings.ses_configuration_set), clock.now,
                           counters=DynamoCounters(settings.table_name))
