"""The ports: what the service and the delivery need from the outside world, as small Protocols.

The adapters (``followup.adapters``: DynamoDB, EventBridge Scheduler, SES and SNS) satisfy them when
deployed; the in-memory fakes of ``tests/fakes.py`` satisfy them in the unit tests. The data that
crosses a port (an email to send, an idempotency record) is defined here too, so the domain never
imports an adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, runtime_checkable

from followup.domain.counts import Counts
from followup.domain.listing import ListQuery, Page
from followup.domain.models import Interview


@dataclass(frozen=True)
class IdempotencyRecord:
    """What lets a retried submission get its first answer back."""

    key_hash: str  # digest of the Idempotency-Key
    request_hash: str  # digest of the submission it was first used with
    interview_id: str
    response: str  # the first answer, JSON, returned as-is to a retry
    expires_at: int  # epoch seconds


@dataclass(frozen=True)
class ImportProgress:
    """How far one CSV file's import went: the rows answered so far, in order, as JSON-ready dicts."""

    key: str  # digest of the recruiter and the file's bytes
    total: int  # rows in the file
    rows: list[dict]  # each answered row (``ImportedRow`` as a dict), the file's first ``len(rows)``
    expires_at: int  # epoch seconds: a file imported again after this is imported anew (each row still once)


@dataclass(frozen=True)
class SmsSent:
    """A nudge texted, recorded with the write of its result (``Store.replace``): what a reply to it, or its
    delivery receipt, finds by the message id, and the latest nudge to that number. Ids and digests only."""

    message_id: str  # as SNS returned it: a reply's previousPublishedMessageId, a receipt's messageId
    interview_id: str
    step: str
    number: str  # ``destinations.address_key("sms", phone)``: never the number itself
    expires_at: int  # epoch seconds: a reply or a receipt after this finds nothing


@dataclass(frozen=True)
class SmsPointer:
    """What a texted nudge's message id, or a number's latest nudge, points at."""

    interview_id: str
    step: str
    interviews: frozenset[str] = frozenset()  # for a number: every interview texted a nudge lately


@dataclass(frozen=True)
class LimitUse:
    """One more use of a limit (``Limiter.take``'s arguments), taken by a write in its own transaction: the write
    lands only if the limit allows it, and a write that does not land counts nothing (``Store.replace``)."""

    scope: str
    subject: str  # may be personal data: adapters store only a digest of it
    limit: int
    window: timedelta
    now: datetime


    def retry_after(self) -> int:
        """Seconds until the window holding ``now`` ends (fixed windows aligned on the epoch)."""
        length = int(self.window.total_seconds())
        return length - int(self.now.timestamp()) % length


class LimitReached(Exception):
    """A write refused by the limit it carried (nothing written, nothing counted): ``use``, the one that refused."""

    def __init__(self, use: LimitUse) -> None:
        super().__init__(use.scope)
        self.use = use


@dataclass(frozen=True)
class DuplicatePointer:
    """The pointer of a confirmed destination's (destination, company, day) to its interview
    (``transitions.duplicate_key``), written by the confirmation's own write: it lands only if it points at no
    other interview but ``replacing`` (the older one, ended first), else ``PointerTaken`` and nothing is written."""

    key: str
    interview_id: str
    expires_at: int
    replacing: str | None = None


class PointerTaken(Exception):
    """A write refused because its duplicate pointer names another interview (nothing written)."""

    def __init__(self, key: str) -> None:
        super().__init__("duplicate pointer taken")
        self.key = key


@dataclass(frozen=True)
class OptOutCheck:
    """Addresses (digests, ``destinations.address_key``) a write lands only while none is on the firm's opt-out
    list at ``now_epoch`` (an entry that expired does not count): ``OnOptOutList`` otherwise, nothing written."""

    addresses: tuple[str, ...]
    now_epoch: int


class OnOptOutList(Exception):
    """A write refused because addresses it checked are on the firm's opt-out list: ``listed``, each one found
    (its digest) with the reason it was listed for (``unsubscribed``, ``bounced``, ``complained``, ``stop``...)."""

    def __init__(self, listed: dict[str, str]) -> None:
        super().__init__("on the opt-out list")
        self.listed = listed


@dataclass(frozen=True)
class Email:
    sender: str
    sender_name: str
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str = ""  # empty: a message to the firm's own people, with no List-Unsubscribe
    reply_to: str = ""  # the firm's REPLY_TO_EMAIL; empty: replies go to the sender
    # SES's email tags (``feedback.tags_of``: ids only), which its events bring back in ``mail.tags``
    tags: tuple[tuple[str, str], ...] = ()
    language: str = ""  # its Content-Language (``followup.domain.i18n``); empty: none said


class SendFailed(Exception):
    """A channel could not take the message (or could not say whether a number opted out)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # the provider's error code, safe to log (never the message, which may echo data)


class SendUnconfirmed(SendFailed):
    """The message may have gone: the request reached the provider but its answer was lost (a read timeout,
    a dropped connection). Never sent again: at most once beats at least once for a nudge."""


@runtime_checkable
class Store(Protocol):
    """Interviews, each replaced whole under an optimistic ``revision`` check, and idempotency records.

    A write may carry ``counts`` (``followup.domain.counts.changes`` of that write): they are added to the report's
    counters with it, all or nothing, so a write that does not land counts nothing."""

    def load(self, interview_id: str) -> Interview | None: ...

    def load_for_token(self, interview_id: str, token_hash: str) -> Interview | None:
        """The interview if it holds a grant whose hash is ``token_hash``, else None: the same read and the same
        answer for a wrong token as for an unknown id (the caller still checks the grant itself)."""
        ...

    def create(self, interview: Interview, idempotency: IdempotencyRecord | None = None,
               counts: Counts | None = None, limits: tuple[LimitUse, ...] = (),
               unlisted: OptOutCheck | None = None) -> None:
        """Store a new interview, its record, its counts and the limit uses it takes, if none of ``unlisted``'s
        addresses is on the opt-out list: all or none (one write). ``IdempotencyKeyTaken`` when the record exists
        (before anything else is looked at: a retry is not a new submission), else ``OnOptOutList``, else
        ``LimitReached`` naming the first use refused."""

    def replace(self, interview: Interview, counts: Counts | None = None, sms_sent: tuple[SmsSent, ...] = (), *,
                limit: LimitUse | None = None, opt_out: tuple[str, str] | None = None,
                pointers: tuple[DuplicatePointer, ...] = (), unlisted: OptOutCheck | None = None) -> Interview:
        """Write back if nobody wrote since it was loaded; returns the stored copy, else ``ConcurrentModification``.
        In the same transaction, all or nothing: ``sms_sent``, the nudges this write records as texted, whose
        pointers it writes; ``limit``, a use it takes (``LimitReached`` when the limit refuses it and the revision
        held); ``opt_out``, an (address digest, reason) put on the firm's opt-out list for good; ``pointers``,
        the duplicate pointers it writes (``PointerTaken`` when one names another interview); ``unlisted``, the
        addresses it checks are on no opt-out list (``OnOptOutList``)."""
        ...

    def sms_pointer(self, message_id: str, now_epoch: int) -> SmsPointer | None:
        """The nudge texted with ``message_id`` (a pointer ``replace`` wrote, not expired), if any."""
        ...

    def latest_sms(self, number: str, now_epoch: int) -> SmsPointer | None:
        """The latest nudge texted to ``number`` (a digest), with every interview texted a nudge there lately."""
        ...

    def delete(self, interview: Interview) -> None:
        """Erase the interview and its idempotency record, if any."""

    def load_idempotency(self, key_hash: str) -> IdempotencyRecord | None: ...

    def load_pointer(self, key: str) -> str | None:
        """The interview id a duplicate pointer (``transitions.duplicate_key``) names, if any."""
        ...

    def list_interviews(self, query: ListQuery, now_epoch: int) -> Page:
        """One page of the firm's list (``followup.domain.listing``): newest first, filtered, never by Scan."""
        ...

    def load_import(self, key: str) -> ImportProgress | None:
        """How far the firm's CSV import ``key`` (a digest of who and which file) went, if it was started."""
        ...

    def save_import(self, progress: ImportProgress) -> None:
        """Record how far an import went (replacing what was recorded); it expires at ``progress.expires_at``."""

    def opted_out(self, addresses: list[str], now_epoch: int) -> dict[str, str]:
        """Which of ``addresses`` (``destinations.address_key`` digests) the firm must send nothing to, each with
        its reason (unsubscribed | bounced | complained): an opt-out recorded for it and not expired. One read for
        all of them."""
        ...

    def lift_opt_out(self, address: str, reason: str) -> None:
        """Remove ``address``'s opt-out if it is held for ``reason`` (another reason's stays)."""

    def opt_out(self, address: str, reason: str, expires_at: int = 0) -> None:
        """Record that the firm sends nothing more to ``address`` (a digest), for ``reason``, until
        ``expires_at`` (epoch seconds; 0: for good). A later opt-out of the same address replaces it, except that
        one with an expiry never replaces one for good (a bounce after a complaint leaves the complaint's)."""


@runtime_checkable
class Scheduler(Protocol):
    """One one-time schedule per follow-up, named by interview and step, carrying ids and a version."""

    def put(self, interview_id: str, step: str, version: int, due_at: datetime) -> None:
        """Create the schedule, or move an existing one to the new time and version."""

    def delete(self, interview_id: str, step: str) -> None:
        """Delete the schedule; one already gone is fine."""


@runtime_checkable
class Senders(Protocol):
    """The sending side of a delivery; each call raises ``SendFailed`` when the channel fails."""

    def send_email(self, email: Email) -> str:
        """Send; returns the provider's message id."""
        ...

    def phone_opted_out(self, phone: str) -> bool: ...

    def send_sms(self, phone: str, text: str) -> str:
        """Send; returns the provider's message id."""
        ...


@runtime_checkable
class Limiter(Protocol):
    """Counters that expire: how often something happened within a fixed window (an hour, a day)."""

    def take(self, scope: str, subject: str, limit: int, window: timedelta, now: datetime) -> int | None:
        """Count one more use of ``subject`` in ``scope`` if it stays within ``limit`` for the window holding
        ``now``: ``None`` when it does, else the seconds until the window ends (nothing counted).
        ``subject`` may be personal data (an address, a phone number): adapters store only a digest of it."""
        ...


@runtime_checkable
class Counters(Protocol):
    """The report's counters (``followup.domain.counts``): kept per day and metric, as the events happen."""

    def add(self, counts: Counts) -> None:
        """Add ``counts`` on their own, for an event that is not a write (a confirmation message sent)."""

    def read(self, first: date, last: date) -> dict[str, int]:
        """Each metric summed over the days ``first`` to ``last`` (both included), by Query over their months."""
        ...
