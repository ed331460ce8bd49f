"""What the fault-injection suites share: an injector of faults and cancels at the product's AWS calls, and the
report's counters read as the report reads them."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import botocore.client
from botocore.exceptions import ClientError, ReadTimeoutError

from followup.adapters.counters import DynamoCounters
from local.calls import product_frame

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
