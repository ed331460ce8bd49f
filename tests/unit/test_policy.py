"""When each follow-up is due: the rules of followup.domain.policy, date by date (the ordinary case, weekdays,
the decision's card, at-expressions, argument checks).

Every expected moment is worked out by hand and written as a literal ISO 8601 string with its
offset: the wall time and the offset both have to match, not only the instant.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from followup.domain.models import STEPS
from followup.domain.policy import (
    DEFAULT_EXPECTED_DECISION_DAYS,
    PlannedFollowUp,
    at_expression,
    plan_decision_thank_you,
    plan_follow_ups,
)
from tests.unit.policy_parts import (
    KOLKATA,
    LONDON,
    NEW_YORK,
    assert_moment,
    plan,
)

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
