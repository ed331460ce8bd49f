"""The one place that reads the environment.

Every Lambda gets ``COMMON_ENV`` (template Globals); the API function also gets ``API_ENV``, the
names it needs to create schedules. ``get_settings()`` is cached so the environment is read once
per process, and tests (or the local stack) call ``get_settings.cache_clear()`` after changing it.

``Settings`` is a frozen dataclass checked by hand in ``__post_init__``, not a pydantic model: the step
Lambdas import no pydantic (its import is ~50 ms of every cold start). A bad setting raises
``SettingsError`` (a ``ValueError``) naming each bad setting by its variable and field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, fields
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.domain.models import STEPS, function_env_name
from followup.runtime.coldstart import in_lambda

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
    "SES_CONFIGURATION_SET",
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
    "DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW",
    "SMS_COUNTRIES",
    "TRUSTED_PROXY_HEADER",
    "TRUSTED_PROXY_RANGES",
)


class SettingsError(ValueError):
    """Settings the environment gives that the service cannot run with; names each one, field and variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class SchedulerSettings:
    """What the API needs to create a schedule: where, as whom, and which function each step runs."""

    group_name: str
    role_arn: str
    dead_letter_arn: str
    target_arns: dict[str, str]


@dataclass(frozen=True)
class Settings:
    table_name: str
    firm_name: str  # at least 1 character
    sender_email: str  # at least 3 characters
    public_base_url: str  # http(s):// with a host; ``base_url`` is it without a trailing slash
    nudge_hour: int = 9  # 0..23
    default_time_zone: str = "UTC"
    max_delivery_attempts: int = 3  # 1..10
    submissions_per_hour_per_client: int = 10  # at least 1
    confirmations_per_day_per_destination: int = 3  # at least 1
    destination_changes_per_day_per_interview: int = 3  # at least 1: new destinations one interview's edits set
    sms_countries: tuple[str, ...] = ("US", "CA")  # ISO 3166 alpha-2 regions SMS may go to
    default_locale: str = "en-US"  # BCP 47: a candidate who gave none reads dates this way
    default_country: str = "US"  # ISO 3166 alpha-2: public holidays when neither phone nor zone tells
    logo_url: str = ""
    brand_colour: str = ""  # #rrggbb
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    reply_to_email: str = ""
    # The stack's SES configuration set: every email names it, so SES publishes its deliveries, bounces and
    # complaints to the feedback function (followup.usecases.feedback). Empty: none (SES then publishes nothing).
    ses_configuration_set: str = ""
    scheduler: SchedulerSettings | None = None
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    cognito_idp_endpoint: str = ""
    # A CDN in front of the API (CloudFront): the header that carries the client's address, believed only from
    # a source address inside ``trusted_proxy_ranges``. Empty: the client is the API's source IP.
    trusted_proxy_header: str = ""
    trusted_proxy_ranges: tuple[str, ...] = ()  # CIDR ranges, such as 130.176.0.0/16

    def __post_init__(self) -> None:
        problems: list[str] = []
        for field in fields(self):
            if field.name == "scheduler":
                continue
            try:
                value = _CHECKS.get(field.name, _text)(getattr(self, field.name))
            except (TypeError, ValueError) as exc:
                problems.append(f"{_variable(field.name)} ({field.name}): {exc}")
                continue
            object.__setattr__(self, field.name, value)
        if self.trusted_proxy_header and not self.trusted_proxy_ranges and not problems:
            problems.append("TRUSTED_PROXY_RANGES (trusted_proxy_ranges): must name the proxy's address ranges "
                            "when TRUSTED_PROXY_HEADER is set (a header from anyone else is not believed)")
        if not isinstance(self.scheduler, SchedulerSettings | None):
            problems.append("scheduler: must be SchedulerSettings or None")
        if problems:
            raise SettingsError(problems)

    @property
    def base_url(self) -> str:
        return self.public_base_url.rstrip("/")

    def require_scheduler(self) -> SchedulerSettings:
        if self.scheduler is None:
            missing = [name for name in API_ENV if not os.environ.get(name)]
            raise RuntimeError(f"scheduler settings missing from the environment: {', '.join(missing)}")
        return self.scheduler


# The fields every function must be given (read as empty when unset, for Settings to refuse by name).
REQUIRED = ("table_name", "firm_name", "sender_email", "public_base_url")


def _variable(field: str) -> str:
    """The environment variable a field is read from: its name in capitals, the branding's as in BRANDING_SETTINGS."""
    return BRANDING_SETTINGS.get(field, field.upper())


def _text(value: object, min_length: int = 0) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be text, not {type(value).__name__}")
    if len(value) < min_length:
        raise ValueError(f"must be at least {min_length} character{'s' if min_length > 1 else ''} long")
    return value


def _whole_number(value: object, low: int, high: int | None = None) -> int:
    """An int, or one given as text (the environment's): ``"9"`` is 9, as is ``"9.0"``."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value)
        except ValueError:
            with suppress(ValueError):
                as_float = float(value)
                number = int(as_float) if as_float.is_integer() else None
    if number is None:
        raise ValueError(f"must be a whole number, not {value!r}")
    if number < low or (high is not None and number > high):
        raise ValueError(f"must be from {low} to {high}, not {number}" if high is not None else
                         f"must be at least {low}, not {number}")
    return number


def _http_url(value: object) -> str:
    """An http(s):// address with a host, its scheme and host lower-cased and a default port dropped."""
    text = _text(value).strip()
    problem = "must be an http(s):// address, such as https://followup.example.com"
    if any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError(problem)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    try:
        port = parts.port  # out of range or not a number: ValueError
    except ValueError:
        raise ValueError(problem) from None
    host = parts.hostname  # lower-cased
    if scheme not in ("http", "https") or not host:
        raise ValueError(problem)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise ValueError(problem) from None
    user, at, _ = parts.netloc.rpartition("@")
    netloc = f"{user}{at}{f'[{host}]' if ':' in host else host}"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def _countries(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, tuple | list) or not all(isinstance(c, str) and len(c) == 2 and c.isalpha() for c in value):
        raise ValueError("must be ISO 3166 country codes separated by commas, such as US,CA")
    return tuple(c.upper() for c in value)


def _country(value: object) -> str:
    text = _text(value)
    if len(text) != 2 or not text.isalpha():
        raise ValueError("must be an ISO 3166 country code, such as US")
    return text.upper()


def _colour(value: object) -> str:
    text = _text(value)
    if text and not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        raise ValueError("must be a colour written #rrggbb, such as #1a5fb4")
    return text.lower()


def _https(value: object) -> str:
    text = _text(value)
    if text and not re.fullmatch(r"https://[^\s\"'<>]+", text):
        raise ValueError("must be an https:// address")
    return text


def _locale(value: object) -> str:
    # Checked by shape here (Babel is not imported at start-up); an unknown one reads as en-US.
    text = _text(value)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", text):
        raise ValueError("must be a BCP 47 language tag, such as en-US")
    return text


def _header_name(value: object) -> str:
    text = _text(value).strip()
    if text and not re.fullmatch(r"[A-Za-z0-9-]{1,64}", text):
        raise ValueError("must be an HTTP header name, such as CloudFront-Viewer-Address")
    return text.lower()


def _networks(value: object) -> tuple[str, ...]:
    import ipaddress

    if isinstance(value, str):
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, tuple | list):
        raise ValueError("must be CIDR ranges separated by commas, such as 130.176.0.0/16,2600:9000::/28")
    try:
        return tuple(str(ipaddress.ip_network(part, strict=False)) for part in value)
    except (TypeError, ValueError):
        raise ValueError("must be CIDR ranges separated by commas, such as 130.176.0.0/16,2600:9000::/28") from None


def _known_zone(value: object) -> str:
    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {text!r}") from exc
    return text


# Each field's check, returning its value as kept; a field not named here must be text.
_CHECKS: dict[str, Callable[[object], object]] = {
    "firm_name": lambda value: _text(value, min_length=1),
    "sender_email": lambda value: _text(value, min_length=3),
    "public_base_url": _http_url,
    "nudge_hour": lambda value: _whole_number(value, 0, 23),
    "default_time_zone": _known_zone,
    "max_delivery_attempts": lambda value: _whole_number(value, 1, 10),
    "submissions_per_hour_per_client": lambda value: _whole_number(value, 1),
    "confirmations_per_day_per_destination": lambda value: _whole_number(value, 1),
    "destination_changes_per_day_per_interview": lambda value: _whole_number(value, 1),
    "trusted_proxy_header": _header_name,
    "trusted_proxy_ranges": _networks,
    "sms_countries": _countries,
    "default_locale": _locale,
    "default_country": _country,
    "brand_colour": _colour,
    "logo_url": _https,
    "website": _https,
}


def settings_from(env: dict[str, str]) -> Settings:
    scheduler = None
    if all(env.get(name) for name in API_ENV):
        scheduler = SchedulerSettings(
            group_name=env["SCHEDULE_GROUP_NAME"],
            role_arn=env["SCHEDULER_ROLE_ARN"],
            dead_letter_arn=env["SCHEDULER_DLQ_ARN"],
            target_arns={step: env[function_env_name(step)] for step in STEPS},
        )
    # Every field but the required four and the scheduler is optional, read from its variable when set.
    optional = {
        field.name: env[_variable(field.name)]
        for field in fields(Settings)
        if field.name not in (*REQUIRED, "scheduler") and env.get(_variable(field.name))
    }
    return Settings(**{name: env.get(_variable(name), "") for name in REQUIRED}, scheduler=scheduler, **optional)


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
