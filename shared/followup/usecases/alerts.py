"""The email a recruiter gets when their candidate records (or corrects) a hiring decision.

Plain words: who, for which interview, what outcome, and the link to the interview on the firm's page
(``<base>/firm/#<id>``). Sent from the firm's sender through the same ``Senders`` port as every message;
a refused send is tried again like a confirmation (``submission.CONFIRMATION_ATTEMPTS``), and a send
that still fails is logged with the interview's id only: the candidate's request has succeeded already.
The subject caps each submitted value (``drafts.in_subject``); the body keeps it whole.

**At most one an hour, carrying the latest state** (``coalesce``, on the write of each change of the candidate's
decision; a change that changes nothing is no write and no alert). The first alert about an interview goes at once.
A change within the hour after an alert sends nothing then: it makes one alert due when that hour is up, by a
one-time schedule ``<id>-recruiter_alert`` created before the write (the ordering rule of
``followup.usecases.unit_of_work``). Further changes before then find it due and add nothing; when it fires
(``deliver_due``, in the ``decision_thank_you`` function, which has the sender's rights), the alert says what the
decision is at that moment. Its payload is ``{interview_id, step: "recruiter_alert", version}``, no personal data;
a stale version, an alert no longer due, or an erased interview sends nothing. The state is the interview's
``recruiter_alert`` (``models.RecruiterAlert``), written with the change, so a lost race or a retried request
cannot alert twice. A change after the hour, with no alert due, goes at once again.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from time import sleep as wait
from zoneinfo import ZoneInfo

from followup.domain.drafts import in_subject
from followup.domain.errors import ConcurrentModification, InvalidPayload
from followup.domain.feedback import tags_of
from followup.domain.models import ALERT_SCHEDULE, ALERT_TARGET_STEP, Interview, RecruiterAlert
from followup.ports import Email, Senders, SendFailed, SendUnconfirmed, Store
from followup.runtime.config import Settings
from followup.runtime.observability import logger

OUTCOME_WORDS = {"offer": "an offer", "not_selected": "not selected"}
ATTEMPTS = 3
BACKOFF = 0.1  # seconds; as the confirmations
INTERVAL = timedelta(hours=1)  # at most one alert an hour, per recruiter and interview
SCHEDULE = ALERT_SCHEDULE  # its schedule's name is "<interview id>-recruiter_alert", its payload's "step" this
TARGET_STEP = ALERT_TARGET_STEP  # the step function its schedule invokes: it may send from the firm's sender
WRITE_ATTEMPTS = 4  # a fired alert's write, against a lost race


def firm_link(base_url: str, interview_id: str) -> str:
    return f"{base_url}/firm/#{interview_id}"


def decision_alert(interview: Interview, settings: Settings, *, corrected: bool = False) -> Email | None:
    """The recruiter's email for the decision ``interview`` now holds; None without a recruiter or a decision."""
    recruiter, decision = interview.recruiter, interview.decision
    if recruiter is None or decision is None or not recruiter.email:
        return None
    candidate = " ".join(interview.candidate.name.split())
    company, role = " ".join(interview.company.split()), " ".join(interview.role.split())
    outcome = OUTCOME_WORDS.get(decision.outcome, decision.outcome)
    verb = "corrected the decision" if corrected else "recorded a decision"
    link = firm_link(settings.base_url, interview.id)
    subject = (f"{in_subject(candidate)}: {'corrected ' if corrected else ''}decision for {in_subject(role)} "
               f"at {in_subject(company)}")
    greeting = f"Hi {' '.join(recruiter.name.split())},"
    news = f"{candidate} {verb} for the {role} interview at {company}: {outcome}."
    text = f"{greeting}\n\n{news}\n\nSee the interview and its follow-ups: {link}\n\n{settings.firm_name}\n"
    page = (
        f"<!doctype html><html><body><p>{html.escape(greeting)}</p><p>{html.escape(news)}</p>"
        f'<p><a href="{html.escape(link)}">See the interview and its follow-ups</a></p>'
        f"<p>{html.escape(settings.firm_name)}</p></body></html>"
    )
    return Email(sender=settings.sender_email, sender_name=settings.firm_name, to=recruiter.email,
                 subject=subject, text=text, html=page, tags=tuple(tags_of(interview.id, "alert").items()))


def send_decision_alert(senders: Senders, settings: Settings, interview: Interview, *, corrected: bool = False) -> None:
    """Send the recruiter's email, if the interview has a recruiter; never raises for a failed send."""
    email = decision_alert(interview, settings, corrected=corrected)
    if email is None:
        return
    for attempt in range(ATTEMPTS):
        try:
            senders.send_email(email)
        except SendUnconfirmed as exc:  # it may have gone: never sent twice
            logger.warning("recruiter alert unconfirmed", extra={"interview_id": interview.id, "error": exc.code})
        except SendFailed as exc:
            logger.warning("recruiter alert failed", extra={"interview_id": interview.id, "error": exc.code,
                                                            "attempt": attempt + 1})
            if attempt + 1 < ATTEMPTS:
                wait(random.uniform(0, BACKOFF * 2**attempt))  # noqa: S311 - jitter
            continue
        else:
            logger.info("recruiter alerted", extra={"interview_id": interview.id})
        return


# ---- at most one an hour ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a change of the decision does about the recruiter's alert, besides the state it wrote."""

    send_now: bool = False  # after the write
    schedule: bool = False  # create ``<id>-recruiter_alert`` (before the write): one is due from now on
    unschedule: bool = False  # delete it (after the write): the one due is overdue and goes now instead


def coalesce(interview: Interview, now: datetime) -> Plan:
    """On ``interview``, the copy a change of the candidate's decision is about to write: the recruiter's alert of
    it, at most one an hour. At once when none went in the last hour (and none is due); else, within the hour
    after the last one, one due when that hour is up, unless one is due already (it will carry this change too).
    Sets ``interview.recruiter_alert``; nothing for a public submission (no recruiter)."""
    if interview.recruiter is None:
        return Plan()
    alert = interview.recruiter_alert or RecruiterAlert()
    due = _instant(alert.due_at)
    sent = _instant(alert.sent_at)
    if due is not None and now < due:
        return Plan()
    if sent is None or now >= sent + INTERVAL:
        version = alert.version + 1 if due is not None else alert.version  # the overdue schedule goes stale
        interview.recruiter_alert = RecruiterAlert(sent_at=_utc(now), version=version)
        return Plan(send_now=True, unschedule=due is not None)
    interview.recruiter_alert = RecruiterAlert(sent_at=alert.sent_at, due_at=_utc(sent + INTERVAL),
                                               version=alert.version + 1)
    return Plan(schedule=True)


def due_at(interview: Interview) -> datetime:
    """When the coalesced alert of ``interview`` is due, in the zone its schedule names (UTC, an IANA key)."""
    moment = _instant(interview.recruiter_alert.due_at if interview.recruiter_alert else None)
    if moment is None:
        raise ValueError("no recruiter's alert is due")
    return moment.astimezone(ZoneInfo("UTC"))


def fire(interview: Interview, version: int, now: datetime) -> Interview | None:
    """The coalesced alert's schedule fired: a copy recording it sent now and no longer due, if it is still the one
    due (``version``) and there is a decision to tell; else None, and nothing is sent."""
    alert = interview.recruiter_alert
    if alert is None or alert.due_at is None or alert.version != version:
        return None
    if interview.recruiter is None or interview.decision is None:
        return None
    return replace(interview, recruiter_alert=RecruiterAlert(sent_at=_utc(now), version=alert.version))


def is_due_alert(event: object) -> bool:
    """Whether a step function's event is a coalesced alert's schedule payload, rather than a follow-up's."""
    return isinstance(event, dict) and event.get("step") == SCHEDULE


def deliver_due(event: dict, store: Store, senders: Senders, settings: Settings,
                now: Callable[[], datetime]) -> str:
    """A coalesced alert's schedule fired (in the step function it targets): record it sent, then send it with
    the decision as it is now. Answers what happened: ``sent``, or why nothing was (``stale``: not due any more
    or another version; ``gone``: erased or expired). A write that loses a race is tried again on a fresh copy;
    the send comes after the write, so a retried invocation never sends it twice."""
    interview_id, version = event.get("interview_id"), event.get("version")
    if not isinstance(interview_id, str) or not interview_id or not isinstance(version, int) or isinstance(version, bool):
        raise InvalidPayload("the recruiter's alert payload has no valid interview_id or version")
    for _ in range(WRITE_ATTEMPTS):
        moment = now()
        interview = store.load(interview_id)
        if interview is None or (interview.expires_at and interview.expires_at <= int(moment.timestamp())):
            logger.info("recruiter alert: nothing to send", extra={"interview_id": interview_id, "result": "gone"})
            return "gone"
        fired = fire(interview, version, moment)
        if fired is None:
            logger.info("recruiter alert: nothing to send", extra={"interview_id": interview_id, "result": "stale"})
            return "stale"
        try:
            stored = store.replace(fired)
        except ConcurrentModification:
            continue
        send_decision_alert(senders, settings, stored, corrected=True)
        return "sent"
    raise ConcurrentModification()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
