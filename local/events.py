"""The sample events of events/, dated now: what `sam local invoke -e` (or a test) can send on any day.

events/*.json are real-shaped events written on one day (the tests' fixed clock reads them as they are). The
API refuses an ``interview_at`` outside the past 60 days and the next 365, so on another day the submission
as written is a 422. ``dated`` moves what carries a date to ``now``: an HTTP API event's request time, and a
submission's ``interview_at`` to the same time of day, today, in the candidate's zone. Nothing else changes.

    python -m local.events events/submit_interview.json > /tmp/submit_interview.json
    sam local invoke ApiFunction -e /tmp/submit_interview.json
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

EVENTS = Path(__file__).resolve().parent.parent / "events"
REQUEST_TIME = "%d/%b/%Y:%H:%M:%S +0000"  # API Gateway's requestContext.time


def load(name: str | Path) -> dict[str, Any]:
    """An event by its file name in events/ (``submit_interview.json``) or by its path."""
    path = Path(name)
    if not path.is_file():
        path = EVENTS / Path(name).name
    return json.loads(path.read_text(encoding="utf-8"))


def dated(event: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """``event`` as if sent at ``now`` (default: the real time); ``event`` itself is left as it was."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    out = copy.deepcopy(event)
    context = out.get("requestContext")
    if isinstance(context, dict) and "timeEpoch" in context:
        context["timeEpoch"] = int(moment.timestamp() * 1000)
        context["time"] = moment.strftime(REQUEST_TIME)
    body = out.get("body")
    if isinstance(body, str) and not out.get("isBase64Encoded"):
        try:
            payload = json.loads(body)
        except ValueError:
            return out
        if isinstance(payload, dict) and isinstance(payload.get("interview_at"), str):
            payload["interview_at"] = _today(payload, moment)
            out["body"] = json.dumps(payload)
            headers = out.get("headers") or {}
            if "content-length" in headers:
                headers["content-length"] = str(len(out["body"].encode()))
    return out


def _today(payload: dict[str, Any], moment: datetime) -> str:
    """The submission's interview time of day, on ``moment``'s date in the candidate's zone, written as it was."""
    written = datetime.fromisoformat(payload["interview_at"])
    zone = ZoneInfo(str((payload.get("candidate") or {}).get("time_zone") or "UTC"))
    today = moment.astimezone(zone).date()
    return written.replace(year=today.year, month=today.month, day=today.day).isoformat()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.events", description=__doc__.split("\n", 1)[0])
    parser.add_argument("event", help="an event of events/ (its file name or path)")
    args = parser.parse_args(argv)
    json.dump(dated(load(args.event)), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
