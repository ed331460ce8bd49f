"""Pydantic models of what is stored and what the API answers. No I/O here.

What the API accepts lives in ``followup.requests``: its field libraries (phonenumbers,
email-validator) are the API's alone, so the step Lambdas do not import them.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Model(BaseModel):
    """Every model of the service: its validator is built on first use, not at import (cold start).

    A Lambda imports models it may never use on a given invocation (the step Lambdas never answer a
    view; a request to the API validates one of its three request bodies).
    """

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    model_config = ConfigDict(extra="forbid")


class Person(Strict):
    name: Text


# ---- stored ---------------------------------------------------------------------------------

class Delivery(Model):
    """One channel of one follow-up. ``sending`` is the intent recorded just before the send; a result
    never recorded after it stays unconfirmed and is never sent again (``sent``, reason ``unconfirmed``)."""

    status: Literal["sending", "sent", "skipped"]
    message_id: str | None = None
    reason: str | None = None  # skipped: no_consent | opted_out; sent: unconfirmed (no message id came back)
    at: str


class FollowUp(Model):
    step: Step
    status: FollowUpStatus
    due_at: str  # ISO 8601 with the candidate's offset
    version: int = 1
    attempts: int = 0
    lease_until: int = 0  # epoch seconds; a delivery in flight holds the follow-up until then
    deliveries: dict[str, Delivery] = Field(default_factory=dict)


class Candidate(Model):
    name: str
    email: str | None = None
    phone: str | None = None
    time_zone: str


class Interviewer(Model):
    name: str
    title: str | None = None


class Decision(Model):
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


class TokenGrant(Model):
    """What is stored of one token handed out ("<id>.<secret>"): its hash, what it may do, and until when.

    A ``manage`` token is bound to the channel it was delivered on (confirming it verifies that channel);
    an ``unsubscribe`` token only stops the messages. ``expires_at`` 0: it lives as long as the interview.
    """

    hash: str
    kind: TokenKind
    channel: Channel | None = None
    expires_at: int = 0


class Recruiter(Model):
    """Who enrolled the candidate (a signed-in member of the firm): the Cognito ``sub`` and what the ID token
    said of them when they did. Kept with the interview: the alert of a candidate's decision goes to ``email``."""

    id: str
    name: str
    email: str


class Interview(Model):
    """One interview as stored: the aggregate every write replaces whole, guarded by `revision`."""

    id: str
    # Every token handed out: one manage token per confirmation message, and per message sent a manage
    # token for its channel and an unsubscribe token (the step Lambdas mint their own). Hashes only.
    tokens: list[TokenGrant] = Field(default_factory=list)
    status: InterviewStatus = "awaiting_confirmation"
    verified_channels: list[Channel] = Field(default_factory=list)
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
    idempotency_key_hash: str | None = None
    recruiter: Recruiter | None = None  # who enrolled the candidate; None for a public submission

    def ordered_follow_ups(self) -> list[FollowUp]:
        return [self.follow_ups[s] for s in STEPS if s in self.follow_ups]


# ---- responses ------------------------------------------------------------------------------

class DeliveryView(Model):
    status: Literal["sending", "sent", "skipped"]  # sending: on its way this very moment
    reason: str | None = None
    at: str | None = None


class FollowUpView(Model):
    step: Step
    due_at: str
    status: Literal["planned", "scheduled", "sent", "cancelled", "skipped", "done", "failed"]
    deliveries: dict[str, DeliveryView] = Field(default_factory=dict)


class DecisionView(Model):
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


class InterviewView(Model):
    id: str
    status: InterviewStatus
    company: str
    role: str
    interviewer: Interviewer
    interview_at: str
    candidate: Candidate
    channels: list[Channel]
    verified_channels: list[Channel]
    sms_consent: bool
    expected_decision_days: int
    decision: DecisionView | None
    follow_ups: list[FollowUpView]


class ConfirmationSent(Model):
    channel: Channel
    destination: str  # masked: j•••@example.com, +1•••••••0123


class SubmittedInterviewView(Model):
    """The answer to a submission: never a token, and the same whoever the destinations belong to."""

    id: str
    status: Literal["awaiting_confirmation"]
    confirmations_sent_to: list[ConfirmationSent]


class UnsubscribedView(Model):
    status: Literal["unsubscribed"]


class FieldError(Model):
    field: str
    message: str


class ErrorBody(Model):
    message: str
    errors: list[FieldError] = Field(default_factory=list)


def to_view(interview: Interview) -> InterviewView:
    return InterviewView(
        id=interview.id,
        status=interview.status,
        company=interview.company,
        role=interview.role,
        interviewer=interview.interviewer,
        interview_at=interview.interview_at,
        candidate=interview.candidate,
        channels=interview.channels,
        verified_channels=interview.verified_channels,
        sms_consent=interview.sms_consent,
        expected_decision_days=interview.expected_decision_days,
        decision=DecisionView(**interview.decision.model_dump()) if interview.decision else None,
        follow_ups=[
            # "sending" is an internal lease; to the candidate it is still scheduled.
            FollowUpView(
                step=f.step,
                due_at=f.due_at,
                status="scheduled" if f.status == "sending" else f.status,
                deliveries={ch: DeliveryView(status=d.status, reason=d.reason, at=d.at) for ch, d in f.deliveries.items()},
            )
            for f in interview.ordered_follow_ups()
        ],
    )
