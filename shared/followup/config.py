"""The one place that reads the environment.

Every Lambda gets ``COMMON_ENV`` (template Globals); the API function also gets ``API_ENV``, the
names it needs to create schedules. ``get_settings()`` is cached so the environment is read once
per process, and tests (or the local stack) call ``get_settings.cache_clear()`` after changing it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, HttpUrl, field_validator

from followup.coldstart import in_lambda
from followup.models import STEPS, Model, function_env_name

# The firm's look and contact details, each a template parameter whose empty default reads well.
BRANDING_ENV: tuple[str, ...] = (
    "FIRM_LOGO_URL",
    "FIRM_BRAND_COLOUR",
    "FIRM_CONTACT_EMAIL",
    "FIRM_CONTACT_PHONE",
    "FIRM_WEBSITE",
    "REPLY_TO_EMAIL",
)
BRANDING_SETTINGS: dict[str, str] = {
    "logo_url": "FIRM_LOGO_URL",
    "brand_colour": "FIRM_BRAND_COLOUR",
    "contact_email": "FIRM_CONTACT_EMAIL",
    "contact_phone": "FIRM_CONTACT_PHONE",
    "website": "FIRM_WEBSITE",
    "reply_to_email": "REPLY_TO_EMAIL",
}
COMMON_ENV: tuple[str, ...] = (
    "TABLE_NAME",
    "FIRM_NAME",
    "SENDER_EMAIL",
    "PUBLIC_BASE_URL",
    "NUDGE_HOUR",
    "DEFAULT_TIME_ZONE",
    "MAX_DELIVERY_ATTEMPTS",
    "DEFAULT_LOCALE",
    "DEFAULT_COUNTRY",
    *BRANDING_ENV,
)
API_ENV: tuple[str, ...] = (
    "SCHEDULE_GROUP_NAME",
    "SCHEDULER_ROLE_ARN",
    "SCHEDULER_DLQ_ARN",
    *(function_env_name(step) for step in STEPS),  # each step's function, the target of its schedules
)
# The firm's sign-in, the API's alone: the page signs in with Cognito at COGNITO_IDP_ENDPOINT (the local
# stack's own endpoint there) as USER_POOL_CLIENT_ID; API Gateway's JWT authorizer checks the tokens.
SIGN_IN_ENV: tuple[str, ...] = (
    "USER_POOL_ID",
    "USER_POOL_CLIENT_ID",
    "COGNITO_IDP_ENDPOINT",
)
# The trust limits, the API's alone (each a template parameter); unset, each takes its default.
LIMITS_ENV: tuple[str, ...] = (
    "SUBMISSIONS_PER_HOUR_PER_CLIENT",
    "CONFIRMATIONS_PER_DAY_PER_DESTINATION",
    "SMS_COUNTRIES",
)


class SchedulerSettings(Model):
    """What the API needs to create a schedule: where, as whom, and which function each step runs."""

    model_config = ConfigDict(frozen=True)

    group_name: str
    role_arn: str
    dead_letter_arn: str
    target_arns: dict[str, str]


class Settings(Model):
    model_config = ConfigDict(frozen=True)

    table_name: str
    firm_name: str = Field(min_length=1)
    sender_email: str = Field(min_length=3)
    public_base_url: HttpUrl
    nudge_hour: int = Field(default=9, ge=0, le=23)
    default_time_zone: str = "UTC"
    max_delivery_attempts: int = Field(default=3, ge=1, le=10)
    submissions_per_hour_per_client: int = Field(default=10, ge=1)
    confirmations_per_day_per_destination: int = Field(default=3, ge=1)
    sms_countries: tuple[str, ...] = ("US", "CA")  # ISO 3166 alpha-2 regions SMS may go to
    default_locale: str = "en-US"  # BCP 47: a candidate who gave none reads dates this way
    default_country: str = "US"  # ISO 3166 alpha-2: public holidays when neither phone nor zone tells
    logo_url: str = ""
    brand_colour: str = ""  # #rrggbb
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    reply_to_email: str = ""
    scheduler: SchedulerSettings | None = None
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    cognito_idp_endpoint: str = ""

    @field_validator("sms_countries", mode="before")
    @classmethod
    def _country_list(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip().upper() for part in value.split(",") if part.strip())
        if not isinstance(value, tuple | list) or not all(len(c) == 2 and c.isalpha() for c in value):
            raise ValueError("must be ISO 3166 country codes separated by commas, such as US,CA")
        return tuple(c.upper() for c in value)

    @field_validator("default_country")
    @classmethod
    def _country(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be an ISO 3166 country code, such as US")
        return value.upper()

    @field_validator("brand_colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if value and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError("must be a colour written #rrggbb, such as #1a5fb4")
        return value.lower()

    @field_validator("logo_url", "website")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not re.fullmatch(r"https://[^\s\"'<>]+", value):
            raise ValueError("must be an https:// address")
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        # Checked by shape here (Babel is not imported at start-up); an unknown one reads as en-US.
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
            raise ValueError("must be a BCP 47 language tag, such as en-US")
        return value

    @field_validator("default_time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @property
    def base_url(self) -> str:
        return str(self.public_base_url).rstrip("/")

    def require_scheduler(self) -> SchedulerSettings:
        if self.scheduler is None:
            missing = [name for name in API_ENV if not os.environ.get(name)]
            raise RuntimeError(f"scheduler settings missing from the environment: {', '.join(missing)}")
        return self.scheduler


def settings_from(env: dict[str, str]) -> Settings:
    scheduler = None
    if all(env.get(name) for name in API_ENV):
        scheduler = SchedulerSettings(
            group_name=env["SCHEDULE_GROUP_NAME"],
            role_arn=env["SCHEDULER_ROLE_ARN"],
            dead_letter_arn=env["SCHEDULER_DLQ_ARN"],
            target_arns={step: env[function_env_name(step)] for step in STEPS},
        )
    optional = {
        key: env[name]
        for key, name in (
            ("nudge_hour", "NUDGE_HOUR"),
            ("default_time_zone", "DEFAULT_TIME_ZONE"),
            ("max_delivery_attempts", "MAX_DELIVERY_ATTEMPTS"),
            ("submissions_per_hour_per_client", "SUBMISSIONS_PER_HOUR_PER_CLIENT"),
            ("confirmations_per_day_per_destination", "CONFIRMATIONS_PER_DAY_PER_DESTINATION"),
            ("sms_countries", "SMS_COUNTRIES"),
            ("user_pool_id", "USER_POOL_ID"),
            ("user_pool_client_id", "USER_POOL_CLIENT_ID"),
            ("cognito_idp_endpoint", "COGNITO_IDP_ENDPOINT"),
            ("default_locale", "DEFAULT_LOCALE"),
            ("default_country", "DEFAULT_COUNTRY"),
            *BRANDING_SETTINGS.items(),
        )
        if env.get(name)
    }
    return Settings(
        table_name=env.get("TABLE_NAME", ""),
        firm_name=env.get("FIRM_NAME", ""),
        sender_email=env.get("SENDER_EMAIL", ""),
        public_base_url=env.get("PUBLIC_BASE_URL", ""),
        scheduler=scheduler,
        **optional,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from(dict(os.environ))


def tracing_enabled() -> bool:
    """Whether the X-Ray SDK traces: inside Lambda, not under ``sam local``, and not switched off.

    The template switches it off (``POWERTOOLS_TRACE_DISABLED=true``) unless its ``XRaySdk`` parameter
    adds the SDK's layer; Lambda's own active tracing records the invocations either way. Read apart
    from ``Settings`` because the tracer is built at import time, before any settings.
    """
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in ("1", "true", "yes", "on"):
        return False
    return in_lambda() and not os.environ.get("AWS_SAM_LOCAL")
