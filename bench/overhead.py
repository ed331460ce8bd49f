"""Request overhead in a warm process: the real handler against the same AWS calls made directly with boto3.

- ``POST /interviews`` (the web form's request, with its Idempotency-Key) through the API handler, against
  its calls replayed with warm boto3 clients: the idempotency read, the follow-ups' schedules, the
  interview and idempotency record written together;
- one step delivery (``thank_you_note``, email and SMS) through its handler, against its raw calls: the
  claim, the email, its record, the opt-out check, the SMS, its record, the end.

Both against one moto server in a process of its own, alternating call by call; every payload and
every replayed call works on fresh data (fresh ids), prepared outside the timed part.

    python -m bench.overhead [--iterations 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.children import lambda_runtime
from bench.env import (
    MotoProcess,
    interview_ready_for,
    median_ms,
    new_id,
    provision_on,
    quiet_stdout,
    step_event,
    submission,
    submit_event,
)
from bench.replay import SERVICES, ParamRecorder, operations, replay, substitute

ITERATIONS = 200
WARMUP = 20
GOAL = 1.2
STEP = "thank_you_note"


def _alternate(
    iterations: int, product: Callable[[], float], floor: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Both ``iterations`` times, alternating; answers the timed seconds of each (after the warm-up)."""
    mine: list[float] = []
    theirs: list[float] = []
    for run in range(WARMUP + iterations):
        if run % 2 == 0:
            a, b = product(), floor()
        else:
            b, a = floor(), product()
        if run >= WARMUP:
            mine.append(a)
            theirs.append(b)
    return mine, theirs


def _summary(product: list[float], floor: list[float], calls: list[dict[str, Any]]) -> dict[str, Any]:
    summary = {
        "iterations": len(product),
        "calls": operations(calls),
        "product_ms": median_ms(product),
        "floor_ms": median_ms(floor),
    }
    summary["ratio"] = summary["product_ms"] / summary["floor_ms"]
    return summary


def measure(iterations: int = ITERATIONS, progress: Any = None) -> dict[str, Any]:
    import boto3

    with MotoProcess() as moto:
        env = provision_on(moto.url)
        os.environ.update(lambda_runtime("api"))
        from local import handlers

        session = boto3.session.Session()
        clients = {service: session.client(service) for service in SERVICES}
        dynamodb, table = clients["dynamodb"], env["TABLE_NAME"]
        results: dict[str, Any] = {}

        # ---- POST /interviews ------------------------------------------------------------------
        key = str(uuid.uuid4())
        recorder = ParamRecorder()
        with recorder.recording():
            answer = handlers.invoke("api", submit_event(submission(), key))
        assert answer["statusCode"] == 202, answer
        template_id, template_key = json.loads(answer["body"])["id"], hashlib.sha256(key.encode()).hexdigest()

        def submit() -> float:
            event = submit_event(submission())
            started = time.perf_counter()
            answer = handlers.invoke("api", event)
            elapsed = time.perf_counter() - started
            if answer["statusCode"] != 202:
                raise RuntimeError(f"POST /interviews answered {answer}")
            return elapsed

        def submit_floor() -> float:
            calls = substitute(
                recorder.calls,
                {template_id: new_id(), template_key: hashlib.sha256(uuid.uuid4().bytes).hexdigest()},
            )
            started = time.perf_counter()
            replay(calls, clients)
            return time.perf_counter() - started

        results["api"] = _summary(*_alternate(iterations, submit, submit_floor), recorder.calls)
        if progress:
            progress(
                f"warm POST /interviews: {results['api']['product_ms']:.1f} ms vs floor "
                f"{results['api']['floor_ms']:.1f} ms = {results['api']['ratio']:.2f}x"
            )

        # ---- one step delivery -----------------------------------------------------------------
        interview = interview_ready_for(STEP, handlers.invoke, dynamodb, table)
        recorded = interview.seed(dynamodb, table)
        step_recorder = ParamRecorder()
        with step_recorder.recording():
            answer = handlers.invoke(STEP, step_event(recorded, STEP, interview.version))
        assert answer["result"] == "sent", answer

        def deliver() -> float:
            event = step_event(interview.seed(dynamodb, table), STEP, interview.version)
            started = time.perf_counter()
            answer = handlers.invoke(STEP, event)
            elapsed = time.perf_counter() - started
            if answer["result"] != "sent":
                raise RuntimeError(f"{STEP} answered {answer}")
            return elapsed

        def deliver_floor() -> float:
            calls = substitute(step_recorder.calls, {recorded: interview.seed(dynamodb, table)})
            started = time.perf_counter()
            replay(calls, clients)
            return time.perf_counter() - started

        results[STEP] = _summary(*_alternate(iterations, deliver, deliver_floor), step_recorder.calls)
        if progress:
            progress(
                f"warm {STEP} delivery: {results[STEP]['product_ms']:.1f} ms vs floor "
                f"{results[STEP]['floor_ms']:.1f} ms = {results[STEP]['ratio']:.2f}x"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.overhead", description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--iterations", type=int, default=ITERATIONS, help=f"timed runs of each (default {ITERATIONS})"
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    with quiet_stdout():
        results = measure(args.iterations, progress=lambda line: print(line, file=sys.stderr, flush=True))
    for name, r in results.items():
        print(
            f"{name:16} handler {r['product_ms']:6.1f} ms  floor {r['floor_ms']:6.1f} ms  {r['ratio']:.2f}x  "
            f"over {r['iterations']} runs  [{', '.join(r['calls'])}]"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
