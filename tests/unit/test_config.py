"""The one place that reads the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from followup.config import API_ENV, settings_from, tracing_enabled

BASE = {
    "TABLE_NAME": "t",
    "FIRM_NAME": "Acme Staffing",
    "SENDER_EMAIL": "f@acme.example",
    "PUBLIC_BASE_URL": "https://followup.example.com/",
}


def test_settings_read_the_common_environment_with_defaults():
    settings = settings_from(BASE)

    assert (settings.nudge_hour, settings.default_time_zone, settings.max_delivery_attempts) == (9, "UTC", 3)
    assert settings.base_url == "https://followup.example.com"
    assert settings.scheduler is None


def test_the_scheduler_settings_exist_only_when_every_api_variable_is_set():
    env = {**BASE, **{name: f"value-of-{name}" for name in API_ENV}}

    scheduler = settings_from(env).require_scheduler()

    assert scheduler.group_name == "value-of-SCHEDULE_GROUP_NAME"
    assert scheduler.target_arns["check_in"] == "value-of-CHECK_IN_FUNCTION_ARN"
    with pytest.raises(RuntimeError, match="SCHEDULE_GROUP_NAME"):
        settings_from(BASE).require_scheduler()


def test_the_limits_take_their_defaults_and_read_their_variables():
    defaults = settings_from(BASE)
    given = settings_from({**BASE, "SUBMISSIONS_PER_HOUR_PER_CLIENT": "1000", "CONFIRMATIONS_PER_DAY_PER_DESTINATION": "5",
                           "SMS_COUNTRIES": " us, gb ,CA"})

    assert (defaults.submissions_per_hour_per_client, defaults.confirmations_per_day_per_destination) == (10, 3)
    assert defaults.sms_countries == ("US", "CA")
    assert (given.submissions_per_hour_per_client, given.confirmations_per_day_per_destination) == (1000, 5)
    assert given.sms_countries == ("US", "GB", "CA")


def test_the_locale_country_and_branding_default_to_what_reads_well_and_read_their_variables():
    defaults = settings_from(BASE)
    given = settings_from({**BASE, "DEFAULT_LOCALE": "en-GB", "DEFAULT_COUNTRY": "gb", "FIRM_LOGO_URL": "https://a.example/l.png",
                           "FIRM_BRAND_COLOUR": "#AA3300", "FIRM_CONTACT_EMAIL": "jobs@a.example",
                           "FIRM_CONTACT_PHONE": "+44 20 7946 0000", "FIRM_WEBSITE": "https://a.example",
                           "REPLY_TO_EMAIL": "help@a.example"})

    assert (defaults.default_locale, defaults.default_country) == ("en-US", "US")
    assert (defaults.logo_url, defaults.brand_colour, defaults.contact_email, defaults.contact_phone, defaults.website,
            defaults.reply_to_email) == ("", "", "", "", "", "")
    assert (given.default_locale, given.default_country, given.brand_colour) == ("en-GB", "GB", "#aa3300")
    assert (given.logo_url, given.contact_email, given.contact_phone, given.website, given.reply_to_email) == (
        "https://a.example/l.png", "jobs@a.example", "+44 20 7946 0000", "https://a.example", "help@a.example")


@pytest.mark.parametrize(("name", "value"), [("NUDGE_HOUR", "24"), ("DEFAULT_TIME_ZONE", "Mars/Base"),
                                             ("PUBLIC_BASE_URL", "not a url"), ("SMS_COUNTRIES", "USA"),
                                             ("SUBMISSIONS_PER_HOUR_PER_CLIENT", "0"), ("FIRM_BRAND_COLOUR", "red"),
                                             ("FIRM_LOGO_URL", "http://a.example/l.png"), ("DEFAULT_COUNTRY", "USA"),
                                             ("DEFAULT_LOCALE", "en_US!")])
def test_a_bad_setting_fails_loudly(name, value):
    with pytest.raises(ValidationError):
        settings_from({**BASE, name: value})


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LAMBDA_TASK_ROOT": "/var/task"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"}, False),
        ({}, False),
    ],
)
def test_tracing_runs_only_in_lambda_and_when_not_switched_off(monkeypatch, env, expected):
    for name in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED", "AWS_SAM_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert tracing_enabled() is expected
