"""Scale: 1,000 interviews through the local stack, the clock advanced 30 days, every nudge exactly once.

The scenario (tests/integration/scenario.py, which the test suite runs small in-process) submitted over
HTTP to the local stack (``local/stack.py``: the real API handler behind its web server, moto in-process,
the simulated clock), the clock advanced a day at a time through ``POST /_local/clock``.

    python -m bench.scale [--interviews 1000] [--days 30] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.env import quiet_stdout
from tests.integration.scenario import DAYS, INTERVIEWS, SMS_COUNTRIES, START, run

# ---- the local stack, over HTTP ----------------------------------------------------------------


class StackDriver:
    """The scenario against a running EmbeddedStack over HTTP: the API as the form reaches it, the clock as
    the dev console moves it (``POST /_local/clock``)."""

    def __init__(self, stack: Any) -> None:
        self.stack = stack

    def now(self) -> datetime:
        return self.stack.clock.now()

    def api(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        from local.client import request

        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        answer = request(method, f"{self.stack.base_url}{path}", body=body, headers=sent)
        return answer.status, json.loads(answer.body) if answer.body else None

    def advance(self, delta: timedelta) -> list[str]:
        from local.client import request

        hours = delta.total_seconds() / 3600
        answer = request("POST", f"{self.stack.base_url}/_local/clock", body={"advance_hours": hours}, timeout=600)
        if answer.status != 200:
            raise RuntimeError(f"advancing the clock failed: {answer.status} {answer.text[:200]}")
        return list(json.loads(answer.body)["fired"])


def measure(
    interviews: int = INTERVIEWS, days: int = DAYS, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    from local.stack import EmbeddedStack

    started = time.perf_counter()
    # only POST /_local/clock fires; every submission comes from this one address, so its hourly limit is lifted
    stack = EmbeddedStack(port=0, quiet=True, start=START, pump_interval=10**6,
                          settings={"SUBMISSIONS_PER_HOUR_PER_CLIENT": str(10**9),
                                    "SMS_COUNTRIES": ",".join(SMS_COUNTRIES)})
    stack.start()
    try:
        results = run(interviews, StackDriver(stack), days=days, progress=progress)
    finally:
        stack.stop()
    results["process_s"] = time.perf_counter() - started
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--interviews", type=int, default=INTERVIEWS, help=f"how many (default {INTERVIEWS})")
    parser.add_argument("--days", type=int, default=DAYS, help=f"simulated days (default {DAYS})")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    with quiet_stdout():
        results = measure(
            args.interviews, args.days, progress=lambda line: print(line, file=sys.stderr, flush=True)
        )
    print(
        f"{results['interviews']} interviews, {results['days']} days: {results['schedules_fired']} "
        "schedules fired, "
        f"{results['follow_ups_sent']} follow-ups sent as {results['emails']} emails + {results['sms']} SMS "
        f"(expected {results['expected_nudges']}); submit {results['submit_s']:.1f} s, advance "
        f"{results['advance_s']:.1f} s, {results['nudges_per_s']:.1f} nudges/s, peak RSS "
        f"{results['peak_rss_mib']:.0f} MiB; problems: {len(results['problems'])}"
    )
    for problem in results["problems"][:50]:
        print(f"  {problem}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if not results["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
