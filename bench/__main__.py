"""`make bench`: every part in a process of its own, then one table, printed and written to bench/results.md.

    python -m bench [--quick]

``--quick`` runs each part small (3 cold starts, 30 warm iterations, 100 interviews) to try the bench
out; the report then says so, and its figures are not the ones to quote.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import coldstart, overhead
from bench.env import BENCH, FUNCTIONS, ROOT, machine

RESULTS = BENCH / "results.md"
COST_CANDIDATES = 1000


def run_part(module: str, args: list[str], workdir: Path) -> tuple[dict[str, Any], float]:
    """``python -m bench.<module> --json …`` from the repository root; its progress shows on our stderr."""
    out = workdir / f"{module}.json"
    print(f"[bench] {module} {' '.join(args)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", f"bench.{module}", *args, "--json", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    print(done.stdout, file=sys.stderr, end="", flush=True)
    if not out.exists():
        raise SystemExit(f"bench.{module} failed (exit {done.returncode}); see above")
    print(f"[bench] {module} took {elapsed:.0f} s", file=sys.stderr, flush=True)
    return json.loads(out.read_text()), elapsed


def _met(ratio: float, goal: float) -> str:
    return "yes" if ratio <= goal else "**no**"


def report(parts: dict[str, dict[str, Any]], took: dict[str, float], quick: bool) -> str:
    from bench import calls, cost

    cold, warm, counted, scaled = parts["coldstart"], parts["overhead"], parts["calls"], parts["scale"]
    info = machine()
    lines = ["# `make bench` results", ""]
    if quick:
        lines += ["**Quick run (`python -m bench --quick`): small samples, not the figures to quote.**", ""]
    lines += [
        f"Measured {info['date']} on {info['cpu']}, {info['cores']} cores, {info['memory']} memory; "
        f"{info['python']} on {info['os']}; {info['packages']}. A shared machine: every figure with a floor "
        "is a ratio of medians measured in the same run, alternating the two.",
        "",
        "| figure | measured | floor | ratio | goal | met? |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for function in FUNCTIONS:
        r = cold[function]
        lines.append(
            f"| cold start, `{function}` (median of {r['runs']}) | {r['product_wall_ms']:.0f} ms "
            f"| {r['floor_wall_ms']:.0f} ms | {r['ratio']:.2f}x | ≤ {coldstart.GOAL}x "
            f"| {_met(r['ratio'], coldstart.GOAL)} |"
        )
    for name, label in (
        ("api", "`POST /interviews`, warm"),
        (overhead.STEP, f"`{overhead.STEP}` delivery, warm"),
    ):
        r = warm[name]
        lines.append(
            f"| {label} (median of {r['iterations']}) | {r['product_ms']:.1f} ms | {r['floor_ms']:.1f} ms "
            f"| {r['ratio']:.2f}x | ≤ {overhead.GOAL}x | {_met(r['ratio'], overhead.GOAL)} |"
        )
    for name, (_, _, minimum) in calls.LIFECYCLES.items():
        measured = sum(calls.total(counted[name]["per_phase"]).values())
        least = sum(calls.total(minimum).values())
        exact = counted[name]["matches_constant"]
        scans = [op for op in calls.total(counted[name]["per_phase"]) if op.endswith((":Scan", ":Query"))]
        lines.append(
            f"| AWS calls per interview, {name} | {measured} | {least} (design minimum) "
            f"| {measured / least:.2f}x | asserted exactly, no Scan/Query "
            f"| {'yes' if exact and not scans else '**no**'} |"
        )
    ok = not scaled["problems"] and scaled["nudges"] == scaled["expected_nudges"]
    lines += [
        f"| scale: {scaled['interviews']:,} interviews, {scaled['days']} days: nudges delivered "
        f"| {scaled['nudges']:,} ({scaled['emails']:,} emails + {scaled['sms']:,} SMS) | "
        f"{scaled['expected_nudges']:,} "
        f"expected | | each exactly once, none extra | {'yes' if ok else '**no**'} |",
        f"| scale: wall time (submit + advance) | {scaled['wall_s']:.0f} s ({scaled['submit_s']:.0f} + "
        f"{scaled['advance_s']:.0f}) | | | | |",
        f"| scale: nudges per second (advancing the clock) | {scaled['nudges_per_s']:.1f} | | | | |",
        f"| scale: peak memory of the stack's process | {scaled['peak_rss_mib']:.0f} MiB | | | | |",
    ]
    bill = {
        name: sum(cost.bill(cost.usage(COST_CANDIDATES, sms=sms, poll=poll)).values())
        for name, sms, poll in cost.COLUMNS
    }
    lines.append(
        f"| monthly AWS cost, {COST_CANDIDATES:,} candidates, email + SMS "
        f"| ${bill['ours, email + SMS']:,.2f} | ${bill['poll/minute, email + SMS']:,.2f} (poll every minute) "
        f"| | | |"
    )
    lines.append(
        f"| monthly AWS cost, {COST_CANDIDATES:,} candidates, email only "
        f"| ${bill['ours, email']:,.2f} | ${bill['poll/minute, email']:,.2f} (poll every minute) | | | |"
    )

    lines += [
        "",
        "## AWS calls per interview, per phase",
        "",
        "Counted through botocore's hooks on the product's own clients (`local/calls.py`) over one whole "
        "lifecycle; `tests/integration/test_call_counts.py` asserts these counts exactly. The design minimum "
        "is the least DESIGN.md's semantics need (one record per channel before the next; see "
        "bench/calls.py).",
        "",
    ]
    for name, (_, _, minimum) in calls.LIFECYCLES.items():
        lines += [f"**{name}**", "", calls.render(counted[name], minimum), ""]
        lines += [
            f"Stored item after each phase: {counted[name]['item_bytes']} bytes; logs and metric lines: "
            f"{sum(counted[name]['log_bytes'].values()):,} bytes a lifecycle.",
            "",
        ]

    lines += [
        "## Cold start and warm overhead, in detail",
        "",
        "| function | handler init | handler first call | floor init (boto3) | floor calls | calls made |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for function in FUNCTIONS:
        r = cold[function]
        lines.append(
            f"| `{function}` | {r['product_init_ms']:.0f} ms | {r['product_call_ms']:.0f} ms "
            f"| {r['floor_init_ms']:.0f} ms | {r['floor_call_ms']:.0f} ms | {', '.join(r['calls'])} |"
        )
    lines += [
        "",
        "Cold start: a fresh `python -P` child per run, timed by the parent from spawn to exit; the child "
        "exits with `os._exit` as soon as it has answered (a Lambda sandbox is frozen there; neither "
        "pays the "
        "interpreter's teardown). The children get the functions' environment (local/provision.py) and the "
        "variables Lambda's runtime sets (`LAMBDA_TASK_ROOT`, …), AWS going to a moto server in its own "
        "process. The floor replays the exact calls the handler made (recorded through botocore's hooks) "
        "on a fresh copy of the same data with a plain `boto3.client` per service.",
        "",
        "Warm: in one process, the handler invoked with real-shaped events, against the same calls replayed "
        "with warm boto3 clients, alternating, after 20 uncounted rounds each; both against moto in its own "
        "process, so the floor is mostly moto's latency.",
        "",
        "## Scale",
        "",
        f"{scaled['interviews']:,} interviews (five zones, Lord Howe included; email, SMS or both; "
        "interviews "
        "from five days before to three days after their submission; a decision on every fourth, on day 4) "
        "submitted over HTTP to the local stack (`local/stack.py`), its clock advanced a day at a time for "
        f"{scaled['days']} days through `POST /_local/clock`: {scaled['schedules_fired']:,} schedules fired, "
        f"{scaled['follow_ups_sent']:,} follow-ups sent. Every view checked (nothing left scheduled or "
        "failed), "
        "every candidate's emails and SMS counted, every message id recorded by the product found in moto's "
        f"outbox exactly once and nothing else there: {len(scaled['problems'])} problems.",
        "",
        "Two things of the emulation, not of the product, are worked around: moto deep-copies a whole table "
        "on every TransactWriteItems, for its rollback (quadratic over 1,000 submissions; every moto the "
        "bench runs copies the item index instead, bench/env.py), and `local/engine.py`'s `fire_due` lists "
        "every pending schedule, a GetSchedule each, after each one it fires (quadratic over 2,000 "
        "schedules; the scale run fires a round of due schedules per listing instead, bench/scale.py).",
        "",
        "## Monthly cost",
        "",
        "```",
        cost.table(COST_CANDIDATES),
        "```",
        "",
        "Time taken by the parts: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in took.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small samples, to try the bench out")
    args = parser.parse_args(argv)
    plan = {
        "calls": [],
        "coldstart": ["--runs", "3" if args.quick else str(coldstart.RUNS)],
        "overhead": ["--iterations", "30" if args.quick else str(overhead.ITERATIONS)],
        "scale": ["--interviews", "100" if args.quick else "1000"],
    }
    parts: dict[str, dict[str, Any]] = {}
    took: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for module, part_args in plan.items():
            parts[module], took[module] = run_part(module, part_args, Path(tmp))
    text = report(parts, took, args.quick)
    print(text)
    RESULTS.write_text(text)
    print(f"[bench] written to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
