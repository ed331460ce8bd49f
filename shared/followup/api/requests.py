"""Pydantic models of what the API accepts: field rules here, cross-field rules in the service.

The field libraries (phonenumbers, email-validator) are imported by the first value that needs them,
not with this module: the API's cold start pays for them only on a request that carries a phone
number or an email address. Email addresses are checked for syntax only (pydantic's own
``validate_email``, deliverability off): no DNS query on any request.

JSON types are strict: a boolean is ``true``/``false`` (not "yes"), a number is a JSON integer (not
``true``, not ``"7"``), a date and time is an ISO 8601 string (not an epoch number). Free text that the
messages echo under the firm's name (names, company, role, title) is plain text, kept as it shows (NFKC,
no invisible characters): no web address however disguised, no IP address, no phone number, no control
character, no bidirectional override (``plain_text``, followup.domain.free_text; phonenumbers is imported for a
text only when it has seven digits or more). An email address has an ASCII local part (SES delivers to no
other). A time zone is a place's (``locales.is_place_zone``): not UTC, a fixed offset or a System V rule.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

from followup.api.schema import Strict
from followup.domain import free_text
from followup.domain.models import Channel


def _iana_zone(value: str) -> str:
    # The zone of a place (tzdata's zone.tab) or another name of one ("US/Eastern"); never a zone of no place
    # ("UTC", "Etc/GMT+5", "EST5EDT", "Factory"), nor a file name ZoneInfo happens to accept ("posixrules").
    from followup.domain.locales import is_place_zone

    if value not in _zones() or not is_place_zone(value):
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


def _phone_in_zone(cls: type, data: object) -> object:
    """A phone number written the national way ("(415) 555-0123") is read with the country of the candidate's
    time zone (else the firm's default country) and stored in E.164; one that does not read stays as
    given, for the field's own check to refuse."""
    if not isinstance(data, dict) or not isinstance(data.get("phone"), str) or data["phone"].strip().startswith("+"):
        return data
    import phonenumbers

    from followup.domain.locales import country_of_zone

    zone = data.get("time_zone")
    country = country_of_zone(zone) if isinstance(zone, str) and zone in _zones() else None
    if country is None:
        from followup.runtime.config import get_settings

        try:
            country = get_settings().default_country
        except ValueError:
            country = "US"
    try:
        number = phonenumbers.parse(data["phone"], country)
    except phonenumbers.NumberParseException:
        return data
    if not phonenumbers.is_valid_number(number):
        return data
    return {**data, "phone": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}


def _locale(value: str) -> str:
    from followup.domain.locales import locale_tag  # Babel, on the first request that names a locale

    tag = locale_tag(value)
    if tag is None:
        raise PydanticCustomError("locale", "must be a language and region we know, such as en-US")
    return tag


def _email(value: str) -> str:
    # What pydantic's EmailStr does (the normalized address of "name@host" or "Name <name@host>"),
    # with email-validator imported by the first address rather than when the model is defined.
    address = validate_email(value)[1]
    # Then, the same address without SMTPUTF8: SES delivers to no local part but ASCII ("\uff41lice@", Cyrillic
    # "\u0430lice@"). Asked of email-validator itself, after pydantic's check, so an ASCII address normalizes as
    # it always has (a submission's fingerprint is its JSON).
    import email_validator

    try:
        email_validator.validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except email_validator.EmailNotValidError:
        raise PydanticCustomError(
            "email_not_ascii", "must have only Latin letters, digits and . _ % + - before the @"
        ) from None
    return address


def plain_text(value: str) -> str:
    """Free text normalised as it shows (followup.domain.free_text): refused when it holds a link, an IP address, a phone
    number or control characters; each a custom error whose message says which (form_errors words it per field)."""
    try:
        text = free_text.check(value, _default_country)
    except free_text.Refused as exc:
        raise PydanticCustomError(exc.kind, exc.message) from None
    if len(text) > TEXT_LIMIT:  # NFKC may lengthen a text ("\ufdfa" is 18 letters)
        raise PydanticCustomError("string_too_long", "String should have at most {max_length} characters",
                                  {"max_length": TEXT_LIMIT})
    return text


def _not_empty(value: str) -> str:
    # A required text that was nothing but invisible characters ("\u200b") is as missing as an empty one.
    if not value:
        raise PydanticCustomError("string_too_short", "String should have at least {min_length} character",
                                  {"min_length": 1})
    return value


def _default_country() -> str:
    """The country national phone numbers are read with when nothing else says: the firm's."""
    from followup.runtime.config import get_settings

    try:
        return get_settings().default_country
    except ValueError:
        return "US"


def _iso_datetime(value: object) -> object:
    # Before pydantic's own parsing, which would also take an epoch number, or a string of digits, as a time.
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_datetime", "must be a date and time in ISO 8601 form, such as 2026-03-10T14:00:00")


TEXT_LIMIT = 200
FreeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_LIMIT),
                     AfterValidator(plain_text), AfterValidator(_not_empty)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_LIMIT), AfterValidator(plain_text)]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    Field(description="ISO 8601; without an offset it is local time in the candidate's zone. Within the past 60 days "
                      "and the next 365."),
]
ConsentFlag = StrictBool
DecisionDays = Annotated[StrictInt, Field(ge=1, le=60)]

EmailAddress = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]
TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_iana_zone)]
LocaleTag = Annotated[str, StringConstraints(strip_whitespace=True, max_length=35), AfterValidator(_locale)]
PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164)]


class PersonIn(Strict):
    name: FreeText


class CandidateIn(Strict):
    # In the stored model's order (followup.domain.models.Candidate): a submission's fingerprint is its JSON.
    name: FreeText
    preferred_name: OptionalText | None = Field(default=None, description="how to address them; default the "
                                                "first word of the name")
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    time_zone: TimeZoneName
    locale: LocaleTag | None = Field(default=None, description="BCP 47, such as en-US; default the firm's")

    _national_phone = model_validator(mode="before")(_phone_in_zone)


class InterviewerIn(Strict):
    name: FreeText
    title: OptionalText | None = None


def _unique_channels(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("must not repeat a channel")
    return sorted(value)


Channels = Annotated[list[Channel], Field(min_length=1, max_length=2), AfterValidator(_unique_channels)]


def _contact_rules(schema: dict) -> None:
    """The submission's cross-field rules, as the document can say them (the service checks them,
    ``field_rules.check_contact``): email chosen needs an address; texts chosen need a number and consent."""
    chosen = lambda channel: {"properties": {"channels": {"contains": {"const": channel}}},  # noqa: E731
                              "required": ["channels"]}
    schema["allOf"] = [
        {"if": chosen("email"),
         "then": {"properties": {"candidate": {"required": ["email"], "properties": {"email": {"type": "string"}}}}}},
        {"if": chosen("sms"),
         "then": {"properties": {"candidate": {"required": ["phone"], "properties": {"phone": {"type": "string"}}},
                                 "sms_consent": {"const": True}}, "required": ["sms_consent"]}},
    ]


class InterviewSubmission(Strict):
    model_config = ConfigDict(json_schema_extra=_contact_rules)

    candidate: CandidateIn
    channels: Channels
    sms_consent: ConsentFlag = False
    company: FreeText
    role: FreeText
    interviewer: InterviewerIn
    interview_at: IsoDateTime
    expected_decision_days: DecisionDays = 7


class CandidateUpdate(Strict):
    name: FreeText | None = None
    preferred_name: OptionalText | None = None
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    time_zone: TimeZoneName | None = None
    locale: LocaleTag | None = None

    _national_phone = model_validator(mode="before")(_phone_in_zone)


class InterviewUpdate(Strict):
    """PATCH body: only the fields given change; `null` removes an optional contact (email, phone)."""

    candidate: CandidateUpdate | None = None
    channels: Channels | None = None
    sms_consent: ConsentFlag | None = None
    company: FreeText | None = None
    role: FreeText | None = None
    interviewer: InterviewerIn | None = None
    interview_at: IsoDateTime | None = None
    expected_decision_days: DecisionDays | None = None

    @field_validator("company", "role", "interviewer", "interview_at", "expected_decision_days", "channels",
                     "sms_consent", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class OfferDecision(Strict):
    outcome: Literal["offer"]
    hiring_manager: PersonIn | None = Field(default=None, description="defaults to the interviewer")
    supervisor: PersonIn = Field(description="the direct supervisor: they get a thank-you card too")


class NotSelectedDecision(Strict):
    outcome: Literal["not_selected"]
    hiring_manager: PersonIn | None = Field(default=None, description="defaults to the interviewer")


class DecisionRequest(RootModel[Annotated[OfferDecision | NotSelectedDecision, Field(discriminator="outcome")]]):
    """The decision, by its outcome: an offer names the direct supervisor (they get a card too); a candidate not
    selected names none. The document says so (a union discriminated by ``outcome``), as the API checks it."""

    @property
    def outcome(self) -> str:
        return self.root.outcome

    @property
    def hiring_manager(self) -> PersonIn | None:
        return self.root.hiring_manager

    @property
    def supervisor(self) -> PersonIn | None:
        return getattr(self.root, "supervisor", None)
