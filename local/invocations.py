"""How AWS invokes one of the template's functions for an event source that does not wait for it (an EventBridge
rule, an SNS subscription, a CloudWatch Logs subscription filter): Lambda's asynchronous invocation.

``function_target`` reads what that takes from a ``AWS::Serverless::Function``: its code folder, its handler (the
local stack runs ``functions/<name>/app.py``'s ``lambda_handler``, nothing else), ``EventInvokeConfig``'s
``MaximumRetryAttempts`` (Lambda's default: 2) and its ``DeadLetterQueue``. ``deliver`` tries the function
1 + retries times, then hands the event to the dead-letter queue, and says what happened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Protocol

from local.intrinsics import Scope, condition, resolve

FUNCTION_TYPES = ("AWS::Serverless::Function",)
LAMBDA_ASYNC_RETRIES = 2  # Lambda's default MaximumRetryAttempts for an asynchronous invocation

Invoke = Callable[[str, dict[str, Any]], Any]  # (functions/<code>, event) -> the handler's answer
DeadLetter = Callable[[str, dict[str, Any], str], None]  # (queue ARN, event, error)


class NotEmulated(ValueError):
    """The template asks for something the local stack does not do as AWS would: it says so at start."""


class Invocable(Protocol):
    """What ``deliver`` needs of a target (``Target``, ``local.feedback.Rule``)."""

    @property
    def name(self) -> str: ...
    @property
    def function(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def retries(self) -> int: ...
    @property
    def dead_letter_arn(self) -> str | None: ...


@dataclass(frozen=True)
class Target:
    """One of the template's functions as an event source invokes it."""

    name: str  # "<function's logical id>.<event's name>"
    function: str  # the function's logical id
    code: str  # its folder under functions/
    retries: int  # Lambda's asynchronous retries after a failed invocation
    dead_letter_arn: str | None  # the function's DeadLetterQueue, where an event that failed every try goes


def kept(resource: Mapping[str, Any], scope: Scope) -> bool:
    """Whether CloudFormation creates ``resource`` (its ``Condition``, if it names one, holds)."""
    return "Condition" not in resource or condition(str(resource["Condition"]), scope)


def function_events(template: Mapping[str, Any], scope: Scope, types: tuple[str, ...]
                    ) -> list[tuple[str, Mapping[str, Any], str, Mapping[str, Any]]]:
    """(function's logical id, its resource, event name, event) of each SAM event of one of ``types``."""
    found = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") not in FUNCTION_TYPES or not kept(resource, scope):
            continue
        for event_name, event in ((resource.get("Properties") or {}).get("Events") or {}).items():
            if event.get("Type") in types:
                found.append((logical_id, resource, event_name, event))
    return found


def function_target(template: Mapping[str, Any], logical_id: str, resource: Mapping[str, Any], name: str,
                    scope: Scope) -> Target:
    """What invoking ``logical_id`` asynchronously takes; ``NotEmulated`` for a handler the stack cannot run."""
    globals_ = (template.get("Globals") or {}).get("Function") or {}
    props = resource.get("Properties") or {}
    code_uri = str(props.get("CodeUri") or globals_.get("CodeUri") or "")
    handler = str(props.get("Handler") or globals_.get("Handler") or "")
    if handler != "app.lambda_handler":
        raise NotEmulated(f"{name}: the local stack runs functions/<name>/app.py's lambda_handler, not {handler}")
    retries = (props.get("EventInvokeConfig") or {}).get("MaximumRetryAttempts", LAMBDA_ASYNC_RETRIES)
    dead_letter = resolve((props.get("DeadLetterQueue") or {}).get("TargetArn"), scope)
    return Target(name=name, function=logical_id, code=PurePosixPath(code_uri).name, retries=int(resolve(retries, scope)),
                  dead_letter_arn=str(dead_letter) if dead_letter else None)


def deliver(target: Invocable, event: dict[str, Any], *, invoke: Invoke, dead_letter: DeadLetter | None,
            log: Callable[[str], None], what: str) -> dict[str, Any]:
    """Lambda's asynchronous invocation of ``target`` with ``event``: 1 + retries tries, then the dead-letter queue.
    ``what`` names the event in the log line. Answers ``{rule, function, result | error, attempts}``."""
    error = ""
    attempts = 0
    for attempt in range(1 + target.retries):
        attempts = attempt + 1
        try:
            answer = invoke(target.code, event)
        except Exception as exc:  # noqa: BLE001 - Lambda treats any error as a failed invocation
            error = f"{type(exc).__name__}: {exc}"
            continue
        log(f"{what} -> {target.function}: {short(answer)}")
        return {"rule": target.name, "function": target.function, "result": plain(answer), "attempts": attempts}
    log(f"{what} -> {target.function} failed {attempts} times: {error}")
    if dead_letter is not None and target.dead_letter_arn:
        dead_letter(target.dead_letter_arn, event, error)
    return {"rule": target.name, "function": target.function, "error": error, "attempts": attempts}


def plain(answer: Any) -> Any:
    """A handler's answer as JSON would carry it."""
    return json.loads(json.dumps(answer, default=str))


def short(answer: Any) -> str:
    if isinstance(answer, Mapping) and "result" in answer:
        return str(answer["result"])
    return json.dumps(answer, default=str)[:80]
