"""Card nudges land on mailing days, the check-in on working days, across countries' public holidays.

Every expected moment is a literal worked out by hand from the country's calendar: US Thanksgiving
(Thursday 2026-11-26), the UK's Christmas and Boxing Day (observed Monday 2026-12-28), India's gazetted
Republic Day (Monday 2026-01-26), Independence Day (Saturday 2026-08-15) and Gandhi Jayanti (Friday
2026-10-02).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from followup.domain.locales import country_for, country_of_zone
from followup.domain.policy import (
    is_public_holiday,
    next_mailing_day,
    next_working_day,
    plan_decision_thank_you,
    plan_follow_ups,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")


def plan(interview_at: str, zone: ZoneInfo, now: str, country: str | None, days: int = 7) -> dict[str, str]:
    planned = plan_follow_ups(datetime.fromisoformat(interview_at), zone, expected_decision_days=days,
                              now=datetime.fromisoformat(now), nudge_hour=9, country=country)
    return {p.step: ("skipped " if p.skipped else "") + p.due_at.isoformat() for p in planned}


@pytest.mark.parametrize(
    ("day", "country", "holiday"),
    [
        pytest.param(date(2026, 11, 26), "US", True, id="us-thanksgiving"),
        pytest.param(date(2026, 11, 27), "US", False, id="us-day-after-thanksgiving"),
        pytest.param(date(2026, 12, 28), "GB", True, id="uk-boxing-day-observed"),
        pytest.param(date(2026, 12, 28), "US", False, id="not-a-us-holiday"),
        pytest.param(date(2026, 1, 26), "IN", True, id="india-republic-day"),
        pytest.param(date(2026, 8, 15), "IN", True, id="india-independence-day"),
        pytest.param(date(2026, 10, 2), "IN", True, id="india-gandhi-jayanti"),
        pytest.param(date(2026, 10, 2), "GB", False, id="gandhi-jayanti-not-in-the-uk"),
        pytest.param(date(2026, 11, 26), None, False, id="no-country-no-holidays"),
        pytest.param(date(2026, 11, 26), "XX", False, id="unknown-country-no-holidays"),
    ],
)
def test_the_holiday_table(day, country, holiday):
    assert is_public_holiday(day, country) is holiday


def test_a_mailing_day_skips_sundays_and_holidays_but_not_saturdays():
    assert next_mailing_day(date(2026, 6, 6), "US") == date(2026, 6, 6)  # a Saturday: the post goes out
    assert next_mailing_day(date(2026, 6, 7), "US") == date(2026, 6, 8)  # a Sunday
    assert next_mailing_day(date(2026, 11, 26), "US") == date(2026, 11, 27)  # Thanksgiving
    # Boxing Day (Sat), Sunday, Boxing Day observed (Mon): Tuesday
    assert next_mailing_day(date(2026, 12, 26), "GB") == date(2026, 12, 29)


def test_a_working_day_skips_weekends_and_holidays():
    assert next_working_day(date(2026, 6, 6), "US") == date(2026, 6, 8)  # Saturday -> Monday
    assert next_working_day(date(2026, 12, 25), "GB") == date(2026, 12, 29)  # Christmas, weekend, observed
    assert next_working_day(date(2026, 10, 2), "IN") == date(2026, 10, 5)  # Gandhi Jayanti, weekend


def test_the_thank_you_card_due_on_thanksgiving_goes_out_the_day_after():
    # Given an interview on Tuesday 2026-11-24 in New York: the card would be due on Thanksgiving
    planned = plan("2026-11-24T10:00:00-05:00", NEW_YORK, "2026-11-24T11:00:00-05:00", "US")
    assert planned["thank_you_note"] == "2026-11-27T09:00:00-05:00"
    # Without a country, only Sundays are avoided
    assert plan("2026-11-24T10:00:00-05:00", NEW_YORK, "2026-11-24T11:00:00-05:00", None)["thank_you_note"] \
        == "2026-11-26T09:00:00-05:00"


def test_the_check_in_due_on_thanksgiving_goes_out_the_next_working_day():
    # Given an interview on Monday 2026-11-16: 7 days + 3 of grace is Thursday 2026-11-26
    planned = plan("2026-11-16T10:00:00-05:00", NEW_YORK, "2026-11-16T11:00:00-05:00", "US")
    assert planned["check_in"] == "2026-11-27T09:00:00-05:00"


def test_a_late_submission_on_thanksgiving_waits_for_the_next_working_day():
    # Given an interview on 2026-11-06 submitted at 10:00 on Thanksgiving (the check-in was due 11-16)
    planned = plan("2026-11-06T10:00:00-05:00", NEW_YORK, "2026-11-26T10:00:00-05:00", "US")
    # Then the check-in is not "now" but Friday at the nudge hour, and the card's window has passed
    assert planned["check_in"] == "2026-11-27T09:00:00-05:00"
    assert planned["thank_you_note"].startswith("skipped ")


def test_a_late_card_whose_next_mailing_day_is_past_its_window_is_skipped():
    # Given an interview on Monday 2026-11-23, submitted on Thanksgiving morning (the card was due 11-25)
    planned = plan("2026-11-23T10:00:00-05:00", NEW_YORK, "2026-11-26T10:00:00-05:00", "US")
    # Then no card today (no post), and Friday is past the window (end of 11-26)
    assert planned["thank_you_note"] == "skipped 2026-11-25T09:00:00-05:00"


def test_uk_cards_and_check_ins_skip_christmas_boxing_day_and_its_observed_monday():
    # Given an interview on Thursday 2026-12-24 in London (card due Saturday 12-26, Boxing Day)
    planned = plan("2026-12-24T10:00:00+00:00", LONDON, "2026-12-24T11:00:00+00:00", "GB")
    assert planned["thank_you_note"] == "2026-12-29T09:00:00+00:00"
    # Given an interview on Tuesday 2026-12-15: the check-in would be Christmas Day
    planned = plan("2026-12-15T10:00:00+00:00", LONDON, "2026-12-15T11:00:00+00:00", "GB")
    assert planned["check_in"] == "2026-12-29T09:00:00+00:00"


def test_india_gazetted_holidays_move_the_nudges():
    # Republic Day (Monday 2026-01-26): a card due that day goes on Tuesday
    planned = plan("2026-01-24T11:00:00+05:30", KOLKATA, "2026-01-24T12:00:00+05:30", "IN")
    assert planned["thank_you_note"] == "2026-01-27T09:00:00+05:30"
    # Independence Day (Saturday 2026-08-15), then Sunday: Monday
    planned = plan("2026-08-13T11:00:00+05:30", KOLKATA, "2026-08-13T12:00:00+05:30", "IN")
    assert planned["thank_you_note"] == "2026-08-17T09:00:00+05:30"
    # Gandhi Jayanti (Friday 2026-10-02), then the weekend: the check-in on Monday
    planned = plan("2026-09-22T11:00:00+05:30", KOLKATA, "2026-09-22T12:00:00+05:30", "IN")
    assert planned["check_in"] == "2026-10-05T09:00:00+05:30"


def test_the_decision_card_due_on_thanksgiving_goes_out_on_friday():
    planned = plan_decision_thank_you(datetime.fromisoformat("2026-11-25T15:00:00-05:00"), NEW_YORK,
                                      nudge_hour=9, country="US")
    assert planned.due_at.isoformat() == "2026-11-27T09:00:00-05:00"


def test_a_decision_on_saturday_mails_its_card_on_monday():
    planned = plan_decision_thank_you(datetime.fromisoformat("2026-06-06T15:00:00-04:00"), NEW_YORK,
                                      nudge_hour=9, country="US")
    assert planned.due_at.isoformat() == "2026-06-08T09:00:00-04:00"


@pytest.mark.parametrize(
    ("phone", "zone", "default", "country"),
    [
        pytest.param("+447400123456", "America/New_York", "US", "GB", id="the-phone-first"),
        pytest.param(None, "Asia/Kolkata", "US", "IN", id="else-the-zone"),
        pytest.param(None, "Europe/London", "US", "GB", id="london-is-gb"),
        pytest.param(None, "UTC", "CA", "CA", id="else-the-firms-default"),
    ],
)
def test_the_candidates_country_comes_from_phone_then_zone_then_default(phone, zone, default, country):
    assert country_for(phone, zone, default) == country


def test_a_zones_country_is_read_from_the_iana_table():
    assert country_of_zone("America/New_York") == "US"
    assert country_of_zone("America/Toronto") == "CA"
    assert country_of_zone("Etc/GMT+5") is None


def test_an_old_name_of_a_zone_is_its_places_country():
    # Some browsers still report India as Asia/Calcutta: its holidays, not the firm's default country's
    assert [country_of_zone(z) for z in ("Asia/Calcutta", "US/Eastern", "America/Buenos_Aires", "Japan")] == \
        ["IN", "US", "AR", "JP"]
    assert [country_of_zone(z) for z in ("UTC", "EST5EDT", "Factory")] == [None, None, None]
    assert country_for(None, "Asia/Calcutta", "US") == "IN"
