"""Pydantic models: what the API accepts, what it answers, and what is stored. No I/O here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)

Step = Literal["thank_you_note", "check_in", "decision_thank_you"]
Channel = Literal["email", "sms"]
Outcome = Literal["offer", "not_selected"]
InterviewStatus = Literal["active", "decided", "cancelled"]
FollowUpStatus = Literal["scheduled", "sending", "sent", "cancelled", "skipped", "done", "failed"]

STEP_ORDER: tuple[str, ...] = ("thank_you_note", "check_in", "decision_thank_you")
PENDING: frozenset[str] = frozenset({"scheduled"})

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _iana_zone(value: str) -> str:
    # ZoneInfo accepts some file names that are not zones ("posixrules"); the IANA list is the judge.
    if value not in _zones():
        raise ValueError("must be an IANA time zone such as Europe/London")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("must be an IANA time zone such as Europe/London") from exc
    return value


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def _e164(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("must be a phone number in E.164 form, such as +14155550123") from exc
    if not value.startswith("+") or not phonenumbers.is_valid_number(number):
        raise ValueError("must be a valid phone number in E.164 form, such as +14155550123")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_iana_zone)]
PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- requests -------------------------------------------------------------------------------

class CandidateIn(Strict):
    name: Text
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    time_zone: TimeZoneName


class Person(Strict):
    name: Text


class InterviewerIn(Strict):
    name: Text
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


def _unique_channels(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("must not repeat a channel")
    return sorted(value)


Channels = Annotated[list[Channel], Field(min_length=1, max_length=2), AfterValidator(_unique_channels)]


class InterviewSubmission(Strict):
    candidate: CandidateIn
    channels: Channels
    sms_consent: bool = False
    company: Text
    role: Text
    interviewer: InterviewerIn
    interview_at: datetime = Field(description="ISO 8601; without an offset it is local time in the candidate's zone")
    expected_decision_days: int = Field(default=7, ge=1, le=60)


class CandidateUpdate(Strict):
    name: Text | None = None
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    time_zone: TimeZoneName | None = None


class InterviewUpdate(Strict):
    """PATCH body: only the fields given change; `null` removes an optional contact (email, phone)."""

    candidate: CandidateUpdate | None = None
    channels: Channels | None = None
    sms_consent: bool | None = None
    company: Text | None = None
    role: Text | None = None
    interviewer: InterviewerIn | None = None
    interview_at: datetime | None = None
    expected_decision_days: int | None = Field(default=None, ge=1, le=60)

    @field_validator("company", "role", "interviewer", "interview_at", "expected_decision_days", "channels",
                     "sms_consent", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class DecisionRequest(Strict):
    outcome: Outcome
    hiring_manager: Person | None = Field(default=None, description="defaults to the interviewer")
    supervisor: Person | None = Field(default=None, description="offer only: the direct supervisor")


# ---- stored ---------------------------------------------------------------------------------

class Delivery(BaseModel):
    status: Literal["sent", "skipped"]
    message_id: str | None = None
    reason: str | None = None
    at: str


class FollowUp(BaseModel):
    step: Step
    status: FollowUpStatus
    due_at: str  # ISO 8601 with the candidate's offset
    version: int = 1
    attempts: int = 0
    lease_until: int = 0  # epoch seconds; a delivery in flight holds the follow-up until then
    deliveries: dict[str, Delivery] = Field(default_factory=dict)


class Candidate(BaseModel):
    name: str
    email: str | None = None
    phone: str | None = None
    time_zone: str


class Interviewer(BaseModel):
    name: str
    title: str | None = None


class Decision(BaseModel):
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


class Interview(BaseModel):
    """One interview as stored: the aggregate every write replaces whole, guarded by `revision`."""

    id: str
    # Hashes of every manage token handed out: the one answered at submission, and one per message
    # sent (the step Lambdas mint their own, since only hashes are stored). Tokens read "<id>.<secret>".
    token_hashes: list[str]
    status: InterviewStatus = "active"
    company: str
    role: str
    interviewer: Interviewer
    interview_at: str
    candidate: Candidate
    channels: list[Channel]
    sms_consent: bool
    expected_decision_days: int
    decision: Decision | None = None
    follow_ups: dict[str, FollowUp]
    created_at: str
    updated_at: str
    revision: int = 0
    expires_at: int = 0
    idempotency_key_hash: str | None = None

    def ordered_follow_ups(self) -> list[FollowUp]:
        return [self.follow_ups[s] for s in STEP_ORDER if s in self.follow_ups]


# ---- responses ------------------------------------------------------------------------------

class FollowUpView(BaseModel):
    step: Step
    due_at: str
    status: Literal["scheduled", "sent", "cancelled", "skipped", "done", "failed"]


class DecisionView(BaseModel):
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


class InterviewView(BaseModel):
    id: str
    status: InterviewStatus
    company: str
    role: str
    interviewer: Interviewer
    interview_at: str
    candidate: Candidate
    channels: list[Channel]
    sms_consent: bool
    expected_decision_days: int
    decision: DecisionView | None
    follow_ups: list[FollowUpView]


class CreatedInterviewView(InterviewView):
    manage_token: str
    manage_url: str


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
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
        sms_consent=interview.sms_consent,
        expected_decision_days=interview.expected_decision_days,
        decision=DecisionView(**interview.decision.model_dump()) if interview.decision else None,
        follow_ups=[
            # "sending" is an internal lease; to the candidate it is still scheduled.
            FollowUpView(step=f.step, due_at=f.due_at, status="scheduled" if f.status == "sending" else f.status)
            for f in interview.ordered_follow_ups()
        ],
    )
