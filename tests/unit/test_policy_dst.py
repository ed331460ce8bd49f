"""When each follow-up is due across daylight saving time, half-hour zones and the gaps and repeats of a
change (followup.domain.policy), each expected moment a literal ISO 8601 string with its offset."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from followup.domain.policy import (
    nudge_moment,
)
from tests.unit.policy_parts import (
    KOLKATA,
    LONDON,
    LORD_HOWE,
    NEW_YORK,
    assert_moment,
    plan,
)

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


