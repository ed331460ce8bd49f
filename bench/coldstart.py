"""Cold start per function: a fresh interpreter that imports the handler and serves one real payload, against
a fresh interpreter that imports boto3 and makes the same AWS calls directly (the floor).

Both run as ``python -P`` children of this process, against one moto server in a process of its own, and
are timed from spawn to exit (both pay the interpreter's start and exit). The floor's calls are the ones
the handler made on the same kind of data, recorded through botocore's hooks and replayed on a fresh copy
of it (fresh ids, so every schedule name, key and condition is as new as the handler's).

The functions pause the garbage collector through their cold start (followup/runtime/coldstart.py); a plain
boto3 program does not, and the goal is set against that floor. A third child, the same floor with the
collector paused from its first line, isolates what the product's own code costs (``ratio_same_collector``).
A fourth, the handler again in a SnapStart init (``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start``: it loads at
init what a first request would, followup/runtime/snapshot.py), gives the first call a sandbox restored from that
init's snapshot would make (a stand-in: Lambda's restore itself is not in it). For the api, a fifth child
serves the same submission and makes the same calls with the api's libraries and none of the product's
code (bench/child_libraries.py): its ratio to the floor is what those libraries cost by themselves, and
the handler's ratio to it is what the product's own code adds. They take turns in a rotating order, run
by run, so that a noisy neighbour hits each alike.

Tracing is as template.yaml deploys it with its parameters' defaults (``deployed_tracing``): Lambda's
own active tracing, which costs the function nothing, and the X-Ray SDK only with ``XRaySdk=on``.
``--xray-sdk on`` measures the SDK's cost (the dev environment has the SDK).

By default the children run this virtual environment's interpreter and packages. ``--layer DIR``
runs them from a built layer instead (``DIR/python``, as Lambda's /opt/python), with ``--python`` (a
3.13 interpreter) and ``--runtime`` (a folder with the runtime's boto3) the way Lambda's python3.13
runtime runs: ``make bench-layer`` builds both for this machine and runs it.

    python -m bench.coldstart [--runs 15] [--json out.json] [--xray-sdk on|off]
                              [--layer DIR --python PATH --runtime DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.children import child_environment
from bench.env import (
    BENCH,
    FUNCTIONS,
    InterviewTemplate,
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
from bench.replay import ParamRecorder, operations, substitute, write_script

RUNS = 21
FEEDBACK = "feedback"
GOAL = 1.5  # the api's (issue 7): import + first request against its boto3 floor, as deployed
STEP_GOAL = 1.3  # each step function's


KINDS = ("product", "floor", "floor_paused", "product_snapshotted")
LIBRARIES = "libraries"  # the api's fifth kind: its libraries, none of the product's code
SNAPSHOTTED = {"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}  # what Lambda's runtime sets in SnapStart's init


def kinds_of(function: str) -> tuple[str, ...]:
    return (*KINDS, LIBRARIES) if function == "api" else KINDS


def goal_of(function: str) -> float:
    return GOAL if function == "api" else STEP_GOAL


class Payloads:
    """For one function: a fresh payload for the handler and a fresh replay of its calls for the floor."""

    def __init__(self, function: str, env: dict[str, str], workdir: Path) -> None:
        import boto3

        from local import handlers

        self.function = function
        self.workdir = workdir
        self.dynamodb = boto3.client("dynamodb")
        self.table = env["TABLE_NAME"]
        self.runs = 0
        recorder = ParamRecorder()
        if function == "api":
            key = str(uuid.uuid4())
            with recorder.recording():
                answer = handlers.invoke("api", submit_event(submission(), key))
            assert answer["statusCode"] == 202, answer
            self._template_ids = {
                json.loads(answer["body"])["id"]: "id",
                hashlib.sha256(key.encode()).hexdigest(): "key",
            }
        elif function == FEEDBACK:
            self.interview = self._sent_thank_you_note(handlers.invoke)
            recorded = self.interview.seed(self.dynamodb, self.table)
            with recorder.recording():
                answer = handlers.invoke(function, self._bounce(recorded))
            assert answer["result"] == "applied", answer
            self._template_ids = {recorded: "id"}
        else:
            self.interview = interview_ready_for(function, handlers.invoke, self.dynamodb, self.table)
            recorded = self.interview.seed(self.dynamodb, self.table)
            with recorder.recording():
                answer = handlers.invoke(function, step_event(recorded, function, self.interview.version))
            assert answer["result"] == "sent", answer
            self._template_ids = {recorded: "id"}
        self.calls = recorder.calls

    def handler_event(self) -> Path:
        self.runs += 1
        if self.function == "api":
            event = submit_event(submission())
        elif self.function == FEEDBACK:
            event = self._bounce(self.interview.seed(self.dynamodb, self.table))
        else:
            fresh = self.interview.seed(self.dynamodb, self.table)
            event = step_event(fresh, self.function, self.interview.version)
        path = self.workdir / f"{self.function}-event-{self.runs}.json"
        path.write_text(json.dumps(event))
        return path

    def _sent_thank_you_note(self, invoke: Any) -> InterviewTemplate:
        """An interview whose thank-you note went out (its email's message id recorded), to clone for each event."""
        from followup.domain.models import STEPS

        ready = interview_ready_for(STEPS[0], invoke, self.dynamodb, self.table)
        sent = ready.seed(self.dynamodb, self.table)
        invoke(STEPS[0], step_event(sent, STEPS[0], ready.version))
        item = self.dynamodb.get_item(TableName=self.table, Key={"pk": {"S": f"INTERVIEW#{sent}"}},
                                      ConsistentRead=True)["Item"]
        return InterviewTemplate(item=item, interview_id=sent, step=STEPS[0], version=ready.version)

    def _bounce(self, interview_id: str) -> dict[str, Any]:
        """SES's event of a permanent bounce of that interview's thank-you note (a read, the suppression's write and
        the interview's: the costliest event)."""
        from tests.ses_feedback import envelope, record_of

        item = self.interview.item
        email = item["follow_ups"]["M"][self.interview.step]["M"]["deliveries"]["M"]["email"]["M"]
        tags = {"interview": interview_id, "kind": self.interview.step, "channel": "email"}
        return envelope(record_of(item["candidate"]["M"]["email"]["S"], email["message_id"]["S"], tags, "Bounce",
                                  "2026-03-13T14:02:05.000Z"))

    def floor_script(self) -> Path:
        self.runs += 1
        mapping: dict[str, str] = {}
        for template, kind in self._template_ids.items():
            if kind == "key":
                mapping[template] = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
            elif self.function == "api":
                mapping[template] = new_id()
            else:
                mapping[template] = self.interview.seed(self.dynamodb, self.table)
        return write_script(
            substitute(self.calls, mapping), self.workdir / f"{self.function}-floor-{self.runs}.json"
        )


def deployed_tracing(xray_sdk: str | None = None) -> dict[str, str]:
    """The tracing variables template.yaml gives every function, with ``XRaySdk`` at its default or as told."""
    from local import provision

    template = provision.template()
    parameter, on = template["Conditions"]["XRaySdkOn"]["Fn::Equals"]
    sdk = xray_sdk or provision.parameter_default(parameter["Ref"])
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    condition, if_on, if_off = variables["POWERTOOLS_TRACE_DISABLED"]["Fn::If"]
    assert condition == "XRaySdkOn"
    return {
        "POWERTOOLS_TRACE_DISABLED": if_on if sdk == on else if_off,
        "TRACING_MODE": template["Globals"]["Function"]["Tracing"],
        "XRAY_SDK": sdk,
    }


class Interpreter:
    """How a child runs: this environment's Python, or another one with a built layer on its path."""

    def __init__(self, python: str | None = None, layer: Path | None = None, runtime: Path | None = None) -> None:
        self.python = python or sys.executable
        self.path = [str(p) for p in ((layer / "python") if layer else None, runtime) if p]
        self.label = "virtual environment" if layer is None else f"built layer {layer}"

    def run(self, args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, dict[str, Any]]:
        """``python -P <args>``: its wall time (spawn to exit) and the JSON on stderr's last line."""
        if self.path:
            # Lambda's order: the layer (/opt/python), the runtime's packages, then what the bench needs (local/).
            env = {**env, "PYTHONPATH": os.pathsep.join([*self.path, str(BENCH.parent)])}
            env.pop("VIRTUAL_ENV", None)
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - a Python interpreter and our own scripts
            [self.python, "-P", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            timeout=timeout, check=False,
        )
        wall = time.perf_counter() - started
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"{args} failed ({done.returncode}):\n" + "\n".join(lines[-30:]))
        return wall, json.loads(lines[-1])

    def version(self) -> str:
        done = subprocess.run(  # noqa: S603
            [self.python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True, check=True,
        )
        return done.stdout.strip()


def _check(function: str, outcome: dict[str, Any]) -> None:
    if function == "api" and outcome["status"] != 202:
        raise RuntimeError(f"api answered {outcome}")
    if function == FEEDBACK:
        if outcome["result"] != "applied":
            raise RuntimeError(f"{function} answered {outcome}")
        return
    if function != "api" and (outcome["result"] != "sent" or set(outcome["channels"].values()) != {"sent"}):
        raise RuntimeError(f"{function} answered {outcome}")


def measure(
    runs: int = RUNS, progress: Any = None, xray_sdk: str | None = None, interpreter: Interpreter | None = None
) -> dict[str, Any]:
    interpreter = interpreter or Interpreter()
    run_child = interpreter.run
    tracing = deployed_tracing(xray_sdk)
    results: dict[str, Any] = {
        "_setup": {"tracing": tracing, "from": interpreter.label, "python": interpreter.version()}
    }
    with MotoProcess() as moto, tempfile.TemporaryDirectory(prefix="bench-coldstart-") as tmp:
        env = provision_on(moto.url)
        handler_child, floor_child = str(BENCH / "child_handler.py"), str(BENCH / "child_floor.py")
        libraries_child = str(BENCH / "child_libraries.py")
        for function in FUNCTIONS:
            payloads = Payloads(function, env, Path(tmp))
            child_env = {
                **child_environment(env, function),
                "POWERTOOLS_TRACE_DISABLED": tracing["POWERTOOLS_TRACE_DISABLED"],
            }
            # Once each, uncounted: compiles what has no .pyc yet.
            run_child([handler_child, function, str(payloads.handler_event())], child_env)
            run_child([floor_child, str(payloads.floor_script())], child_env)
            kinds = kinds_of(function)
            if LIBRARIES in kinds:
                run_child([libraries_child, str(payloads.handler_event()), str(payloads.floor_script())], child_env)
            seen: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
            for run in range(runs):
                turn = run % len(kinds)
                for kind in kinds[turn:] + kinds[:turn]:
                    if kind == LIBRARIES:
                        wall, outcome = run_child(
                            [libraries_child, str(payloads.handler_event()), str(payloads.floor_script())], child_env
                        )
                        _check(function, outcome)
                    elif kind.startswith("product"):
                        wall, outcome = run_child(
                            [handler_child, function, str(payloads.handler_event())],
                            {**child_env, **SNAPSHOTTED} if kind == "product_snapshotted" else child_env,
                        )
                        _check(function, outcome)
                    else:
                        paused = ["--collector-paused"] if kind == "floor_paused" else []
                        wall, outcome = run_child([floor_child, str(payloads.floor_script()), *paused], child_env)
                    seen[kind].append({"wall": wall, "init": outcome["init"], "call": outcome["call"]})
            results[function] = summary = {
                "runs": runs,
                "calls": operations(payloads.calls),
                **{
                    f"{kind}_{k}_ms": median_ms([r[k] for r in seen[kind]])
                    for kind in kinds
                    for k in ("wall", "init", "call")
                },
            }
            summary["ratio"] = summary["product_wall_ms"] / summary["floor_wall_ms"]
            summary["ratio_same_collector"] = summary["product_wall_ms"] / summary["floor_paused_wall_ms"]
            if LIBRARIES in kinds:
                summary["libraries_ratio"] = summary["libraries_wall_ms"] / summary["floor_wall_ms"]
                summary["product_over_libraries"] = summary["product_wall_ms"] / summary["libraries_wall_ms"]
            if progress:
                progress(
                    f"cold start {function}: {summary['product_wall_ms']:.0f} ms vs floor "
                    f"{summary['floor_wall_ms']:.0f} ms = {summary['ratio']:.2f}x (floor with the collector "
                    f"paused {summary['floor_paused_wall_ms']:.0f} ms = {summary['ratio_same_collector']:.2f}x)"
                    + (
                        f"; its libraries alone {summary['libraries_wall_ms']:.0f} ms = "
                        f"{summary['libraries_ratio']:.2f}x, the handler {summary['product_over_libraries']:.2f}x them"
                        if LIBRARIES in kinds
                        else ""
                    )
                )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coldstart", description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"runs of each, at least 15 for the report (default {RUNS})"
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--xray-sdk", choices=("on", "off"), help="the template's XRaySdk (default: its default)")
    parser.add_argument("--layer", type=Path, help="run the children from this built layer (DIR/python)")
    parser.add_argument("--python", help="the children's interpreter (with --layer: a Python 3.13)")
    parser.add_argument("--runtime", type=Path, help="with --layer: a folder holding the runtime's boto3")
    parser.add_argument("--locale", help="the candidates' locale (default the firm's): es-US loads Spanish's words")
    args = parser.parse_args(argv)
    if args.locale:
        from bench import env

        env.LOCALE = args.locale
    interpreter = Interpreter(args.python, args.layer, args.runtime)
    with quiet_stdout():
        results = measure(
            args.runs, progress=lambda line: print(line, file=sys.stderr, flush=True), xray_sdk=args.xray_sdk,
            interpreter=interpreter,
        )
    setup = results["_setup"]
    print(f"from the {setup['from']}, Python {setup['python']}, tracing {setup['tracing']}")
    for function, r in results.items():
        if function == "_setup":
            continue
        print(
            f"{function:20} handler {r['product_wall_ms']:6.0f} ms (init {r['product_init_ms']:.0f}, call "
            f"{r['product_call_ms']:.0f})  floor {r['floor_wall_ms']:6.0f} ms (init "
            f"{r['floor_init_ms']:.0f}, call "
            f"{r['floor_call_ms']:.0f})  {r['ratio']:.2f}x  collector paused in both: "
            f"{r['ratio_same_collector']:.2f}x  SnapStart init {r['product_snapshotted_init_ms']:.0f} ms, first call "
            f"after it {r['product_snapshotted_call_ms']:.0f} ms  [{', '.join(r['calls'])}]"
            + (
                f"  libraries alone {r['libraries_wall_ms']:.0f} ms = {r['libraries_ratio']:.2f}x floor, "
                f"handler {r['product_over_libraries']:.2f}x them"
                if "libraries_ratio" in r
                else ""
            )
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
