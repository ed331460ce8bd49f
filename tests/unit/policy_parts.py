"""The zones and helpers the tests of followup.domain.policy share (test_policy*.py): every expected moment is
worked out by hand and written as a literal ISO 8601 string with its offset."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from followup.domain.policy import (
    DEFAULT_EXPECTED_DECISION_DAYS,
    PlannedFollowUp,
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


