"""When each follow-up is due for a late submission (followup.domain.policy): the next minute in waking hours,
the next nudge hour, skipped past its window; each expected moment a literal ISO 8601 string with its offset."""

from __future__ import annotations

from tests.unit.policy_parts import (
    NEW_YORK,
    assert_moment,
    plan,
)

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


