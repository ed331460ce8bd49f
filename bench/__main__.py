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
from bench.env import BENCH, FUNCTIONS, ROOT
from bench.machine import machine

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


def _tracing(cold: dict) -> str:
    setup = cold.get("_setup", {})
    return ", ".join(f"`{k}={v}`" for k, v in sorted(setup.get("tracing", {}).items())) or "unknown"


def _met(ratio: float, goal: float) -> str:
    return "yes" if ratio <= goal else "**no**"


def _coldstart_rows(cold: dict[str, Any]) -> list[str]:
    """The summary table's cold-start rows of one run: each function against its floor and goal, and the api's
    libraries alone against the same floor."""
    rows = []
    for function in FUNCTIONS:
        r = cold[function]
        goal = coldstart.goal_of(function)
        rows.append(
            f"| cold start, `{function}` (median of {r['runs']}) | {r['product_wall_ms']:.0f} ms "
            f"| {r['floor_wall_ms']:.0f} ms | {r['ratio']:.2f}x | ≤ {goal}x | {_met(r['ratio'], goal)} |"
        )
        if "libraries_ratio" in r:
            rows.append(
                f"| cold start, `{function}`'s libraries alone, no product code (median of {r['runs']}) "
                f"| {r['libraries_wall_ms']:.0f} ms | {r['floor_wall_ms']:.0f} ms | {r['libraries_ratio']:.2f}x "
                f"| | |"
            )
    return rows


def _libraries(cold: dict[str, Any]) -> list[str]:
    """The paragraph on the functions measured against their libraries alone (the api)."""
    lines = []
    for function in FUNCTIONS:
        r = cold[function]
        if "libraries_ratio" not in r:
            continue
        lines += [
            f"`{function}`'s libraries alone (bench/child_libraries.py): the same submission and the same calls, "
            "served with powertools' resolver and its request validation, Logger and Metrics, a pydantic "
            "model with pydantic's email check and a phonenumbers check, Babel's date, time and zone names and "
            "the country's holidays, each used once and loaded the way the api loads them, and none of the "
            f"product's code: {r['libraries_wall_ms']:.0f} ms (init {r['libraries_init_ms']:.0f}, call "
            f"{r['libraries_call_ms']:.0f}), **{r['libraries_ratio']:.2f}x** the floor. The handler is "
            f"**{r['product_over_libraries']:.2f}x** that program: what the product's own code adds to them.",
            "",
        ]
    return lines


def report(parts: dict[str, dict[str, Any]], took: dict[str, float], quick: bool) -> str:
    from bench import calls, capacity, cost, events

    cold, warm, counted, scaled = parts["coldstart"], parts["overhead"], parts["calls"], parts["scale"]
    info = machine()
    lines = ["# `make bench` results", ""]
    if quick:
        lines += ["**Quick run (`python -m bench --quick`): small samples, not the figures to quote.**", ""]
    lines += [
        f"Measured {info['date']} on {info['cpu']}, {info['cores']} cores, {info['memory']} memory; "
        f"{info['python']} on {info['os']}; {info['packages']}. A shared machine: every figure with a floor "
        "is a ratio of medians measured in the same run, the children taking turns.",
        "",
        "| figure | measured | floor | ratio | goal | met? |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    lines += _coldstart_rows(cold)
    for name, label in (
        ("api", "`POST /interviews`, warm"),
        (overhead.STEP, f"`{overhead.STEP}` delivery, warm"),
    ):
        r = warm[name]
        lines.append(
            f"| {label} (median of {r['iterations']}) | {r['product_ms']:.1f} ms | {r['floor_ms']:.1f} ms "
            f"| {r['ratio']:.2f}x | ≤ {overhead.GOAL}x | {_met(r['ratio'], overhead.GOAL)} |"
        )
    heard = parts.get("events")
    if heard:
        most = max(heard.items(), key=lambda kv: len(kv[1]["apply"]))
        lines.append(
            f"| AWS calls to apply one event the `feedback` function hears (the most of {len(heard)} kinds: "
            f"{most[0]}) | {len(most[1]['apply'])} | | | ≤ {events.APPLY_GOAL} "
            f"| {_met(len(most[1]['apply']), events.APPLY_GOAL)} |"
        )
    for name in calls.LIFECYCLES:
        measured = sum(calls.total(counted[name]["per_phase"]).values())
        least = sum(counted[name]["minimum"].values())
        lines.append(
            f"| AWS calls per interview, {name} | {measured} | {least} (design minimum, derived) "
            f"| {measured / least:.2f}x | asserted exactly by the tests, no Scan/Query "
            f"| {'yes' if not counted[name]['scans'] else '**no**'} |"
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
    paper = parts["capacity"]
    off, hour = paper["rows"][0], paper["rows"][-1]
    lines.append(
        f"| scale on paper: {paper['candidates']:,} candidates a month, busiest nudge minute "
        f"| {off['nudges']:,.0f} nudges; {off['sms_per_s']:,.0f} SMS/s with no window "
        f"| {hour['sms_per_s']:,.1f} SMS/s over a {hour['window_min']}-minute window | | | |"
    )
    lifecycles = cost.measured_lifecycles(counted)
    bill = {name: sum(cost.bill(used).values())
            for name, used in cost.column_usages(COST_CANDIDATES, lifecycles).items()}
    lines.append(
        f"| monthly AWS cost, {COST_CANDIDATES:,} candidates, email + SMS "
        f"| ${bill['ours, email + SMS']:,.2f} (in Spanish: ${bill['ours, email + SMS in Spanish']:,.2f}) "
        f"| ${bill['poll/minute, email + SMS']:,.2f} (poll a due-time index every minute) "
        f"| | | |"
    )
    lines.append(
        f"| monthly AWS cost, {COST_CANDIDATES:,} candidates, email only "
        f"| ${bill['ours, email']:,.2f} | ${bill['poll/minute, email']:,.2f} (poll a due-time index every minute) | | | |"
    )

    lines += [
        "",
        "## AWS calls per interview, per phase",
        "",
        "Every call of every botocore client in the process, recorded at botocore's client class "
        "(`local/calls.py`) and kept when a product module made it, over one whole lifecycle "
        "(`tests/integration/harness.py`); `tests/integration/test_call_counts.py` asserts these counts "
        "exactly. The design minimum is derived from the run, not typed (`bench/calls.py`): a submission writes "
        "once (its limits, its counts and the opt-out list's check inside that write) and sends; a confirmation "
        "reads and writes (the duplicate pointer inside), the first creating a schedule per follow-up it planned; "
        "a delivery reads once, sends once per channel and writes once; a decision reads, writes and creates the "
        "schedules it planned; a delete reads, writes and deletes the schedules still pending. What stays above "
        "it, and what each call buys: a delivery's claim before its first send and a record after each channel "
        "(so a retry never sends a channel twice), and SNS's opt-out check before each SMS (a number that texted "
        "STOP to AWS).",
        "",
    ]
    for name in calls.LIFECYCLES:
        lines += [f"**{name}**", "", calls.render(counted[name]), ""]
        lines += [
            f"Stored item after each phase: {counted[name]['item_bytes']} bytes; logs and metric lines: "
            f"{sum(counted[name]['log_bytes'].values()):,} bytes a lifecycle; "
            f"{len(counted[name]['metric_series'])} metric series seen.",
            "",
        ]

    if heard:
        lines += [
            "## AWS calls per event the feedback function hears",
            "",
            "Each kind once on a fresh interview whose thank-you note went out by email and SMS, then delivered "
            "again (`tests/integration/hearing_calls.py`; `tests/integration/test_hearing_calls.py` asserts these "
            "exactly). A reply reads the nudge's pointer and the interview and writes once: the day's forward or "
            "answer (a limit) and STOP's opt-out ride that write's transaction. The message an event makes the "
            "product send is counted apart.",
            "",
            events.render(heard),
            "",
        ]
    lines += [
        "## Cold start and warm overhead, in detail",
        "",
        f"Tracing measured: {_tracing(cold)}, as template.yaml deploys it by default (`Tracing: Active`: Lambda's "
        "own segments, no code in the function; the X-Ray SDK only with `XRaySdk=on`). Goals (issue 7): `api` "
        f"≤ {coldstart.GOAL}x, each step ≤ {coldstart.STEP_GOAL}x, warm ≤ {overhead.GOAL}x.",
        "",
        "| function | handler init | handler first call | floor init (boto3) | floor calls "
        "| floor, collector paused | ratio to it | SnapStart init | first call after it | calls made |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for function in FUNCTIONS:
        r = cold[function]
        lines.append(
            f"| `{function}` | {r['product_init_ms']:.0f} ms | {r['product_call_ms']:.0f} ms "
            f"| {r['floor_init_ms']:.0f} ms | {r['floor_call_ms']:.0f} ms | {r['floor_paused_wall_ms']:.0f} ms "
            f"| {r['ratio_same_collector']:.2f}x | {r['product_snapshotted_init_ms']:.0f} ms "
            f"| {r['product_snapshotted_call_ms']:.0f} ms | {', '.join(r['calls'])} |"
        )
    lines += [
        "",
        "The functions pause the garbage collector from their import to the end of their first invocation "
        "(followup/runtime/coldstart.py): a cold start builds ~130,000 long-lived objects and the collector's passes "
        "over them are a large part of its time. The goal is set against the plain boto3 program, which "
        "does not pause it. \"Floor, collector paused\" is that same program with the collector off from its "
        "first line, measured in the same rotation: the ratio to it is what the product's own code costs, "
        "with the collector's share taken out of both.",
        "",
        *_libraries(cold),
        "With `SnapStart=on`, Lambda runs a function's init once per published version and starts each sandbox "
        "from its snapshot; that init also loads what a plain cold start leaves to the first request "
        "(followup/runtime/snapshot.py: the field libraries, Babel's data, the holiday calendar). \"SnapStart init\" "
        "and \"first call after it\" are the same handler run with `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`, "
        "in the same rotation: the first call is what a restored sandbox's first request costs the code, "
        "without Lambda's restore itself, which is not measurable here.",
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
        *_layer_coldstart_section(),
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
        "One thing of the emulation, not of the product, is worked around: moto deep-copies a whole table "
        "on every TransactWriteItems, for its rollback (quadratic over 1,000 submissions); every moto the "
        "bench runs copies the item index instead (`local/moto_speedups.py`). The scheduler emulation "
        "(`local/engine.py`) lists the pending schedules once per round of due ones, not after each.",
        "",
        *_csv_import_section(parts["csv_import"]),
        "## Scale on paper: the nudge hour at 1,000,000 candidates a month",
        "",
        "`python -m bench.capacity`: every nudge placed by the product's own policy (`followup.domain.policy`) in "
        "seven time zones, counted per UTC minute; the assumptions (zone shares and their source, channel "
        "mix, quotas) are in bench/capacity.py's docstring.",
        "",
        capacity.render(parts["capacity"]),
        "",
        "## Monthly cost",
        "",
        "Item sizes, log bytes and metric series are read from the calls part's run. The polling design is the "
        "fair one: a Query every minute on a sparse due-time index that reads only due items (not a Scan).",
        "",
        "```",
        cost.table(COST_CANDIDATES, lifecycles),
        "```",
        "",
        *_layer_section(),
        "Time taken by the parts: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in took.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


LAYER_NOTE = (
    "Built by shared/Makefile's `build-SharedLayer` (the recipe `sam build` runs, BuildMethod makefile): pip's "
    "`manylinux2014_aarch64` wheels for CPython 3.13 from shared/requirements.txt (generated from "
    "requirements/layer.txt, hash-checked), the `followup` package with its templates and static files, "
    "tests/stubs/caches/pip records removed, and what the product never imports or reads (Babel's locale data but "
    "English, holidays' names in other languages and its financial markets, pydantic.v1, the powertools utilities "
    "the product does not use and its Swagger UI bundle, phonenumbers' short-number data, dnspython, tzdata's "
    "source tables: shared/Makefile's NEVER_IMPORTED, NEVER_READ and NOT_NEEDED, each checked by "
    "tests/unit/test_layer_strips.py), bytecode compiled by Python 3.13 "
    "(`unchecked-hash`: /opt is read-only). No boto3 and no botocore (the runtime's boto3 is used); no X-Ray SDK "
    "unless `XRaySdk=on`, which adds a second layer with the SDK and the boto3 + botocore pair it is locked with. "
    "Before issue 11: 72 MB; after issue 10 added Babel, holidays and icalendar, 65 MB before their trim, then "
    "30.2 MB with Babel's English data only. The goal (issue 11) is 25 MB."
)


LAYER_COLDSTART = ROOT / ".aws-sam" / "coldstart-layer.json"  # what `make bench-layer` writes


def _csv_import_section(result: dict[str, Any]) -> list[str]:
    from bench import csv_import

    return [
        "## The firm's CSV import",
        "",
        "`python -m bench.csv_import`: files of new candidates imported by a signed-in recruiter on the local stack, "
        "sent again while answered `202` (partial), as the firm's page does. A request enrols rows for at most "
        "`firm_import.BUDGET` seconds, then answers what it has: the HTTP API gives up on a request at 30 s. The "
        "same file sent once more is answered from its record and creates nothing.",
        "",
        csv_import.render(result),
        "",
    ]


def _layer_coldstart_section() -> list[str]:
    """The cold start from the built layer under Python 3.13, as deployed, from the last `make bench-layer`."""
    head = ["## Cold start from the built layer (`make bench-layer`)", ""]
    if not LAYER_COLDSTART.exists():
        return [*head, "Not measured: `make bench-layer` builds the layer for this machine and times it (a Python "
                "3.13 is needed).", ""]
    cold = json.loads(LAYER_COLDSTART.read_text())
    setup = cold["_setup"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(LAYER_COLDSTART.stat().st_mtime))
    lines = [
        *head,
        f"The same measure, run {when} by `make bench-layer` (not by this run): the children run Python "
        f"{setup['python']} with the layer as `sam build` builds it (for this machine's architecture) and the "
        f"boto3 that Lambda's runtime provides, as the functions run when deployed. "
        f"Tracing: {_tracing(cold)}.",
        "",
        "| figure | measured | floor | ratio | goal | met? |",
        "|---|---:|---:|---:|---:|:---:|",
        *_coldstart_rows(cold),
    ]
    return [*lines, ""]


def _layer_section() -> list[str]:
    """The built layer's size per package, when `make package` has built it (it needs a Python 3.13)."""
    from bench import package

    built = package.DEFAULT_DIR
    if not (built / "python").is_dir():
        return ["## The layer", "", "Not built in this run: `make package` builds it (a Python 3.13 is needed).", ""]
    result = package.measure(built)
    return ["## The layer (`make package`)", "", LAYER_NOTE, "", package.table(result), ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small samples, to try the bench out")
    args = parser.parse_args(argv)
    plan = {
        "calls": [],
        "events": [],
        "capacity": [],
        "coldstart": ["--runs", "3" if args.quick else str(coldstart.RUNS)],
        "overhead": ["--iterations", "30" if args.quick else str(overhead.ITERATIONS)],
        "scale": ["--interviews", "100" if args.quick else "1000"],
        "csv_import": ["--files", "1" if args.quick else "3"],
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
