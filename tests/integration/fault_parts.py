"""What the fault-injection suites share: an injector of faults and cancels at the product's AWS calls, the report's
counters read as the report reads them, and for the suites that hear back, a provisioned account with an injector,
the feedback function invoked as Lambda invokes it, the interview as stored, and the figures they print."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import boto3
import botocore.client
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError, ReadTimeoutError

from followup.adapters.counters import DynamoCounters
from local import handlers
from local.calls import product_frame
from local.engine import LAMBDA_ASYNC_RETRIES
from tests.integration.harness import Clock, provisioned_account

LOST_ANSWER = "lost answer"  # the call is made, its answer never comes back


class Injector:
    """Numbers the product's AWS calls while active; at call number ``at`` it makes that call fail, lose its
    answer, or runs ``cancel`` first. Wraps botocore's ``BaseClient._make_api_call``, as ``local.calls`` does."""

    def __init__(self) -> None:
        self.original = botocore.client.BaseClient._make_api_call  # noqa: SLF001
        self.active = False
        self.calls: list[str] = []
        self.at = -1
        self.action: str | Callable[[], None] = ""
        self.cancelled_at: int | None = None

    def reset(self, at: int = -1, action: str | Callable[[], None] = "") -> None:
        self.calls, self.at, self.action, self.cancelled_at = [], at, action, None

    def __enter__(self) -> Injector:
        injector = self

        def injected(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if not injector.active or product_frame() is None:
                return injector.original(client, operation, params)
            index = len(injector.calls)
            injector.calls.append(f"{client.meta.service_model.service_name}:{operation}")
            if index == injector.at:
                if callable(injector.action):
                    injector.active = False  # the cancel's own calls are the API's, not the delivery's
                    try:
                        injector.action()
                    finally:
                        injector.active = True
                    injector.cancelled_at = index
                elif injector.action == LOST_ANSWER:
                    injector.original(client, operation, params)
                    raise ReadTimeoutError(endpoint_url="https://injected.example")
                else:
                    raise ClientError({"Error": {"Code": injector.action, "Message": "injected"}}, operation)
            return injector.original(client, operation, params)

        botocore.client.BaseClient._make_api_call = injected  # noqa: SLF001
        return self

    def __exit__(self, *exc: object) -> None:
        botocore.client.BaseClient._make_api_call = self.original  # noqa: SLF001


def counted() -> Counter[str]:
    """The report's counters over the scenarios' year, read as the report reads them."""
    return Counter(DynamoCounters(os.environ["TABLE_NAME"]).read(date(2026, 1, 1), date(2026, 12, 31)))


def count_delta(before: Counter[str]) -> dict[str, int]:
    after = counted()
    return {metric: after[metric] - before[metric] for metric in {*after, *before} if after[metric] != before[metric]}


@dataclass
class Tally:
    """What a hearing-back suite found, printed at the end of the run (``tests/conftest.py``)."""

    name: str
    scenarios: int = 0
    wrong_states: int = 0
    extra_sends: int = 0
    miscounts: int = 0
    raised_malformed: int = 0  # a malformed event that raised: Lambda would retry it, in vain
    created_for_erased: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"fault injection, {self.name}: {self.scenarios} scenarios, {self.wrong_states} wrong states, "
                f"{self.extra_sends} extra sends, {self.miscounts} report miscounts, {self.raised_malformed} malformed "
                f"events raised, {self.created_for_erased} items created for erased interviews")


@dataclass
class Stack:
    clock: Clock
    injector: Injector


@contextmanager
def feedback_stack() -> Iterator[Stack]:
    """A provisioned account whose limits let every scenario submit from one address, with an injector attached."""
    clock = Clock()
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 100_000,
                                                "ConfirmationsPerDayPerDestination": 100_000}), Injector() as injector:
        yield Stack(clock, injector)


def invoke_as_lambda(stack: Stack, event: dict[str, Any]) -> Any:
    """One asynchronous invocation of the feedback function, its faults injected: Lambda tries it again (twice)
    after an error. None when every try failed."""
    stack.injector.active = True
    try:
        for _ in range(1 + LAMBDA_ASYNC_RETRIES):
            try:
                return handlers.invoke("feedback", event)
            except Exception:  # noqa: BLE001, S112 - Lambda treats any error as a failed invocation, and retries
                continue
        return None
    finally:
        stack.injector.active = False


def stored(interview_id: str) -> dict[str, Any] | None:
    """The interview item as stored, read back as plain data (None once erased)."""
    item = boto3.client("dynamodb", region_name="us-east-1").get_item(
        TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": f"INTERVIEW#{interview_id}"}}, ConsistentRead=True
    ).get("Item")
    return {k: TypeDeserializer().deserialize(v) for k, v in item.items()} if item else None
