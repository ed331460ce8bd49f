"""The web form's body, as the tests and the bench submit it. Imports nothing heavy (no boto3, no moto):
the bench's measuring processes use it too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]


def sample_submission() -> dict[str, Any]:
    """The body of events/submit_interview.json."""
    return json.loads(json.loads((ROOT / "events" / "submit_interview.json").read_text())["body"])


def submission(
    *,
    now: datetime | None = None,
    zone: str = "America/New_York",
    channels: tuple[str, ...] = ("email", "sms"),
    interview_at: datetime | None = None,
    email: str = "jordan.rivera@example.com",
    phone: str = "+14155550123",
    expected_decision_days: int = 7,
) -> dict[str, Any]:
    """The web form's body (events/submit_interview.json), for an interview two hours ago unless told."""
    sample = sample_submission()
    moment = interview_at or (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)) - timedelta(hours=2)
    body = {
        **sample,
        "candidate": {**sample["candidate"], "time_zone": zone},
        "channels": list(channels),
        "sms_consent": "sms" in channels,
        "interview_at": moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0).isoformat(),
        "expected_decision_days": expected_decision_days,
    }
    body["candidate"].pop("email", None)
    body["candidate"].pop("phone", None)
    if "email" in channels:
        body["candidate"]["email"] = email
    if "sms" in channels:
        body["candidate"]["phone"] = phone
    return body
