"""Recording the AWS calls a handler makes, and replaying them with plain boto3: the floor a cold start and
the warm overhead are measured against (``bench/coldstart.py``, ``bench/overhead.py``).

Nothing here imports boto3 or botocore at module level: child processes import what they measure.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVICES = ("dynamodb", "scheduler", "sesv2", "sns")  # the product's clients a recording listens on


@dataclass
class ParamRecorder:
    """Every call of the product's cached clients with its parameters, through botocore's hooks."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def _on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        from botocore import xform_name

        self.calls.append(
            {
                "service": model.service_model.service_name,
                "method": xform_name(model.name),
                "operation": model.name,
                "params": copy.deepcopy(params),
            }
        )

    @contextmanager
    def recording(self) -> Iterator[ParamRecorder]:
        from followup.adapters import aws

        # Each service's clients: the retried one, and the one-try one the sends go through.
        clients = [aws.client(service, retried=retried) for service in SERVICES for retried in (True, False)]
        for made in clients:
            made.meta.events.register("before-parameter-build", self._on_call, unique_id=f"bench-{id(self)}")
        try:
            yield self
        finally:
            for made in clients:
                made.meta.events.unregister("before-parameter-build", unique_id=f"bench-{id(self)}")


def substitute(value: Any, mapping: dict[str, str]) -> Any:
    """``value`` with each key of ``mapping`` replaced by its value, in strings and bytes, recursively."""
    if isinstance(value, str):
        for old, new in mapping.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, bytes):
        for old, new in mapping.items():
            value = value.replace(old.encode(), new.encode())
        return value
    if isinstance(value, dict):
        return {substitute(k, mapping): substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [substitute(v, mapping) for v in value]
    return value


def to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def write_script(calls: list[dict[str, Any]], path: Path) -> Path:
    path.write_text(json.dumps(to_json([{k: c[k] for k in ("service", "method", "params")} for c in calls])))
    return path


def replay(calls: list[dict[str, Any]], clients: dict[str, Any]) -> None:
    """Make ``calls`` with ``clients`` (service -> boto3 client), in order."""
    for call in calls:
        getattr(clients[call["service"]], call["method"])(**call["params"])


def operations(calls: list[dict[str, Any]]) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in calls]
