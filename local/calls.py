"""Record every AWS API call and every client made in this process, whatever the service or session.

``CallRecorder`` wraps botocore's ``BaseClient._make_api_call`` (every operation of every client of every
session goes through it) and ``botocore.session.Session.create_client`` while attached. Each call keeps
its parameters and the product module that made it: the innermost frame of the stack inside the
``followup`` package or a function's handler (``functions/``). Calls with no such frame (the test's own
reads, the scheduler emulation's deletions) are recorded as not the product's.

``requests_of(call, account)`` turns a call into what IAM authorises: one action on one resource with its
condition keys (a TransactWriteItems is one request per item, a schedule that names a role also passes
it). The IAM test, the call-count tests and ``make bench`` use this module.
"""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import botocore.client
import botocore.session

import followup

PRODUCT = Path(followup.__file__).resolve().parent
ADAPTERS = PRODUCT / "adapters"
HANDLERS = Path(__file__).resolve().parent.parent / "functions"
TRANSACT_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


@dataclass(frozen=True)
class Call:
    function: str  # the label active when it was made (a function or a phase)
    service: str  # botocore's service name: "dynamodb", "sesv2", "sqs", ...
    operation: str  # "GetItem"
    params: dict[str, Any]
    region: str
    caller: Path | None  # the product module that made it; None: not the product's
    signing_name: str = ""  # the prefix of its IAM actions ("ses" for sesv2)

    @property
    def name(self) -> str:
        return f"{self.service}:{self.operation}"


@dataclass(frozen=True)
class ClientMade:
    service: str
    caller: Path | None  # the product module that asked for it; None: not the product


@dataclass(frozen=True)
class Request:
    """One IAM authorisation: an action on a resource, with the condition keys the request carries."""

    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()


def product_frame(depth: int = 2) -> Path | None:
    """The file of the innermost frame of the calling stack inside the product, if any."""
    frame = sys._getframe(depth)  # noqa: SLF001 - walking the stack is the point
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(PRODUCT) or path.is_relative_to(HANDLERS):
            return path
        frame = frame.f_back
    return None


def _arn(service: str, region: str, account: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def requests_of(call: Call, account: str) -> list[Request]:
    """What IAM authorises for ``call`` made in ``account``."""
    p, region = call.params, call.region
    if call.service == "dynamodb" and call.operation == "TransactWriteItems":
        return [
            Request(
                f"dynamodb:{TRANSACT_ITEM_ACTIONS[kind]}",
                _arn("dynamodb", region, account, f"table/{body['TableName']}"),
            )
            for item in p["TransactItems"]
            for kind, body in item.items()
        ]
    if call.service == "dynamodb" and call.operation in ("BatchGetItem", "BatchWriteItem"):
        return [Request(f"dynamodb:{call.operation}", _arn("dynamodb", region, account, f"table/{table}"))
                for table in p["RequestItems"]]
    if call.service == "dynamodb" and "TableName" in p:
        # A Query or Scan of an index is authorised on the index's own ARN.
        index = f"/index/{p['IndexName']}" if p.get("IndexName") else ""
        return [Request(f"dynamodb:{call.operation}",
                        _arn("dynamodb", region, account, f"table/{p['TableName']}{index}"))]
    if call.service == "scheduler" and call.operation.endswith("Schedule"):
        group = p.get("GroupName", "default")
        made = [Request(f"scheduler:{call.operation}", _arn("scheduler", region, account, f"schedule/{group}/{p['Name']}"))]
        if "Target" in p and p["Target"].get("RoleArn"):
            made.append(
                Request("iam:PassRole", p["Target"]["RoleArn"], (("iam:PassedToService", "scheduler.amazonaws.com"),))
            )
        return made
    if call.service == "sesv2" and call.operation == "SendEmail":
        sender = parseaddr(p.get("FromEmailAddress", ""))[1]
        identity = p.get("FromEmailAddressIdentityArn") or _arn("ses", region, account, f"identity/{sender}")
        context = (("ses:FromAddress", sender),)
        actions = ["ses:SendEmail"] + (["ses:SendRawEmail"] if "Raw" in p.get("Content", {}) else [])
        # SES authorises a send that names a configuration set against the set too.
        resources = [identity] + ([_arn("ses", region, account, f"configuration-set/{p['ConfigurationSetName']}")]
                                  if p.get("ConfigurationSetName") else [])
        return [Request(action, resource, context) for resource in resources for action in actions]
    # Everything else (SMS to a phone number, a service the product should not call) on "*".
    return [Request(f"{call.signing_name or call.service}:{call.operation}", "*")]


@dataclass
class CallRecorder:
    calls: list[Call] = field(default_factory=list)
    clients: list[ClientMade] = field(default_factory=list)
    function: str = "?"
    _saved: tuple[Any, Any] | None = None

    def attach(self) -> CallRecorder:
        if self._saved is not None:
            raise RuntimeError("already attached")
        make_api_call = botocore.client.BaseClient._make_api_call  # noqa: SLF001
        create_client = botocore.session.Session.create_client
        recorder = self

        def recorded_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
            model = client.meta.service_model
            recorder.calls.append(
                Call(
                    recorder.function,
                    model.service_name,
                    operation_name,
                    dict(api_params),
                    client.meta.region_name,
                    product_frame(),
                    model.signing_name,
                )
            )
            return make_api_call(client, operation_name, api_params)

        def recorded_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
            recorder.clients.append(ClientMade(service_name, product_frame()))
            return create_client(session, service_name, *args, **kwargs)

        self._saved = (make_api_call, create_client)
        botocore.client.BaseClient._make_api_call = recorded_call  # noqa: SLF001
        botocore.session.Session.create_client = recorded_client
        return self

    def detach(self) -> None:
        if self._saved is None:
            return
        botocore.client.BaseClient._make_api_call, botocore.session.Session.create_client = self._saved  # noqa: SLF001
        self._saved = None

    def __enter__(self) -> CallRecorder:
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    @contextmanager
    def as_function(self, name: str):
        previous, self.function = self.function, name
        try:
            yield self
        finally:
            self.function = previous

    def product_calls(self, function: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.caller is not None and (function is None or c.function == function)]

    def operations(self, function: str | None = None) -> Counter[str]:
        return Counter(c.name for c in self.product_calls(function))

    def clear(self) -> None:
        self.calls.clear()
        self.clients.clear()
