"""The one place that reads the environment."""

from __future__ import annotations

import pytest

from followup.runtime.config import API_ENV, BRANDING_SETTINGS, Settings, SettingsError, settings_from, tracing_enabled

BASE = {
    "TABLE_NAME": "t",
    "FIRM_NAME": "Acme Staffing",
    "SENDER_EMAIL": "f@acme.example",
    "PUBLIC_BASE_URL": "https://followup.example.com/",
}
BRANDING_SETTINGS_BY_VARIABLE = {variable: field for field, variable in BRANDING_SETTINGS.items()}


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


def test_whole_numbers_given_as_text_are_read_as_numbers():
    settings = settings_from({**BASE, "NUDGE_HOUR": "0", "MAX_DELIVERY_ATTEMPTS": " 10 ",
                              "SUBMISSIONS_PER_HOUR_PER_CLIENT": "1", "CONFIRMATIONS_PER_DAY_PER_DESTINATION": "7.0"})

    assert (settings.nudge_hour, settings.max_delivery_attempts, settings.submissions_per_hour_per_client,
            settings.confirmations_per_day_per_destination) == (0, 10, 1, 7)
    assert all(type(value) is int for value in (settings.nudge_hour, settings.max_delivery_attempts))


@pytest.mark.parametrize(("given", "expected"), [
    ("https://followup.example.com/", "https://followup.example.com"),
    ("https://followup.example.com", "https://followup.example.com"),
    ("  https://FollowUp.Example.COM:443/  ", "https://followup.example.com"),
    ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
    ("https://example.com/followup/", "https://example.com/followup"),
])
def test_the_base_url_is_the_public_address_without_a_trailing_slash(given, expected):
    assert settings_from({**BASE, "PUBLIC_BASE_URL": given}).base_url == expected


@pytest.mark.parametrize(("name", "value"), [
    ("NUDGE_HOUR", "24"), ("NUDGE_HOUR", "-1"), ("NUDGE_HOUR", "nine"), ("NUDGE_HOUR", "9.5"),
    ("MAX_DELIVERY_ATTEMPTS", "0"), ("MAX_DELIVERY_ATTEMPTS", "11"),
    ("SUBMISSIONS_PER_HOUR_PER_CLIENT", "0"), ("CONFIRMATIONS_PER_DAY_PER_DESTINATION", "0"),
    ("DEFAULT_TIME_ZONE", "Mars/Base"),
    ("PUBLIC_BASE_URL", "not a url"), ("PUBLIC_BASE_URL", "ftp://followup.example.com"),
    ("PUBLIC_BASE_URL", "https://"), ("PUBLIC_BASE_URL", "https:///path"),
    ("PUBLIC_BASE_URL", "https://followup example.com"), ("PUBLIC_BASE_URL", "https://followup.example.com:99999"),
    ("SMS_COUNTRIES", "USA"), ("SMS_COUNTRIES", "US,C1"), ("SMS_COUNTRIES", "US;CA"),
    ("FIRM_BRAND_COLOUR", "red"), ("FIRM_BRAND_COLOUR", "#12345"),
    ("FIRM_LOGO_URL", "http://a.example/l.png"), ("FIRM_LOGO_URL", "https://a.example/l.png'><script>"),
    ("FIRM_WEBSITE", "javascript:alert(1)"),
    ("DEFAULT_COUNTRY", "USA"), ("DEFAULT_COUNTRY", "U1"),
    ("DEFAULT_LOCALE", "en_US!"), ("DEFAULT_LOCALE", "e"),
])
def test_a_bad_setting_fails_loudly_naming_its_variable_and_field(name, value):
    with pytest.raises(SettingsError) as raised:
        settings_from({**BASE, name: value})

    field = BRANDING_SETTINGS_BY_VARIABLE.get(name, name.lower())
    (problem,) = raised.value.problems
    assert problem.startswith(f"{name} ({field}): ")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(("name", "value"), [("FIRM_NAME", ""), ("SENDER_EMAIL", "f@"), ("PUBLIC_BASE_URL", "")])
def test_a_required_setting_too_short_or_missing_fails(name, value):
    with pytest.raises(SettingsError, match=f"^{name} \\({name.lower()}\\): "):
        settings_from({**BASE, name: value})


def test_every_bad_setting_is_named_in_the_one_error():
    with pytest.raises(SettingsError) as raised:
        settings_from({**BASE, "NUDGE_HOUR": "24", "SMS_COUNTRIES": "USA", "PUBLIC_BASE_URL": "not a url"})

    assert [problem.split(" ", 1)[0] for problem in raised.value.problems] == [
        "PUBLIC_BASE_URL", "NUDGE_HOUR", "SMS_COUNTRIES"]
    assert str(raised.value).count("; ") == 2


def test_the_settings_are_frozen_and_typed_when_built_directly():
    settings = Settings(table_name="t", firm_name="Acme", sender_email="f@acme.example",
                        public_base_url="https://followup.example.com", sms_countries=["us", "gb"])

    assert settings.sms_countries == ("US", "GB")
    with pytest.raises(AttributeError):
        settings.nudge_hour = 10  # type: ignore[misc]
    with pytest.raises(SettingsError, match=r"^TABLE_NAME \(table_name\): must be text"):
        Settings(table_name=None, firm_name="Acme", sender_email="f@acme.example",  # type: ignore[arg-type]
                 public_base_url="https://followup.example.com")


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
