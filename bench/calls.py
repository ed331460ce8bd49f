"""Every AWS API call of one interview's whole life, per phase, counted through botocore's hooks.

The lifecycle: the web form's submission (with its Idempotency-Key; email and SMS), the thank-you note
firing, the check-in firing, an offer recorded, the decision card firing, the interview deleted. Each
phase is checked as it goes (201, ``sent`` on both channels, 200, 204), so the counts are of a lifecycle
that worked. ``CALLS_PER_PHASE`` is what it makes today: tests/integration/test_call_counts.py asserts
the recorded counts against its own literals and against this constant, and bench/cost.py prices it.

    python -m bench.calls [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PHASES = ("submit", "thank_you_note", "check_in", "decision", "decision_thank_you", "delete")
# Which function serves each phase (one invocation each).
FUNCTION_OF_PHASE = {
    "submit": "api",
    "thank_you_note": "thank_you_note",
    "check_in": "check_in",
    "decision": "api",
    "decision_thank_you": "decision_thank_you",
    "delete": "api",
}
_DELIVERY = {
    "dynamodb:GetItem": 1,
    "dynamodb:PutItem": 3,
    "sesv2:SendEmail": 1,
    "sns:CheckIfPhoneNumberIsOptedOut": 1,
    "sns:Publish": 1,
}
# The product's AWS calls per phase of one interview, as measured (see the module docstring).
CALLS_PER_PHASE: dict[str, dict[str, int]] = {
    "submit": {"dynamodb:GetItem": 1, "scheduler:CreateSchedule": 2, "dynamodb:TransactWriteItems": 1},
    "thank_you_note": dict(_DELIVERY),
    "check_in": dict(_DELIVERY),
    "decision": {"dynamodb:GetItem": 1, "scheduler:CreateSchedule": 1, "dynamodb:PutItem": 1},
    "decision_thank_you": dict(_DELIVERY),
    "delete": {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1},
}
_EMAIL_DELIVERY = {"dynamodb:GetItem": 1, "dynamodb:PutItem": 2, "sesv2:SendEmail": 1}
# The same lifecycle for a candidate who chose email only.
CALLS_PER_PHASE_EMAIL_ONLY: dict[str, dict[str, int]] = {
    **CALLS_PER_PHASE,
    "thank_you_note": dict(_EMAIL_DELIVERY),
    "check_in": dict(_EMAIL_DELIVERY),
    "decision_thank_you": dict(_EMAIL_DELIVERY),
}
# What the design needs at the least, per phase (DESIGN.md's delivery semantics: claim, one record per
# channel before the next, the last record marking it sent), for the report's comparison.
MINIMUM_PER_PHASE: dict[str, dict[str, int]] = {
    "submit": {"scheduler:CreateSchedule": 2, "dynamodb:TransactWriteItems": 1},
    "thank_you_note": {**_DELIVERY, "dynamodb:PutItem": 3},
    "check_in": {**_DELIVERY, "dynamodb:PutItem": 3},
    "decision": {"dynamodb:GetItem": 1, "scheduler:CreateSchedule": 1, "dynamodb:PutItem": 1},
    "decision_thank_you": {**_DELIVERY, "dynamodb:PutItem": 3},
    "delete": {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1},
}
MINIMUM_PER_PHASE_EMAIL_ONLY: dict[str, dict[str, int]] = {
    **MINIMUM_PER_PHASE,
    **{
        step: {**_EMAIL_DELIVERY, "dynamodb:PutItem": 2}
        for step in ("thank_you_note", "check_in", "decision_thank_you")
    },
}
START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 in New York, an hour after the sample interview


def total(per_phase: dict[str, dict[str, int]]) -> Counter[str]:
    summed: Counter[str] = Counter()
    for counts in per_phase.values():
        summed.update(counts)
    return summed


@dataclass
class Answer:
    status: int
    body: Any


class Clock:
    """A settable clock for ``followup.clock.use_clock``."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)


def call_api(
    method: str,
    path: str,
    *,
    body: Any = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request through API Gateway's v2 event shape into the real API handler."""
    from local import handlers
    from local.apigw import http_event

    sent = dict(headers or {})
    if token:
        sent["authorization"] = f"Bearer {token}"
    if body is not None:
        sent["content-type"] = "application/json"
    answer = handlers.invoke(
        "api", http_event(method, path, headers=sent, body=json.dumps(body) if body is not None else None)
    )
    text = answer.get("body") or ""
    return Answer(int(answer["statusCode"]), json.loads(text) if text else None)


@dataclass
class Lifecycle:
    """What one run of the lifecycle recorded."""

    calls: Any  # local.calls.CallRecorder, one label per phase
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # the stored item after each phase
    interview_id: str = ""

    def per_phase(self) -> dict[str, dict[str, int]]:
        return {phase: dict(sorted(self.calls.operations(phase).items())) for phase in PHASES}


def _expect(condition: bool, what: str, got: Any) -> None:
    if not condition:
        raise AssertionError(f"lifecycle: {what}; got {got!r}")


def run_lifecycle(
    runner: Any,
    clock: Clock | Any,
    *,
    table: str | None = None,
    channels: tuple[str, ...] = ("email", "sms"),
    api: Callable[..., Any] = call_api,
    phase_hook: Callable[[str], Any] | None = None,
) -> Lifecycle:
    """Drive one interview through every phase with the real handlers, recording each phase's AWS calls.

    ``runner`` is a ``local.engine.ScheduleRunner`` for the provisioned resources (its own clients are not
    the product's: the scheduler's deletions and the test's reads are not counted); ``clock`` the clock
    the handlers see (callable, with ``set``); ``channels`` the candidate's choice. ``api`` answers
    objects with ``status`` and ``json()`` or
    ``body``; ``phase_hook(phase)`` is a context manager entered around each phase (the bench measures
    the log bytes with it).
    """
    import boto3

    from local.calls import CallRecorder

    recorder = CallRecorder().attach()
    lifecycle = Lifecycle(calls=recorder)
    body = json.loads(
        json.loads((Path(__file__).resolve().parent.parent / "events" / "submit_interview.json").read_text())[
            "body"
        ]
    )
    body.update(channels=list(channels), sms_consent="sms" in channels)
    dynamodb = boto3.client("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1"))
    table = table or os.environ["TABLE_NAME"]

    def view(answer: Any) -> Any:
        return answer.json() if hasattr(answer, "json") else answer.body

    def fire(step: str, days: float) -> None:
        fired = runner.fire_due(clock() + timedelta(days=days))
        _expect(
            [i.name.rsplit("-", 1)[-1] for i in fired] == [step],
            f"only {step} fires",
            [i.name for i in fired],
        )
        _expect(
            fired[0].result == {"result": "sent", "channels": dict.fromkeys(channels, "sent")},
            f"{step} sent on {', '.join(channels)}",
            fired[0].result,
        )

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        hook = phase_hook(name) if phase_hook else None
        with recorder.as_function(name):
            if hook is None:
                yield
            else:
                with hook:
                    yield
        if lifecycle.interview_id:
            item = dynamodb.get_item(
                TableName=table, Key={"pk": {"S": f"INTERVIEW#{lifecycle.interview_id}"}}
            )
            lifecycle.items[name] = item.get("Item", {})

    try:
        with phase("submit"):
            created = api("POST", "/interviews", body=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            _expect(created.status == 201, "the submission is created", created.status)
            data = view(created)
            lifecycle.interview_id, token = data["id"], data["manage_token"]
        path = f"/interviews/{lifecycle.interview_id}"
        with phase("thank_you_note"):
            fire("thank_you_note", days=3)
        with phase("check_in"):
            fire("check_in", days=10)
        clock.set(clock() + timedelta(days=2))
        with phase("decision"):
            decided = api(
                "POST",
                f"{path}/decision",
                token=token,
                body={
                    "outcome": "offer",
                    "hiring_manager": {"name": "Priya Natarajan"},
                    "supervisor": {"name": "Marcus Chen"},
                },
            )
            _expect(decided.status == 200, "the decision is recorded", decided.status)
        with phase("decision_thank_you"):
            fire("decision_thank_you", days=2)
        with phase("delete"):
            erased = api("DELETE", path, token=token)
            _expect(erased.status == 204, "the interview is deleted", erased.status)
    finally:
        recorder.detach()
    return lifecycle


# ---- sizes, for the cost model -------------------------------------------------------------------


def item_bytes(value: Any, name: str | None = None) -> int:
    """The size DynamoDB bills for an item (DynamoDB JSON): names and values, per its documented rules."""
    size = len(name.encode()) if name is not None else 0
    if (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)) in ("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS")
    ):
        kind, inner = next(iter(value.items()))
        if kind == "S":
            return size + len(inner.encode())
        if kind == "N":
            digits = len(inner.lstrip("-").replace(".", "").lstrip("0")) or 1
            return size + math.ceil(digits / 2) + 1
        if kind in ("BOOL", "NULL"):
            return size + 1
        if kind == "M":
            return size + 3 + sum(item_bytes(v, k) + 1 for k, v in inner.items())
        if kind == "L":
            return size + 3 + sum(item_bytes(v) + 1 for v in inner)
        return size + sum(len(str(v).encode()) for v in inner)
    return size + sum(item_bytes(v, k) for k, v in value.items())


@contextmanager
def _stdout_bytes(into: dict[str, int], name: str) -> Iterator[None]:
    """Count what is written to file descriptor 1 (the handlers' logs and metric lines) while inside."""
    from bench.env import stdout_to

    with tempfile.TemporaryFile() as sink:
        try:
            with stdout_to(sink.fileno()):
                yield
        finally:
            into[name] = os.fstat(sink.fileno()).st_size


LIFECYCLES = {  # name: (channels, the calls it makes, the least the design needs)
    "email+sms": (("email", "sms"), CALLS_PER_PHASE, MINIMUM_PER_PHASE),
    "email": (("email",), CALLS_PER_PHASE_EMAIL_ONLY, MINIMUM_PER_PHASE_EMAIL_ONLY),
}


def measure() -> dict[str, Any]:
    """Both lifecycles (email and SMS; email only) on an in-process moto (``mock_aws``), as the tests do."""
    from local import environment

    environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})
    import boto3
    from moto import mock_aws

    from bench.env import BASE_URL, FIRM, SENDER
    from followup import clock
    from local import handlers, provision
    from local.engine import ScheduleRunner

    fake = Clock()
    clock.use_clock(fake)
    results: dict[str, Any] = {}
    with mock_aws():
        environment.refresh()  # clients made inside moto
        resources = provision.provision(boto3.session.Session(), sender_email=SENDER)
        environment.use(environment.functions_environment(resources, firm_name=FIRM, public_base_url=BASE_URL))
        runner = ScheduleRunner(
            scheduler=boto3.client("scheduler"),
            sqs=boto3.client("sqs"),
            group=resources.schedule_group,
            dead_letter_url=resources.dead_letter_url,
            set_time=fake.set,
            targets={
                arn: (lambda event, step=step: handlers.invoke(step, event))
                for step, arn in resources.function_arns.items()
            },
        )
        for name, (channels, expected, _) in LIFECYCLES.items():
            fake.set(START)
            log_bytes: dict[str, int] = {}
            lifecycle = run_lifecycle(
                runner,
                fake,
                table=resources.table_name,
                channels=channels,
                phase_hook=lambda phase, into=log_bytes: _stdout_bytes(into, phase),
            )
            results[name] = {
                "per_phase": lifecycle.per_phase(),
                "matches_constant": lifecycle.per_phase()
                == {p: dict(sorted(c.items())) for p, c in expected.items()},
                "item_bytes": {phase: item_bytes(item) for phase, item in lifecycle.items.items() if item},
                "log_bytes": log_bytes,
            }
    clock.use_system_clock()
    return results


def render(results: dict[str, Any], minimum: dict[str, dict[str, int]] = MINIMUM_PER_PHASE) -> str:
    """The per-phase table, beside the least the design needs (``minimum``)."""
    per_phase = results["per_phase"]
    operations = sorted(total(per_phase))
    lines = [
        "| phase (function) | " + " | ".join(operations) + " | calls | design minimum |",
        "|---|" + "---:|" * (len(operations) + 2),
    ]
    for phase in PHASES:
        counts = per_phase[phase]
        cells = [str(counts.get(op, "")) for op in operations]
        lines.append(
            f"| {phase} ({FUNCTION_OF_PHASE[phase]}) | "
            + " | ".join(cells)
            + f" | {sum(counts.values())} | {sum(minimum[phase].values())} |"
        )
    summed = total(per_phase)
    lines.append(
        "| **one interview** | "
        + " | ".join(f"**{summed[op]}**" for op in operations)
        + f" | **{sum(summed.values())}** | **{sum(total(minimum).values())}** |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    results = measure()
    for name, result in results.items():
        print(f"\n{name}:\n{render(result, LIFECYCLES[name][2])}")
        print(f"stored item after each phase (bytes): {result['item_bytes']}")
        print(f"log and metric bytes per phase: {result['log_bytes']}")
    stale = [name for name, result in results.items() if not result["matches_constant"]]
    if stale:
        print(
            f"\nWARNING: the {', '.join(stale)} counts differ from bench/calls.py's constants: update "
            "them and "
            "tests/integration/test_call_counts.py",
            file=sys.stderr,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
