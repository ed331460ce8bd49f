"""Submitting an interview, and its idempotency.

A client may send ``Idempotency-Key`` with a submission. Within ``IDEMPOTENCY_WINDOW``:
- the same key with the same submission (a retry) gets the first answer back, and nothing new is made;
- the same key with another submission is refused (``IdempotencyKeyReused``), naming the header;
- two twins racing with one key: the store lets one win (the interview and its record are written in
  one transaction); the loser's schedules are deleted and it answers the winner's result;
- a key whose interview was erased since answers ``InterviewNotFound``: the first answer went with it.
Keys and submissions are kept as digests only.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from time import sleep as wait
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup.domain import counts, messages, transitions
from followup.domain.destinations import (
    address_key,
    canonical,
    channels_opted_out,
    destination_of,
    destination_of_candidate,
)
from followup.domain.errors import (
    ConcurrentModification,
    IdempotencyKeyReused,
    IdempotencyKeyTaken,
    InterviewNotFound,
    InvalidFields,
    RateLimited,
)
from followup.domain.feedback import tags_of
from followup.domain.i18n import language_for
from followup.domain.models import Interview, Recruiter
from followup.domain.phones import mask_email, mask_phone, sms_refusal
from followup.domain.tokens import Links, manage_url, mint_links, unsubscribe_url
from followup.domain.transitions import ScheduleChanges
from followup.ports import (
    Counters,
    Email,
    IdempotencyRecord,
    Limiter,
    LimitReached,
    LimitUse,
    OnOptOutList,
    OptOutCheck,
    Senders,
    SendFailed,
    SendUnconfirmed,
    Store,
)
from followup.runtime.config import Settings
from followup.runtime.observability import count, logger
from followup.usecases.unit_of_work import UnitOfWork

if TYPE_CHECKING:  # the API's commands, read here by their fields only: no pydantic in a use case's imports
    from followup.api.commands import SubmitInterview

IDEMPOTENCY_WINDOW = timedelta(hours=24)
CONFIRMATION_ATTEMPTS = 3  # tries of a refused confirmation send, within the request
CONFIRMATION_BACKOFF = 0.1  # seconds; the wait before try n+1 is uniform in [0, CONFIRMATION_BACKOFF * 2**n]
SUBMISSION_WINDOW = timedelta(hours=1)  # SUBMISSIONS_PER_HOUR_PER_CLIENT counts in this window
CONFIRMATION_WINDOW = timedelta(days=1)  # CONFIRMATIONS_PER_DAY_PER_DESTINATION counts in this window

# What a candidate reads when the email address they gave is one the firm may not send to, by the reason recorded.
EMAIL_REFUSED = {
    "unsubscribed": "This email address asked to get no more messages from {firm}: enter another address, or choose "
                    "text messages only",
    "bounced": "Email to this address bounced; check it or choose text messages",
    "complained": "This email address marked our messages as spam, so {firm} sends it no more email: enter another "
                  "address, or choose text messages only",
}


def fingerprint(command: SubmitInterview) -> str:
    """The submission's digest. The candidate's fields added later (``preferred_name``, ``locale``) are left
    out while empty, so a retry still matches a record written before they existed."""
    later = {name for name in ("preferred_name", "locale") if getattr(command.candidate, name) is None}
    return digest(command.model_dump_json(exclude={"candidate": later}))


def digest(text: str) -> str:
    """A fingerprint of an Idempotency-Key or of a submission, to find and compare them (SHA-256, hex)."""
    return hashlib.sha256(text.encode()).hexdigest()


def check_sms_destination(phone: str | None, channels: list[str], countries: tuple[str, ...]) -> None:
    """SMS only to a mobile-capable number in one of the firm's countries: else ``InvalidFields`` naming the phone."""
    if "sms" in channels and phone:
        refusal = sms_refusal(phone, countries)
        if refusal is not None:
            raise InvalidFields(fields=[("candidate.phone", refusal)])


class Submissions:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        work: UnitOfWork,
        limiter: Limiter,
        senders: Senders,
        now: Callable[[], datetime],
        counters: Counters,
    ) -> None:
        self.settings = settings
        self.store = store
        self.work = work
        self.limiter = limiter
        self.senders = senders
        self.now = now
        self.counters = counters

    def submit(self, command: SubmitInterview, *, client: str | None, idempotency_key: str | None = None,
               recruiter: Recruiter | None = None) -> dict:
        """Store a new interview awaiting confirmation and send one confirmation message to each chosen
        destination; answers where they went (masked), as a JSON-ready dict. No token: only the messages
        carry one, so whoever submits cannot act for the candidate. A ``recruiter`` (signed in) enrols the
        candidate under their name, with no per-address limit (``client`` None); a recruiter's
        Idempotency-Keys are their own."""
        request_hash = fingerprint(command)
        scope = f"{recruiter.id}\n" if recruiter else ""
        key_hash = digest(scope + idempotency_key) if idempotency_key else None
        # A retry is found by the write itself (its record's condition), not read first: one call less a submission.
        now = self.now()
        interview_id = secrets.token_hex(6)
        check_sms_destination(command.candidate.phone, list(command.channels), self.settings.sms_countries)
        links = mint_links(interview_id, {c: destination_of_candidate(command.candidate, c) for c in command.channels},
                           now)
        interview, _ = transitions.submit(
            command,
            interview_id=interview_id,
            tokens=links.grants,
            idempotency_key_hash=key_hash,
            now=now,
            nudge_hour=self.settings.nudge_hour,
            default_country=self.settings.default_country,
        )
        interview.recruiter = replace(recruiter) if recruiter else None
        # The limits are taken by the write itself, once the submission is known to be valid: a refused one
        # changes nothing, and a replay (its record found by the same write) is not a new submission.
        unlisted = OptOutCheck(tuple(address_key(c, destination_of(interview, c)) for c in interview.channels),
                               int(now.timestamp()))
        confirmations = {channel: self.confirmation_use(interview, channel, now) for channel in interview.channels}
        limits = [self.client_use(client, now)] if client is not None else []
        limits += confirmations.values()
        # The API's answer (``schema.SubmittedInterviewView``, which the route validates it against) as plain data,
        # its keys in the model's order: the idempotency record replays these very bytes.
        answer = {
            "id": interview_id,
            "status": "awaiting_confirmation",
            "confirmations_sent_to": [
                {"channel": channel, "destination": mask_email(destination_of(interview, channel))
                 if channel == "email" else mask_phone(destination_of(interview, channel))}
                for channel in interview.channels
            ],
        }
        record = None
        if key_hash:
            record = IdempotencyRecord(
                key_hash=key_hash,
                request_hash=request_hash,
                interview_id=interview_id,
                response=json.dumps(answer),
                expires_at=int((now + IDEMPOTENCY_WINDOW).timestamp()),
            )
        # Each confirmation is counted sent with the write, and taken back if it does not go (send_confirmations).
        day = counts.day_of(now, ZoneInfo(self.settings.default_time_zone))
        sent = {(day, counts.metric(counts.CONFIRMATION_SENT, channel)): 1 for channel in interview.channels}
        try:
            self.work.create(interview, ScheduleChanges(), record, tuple(limits), also=sent, unlisted=unlisted)
        except OnOptOutList as found:  # the write checked the firm's list itself, and says why each is on it
            listed = found.listed
            raise self.refused(channels_opted_out(interview, interview.channels, lambda _: listed)) from None
        except IdempotencyKeyTaken:
            replay = self._replay(key_hash or "", request_hash)
            if replay is None:
                raise ConcurrentModification() from None
            return replay
        except LimitReached as exc:
            refused = next((channel for channel, use in confirmations.items() if use == exc.use), None)
            raise self.refusal(exc.use, refused) from None
        logger.info("interview submitted", extra={"interview_id": interview_id, "status": interview.status})
        self.send_confirmations(interview, links, counted=True)
        return answer

    def check_opt_outs(self, interview: Interview, channels: Iterable[str], now: datetime) -> None:
        """``InvalidFields`` naming each of ``channels``' destinations that opted out of every message from the
        firm (its canonical mailbox, or its number): nothing is sent to it, and the candidate is told so."""
        refused = channels_opted_out(interview, channels,
                                     lambda addresses: self.store.opted_out(addresses, int(now.timestamp())))
        if refused:
            raise self.refused(refused)

    def refused(self, refused: dict[str, str]) -> InvalidFields:
        """``InvalidFields`` naming each destination on the firm's list (channel -> why it is there)."""
        firm = self.settings.firm_name
        return InvalidFields(f"a destination {firm} may not send to", fields=[
            ("candidate.email", EMAIL_REFUSED.get(why, EMAIL_REFUSED["unsubscribed"]).format(firm=firm))
            if channel == "email" else
            ("candidate.phone", f"This phone number asked to get no more text messages from {firm}: enter "
                                "another number, or choose email only")
            for channel, why in refused.items()])

    def client_use(self, client: str, now: datetime) -> LimitUse:
        """One use of the per-client limit (a submission), for the write that takes it."""
        return LimitUse("submissions", client, self.settings.submissions_per_hour_per_client, SUBMISSION_WINDOW, now)

    def confirmation_use(self, interview: Interview, channel: str, now: datetime) -> LimitUse:
        """One confirmation to ``channel``'s destination, one mailbox however it is written, for the write."""
        return LimitUse("confirmations", canonical(channel, destination_of(interview, channel)),
                        self.settings.confirmations_per_day_per_destination, CONFIRMATION_WINDOW, now)

    def refusal(self, use: LimitUse, channel: str | None) -> RateLimited:
        """What a candidate is told of a limit refused (``RateLimited``, with when to try again): ``channel``'s
        confirmations, or (None) the client's submissions."""
        if channel is None:
            refused = RateLimited("too many submissions from this address; try again later",
                                  retry_after=use.retry_after())
        else:
            message = f"too many confirmation messages to this {'address' if channel == 'email' else 'number'} today"
            refused = RateLimited(message, retry_after=use.retry_after())
            refused.fields = [("candidate.email" if channel == "email" else "candidate.phone", message)]
        logger.info("limit reached", extra={"scope": use.scope, "retry_after": refused.retry_after})
        return refused

    def take_client(self, client: str, now: datetime) -> None:
        """Count one use of the per-client limit: a submission, or a new destination set by an edit."""
        self._take_use(self.client_use(client, now), None)

    def take_destination_change(self, interview_id: str, now: datetime) -> None:
        """Count one new destination set by an edit of this interview (``RateLimited`` past the day's limit)."""
        self._take("destination_changes", interview_id, self.settings.destination_changes_per_day_per_interview,
                   CONFIRMATION_WINDOW, now, "too many new email addresses or phone numbers for this interview today")

    def take_new_confirmation(self, interview: Interview, channel: str, now: datetime, *, client: str | None,
                              counted: set[str], new_destination: bool = False) -> None:
        """Count a confirmation an edit or a resend sends to ``channel``'s destination: against the interview's day
        when it is a ``new_destination``, the ``client``'s hour (if any) and the destination's day. ``counted`` holds
        the destinations already counted by this request, so a change retried after a lost race counts once."""
        key = address_key(channel, destination_of(interview, channel))
        if key in counted:
            return
        if new_destination:
            self.take_destination_change(interview.id, now)
        if client is not None:
            self.take_client(client, now)
        self.take_confirmation(interview, channel, now)
        counted.add(key)

    def take_confirmation(self, interview: Interview, channel: str, now: datetime) -> None:
        """Count one confirmation to ``channel``'s destination, one mailbox however it is written (``RateLimited``
        past the day's limit, naming it)."""
        self._take_use(self.confirmation_use(interview, channel, now), channel)

    def _take_use(self, use: LimitUse, channel: str | None) -> None:
        """Count ``use`` on its own (an edit's: no write to take it with), refused as a submission's write is."""
        if self.limiter.take(use.scope, use.subject, use.limit, use.window, use.now) is not None:
            raise self.refusal(use, channel)

    def _take(self, scope: str, subject: str, limit: int, window: timedelta, now: datetime, message: str) -> None:
        wait = self.limiter.take(scope, subject, limit, window, now)
        if wait is not None:
            logger.info("limit reached", extra={"scope": scope, "retry_after": wait})
            raise RateLimited(message, retry_after=wait)

    def send_confirmations(self, interview: Interview, links: Links, *, counted: bool = False) -> None:
        """One message per chosen destination, each with a manage link bound to its channel. A number that opted
        out gets nothing (and the answer does not say so). A refused send is tried again (``CONFIRMATION_ATTEMPTS``,
        jittered backoff); one that still fails, or whose answer was lost, is logged, not raised: the interview
        stays awaiting confirmation, and expires unless a new submission reaches the candidate. The report counts
        each confirmation that went: ``counted``, the write counted every one already, and one that did not go is
        taken back (a call on that path only); else each is counted once it went."""
        base = self.settings.base_url
        unsubscribe = unsubscribe_url(base, links.unsubscribe, language_for(interview, self.settings))
        for channel, token in links.manage.items():
            ctx = messages.context_of(interview, self.settings.firm_name, manage_url(base, interview.id, token), unsubscribe,
                                      settings=self.settings)
            went = self._confirm_by(channel, interview, messages.render_confirmation(ctx), unsubscribe)
            if went:
                count("ConfirmationSent", step="confirmation", channel=channel)
            if went != counted:
                self._count_sent(interview.id, channel, 1 if went else -1)

    def _confirm_by(self, channel: str, interview: Interview, rendered: messages.RenderedMessage,
                    unsubscribe: str) -> bool:
        """Whether the confirmation went: tried again while refused; never again once its answer was lost."""
        for attempt in range(CONFIRMATION_ATTEMPTS):
            try:
                return self._send_confirmation(channel, interview, rendered, unsubscribe)
            except SendUnconfirmed as exc:  # it may have gone: never sent twice
                logger.warning("confirmation unconfirmed", extra={"interview_id": interview.id, "channel": channel,
                                                                  "error": exc.code})
                return False
            except SendFailed as exc:  # refused (throttled, say): it did not go, so trying again is safe
                logger.warning("confirmation failed", extra={"interview_id": interview.id, "channel": channel,
                                                              "error": exc.code, "attempt": attempt + 1})
                if attempt + 1 < CONFIRMATION_ATTEMPTS:
                    wait(random.uniform(0, CONFIRMATION_BACKOFF * 2**attempt))  # noqa: S311 - jitter
        return False

    def _count_sent(self, interview_id: str, channel: str, n: int) -> None:
        """The report's count of a confirmation that went (``n`` 1) or, counted by the write, did not (-1): added
        on its own. A fault here loses that one count (logged), never the answer."""
        day = counts.day_of(self.now(), ZoneInfo(self.settings.default_time_zone))
        try:
            self.counters.add({(day, counts.metric(counts.CONFIRMATION_SENT, channel)): n})
        except Exception as exc:  # noqa: BLE001 - a report's count is never worth a failed submission
            logger.warning("confirmation not counted", extra={"interview_id": interview_id, "channel": channel,
                                                              "error": type(exc).__name__})

    def _send_confirmation(self, channel: str, interview: Interview, rendered: messages.RenderedMessage,
                           unsubscribe: str) -> bool:
        """Send one confirmation; False when the number opted out (nothing sent, and the answer does not say)."""
        if channel == "email":
            self.senders.send_email(Email(
                sender=self.settings.sender_email, sender_name=self.settings.firm_name,
                to=interview.candidate.email or "", subject=rendered.subject, text=rendered.text,
                html=rendered.html, unsubscribe_url=unsubscribe, reply_to=self.settings.reply_to_email,
                tags=tuple(tags_of(interview.id, "confirmation").items()),
                language=rendered.language,
            ))
            return True
        phone = interview.candidate.phone or ""
        if self.senders.phone_opted_out(phone):
            logger.info("confirmation not sent: opted out", extra={"interview_id": interview.id})
            return False
        self.senders.send_sms(phone, rendered.sms)
        return True

    def _replay(self, key_hash: str, request_hash: str) -> dict | None:
        record = self.store.load_idempotency(key_hash)
        if record is None or record.expires_at < int(self.now().timestamp()):
            return None
        if record.request_hash != request_hash:
            raise IdempotencyKeyReused(fields=[("Idempotency-Key", IdempotencyKeyReused.message)])
        if self.work.load_live(record.interview_id) is None:
            raise InterviewNotFound()  # submitted, then deleted (or expired): the first answer is gone with it
        logger.info("idempotent replay", extra={"interview_id": record.interview_id})
        return json.loads(record.response)
