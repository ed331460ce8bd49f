"""Pydantic models of what the API accepts: field rules here, cross-field rules in the service.

The field libraries (phonenumbers, email-validator) are imported by the first value that needs them,
not with this module: the API's cold start pays for them only on a request that carries a phone
number or an email address. Email addresses are checked for syntax only (pydantic's own
``validate_email``, deliverability off): no DNS query on any request.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema, field_validator
from pydantic.networks import validate_email

from followup.models import Channel, Outcome, Person, Strict, Text


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
        # tzdata's own list of IANA zones: a file read, where available_timezones() walks every zone file.
        _ZONES.update(resources.files("tzdata").joinpath("zones").read_text().split())
    return _ZONES


def _e164(value: str) -> str:
    import phonenumbers  # on the first phone number: see the module's docstring

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("must be a phone number in E.164 form, such as +14155550123") from exc
    if not value.startswith("+") or not phonenumbers.is_valid_number(number):
        raise ValueError("must be a valid phone number in E.164 form, such as +14155550123")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(value: str) -> str:
    # What pydantic's EmailStr does (the normalized address of "name@host" or "Name <name@host>"),
    # with email-validator imported by the first address rather than when the model is defined.
    return validate_email(value)[1]


EmailAddress = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]
TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_iana_zone)]
PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164)]


class CandidateIn(Strict):
    name: Text
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    time_zone: TimeZoneName


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
    email: EmailAddress | None = None
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
