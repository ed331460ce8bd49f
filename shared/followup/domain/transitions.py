"""The use cases as pure transitions: an interview (or a new submission), a command and ``now`` in;
the new interview and the schedule changes to make out.

No I/O and no clock: ``unit_of_work`` loads, applies, writes and schedules; these functions only decide.
Each one works on a deep copy, so the interview it is given is never changed. A rule that refuses the
change raises a domain error naming the field (``InvalidFields``) or the state (``Conflict``).
"""

from __future__ import annotations

import hashlib
from copy import deepcopy
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from followup.domain import policy
from followup.domain.destinations import address_key, canonical, same_destination
from followup.domain.errors import AlreadyDecided, Conflict, InvalidFields
from followup.domain.field_rules import check_contact, check_decision
from followup.domain.models import (
    ALERT_SCHEDULE,
    Candidate,
    Channel,
    Decision,
    FollowUp,
    Interview,
    Person,
    Step,
    TokenGrant,
)
from followup.domain.tokens import drop_address

if TYPE_CHECKING:  # the API's commands, read here by their fields only: no pydantic in a use case's imports
    from followup.api.commands import EditInterview, RecordDecision, SubmitInterview

RETENTION = timedelta(days=90)  # personal data is kept this long after the last follow-up, then expires (TTL)
CONFIRMATION_WINDOW = timedelta(hours=72)  # an interview nobody confirmed expires this long after submission
# How far interview_at may lie from now, on create and on edit: a real interview, not a way to keep
# personal data for decades (the data expires after the last follow-up).
INTERVIEW_PAST = timedelta(days=60)
INTERVIEW_AHEAD = timedelta(days=365)
RESCHEDULING_FIELDS = frozenset({"interview_at", "expected_decision_days", "candidate", "channels", "sms_consent"})
PLAIN_FIELDS = ("channels", "sms_consent", "company", "role", "expected_decision_days")
REQUIRED_CANDIDATE_FIELDS = ("name", "time_zone")
# A follow-up a cancel still stops: waiting for its schedule, or caught by a delivery in flight (cancels win).
PENDING = frozenset({"scheduled", "sending"})


@dataclass
class ScheduleChanges:
    """The schedule calls one change needs besides its write, named by step.

    When each happens relative to the write is the unit of work's rule: see ``followup.usecases.unit_of_work``.
    """

    create_before_write: list[Step] = field(default_factory=list)  # a follow-up this write makes pending
    put_after_write: list[Step] = field(default_factory=list)  # a pending follow-up moved (or re-put to heal)
    delete_after_write: list[Step] = field(default_factory=list)  # a follow-up this write ends


class Transition(NamedTuple):
    interview: Interview
    schedules: ScheduleChanges


# ---- the transitions ------------------------------------------------------------------------------


def submit(
    command: SubmitInterview,
    *,
    interview_id: str,
    tokens: list[TokenGrant],
    idempotency_key_hash: str | None,
    now: datetime,
    nudge_hour: int,
    default_country: str = "US",
) -> Transition:
    """A new interview awaiting confirmation: its follow-ups are planned (shown, not scheduled) until the
    candidate confirms a channel (``confirm``), and it expires ``CONFIRMATION_WINDOW`` after submission."""
    candidate = replace(command.candidate)
    check_contact(candidate, list(command.channels), command.sms_consent)
    zone = ZoneInfo(candidate.time_zone)
    interview_at = _interview_at_in_range(command.interview_at, zone, now)
    follow_ups = _planned(interview_at, zone, command.expected_decision_days, now=now, nudge_hour=nudge_hour,
                          status="planned", country=country_of(candidate, default_country))
    stamp = now.astimezone(zone).isoformat()
    interview = Interview(
        id=interview_id,
        tokens=list(tokens),
        status="awaiting_confirmation",
        company=command.company,
        role=command.role,
        interviewer=replace(command.interviewer),
        interview_at=interview_at.isoformat(),
        candidate=candidate,
        channels=list(command.channels),
        sms_consent=command.sms_consent,
        expected_decision_days=command.expected_decision_days,
        follow_ups=follow_ups,
        created_at=stamp,
        updated_at=stamp,
        idempotency_key_hash=idempotency_key_hash,
    )
    return Transition(with_expiry(interview), ScheduleChanges())


def confirm(interview: Interview, channel: Channel, *, now: datetime, nudge_hour: int,
            default_country: str = "US") -> Transition:
    """The candidate confirmed from a message sent on ``channel``: that channel is verified. The first
    confirmation plans the follow-ups again at ``now`` (the late rules apply at that moment) and schedules
    them. A channel already verified changes nothing: the same interview object comes back."""
    if channel in interview.verified_channels:
        return Transition(interview, ScheduleChanges())
    if interview.status == "cancelled":
        raise Conflict("the interview is cancelled; it can no longer be confirmed")
    data = deepcopy(interview)
    data.verified_channels = [c for c in ("email", "sms") if c in {*data.verified_channels, channel}]
    schedules = ScheduleChanges()
    if data.status == "awaiting_confirmation":
        data.status = "active"
        zone = ZoneInfo(data.candidate.time_zone)
        data.follow_ups = _planned(datetime.fromisoformat(data.interview_at), zone, data.expected_decision_days,
                                   now=now, nudge_hour=nudge_hour, status="scheduled",
                                   country=country_of(data.candidate, default_country))
        schedules.create_before_write = [s for s, f in data.follow_ups.items() if f.status == "scheduled"]
    return Transition(with_expiry(data), schedules)


def replaced(interview: Interview) -> Transition:
    """An older interview for the same destination, company and day, replaced by a newer confirmed one:
    ended like an unsubscribe, so it sends nothing more."""
    return unsubscribe(interview, reason="replaced")


def duplicate_key(channel: str, destination: str, company: str, interview_at: str) -> str:
    """A digest of (canonical destination, company, local day of the interview): the key of the pointer that
    lets a confirmed interview find the older one it replaces by GetItem, with no scan. One mailbox is one
    destination (``followup.domain.destinations``). Never personal data in clear."""
    day = datetime.fromisoformat(interview_at).date().isoformat()
    company_key = " ".join(company.casefold().split())
    return hashlib.sha256(f"{canonical(channel, destination)}\n{company_key}\n{day}".encode()).hexdigest()


def edit(interview: Interview, command: EditInterview, *, now: datetime, nudge_hour: int,
         default_country: str = "US") -> Transition:
    """The given fields changed; if any of them moves a follow-up, the pending ones are planned again."""
    if interview.status == "cancelled":
        raise Conflict("the interview is cancelled; it can no longer be edited")
    data = deepcopy(interview)
    if command.candidate:
        candidate = asdict(data.candidate)
        for name, value in command.candidate.items():
            if value is None and name in REQUIRED_CANDIDATE_FIELDS:
                raise InvalidFields(fields=[(f"candidate.{name}", f"Enter your {name.replace('_', ' ')}")])
            candidate[name] = value
        data.candidate = Candidate(**candidate)
    for name in PLAIN_FIELDS:
        if name in command.given:
            setattr(data, name, getattr(command, name))
    if "interviewer" in command.given and command.interviewer is not None:
        data.interviewer = replace(command.interviewer)
    zone = ZoneInfo(data.candidate.time_zone)
    if command.interview_at is not None:
        data.interview_at = _interview_at_in_range(command.interview_at, zone, now).isoformat()
    else:
        data.interview_at = datetime.fromisoformat(data.interview_at).astimezone(zone).isoformat()
    check_contact(data.candidate, list(data.channels), data.sms_consent)
    # A new destination has proven nothing: its channel is no longer verified (its nudges are skipped), and the
    # links sent to the old address stop acting (a token proves the address it was delivered to). The same
    # mailbox written another way ("Alice@" for "alice@") is no new destination.
    for channel, contact in (("email", "email"), ("sms", "phone")):
        new, old = getattr(data.candidate, contact), getattr(interview.candidate, contact)
        if not same_destination(channel, new, old):
            data.verified_channels = [c for c in data.verified_channels if c != channel]
            data.tokens = drop_address(data.tokens, channel, address_key(channel, new) if new else None)
            data.stopped = {c: why for c, why in data.stopped.items() if c != channel}  # a bounce was the old one's
    if "sms_consent" in command.given and command.sms_consent and data.stopped.get("sms") == "stop":
        # The candidate turns texts back on, on their own page, after a STOP: told, not silent (a START text is not).
        data.stopped = {c: why for c, why in data.stopped.items() if c != "sms"}
    schedules = ScheduleChanges()
    if command.given & RESCHEDULING_FIELDS:
        schedules = _reschedule(data, zone, now=now, nudge_hour=nudge_hour,
                                country=country_of(data.candidate, default_country))
    return Transition(data, schedules)


def decide(interview: Interview, command: RecordDecision, *, now: datetime, nudge_hour: int,
           default_country: str = "US") -> Transition:
    """The decision recorded: the earlier pending nudges end, the decision card is planned for the next day."""
    check_decision(command)
    if interview.status == "awaiting_confirmation":
        raise Conflict("confirm the interview first: its follow-ups have not started")
    if interview.status != "active":
        raise AlreadyDecided()
    zone = ZoneInfo(interview.candidate.time_zone)
    data = deepcopy(interview)
    data.decision = Decision(
        outcome=command.outcome,
        hiring_manager=command.hiring_manager or Person(name=interview.interviewer.name),
        supervisor=command.supervisor,
        decided_at=now.astimezone(zone).isoformat(),
    )
    data.status = "decided"
    schedules = ScheduleChanges()
    for step, follow_up in data.follow_ups.items():
        if step != "decision_thank_you" and follow_up.status in PENDING:
            _end(follow_up, "cancelled", schedules)
    planned = policy.plan_decision_thank_you(now, zone, nudge_hour=nudge_hour,
                                             country=country_of(data.candidate, default_country))
    data.follow_ups[planned.step] = FollowUp(step=planned.step, status="scheduled", due_at=planned.due_at.isoformat())
    schedules.create_before_write.append(planned.step)
    return Transition(data, schedules)


def correct_decision(interview: Interview, command: RecordDecision) -> Transition:
    """The recorded decision replaced by ``command`` (same rules as ``decide``), while its decision card has
    not gone out: the card, still scheduled for the day after the first decision, will carry the correction.
    A correction to the decision as it stands changes nothing: the same interview object comes back (no write,
    no count, no alert)."""
    check_decision(command)
    if interview.status != "decided" or interview.decision is None:
        raise Conflict("there is no decision to correct: record one first" if interview.status == "active"
                       else "the interview has no decision to correct")
    card = interview.follow_ups.get("decision_thank_you")
    if card is not None and card.status in ("sending", "sent", "failed"):
        raise Conflict("the decision's thank-you nudge has gone out: the decision can no longer be corrected")
    corrected = Decision(
        outcome=command.outcome,
        hiring_manager=command.hiring_manager or Person(name=interview.interviewer.name),
        supervisor=command.supervisor,
        decided_at=interview.decision.decided_at,
    )
    if corrected == interview.decision:
        return Transition(interview, ScheduleChanges())
    data = deepcopy(interview)
    data.decision = corrected
    return Transition(data, ScheduleChanges())


def mark_done(interview: Interview, step: Step) -> Transition:
    """The candidate did the step themselves: it is done, and its nudge, if still pending, ends."""
    follow_up = interview.follow_ups.get(step)
    if follow_up is None:
        raise Conflict(f"there is no {step} follow-up yet")
    if follow_up.status in ("cancelled", "skipped"):
        raise Conflict(f"the {step} follow-up is {follow_up.status}")
    data = deepcopy(interview)
    schedules = ScheduleChanges()
    _end(data.follow_ups[step], "done", schedules)
    return Transition(data, schedules)


def unsubscribe(interview: Interview, *, reason: str) -> Transition:
    """Every pending follow-up cancelled, and the interview with them; ``reason`` says why (``unsubscribed``:
    the candidate opted out, ``replaced``), kept from the first cancel, and counted by the report."""
    data = deepcopy(interview)
    if data.status != "cancelled":
        data.cancel_reason = reason
    schedules = ScheduleChanges()
    for follow_up in data.follow_ups.values():
        if follow_up.status in PENDING or follow_up.status == "planned":  # planned: awaiting confirmation
            _end(follow_up, "cancelled", schedules)
    data.status = "cancelled"
    return Transition(data, schedules)


def erase(interview: Interview) -> ScheduleChanges:
    """What erasing leaves to do: the schedules that may still fire (the others fired or were deleted), the
    recruiter's coalesced alert's too (``followup.usecases.alerts``)."""
    due_alert = [ALERT_SCHEDULE] if interview.recruiter_alert and interview.recruiter_alert.due_at else []
    return ScheduleChanges(
        delete_after_write=[*(s for s, f in interview.follow_ups.items() if f.status in PENDING), *due_alert]  # type: ignore[list-item]
    )


# ---- what every write carries ---------------------------------------------------------------------


def stamped(interview: Interview, now: datetime) -> Interview:
    """The change stamped in the candidate's zone, with the data's expiry moved with it."""
    interview.updated_at = now.astimezone(ZoneInfo(interview.candidate.time_zone)).isoformat()
    return with_expiry(interview)


def with_expiry(interview: Interview) -> Interview:
    """Personal data lives until RETENTION after the last follow-up that goes (or went) out, or after the
    last change if that is later; cancelled and skipped follow-ups do not hold it. An interview still
    awaiting confirmation lives CONFIRMATION_WINDOW from its submission, whatever changes meanwhile."""
    if interview.status == "awaiting_confirmation":
        interview.expires_at = _epoch(interview.created_at) + int(CONFIRMATION_WINDOW.total_seconds())
        return interview
    moments = [f.due_at for f in interview.follow_ups.values() if f.status not in ("cancelled", "skipped")]
    last = max(_epoch(m) for m in [*moments, interview.interview_at, interview.updated_at])
    interview.expires_at = last + int(RETENTION.total_seconds())
    return interview


# ---- helpers --------------------------------------------------------------------------------------


def country_of(candidate: Candidate, default_country: str) -> str:
    """Whose public holidays the nudges avoid: the phone number's country, else the zone's, else the firm's."""
    from followup.domain import locales
    return locales.country_for(candidate.phone, candidate.time_zone, default_country)


def _planned(interview_at: datetime, zone: ZoneInfo, expected_decision_days: int, *, now: datetime, nudge_hour: int,
             status: str, country: str | None = None) -> dict[str, FollowUp]:
    """The follow-ups of an interview as ``policy`` plans them at ``now``: ``status`` or skipped (too late)."""
    return {
        planned.step: FollowUp(step=planned.step, status="skipped" if planned.skipped else status,
                               due_at=planned.due_at.isoformat())
        for planned in policy.plan_follow_ups(
            interview_at, zone, expected_decision_days=expected_decision_days, now=now, nudge_hour=nudge_hour,
            country=country,
        )
    }


def _reschedule(interview: Interview, zone: ZoneInfo, *, now: datetime, nudge_hour: int,
                country: str | None = None) -> ScheduleChanges:
    if interview.status == "awaiting_confirmation":
        # Nothing is scheduled yet: the planned times follow the change, and confirming plans them again.
        interview.follow_ups = _planned(datetime.fromisoformat(interview.interview_at), zone,
                                        interview.expected_decision_days, now=now, nudge_hour=nudge_hour,
                                        status="planned", country=country)
        return ScheduleChanges()
    planned = {
        p.step: p
        for p in policy.plan_follow_ups(
            datetime.fromisoformat(interview.interview_at),
            zone,
            expected_decision_days=interview.expected_decision_days,
            now=now,
            nudge_hour=nudge_hour,
            country=country,
        )
    }
    if interview.decision is not None:
        card = policy.plan_decision_thank_you(
            datetime.fromisoformat(interview.decision.decided_at), zone, nudge_hour=nudge_hour, country=country
        )
        planned[card.step] = card
    schedules = ScheduleChanges()
    for step, follow_up in interview.follow_ups.items():
        if follow_up.status != "scheduled" or step not in planned:
            continue
        plan = planned[step]
        due_at = plan.due_at.isoformat()
        if plan.skipped:
            follow_up.due_at = due_at
            _end(follow_up, "skipped", schedules)
            continue
        if due_at != follow_up.due_at:
            follow_up.due_at = due_at
            follow_up.version += 1
        # Always re-put: a retried edit whose first try failed after the write still heals the schedule.
        schedules.put_after_write.append(follow_up.step)
    return schedules


def _end(follow_up: FollowUp, status: str, schedules: ScheduleChanges) -> None:
    """End a follow-up; a pending one (scheduled, or caught ``sending``) gets a new version, so its payload
    goes stale and a delivery in flight finds it ended and sends nothing more, and loses its schedule."""
    if follow_up.status in PENDING:
        follow_up.version += 1
        schedules.delete_after_write.append(follow_up.step)
    follow_up.status = status  # type: ignore[assignment]


def _interview_at_in_range(moment: datetime, zone: ZoneInfo, now: datetime) -> datetime:
    """The interview's moment in the candidate's zone, if it lies within the past 60 days and the next 365.

    Checked by subtraction before any conversion: converting a year-9999 (or year-1) moment would
    overflow ``datetime``."""
    aware = _aware(moment, zone)
    if not -INTERVIEW_PAST <= aware - now <= INTERVIEW_AHEAD:
        raise InvalidFields(fields=[("interview_at", "Enter an interview date within the past 60 days or the "
                                                     "coming year")])
    return aware.astimezone(zone)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())
