"""Scale on paper: a firm with 1,000,000 candidates a month, the nudge hour's peak against AWS's quotas.

Every candidate's three nudges are placed by the product's own policy (``followup.domain.policy``, the
template's default ``NudgeHour`` and the default decision timeline): interviews on weekdays at 11:00 local,
submitted two hours later, the decision recorded 15 days after the interview at 15:00 local (the order of
the measured lifecycle: both step nudges, then the decision card). The nudges of eight weeks are counted
per UTC minute; the peak minute of the steady weeks is the figure. With ``FlexibleTimeWindow`` OFF (the
product today, ``followup/adapters/schedules.py``) a minute's schedules all fall due at once and are
invoked as fast as EventBridge Scheduler's quota allows; with a window of W minutes the scheduler spreads
them over it (the rate is the window's nudges over its seconds).

Assumptions, named so they can be argued with:

- where the candidates are (``ZONE_SHARES``): 70 % in the United States, split by the share of its
  population in each time zone (Eastern 47 %, Central 29 %, Mountain 7 %, Pacific 17 %: rounded from the
  US Census Bureau's 2020 state populations grouped by time zone), 15 % in India, 10 % in the United
  Kingdom, 5 % on Australia's east coast: the author's guess of a large US-based staffing firm;
- ``SMS_SHARE``: two candidates in three choose SMS (alone or beside email), ``EMAIL_SHARE`` likewise;
- quotas, all per account and region and adjustable on request: EventBridge Scheduler invokes up to
  1,000 targets a second; Lambda runs 1,000 concurrent executions; an SMS origination number sends
  1 message a second (10DLC, by default), 3 (toll-free) or 100 (short code); SES sends 14 emails a second,
  a common starting figure for a production account (each account's own is in its SES console);
- a step invocation lasts 0.85 s (bench/cost.py's warm step time plus a cold start).

    python -m bench.capacity [--candidates 1000000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from followup.domain import policy

CANDIDATES = 1_000_000
US, INDIA, UK, AUSTRALIA = 0.70, 0.15, 0.10, 0.05
ZONE_SHARES = {
    "America/New_York": US * 0.47,
    "America/Chicago": US * 0.29,
    "America/Denver": US * 0.07,
    "America/Los_Angeles": US * 0.17,
    "Asia/Kolkata": INDIA,
    "Europe/London": UK,
    "Australia/Sydney": AUSTRALIA,
}
SMS_SHARE = EMAIL_SHARE = 2 / 3
INTERVIEW_TIME = time(11, 0)
SUBMITTED_AFTER = timedelta(hours=2)
DECISION_AFTER_DAYS = 15
DECISION_TIME = time(15, 0)
WEEKDAYS_PER_MONTH = 52 * 5 / 12
START = date(2026, 3, 2)  # a Monday
WEEKS = 8
STEADY_FROM, STEADY_UNTIL = date(2026, 3, 23), date(2026, 4, 20)  # weeks 4-7: earlier weeks' nudges included

SCHEDULER_INVOCATIONS_PER_S = 1000
LAMBDA_CONCURRENCY = 1000
SMS_MPS = {"10DLC": 1, "toll-free": 3, "short code": 100}
SES_SENDS_PER_S = 14
STEP_INVOCATION_S = 0.85
WINDOWS_MIN = (0, 15, 30, 60)  # 0: FlexibleTimeWindow OFF


def nudge_hour() -> int:
    from local import provision

    return int(provision.parameter_default("NudgeHour"))


def _weekday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def nudges_of(interview_day: date, zone: ZoneInfo, hour: int) -> list[datetime]:
    """When the product sends an interview's nudges, by its policy, in UTC."""
    interview_at = datetime.combine(interview_day, INTERVIEW_TIME, tzinfo=zone)
    planned = policy.plan_follow_ups(
        interview_at,
        zone,
        expected_decision_days=policy.DEFAULT_EXPECTED_DECISION_DAYS,
        now=interview_at + SUBMITTED_AFTER,
        nudge_hour=hour,
    )
    decided_at = datetime.combine(
        _weekday(interview_day + timedelta(days=DECISION_AFTER_DAYS)), DECISION_TIME, tzinfo=zone
    )
    planned.append(policy.plan_decision_thank_you(decided_at, zone, nudge_hour=hour))
    return [p.due_at.astimezone(UTC) for p in planned if not p.skipped]


def per_minute(candidates: int, hour: int) -> Counter[datetime]:
    """Nudges due per UTC minute over the simulated weeks (fractions of a candidate kept)."""
    per_day = candidates / WEEKDAYS_PER_MONTH
    due: Counter[datetime] = Counter()
    for offset in range(WEEKS * 7):
        day = START + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for name, share in ZONE_SHARES.items():
            for moment in nudges_of(day, ZoneInfo(name), hour):
                due[moment.replace(second=0, microsecond=0)] += per_day * share
    return due


def model(candidates: int = CANDIDATES) -> dict[str, Any]:
    hour = nudge_hour()
    due = per_minute(candidates, hour)
    steady = {m: n for m, n in due.items() if STEADY_FROM <= m.date() < STEADY_UNTIL}
    peak_at = max(steady, key=steady.__getitem__)
    rows = []
    for window in WINDOWS_MIN:
        # The busiest window-long span starting at a nudge minute (OFF: the single busiest minute).
        span = timedelta(minutes=max(window, 1))
        load = max(sum(n for m, n in steady.items() if start <= m < start + span) for start in steady)
        if window == 0:
            rate = min(load, SCHEDULER_INVOCATIONS_PER_S)  # all due at once; the quota paces them
            drain_s = load / SCHEDULER_INVOCATIONS_PER_S
        else:
            rate = load / (window * 60)
            drain_s = window * 60.0
        sms, email = rate * SMS_SHARE, rate * EMAIL_SHARE
        rows.append(
            {
                "window_min": window,
                "nudges": load,
                "invocations_per_s": rate,
                "scheduler_use": rate / SCHEDULER_INVOCATIONS_PER_S,
                "scheduler_drain_s": drain_s,
                "concurrency": rate * STEP_INVOCATION_S,
                "sms_per_s": sms,
                "numbers_needed": {kind: math.ceil(sms / mps) for kind, mps in SMS_MPS.items()},
                "sms_minutes_on_one_number": {kind: load * SMS_SHARE / mps / 60 for kind, mps in SMS_MPS.items()},
                "emails_per_s": email,
                "ses_use": email / SES_SENDS_PER_S,
            }
        )
    return {
        "candidates": candidates,
        "nudge_hour": hour,
        "zone_shares": ZONE_SHARES,
        "peak_minute_utc": peak_at.isoformat(),
        "peak_minute_zones": sorted(
            name for name in ZONE_SHARES if peak_at.astimezone(ZoneInfo(name)).hour == hour
        ),
        "peak_minute_nudges": steady[peak_at],
        "rows": rows,
    }


def render(result: dict[str, Any]) -> str:
    kinds = list(SMS_MPS)
    lines = [
        f"{result['candidates']:,} candidates a month; nudge hour {result['nudge_hour']:02d}:00 local; busiest "
        f"minute {result['peak_minute_utc']} ({', '.join(result['peak_minute_zones'])}): "
        f"{result['peak_minute_nudges']:,.0f} nudges due at once.",
        "",
        "| FlexibleTimeWindow | nudges in it | Lambda invocations/s | of Scheduler's 1,000/s | "
        "Lambda concurrency (of 1,000) | SMS/s | "
        + " | ".join(f"{k} numbers for that rate ({SMS_MPS[k]} MPS)" for k in kinds)
        + " | minutes to send its SMS on one 10DLC / toll-free / short code | emails/s | of SES 14/s |",
        "|---|" + "---:|" * (8 + len(kinds)),
    ]
    for row in result["rows"]:
        window = "OFF" if row["window_min"] == 0 else f"{row['window_min']} min"
        drain = " / ".join(f"{row['sms_minutes_on_one_number'][k]:,.0f}" for k in kinds)
        lines.append(
            f"| {window} | {row['nudges']:,.0f} | {row['invocations_per_s']:,.1f} | {row['scheduler_use']:.0%} "
            f"| {row['concurrency']:,.0f} | {row['sms_per_s']:,.1f} | "
            + " | ".join(f"{row['numbers_needed'][k]:,}" for k in kinds)
            + f" | {drain} | {row['emails_per_s']:,.1f} | {row['ses_use']:.0%} |"
        )
    off = result["rows"][0]
    lines += [
        "",
        f"OFF: the minute's {off['nudges']:,.0f} schedules fall due together; the scheduler invokes them at its "
        f"quota, {off['scheduler_drain_s']:,.0f} s for the lot, each invocation sending its SMS at once.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--candidates", type=int, default=CANDIDATES, help=f"a month (default {CANDIDATES:,})")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    result = model(args.candidates)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
