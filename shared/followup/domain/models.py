"""What is stored: the interview and its parts, as plain dataclasses, and the names every module shares. No I/O.

Plain dataclasses, not pydantic: the step Lambdas load, change and write back an interview, and pydantic's
import alone was a fifth of their cold start. What is stored was validated on its way in, by the API's
request models (``followup.api.requests``); ``load`` reads it back, converting DynamoDB's numbers. What the API
answers lives in ``followup.api.schema``.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

Step = Literal["thank_you_note", "check_in", "decision_thank_you"]
Channel = Literal["email", "sms"]
Outcome = Literal["offer", "not_selected"]
InterviewStatus = Literal["awaiting_confirmation", "active", "decided", "cancelled"]
# "planned": computed but not scheduled, while the interview awaits its first confirmation.
FollowUpStatus = Literal["planned", "scheduled", "sending", "sent", "cancelled", "skipped", "done", "failed"]
TokenKind = Literal["manage", "unsubscribe"]

# The one definition of the follow-up steps, in the order they happen; everything else derives from it
# (function folders, schedule names, payloads, metrics, template logical ids, environment names).
STEPS: tuple[Step, ...] = get_args(Step)


def function_env_name(step: str) -> str:
    """The environment variable that holds a step function's ARN: ``check_in`` -> ``CHECK_IN_FUNCTION_ARN``."""
    return f"{step.upper()}_FUNCTION_ARN"


def function_logical_id(step: str) -> str:
    """The step function's logical id in template.yaml: ``check_in`` -> ``CheckInFunction``."""
    return "".join(part.capitalize() for part in step.split("_")) + "Function"


# ---- stored ---------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Person:
    name: str


DeliveryStatus = Literal["sending", "sent", "skipped", "delivered", "bounced", "complained", "failed"]


@dataclass(kw_only=True)
class Delivery:
    """One channel of one follow-up. ``sending`` is the intent recorded just before the send; a result
    never recorded after it stays unconfirmed and is never sent again (``sent``, reason ``unconfirmed``).
    What the provider tells afterwards (``followup.domain.feedback``) moves a ``sent`` one on: ``delivered``
    (``delivered_at``), ``bounced`` (reason: the bounce's class), ``complained`` (marked as spam), ``failed``
    (reason ``rejected``); a delay leaves it ``sent`` with reason ``delayed``."""

    status: DeliveryStatus
    message_id: str | None = None
    # skipped: unverified | no_consent | opted_out | bounced | complained; sent: unconfirmed (no message id came
    # back) | delayed; bounced: general | no_email | suppressed | ...; failed: rejected
    reason: str | None = None
    at: str
    delivered_at: str | None = None


@dataclass(kw_only=True)
class FollowUp:
    step: Step
    status: FollowUpStatus
    due_at: str  # ISO 8601 with the candidate's offset
    version: int = 1
    attempts: int = 0
    lease_until: int = 0  # epoch seconds; a delivery in flight holds the follow-up until then
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    done_by: str | None = None  # "reply": marked done by the candidate's DONE text (else by the page's button)


@dataclass(kw_only=True)
class Reply:
    """A text the candidate sent back (``followup.usecases.replies``), kept with the interview (it expires with it):
    its keyword (stop, start, help, done) or, for anything else, its text, which the enrolling recruiter reads."""

    inbound_id: str  # AWS's inboundMessageId: the same text delivered twice is applied once
    at: str
    step: str | None = None  # the nudge it answers, when known
    keyword: str | None = None
    text: str | None = None  # another text, cut to REPLY_TEXT_LIMIT characters


REPLY_TEXT_LIMIT = 320
REPLIES_KEPT = 10  # the latest; an older one's inbound id may come again only after days, as a new text


@dataclass(kw_only=True)
class Candidate:
    name: str
    preferred_name: str | None = None  # how they are addressed; None: the first word of the name
    email: str | None = None
    phone: str | None = None
    time_zone: str
    locale: str | None = None  # BCP 47; None: the firm's DEFAULT_LOCALE


@dataclass(kw_only=True)
class Interviewer:
    name: str
    title: str | None = None


@dataclass(kw_only=True)
class Decision:
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


@dataclass(kw_only=True)
class TokenGrant:
    """What is stored of one token handed out ("<id>.<secret>"): its hash, what it may do, and until when.

    A ``manage`` token is bound to the channel it was delivered on and to the address it was sent to
    (``address``: ``destinations.address_key``; confirming verifies that channel while its address is that
    one); an ``unsubscribe`` token only stops the messages (its ``address``: the email it went to).
    ``expires_at`` 0: it lives as long as the interview. ``address`` None: minted before tokens were bound
    to addresses.
    """

    hash: str
    kind: TokenKind
    channel: Channel | None = None
    expires_at: int = 0
    address: str | None = None


@dataclass(kw_only=True)
class Recruiter:
    """Who enrolled the candidate (a signed-in member of the firm): the Cognito ``sub`` and what the ID token
    said of them when they did. Kept with the interview: their name signs the messages, and the alert of a
    candidate's decision goes to ``email``."""

    id: str
    name: str
    email: str


# The recruiter's alert's schedule (``followup.usecases.alerts``): named "<interview id>-recruiter_alert", its
# payload's "step" this; it invokes the step function that may send from the firm's sender.
ALERT_SCHEDULE = "recruiter_alert"
ALERT_TARGET_STEP: Step = "decision_thank_you"


@dataclass(kw_only=True)
class RecruiterAlert:
    """The recruiter's emails about the candidate's decision, at most one an hour (``followup.usecases.alerts``): when the
    last went, and when the next one is due, if a change came within the hour after it; its schedule
    (``<id>-recruiter_alert``) carries ``version``. Instants in UTC, ISO 8601."""

    sent_at: str | None = None
    due_at: str | None = None
    version: int = 0


@dataclass(kw_only=True)
class Interview:
    """One interview as stored: the aggregate every write replaces whole, guarded by `revision`."""

    id: str
    # Every token handed out: one manage token per confirmation message, and per message sent a manage
    # token for its channel and an unsubscribe token (the step Lambdas mint their own). Hashes only.
    tokens: list[TokenGrant] = field(default_factory=list)
    status: InterviewStatus = "awaiting_confirmation"
    verified_channels: list[Channel] = field(default_factory=list)
    company: str
    role: str
    interviewer: Interviewer
    interview_at: str
    candidate: Candidate
    channels: list[Channel]
    sms_consent: bool
    expected_decision_days: int
    decision: Decision | None = None
    cancel_reason: str | None = None  # why it was cancelled: unsubscribed (the candidate opted out) | replaced | firm
    follow_ups: dict[str, FollowUp]
    created_at: str
    updated_at: str
    revision: int = 0
    expires_at: int = 0
    recruiter: Recruiter | None = None  # who enrolled the candidate; None for a public submission
    recruiter_alert: RecruiterAlert | None = None  # the recruiter's emails about the decision (followup.usecases.alerts)
    # The channels that take no more messages of this interview, and why: bounced (a permanent bounce) | complained
    # (marked as spam) | stop (the candidate texted STOP) | blocked | unreachable (the carrier said so); the steps
    # skip them with that reason. An edit to another address or number lifts it.
    stopped: dict[str, str] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)  # the texts the candidate sent back, the latest REPLIES_KEPT
    idempotency_key_hash: str | None = None

    def ordered_follow_ups(self) -> list[FollowUp]:
        return [self.follow_ups[s] for s in STEPS if s in self.follow_ups]

    def first_sms(self, step: str) -> bool:
        """Whether ``step``'s SMS would be the first nudge to go out by SMS: no other follow-up has an SMS recorded
        ``sent``. Its text then ends with the firm's name and the opt-out line. An SMS whose answer was lost
        (``sent``, reason ``unconfirmed``) may never have arrived, so it does not count."""
        return not any(
            (sms := follow_up.deliveries.get("sms")) is not None and sms.status == "sent" and sms.reason != "unconfirmed"
            for other, follow_up in self.follow_ups.items() if other != step
        )


# ---- reading back what was stored -------------------------------------------------------------

Record = TypeVar("Record")


def load(cls: type[Record], data: Mapping[str, Any]) -> Record:
    """A stored record from its ``dataclasses.asdict`` form as read back: its nested records built, its
    numbers (DynamoDB's ``Decimal``) made ``int``, and names it does not know ignored (written by a later
    version). A required field missing raises ``TypeError``."""
    hints = _fields_of(cls)
    return cls(**{name: _value(hints[name], value) for name, value in data.items() if name in hints})


@cache
def _fields_of(cls: type) -> dict[str, Any]:
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):  # X | None: the value is an X
        (hint,) = [arg for arg in get_args(hint) if arg is not type(None)]
        origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        return [_value(item, v) for v in value]
    if origin is dict:
        _, item = get_args(hint)
        return {k: _value(item, v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return load(hint, value)
    if hint is int or hint is bool:
        return hint(value)
    return value  # str, and the Literal names
