"""Every AWS API call of one interview's whole life, per phase, beside the least each phase must make.

The lifecycle is the test suite's (``tests.integration.harness.run_lifecycle``: the web form's
submission, its confirmation, each step firing, an offer, the decision card, a delete), run twice on an in-process moto
(email and SMS; email only). ``local.calls.CallRecorder`` records every call of every client in the
process and keeps the product's. Besides the counts, the run measures what the cost model prices
(bench/cost.py): the stored item's size after each phase, the bytes of logs and metric lines the
handlers print, and the distinct CloudWatch metric series of those lines.

The design minimum is derived from the run's shape, not typed: a submission writes once (checking the firm-wide
opt-out list, taking its limits and the report's counts inside that write) and sends one confirmation per channel
(it schedules nothing); a confirmation of each channel reads and writes the interview
(the duplicate pointer inside that write), the first one creating one schedule per follow-up it planned; a
delivery reads once, sends once per channel and writes once (checking the opt-outs of its destinations in that
write); a decision reads, writes and creates the schedules it planned; a delete reads, writes and deletes the
schedules still pending.

    python -m bench.calls [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from followup.domain.models import STEPS

SCANS = (":Scan",)  # a Query reads one key (a token's interview) or an index; a batch, opt-outs by key
LIFECYCLES = {"email+sms": ("email", "sms"), "email": ("email",)}


def total(per_phase: dict[str, dict[str, int]]) -> Counter[str]:
    summed: Counter[str] = Counter()
    for counts in per_phase.values():
        summed.update(counts)
    return summed


def scheduled(item: dict[str, Any]) -> set[str]:
    """The steps a stored item (DynamoDB JSON) holds as ``scheduled``."""
    follow_ups = item.get("follow_ups", {}).get("M", {})
    return {step for step, f in follow_ups.items() if f["M"]["status"]["S"] == "scheduled"}


def design_minimum(phases: list[str], items: dict[str, dict[str, Any]], channels: list[str]) -> dict[str, int]:
    """The least each phase must call AWS, from what it did: the follow-ups scheduled after it (its item),
    the candidate's channels, and which phases deliver."""
    minimum: dict[str, int] = {}
    before: set[str] = set()
    for phase in phases:
        after = scheduled(items.get(phase, {}))
        if phase == "submit":
            # a write (which checks the opt-out list, takes the limits and the counts with it); per channel a send;
            # the SMS opt-out check
            minimum[phase] = 1 + len(channels) + ("sms" in channels)
        elif phase == "confirm":
            minimum[phase] = 2 * len(channels) + len(after)  # per channel a read and a write; the schedules
        elif phase in STEPS:
            minimum[phase] = 2 + len(channels)  # read, one send per channel, write (the opt-out list checked in it)
        elif phase == "delete":
            minimum[phase] = 2 + len(before)  # read, delete, and each schedule still pending
        else:
            minimum[phase] = 2 + len(after - before)  # read, write, and each schedule it planned
        before = after
    return minimum


def metric_series(text: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The distinct CloudWatch metric series (name, dimensions) in embedded-metric-format log lines."""
    series = set()
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or "_aws" not in record:
            continue
        for directive in record["_aws"]["CloudWatchMetrics"]:
            for dimension_set in directive["Dimensions"]:
                dimensions = tuple(sorted((name, str(record[name])) for name in dimension_set))
                for metric in directive["Metrics"]:
                    series.add((metric["Name"], dimensions))
    return series


@contextmanager
def _stdout_into(into: dict[str, str], name: str) -> Iterator[None]:
    """Keep what is written to file descriptor 1 (the handlers' logs and metric lines) while inside."""
    from bench.env import stdout_to

    with tempfile.TemporaryFile() as sink:
        try:
            with stdout_to(sink.fileno()):
                yield
        finally:
            sink.seek(0)
            into[name] = sink.read().decode(errors="replace")


def measure() -> dict[str, Any]:
    """Both lifecycles on an in-process moto (``mock_aws``), as the tests run them."""
    from local import environment

    environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})
    from tests.integration.harness import PHASES, Clock, item_bytes, provisioned_account, run_lifecycle, runner

    results: dict[str, Any] = {}
    for name, channels in LIFECYCLES.items():
        clock = Clock()
        with provisioned_account(clock) as resources:
            printed: dict[str, str] = {}
            lifecycle = run_lifecycle(
                runner(resources, set_time=clock.set),
                clock,
                table=resources.table_name,
                channels=channels,
                phase_hook=lambda phase, into=printed: _stdout_into(into, phase),
            )
        series = set().union(*(metric_series(text) for text in printed.values()))
        per_phase = lifecycle.per_phase()
        results[name] = {
            "channels": list(channels),
            "phases": list(PHASES),
            "per_phase": per_phase,
            "minimum": design_minimum(list(PHASES), lifecycle.items, list(channels)),
            "scans": sorted(op for op in total(per_phase) if op.endswith(SCANS)),
            "item_bytes": {phase: item_bytes(item) for phase, item in lifecycle.items.items() if item},
            "log_bytes": {phase: len(text.encode()) for phase, text in printed.items()},
            "metric_series": sorted([metric, [list(d) for d in dims]] for metric, dims in series),
        }
    return results


def function_of(phase: str) -> str:
    return phase if phase in STEPS else "api"


def render(result: dict[str, Any]) -> str:
    """The per-phase table, beside the design minimum derived from the run."""
    per_phase, minimum = result["per_phase"], result["minimum"]
    operations = sorted(total(per_phase))
    lines = [
        "| phase (function) | " + " | ".join(operations) + " | calls | design minimum |",
        "|---|" + "---:|" * (len(operations) + 2),
    ]
    for phase in result["phases"]:
        counts = per_phase[phase]
        cells = [str(counts.get(op, "")) for op in operations]
        lines.append(
            f"| {phase} ({function_of(phase)}) | " + " | ".join(cells) + f" | {sum(counts.values())} | {minimum[phase]} |"
        )
    summed = total(per_phase)
    lines.append(
        "| **one interview** | "
        + " | ".join(f"**{summed[op]}**" for op in operations)
        + f" | **{sum(summed.values())}** | **{sum(minimum.values())}** |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    results = measure()
    for name, result in results.items():
        print(f"\n{name}:\n{render(result)}")
        print(f"stored item after each phase (bytes): {result['item_bytes']}")
        print(f"log and metric bytes per phase: {result['log_bytes']}")
        print(f"metric series seen: {len(result['metric_series'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    scans = [name for name, result in results.items() if result["scans"]]
    return 1 if scans else 0


if __name__ == "__main__":
    sys.exit(main())
