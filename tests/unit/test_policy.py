"""When each follow-up is due: the rules of followup.policy, date by date.

Every expected moment is worked out by hand and written as a literal ISO 8601 string with its
offset: the wall time and the offset both have to match, not only the instant.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from followup.models import STEPS
from followup.policy import (
    DEFAULT_EXPECTED_DECISION_DAYS,
    PlannedFollowUp,
    at_expression,
    nudge_moment,
    plan_decision_thank_you,
    plan_follow_ups,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def plan(
    interview_at: str,
    zone: ZoneInfo,
    *,
    now: str,
    expected_decision_days: int = DEFAULT_EXPECTED_DECISION_DAYS,
    nudge_hour: int = 9,
) -> dict[str, PlannedFollowUp]:
    planned = plan_follow_ups(
        datetime.fromisoformat(interview_at),
        zone,
        expected_decision_days=expected_decision_days,
        now=datetime.fromisoformat(now),
        nudge_hour=nudge_hour,
    )
    return {follow_up.step: follow_up for follow_up in planned}


def assert_moment(actual: datetime, expected: str, zone: ZoneInfo) -> None:
    assert actual.isoformat() == expected
    # compared in UTC: Python never finds a moment in a repeated (fall-back) hour equal to one in another zone
    assert actual.astimezone(UTC) == datetime.fromisoformat(expected).astimezone(UTC)
    assert actual.tzinfo is zone


# --- the table, ordinary case -------------------------------------------------------------------


def test_plan_lists_thank_you_note_then_check_in():
    # Given an ordinary interview on Monday 2026-06-01, submitted right after it
    # When the follow-ups are planned
    planned = plan_follow_ups(
        datetime.fromisoformat("2026-06-01T14:00:00-04:00"),
        NEW_YORK,
        expected_decision_days=7,
        now=datetime.fromisoformat("2026-06-01T16:00:00-04:00"),
        nudge_hour=9,
    )
    # Then there are exactly the two interview steps, in order, neither skipped
    assert [follow_up.step for follow_up in planned] == ["thank_you_note", "check_in"]
    assert [follow_up.skipped for follow_up in planned] == [False, False]


def test_thank_you_note_is_due_two_days_after_the_interview_at_the_nudge_hour():
    # Given an interview on Monday 2026-06-01 at 14:00 in New York
    # When planned
    planned = plan("2026-06-01T14:00:00-04:00", NEW_YORK, now="2026-06-01T16:00:00-04:00")
    # Then the card nudge is Wednesday 2026-06-03 at 09:00 local
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:00:00-04:00", NEW_YORK)


def test_check_in_is_due_after_the_timeline_plus_three_days_grace():
    # Given an interview on Monday 2026-06-01 and the default timeline of 7 days
    # When planned
    planned = plan("2026-06-01T14:00:00-04:00", NEW_YORK, now="2026-06-01T16:00:00-04:00")
    # Then the check-in is 7 + 3 days later, Thursday 2026-06-11 at 09:00
    assert_moment(planned["check_in"].due_at, "2026-06-11T09:00:00-04:00", NEW_YORK)


def test_the_firms_nudge_hour_sets_the_time_of_day():
    # Given a firm that nudges at 10:00
    # When an interview on 2026-06-01 is planned
    planned = plan("2026-06-01T14:00:00-04:00", NEW_YORK, now="2026-06-01T16:00:00-04:00", nudge_hour=10)
    # Then both nudges go out at 10:00 local
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T10:00:00-04:00", NEW_YORK)
    assert_moment(planned["check_in"].due_at, "2026-06-11T10:00:00-04:00", NEW_YORK)


def test_the_interview_day_is_the_candidates_local_day_not_the_utc_day():
    # Given an interview at 02:30 UTC on 2026-06-02, which is 22:30 on 2026-06-01 in New York
    # When planned
    planned = plan("2026-06-02T02:30:00+00:00", NEW_YORK, now="2026-06-02T03:00:00+00:00")
    # Then the days count from the local date, 2026-06-01
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:00:00-04:00", NEW_YORK)
    assert_moment(planned["check_in"].due_at, "2026-06-11T09:00:00-04:00", NEW_YORK)


def test_default_timeline_of_seven_days_puts_check_in_ten_days_out():
    # Given an interview on Tuesday 2026-06-02 with the default timeline
    # When planned
    planned = plan(
        "2026-06-02T10:00:00-04:00",
        NEW_YORK,
        now="2026-06-02T11:00:00-04:00",
        expected_decision_days=DEFAULT_EXPECTED_DECISION_DAYS,
    )
    # Then the check-in is Friday 2026-06-12
    assert_moment(planned["check_in"].due_at, "2026-06-12T09:00:00-04:00", NEW_YORK)


def test_a_ten_day_timeline_puts_check_in_thirteen_days_out():
    # Given the same interview with a 10-day timeline
    # When planned
    planned = plan(
        "2026-06-02T10:00:00-04:00", NEW_YORK, now="2026-06-02T11:00:00-04:00", expected_decision_days=10
    )
    # Then the check-in is Monday 2026-06-15, and the card nudge does not move
    assert_moment(planned["check_in"].due_at, "2026-06-15T09:00:00-04:00", NEW_YORK)
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T09:00:00-04:00", NEW_YORK)


# --- check_in lands on a weekday ----------------------------------------------------------------


def test_check_in_due_on_a_saturday_moves_to_monday():
    # Given an interview on Wednesday 2026-06-03: +10 days is Saturday 2026-06-13
    # When planned
    planned = plan("2026-06-03T10:00:00-04:00", NEW_YORK, now="2026-06-03T11:00:00-04:00")
    # Then the check-in is Monday 2026-06-15 at the nudge hour
    assert_moment(planned["check_in"].due_at, "2026-06-15T09:00:00-04:00", NEW_YORK)


def test_check_in_due_on_a_sunday_moves_to_monday():
    # Given an interview on Thursday 2026-06-04: +10 days is Sunday 2026-06-14
    # When planned
    planned = plan("2026-06-04T10:00:00-04:00", NEW_YORK, now="2026-06-04T11:00:00-04:00")
    # Then the check-in is Monday 2026-06-15 at the nudge hour
    assert_moment(planned["check_in"].due_at, "2026-06-15T09:00:00-04:00", NEW_YORK)


def test_thank_you_note_keeps_its_weekend_day():
    # Given an interview on Thursday 2026-06-04: +2 days is Saturday 2026-06-06
    # When planned
    planned = plan("2026-06-04T10:00:00-04:00", NEW_YORK, now="2026-06-04T11:00:00-04:00")
    # Then the card nudge stays on Saturday (a card goes by post)
    assert_moment(planned["thank_you_note"].due_at, "2026-06-06T09:00:00-04:00", NEW_YORK)


# --- daylight saving time -----------------------------------------------------------------------


def test_new_york_spring_forward_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-03-06 (EST, -05:00); clocks spring forward on Sunday 2026-03-08
    # When planned
    planned = plan("2026-03-06T10:00:00-05:00", NEW_YORK, now="2026-03-06T11:00:00-05:00")
    # Then the card nudge moves off Sunday to 09:00 on Monday 2026-03-09, now at -04:00 (13:00 UTC, not 14:00)
    assert_moment(planned["thank_you_note"].due_at, "2026-03-09T09:00:00-04:00", NEW_YORK)
    # And 09:00 on the day of the change itself is 09:00 EDT
    assert_moment(nudge_moment(date(2026, 3, 8), NEW_YORK, 9), "2026-03-08T09:00:00-04:00", NEW_YORK)


def test_new_york_check_in_after_spring_forward_keeps_nine_local():
    # Given an interview on Monday 2026-03-02 in EST
    # When planned
    planned = plan("2026-03-02T10:00:00-05:00", NEW_YORK, now="2026-03-02T11:00:00-05:00")
    # Then the card nudge is still in EST, the check-in on 2026-03-12 in EDT, both at 09:00
    assert_moment(planned["thank_you_note"].due_at, "2026-03-04T09:00:00-05:00", NEW_YORK)
    assert_moment(planned["check_in"].due_at, "2026-03-12T09:00:00-04:00", NEW_YORK)


def test_new_york_fall_back_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-10-30 (EDT); clocks fall back on Sunday 2026-11-01
    # When planned
    planned = plan("2026-10-30T10:00:00-04:00", NEW_YORK, now="2026-10-30T11:00:00-04:00")
    # Then both nudges are at 09:00 EST (-05:00), the card's moved off Sunday to Monday
    assert_moment(planned["thank_you_note"].due_at, "2026-11-02T09:00:00-05:00", NEW_YORK)
    assert_moment(nudge_moment(date(2026, 11, 1), NEW_YORK, 9), "2026-11-01T09:00:00-05:00", NEW_YORK)
    assert_moment(planned["check_in"].due_at, "2026-11-09T09:00:00-05:00", NEW_YORK)


def test_london_spring_forward_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-03-27 (GMT); BST starts on Sunday 2026-03-29
    # When planned
    planned = plan("2026-03-27T10:00:00+00:00", LONDON, now="2026-03-27T11:00:00+00:00")
    # Then the card nudge is 09:00 BST (+01:00), on Monday (no post on Sunday)
    assert_moment(planned["thank_you_note"].due_at, "2026-03-30T09:00:00+01:00", LONDON)
    assert_moment(nudge_moment(date(2026, 3, 29), LONDON, 9), "2026-03-29T09:00:00+01:00", LONDON)


def test_london_fall_back_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-10-23 (BST); GMT returns on Sunday 2026-10-25
    # When planned
    planned = plan("2026-10-23T10:00:00+01:00", LONDON, now="2026-10-23T11:00:00+01:00")
    # Then the card nudge is 09:00 GMT (+00:00), on Monday (no post on Sunday)
    assert_moment(planned["thank_you_note"].due_at, "2026-10-26T09:00:00+00:00", LONDON)
    assert_moment(nudge_moment(date(2026, 10, 25), LONDON, 9), "2026-10-25T09:00:00+00:00", LONDON)


def test_kolkata_half_hour_offset_without_dst():
    # Given an interview on 2026-06-01 in India (+05:30 all year)
    # When planned
    planned = plan("2026-06-01T11:00:00+05:30", KOLKATA, now="2026-06-01T12:00:00+05:30")
    # Then both nudges are at 09:00 +05:30
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:00:00+05:30", KOLKATA)
    assert_moment(planned["check_in"].due_at, "2026-06-11T09:00:00+05:30", KOLKATA)


def test_kolkata_interview_given_in_utc_counts_from_the_indian_date():
    # Given an interview at 20:00 UTC on 2026-06-01, which is 01:30 on 2026-06-02 in India
    # When planned
    planned = plan("2026-06-01T20:00:00+00:00", KOLKATA, now="2026-06-01T21:00:00+00:00")
    # Then the card nudge is two days after 2026-06-02
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T09:00:00+05:30", KOLKATA)


def test_lord_howe_half_hour_dst_end_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-04-03 (+11:00); Lord Howe goes back to +10:30 on 2026-04-05
    # When planned
    planned = plan("2026-04-03T10:00:00+11:00", LORD_HOWE, now="2026-04-03T11:00:00+11:00")
    # Then the card nudge is 09:00 +10:30 (on Monday: no post on Sunday)
    assert_moment(planned["thank_you_note"].due_at, "2026-04-06T09:00:00+10:30", LORD_HOWE)
    assert_moment(nudge_moment(date(2026, 4, 5), LORD_HOWE, 9), "2026-04-05T09:00:00+10:30", LORD_HOWE)


def test_lord_howe_half_hour_dst_start_keeps_the_nudge_at_nine_local():
    # Given an interview on Friday 2026-10-02 (+10:30); Lord Howe moves to +11:00 on 2026-10-04
    # When planned
    planned = plan("2026-10-02T10:00:00+10:30", LORD_HOWE, now="2026-10-02T11:00:00+10:30")
    # Then the card nudge is 09:00 +11:00 (on Monday: no post on Sunday)
    assert_moment(planned["thank_you_note"].due_at, "2026-10-05T09:00:00+11:00", LORD_HOWE)
    assert_moment(nudge_moment(date(2026, 10, 4), LORD_HOWE, 9), "2026-10-04T09:00:00+11:00", LORD_HOWE)


def test_a_nudge_hour_in_the_new_york_gap_lands_on_the_first_instant_after_it():
    # Given a 02:00 nudge hour; 02:00-03:00 does not exist in New York on 2026-03-08
    # When the nudge moment of that Sunday is worked out
    moment = nudge_moment(date(2026, 3, 8), NEW_YORK, 2)
    # Then it is 03:00 EDT, the instant the clocks jumped to (07:00 UTC)
    assert_moment(moment, "2026-03-08T03:00:00-04:00", NEW_YORK)


def test_a_nudge_hour_in_the_lord_howe_half_hour_gap_lands_at_half_past():
    # Given a 02:00 nudge hour; 02:00-02:30 does not exist on Lord Howe on 2026-10-04
    # When the nudge moment of that day is worked out
    moment = nudge_moment(date(2026, 10, 4), LORD_HOWE, 2)
    # Then it is 02:30 +11:00, the first instant after the gap
    assert_moment(moment, "2026-10-04T02:30:00+11:00", LORD_HOWE)


def test_a_nudge_hour_deep_inside_a_gap_lands_where_the_gap_ends():
    # Given Samoa, which skipped the whole of 2011-12-30 (from 23:59:59 -10:00 to 00:00 +14:00)
    apia = ZoneInfo("Pacific/Apia")
    # When an interview on 2011-12-28 is planned (card nudge on the missing day)
    planned = plan("2011-12-28T10:00:00-10:00", apia, now="2011-12-28T11:00:00-10:00")
    # Then the card nudge is the first instant after the gap, midnight starting 12-31, not 09:00 on it
    assert_moment(planned["thank_you_note"].due_at, "2011-12-31T00:00:00+14:00", apia)


def test_an_ambiguous_nudge_hour_takes_its_first_occurrence():
    # Given a 01:00 nudge hour; 01:00-02:00 happens twice in New York on 2026-11-01
    # When the nudge moment of that day is worked out
    moment = nudge_moment(date(2026, 11, 1), NEW_YORK, 1)
    # Then it is the first 01:00, still in EDT (05:00 UTC)
    assert_moment(moment, "2026-11-01T01:00:00-04:00", NEW_YORK)


# --- late submissions: thank_you_note -------------------------------------------------------------


def test_late_thank_you_note_in_waking_hours_goes_out_at_the_next_minute():
    # Given an interview on 2026-06-01, submitted on 2026-06-04 at 14:30:15 (card nudge was 06-03 09:00)
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T14:30:15-04:00")
    # Then the card nudge goes out at the next whole minute, inside its window
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T14:31:00-04:00", NEW_YORK)
    assert planned["thank_you_note"].skipped is False


def test_late_step_on_a_whole_minute_goes_out_strictly_after_now():
    # Given a submission at exactly the card nudge's moment, 2026-06-03 09:00:00
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-03T09:00:00-04:00")
    # Then it counts as late and goes out one minute later
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:01:00-04:00", NEW_YORK)


def test_late_now_given_in_utc_is_judged_in_local_time():
    # Given a submission at 18:30:15 UTC on 2026-06-04, which is 14:30:15 in New York
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T18:30:15+00:00")
    # Then it goes out at the next minute, expressed in local time
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T14:31:00-04:00", NEW_YORK)


def test_late_thank_you_note_at_night_waits_for_the_next_nudge_hour():
    # Given a submission at 22:00 local on 2026-06-03, still inside the card's window
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-03T22:00:00-04:00")
    # Then it goes out the next morning at the nudge hour
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T09:00:00-04:00", NEW_YORK)
    assert planned["thank_you_note"].skipped is False


def test_late_thank_you_note_before_dawn_waits_for_todays_nudge_hour():
    # Given a submission at 06:15 local on 2026-06-04
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T06:15:00-04:00")
    # Then it goes out the same day at the nudge hour
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T09:00:00-04:00", NEW_YORK)


def test_late_thank_you_note_at_the_last_waking_minute_of_day_three_still_goes_out():
    # Given a submission at 19:58:59 on 2026-06-04, day 3 after the interview
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T19:58:59-04:00")
    # Then it goes out at 19:59, the last waking minute
    assert_moment(planned["thank_you_note"].due_at, "2026-06-04T19:59:00-04:00", NEW_YORK)
    assert planned["thank_you_note"].skipped is False


def test_late_thank_you_note_past_its_window_is_skipped_with_its_original_moment():
    # Given a submission at 22:00 on 2026-06-04: the next nudge hour, 06-05 09:00, is past day 3
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T22:00:00-04:00")
    # Then the card nudge is skipped and keeps the moment it would have had
    assert planned["thank_you_note"].skipped is True
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:00:00-04:00", NEW_YORK)


def test_late_thank_you_note_whose_next_minute_is_twenty_hundred_on_day_three_is_skipped():
    # Given a submission at 19:59:00 on 2026-06-04: the next minute, 20:00, is outside waking hours
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T19:59:00-04:00")
    # Then the next allowed moment is 06-05 09:00, past the window, so it is skipped
    assert planned["thank_you_note"].skipped is True
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T09:00:00-04:00", NEW_YORK)


def test_late_thank_you_note_whose_next_moment_is_exactly_midnight_ending_day_three_is_skipped():
    # Given a midnight nudge hour and a submission at 21:00 on 2026-06-04
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T21:00:00-04:00", nudge_hour=0)
    # Then the next allowed moment, 06-05 00:00, is where the window ends: skipped
    assert planned["thank_you_note"].skipped is True
    assert_moment(planned["thank_you_note"].due_at, "2026-06-03T00:00:00-04:00", NEW_YORK)


def test_check_in_is_not_skipped_when_the_thank_you_note_is():
    # Given a submission on 2026-06-05, too late for the card but before the check-in
    # When planned
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-05T10:00:00-04:00")
    # Then the check-in keeps its normal moment
    assert planned["thank_you_note"].skipped is True
    assert planned["check_in"].skipped is False
    assert_moment(planned["check_in"].due_at, "2026-06-11T09:00:00-04:00", NEW_YORK)


# --- late submissions: check_in -------------------------------------------------------------------


def test_late_check_in_on_a_weekday_goes_out_at_the_next_minute():
    # Given an interview on Monday 2026-05-18 (check-in was Thursday 05-28), submitted Wed 2026-06-03
    # When planned
    planned = plan("2026-05-18T10:00:00-04:00", NEW_YORK, now="2026-06-03T11:00:30-04:00")
    # Then the check-in goes out at the next minute
    assert_moment(planned["check_in"].due_at, "2026-06-03T11:01:00-04:00", NEW_YORK)
    assert planned["check_in"].skipped is False


def test_late_check_in_on_a_saturday_moves_to_monday():
    # Given the same interview, submitted on Saturday 2026-06-06 at 11:00, during waking hours
    # When planned
    planned = plan("2026-05-18T10:00:00-04:00", NEW_YORK, now="2026-06-06T11:00:00-04:00")
    # Then the check-in waits for Monday 2026-06-08 at the nudge hour
    assert_moment(planned["check_in"].due_at, "2026-06-08T09:00:00-04:00", NEW_YORK)


def test_late_check_in_on_a_friday_night_moves_past_the_weekend():
    # Given the same interview, submitted on Friday 2026-06-05 at 21:00 (next nudge hour: Saturday)
    # When planned
    planned = plan("2026-05-18T10:00:00-04:00", NEW_YORK, now="2026-06-05T21:00:00-04:00")
    # Then the check-in goes out on Monday 2026-06-08 at the nudge hour
    assert_moment(planned["check_in"].due_at, "2026-06-08T09:00:00-04:00", NEW_YORK)


# --- decision_thank_you -------------------------------------------------------------------------


def test_decision_thank_you_is_the_next_day_at_the_nudge_hour():
    # Given a decision recorded on 2026-06-10 at 15:00
    # When planned
    planned = plan_decision_thank_you(
        datetime.fromisoformat("2026-06-10T15:00:00-04:00"), NEW_YORK, nudge_hour=9
    )
    # Then the card nudge is 2026-06-11 at 09:00
    assert planned.step == "decision_thank_you"
    assert planned.skipped is False
    assert_moment(planned.due_at, "2026-06-11T09:00:00-04:00", NEW_YORK)


def test_decision_thank_you_across_spring_forward_keeps_nine_local():
    # Given a decision on Saturday 2026-03-07 (EST); clocks spring forward that night
    # When planned
    planned = plan_decision_thank_you(
        datetime.fromisoformat("2026-03-07T15:00:00-05:00"), NEW_YORK, nudge_hour=9
    )
    # Then the card nudge is 09:00 EDT on Monday 2026-03-09 (no post on Sunday)
    assert_moment(planned.due_at, "2026-03-09T09:00:00-04:00", NEW_YORK)


def test_decision_thank_you_across_fall_back_counts_from_the_local_decision_day():
    # Given a decision at 03:30 UTC on 2026-11-01, which is 23:30 on 2026-10-31 in New York (EDT)
    # When planned
    planned = plan_decision_thank_you(
        datetime.fromisoformat("2026-11-01T03:30:00+00:00"), NEW_YORK, nudge_hour=9
    )
    # Then "next day" is Sunday 2026-11-01, so the next mailing day: Monday 2026-11-02 at 09:00 EST
    assert_moment(planned.due_at, "2026-11-02T09:00:00-05:00", NEW_YORK)


def test_decision_thank_you_across_londons_fall_back_keeps_nine_local():
    # Given a decision on Saturday 2026-10-24 (BST)
    # When planned
    planned = plan_decision_thank_you(
        datetime.fromisoformat("2026-10-24T18:00:00+01:00"), LONDON, nudge_hour=9
    )
    # Then the card nudge is 09:00 GMT on Monday 2026-10-26 (no post on Sunday)
    assert_moment(planned.due_at, "2026-10-26T09:00:00+00:00", LONDON)


# --- at_expression ----------------------------------------------------------------------------


def test_at_expression_is_the_local_wall_time():
    # Given a moment of 09:00 in New York
    due_at = datetime(2026, 3, 10, 9, 0, tzinfo=NEW_YORK)
    # When turned into a scheduler expression
    expression = at_expression(due_at)
    # Then it carries the local wall time, not UTC (13:00)
    assert expression == "at(2026-03-10T09:00:00)"


def test_at_expression_of_a_half_hour_zone_keeps_the_local_wall_time():
    # Given 09:00 in Kolkata (03:30 UTC)
    # When turned into a scheduler expression
    expression = at_expression(datetime(2026, 6, 3, 9, 0, tzinfo=KOLKATA))
    # Then it reads 09:00
    assert expression == "at(2026-06-03T09:00:00)"


def test_at_expression_of_a_late_moment_is_its_local_minute():
    # Given a late card nudge planned for the next minute
    planned = plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-04T14:30:15-04:00")
    # When turned into a scheduler expression
    expression = at_expression(planned["thank_you_note"].due_at)
    # Then it is that local minute
    assert expression == "at(2026-06-04T14:31:00)"


def test_at_expression_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="due_at"):
        at_expression(datetime(2026, 3, 10, 9, 0))


def test_at_expression_refuses_a_fixed_offset_without_an_iana_name():
    with pytest.raises(ValueError, match="ZoneInfo"):
        at_expression(datetime.fromisoformat("2026-03-10T09:00:00-04:00"))


# --- argument checks ----------------------------------------------------------------------------


def test_the_plans_name_every_step_in_the_order_they_happen():
    now = datetime.fromisoformat("2026-03-10T15:00:00-04:00")
    planned = plan_follow_ups(datetime(2026, 3, 10, 14, 0, tzinfo=NEW_YORK), NEW_YORK, expected_decision_days=7,
                              now=now, nudge_hour=9)
    card = plan_decision_thank_you(now, NEW_YORK, nudge_hour=9)

    assert tuple(p.step for p in [*planned, card]) == STEPS


@pytest.mark.parametrize(
    ("interview_at", "now"),
    [
        (datetime(2026, 6, 1, 10, 0), datetime.fromisoformat("2026-06-01T11:00:00-04:00")),
        (datetime.fromisoformat("2026-06-01T10:00:00-04:00"), datetime(2026, 6, 1, 11, 0)),
    ],
    ids=["naive interview_at", "naive now"],
)
def test_plan_refuses_a_naive_datetime(interview_at, now):
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_follow_ups(interview_at, NEW_YORK, expected_decision_days=7, now=now, nudge_hour=9)


@pytest.mark.parametrize("nudge_hour", [-1, 24, 9.5, True])
def test_plan_refuses_a_nudge_hour_outside_0_to_23(nudge_hour):
    with pytest.raises(ValueError, match="nudge_hour"):
        plan("2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-01T11:00:00-04:00", nudge_hour=nudge_hour)


@pytest.mark.parametrize("days", [0, 61, -7, 7.0])
def test_plan_refuses_expected_decision_days_outside_1_to_60(days):
    with pytest.raises(ValueError, match="expected_decision_days"):
        plan(
            "2026-06-01T10:00:00-04:00",
            NEW_YORK,
            now="2026-06-01T11:00:00-04:00",
            expected_decision_days=days,
        )


@pytest.mark.parametrize("days", [1, 60])
def test_plan_accepts_the_ends_of_the_expected_decision_days_range(days):
    planned = plan(
        "2026-06-01T10:00:00-04:00", NEW_YORK, now="2026-06-01T11:00:00-04:00", expected_decision_days=days
    )
    # 2026-06-01 + 1 + 3 = Friday 06-05; 2026-06-01 + 60 + 3 = Monday 08-03
    expected = {1: "2026-06-05T09:00:00-04:00", 60: "2026-08-03T09:00:00-04:00"}[days]
    assert_moment(planned["check_in"].due_at, expected, NEW_YORK)


def test_plan_refuses_a_zone_name_instead_of_a_zoneinfo():
    with pytest.raises(ValueError, match="zone"):
        plan_follow_ups(
            datetime.fromisoformat("2026-06-01T10:00:00-04:00"),
            "America/New_York",
            expected_decision_days=7,
            now=datetime.fromisoformat("2026-06-01T11:00:00-04:00"),
            nudge_hour=9,
        )


def test_decision_thank_you_refuses_a_naive_decision_time():
    with pytest.raises(ValueError, match="decided_at"):
        plan_decision_thank_you(datetime(2026, 6, 10, 15, 0), NEW_YORK, nudge_hour=9)


def test_decision_thank_you_refuses_a_bad_nudge_hour():
    with pytest.raises(ValueError, match="nudge_hour"):
        plan_decision_thank_you(datetime.fromisoformat("2026-06-10T15:00:00-04:00"), NEW_YORK, nudge_hour=25)


def test_planned_follow_up_refuses_an_unknown_step():
    with pytest.raises(ValueError, match="step"):
        PlannedFollowUp("follow_up", datetime(2026, 6, 3, 9, 0, tzinfo=NEW_YORK))
