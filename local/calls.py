"""Count and attribute every AWS API call the product makes, through botocore's event hooks.

Used by the test that checks each call against the function's IAM policy, by the call-count tests,
and by `make bench`. It attaches to the product's own cached clients (``followup.adapters.aws.client``).
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from followup.adapters import aws

SERVICES = ("dynamodb", "scheduler", "sesv2", "sns")
# Service name in botocore -> prefix of its IAM actions.
IAM_PREFIX = {"dynamodb": "dynamodb", "scheduler": "scheduler", "sesv2": "ses", "sns": "sns"}
TRANSACT_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


@dataclass(frozen=True)
class Call:
    function: str
    service: str
    operation: str
    iam_actions: frozenset[str]


def iam_actions(service: str, operation: str, params: dict[str, Any]) -> frozenset[str]:
    """The IAM actions AWS authorises one call against."""
    prefix = IAM_PREFIX[service]
    if service == "dynamodb" and operation == "TransactWriteItems":
        return frozenset(
            f"dynamodb:{TRANSACT_ITEM_ACTIONS[kind]}" for item in params["TransactItems"] for kind in item
        )
    actions = {f"{prefix}:{operation}"}
    if service == "scheduler" and operation in ("CreateSchedule", "UpdateSchedule"):
        actions.add("iam:PassRole")  # the schedule's target role is passed to the scheduler
    if service == "sesv2" and operation == "SendEmail" and "Raw" in params.get("Content", {}):
        actions.add("ses:SendRawEmail")
    return frozenset(actions)


@dataclass
class CallRecorder:
    calls: list[Call] = field(default_factory=list)
    function: str = "?"

    def _on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        self.calls.append(Call(self.function, service, model.name, iam_actions(service, model.name, params)))

    def attach(self) -> CallRecorder:
        for service in SERVICES:
            events = aws.client(service).meta.events
            events.register("before-parameter-build", self._on_call, unique_id=f"recorder-{id(self)}")
        return self

    def detach(self) -> None:
        for service in SERVICES:
            aws.client(service).meta.events.unregister("before-parameter-build", unique_id=f"recorder-{id(self)}")

    @contextmanager
    def as_function(self, name: str):
        previous, self.function = self.function, name
        try:
            yield self
        finally:
            self.function = previous

    def operations(self, function: str | None = None) -> Counter[str]:
        return Counter(
            f"{c.service}:{c.operation}" for c in self.calls if function is None or c.function == function
        )

    def clear(self) -> None:
        self.calls.clear()
