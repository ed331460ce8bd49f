"""Resolve the CloudFormation intrinsics of template.yaml against local values, as CloudFormation would.

Enough of the language for what a function's environment is written with: ``Ref`` (parameters, with their
``Default`` unless given; pseudo parameters; resources), ``Fn::GetAtt``, ``Fn::Sub`` (both forms),
``Fn::If`` with the template's ``Conditions`` (``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or``,
``Condition``), ``Fn::Join``, ``Fn::Select`` and ``AWS::NoValue``. Anything else, or a name with no local
value, is an ``Unresolvable`` naming it: the local stack then says what it lacks instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Unresolvable(ValueError):
    """The template asks for something the local stack has no value for."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()  # what `!Ref AWS::NoValue` resolves to: the property is left out
_SUB = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class Scope:
    """What the names in a template mean here.

    ``parameters``: a value for each parameter that has one (given, else its ``Default``); ``refs``: what
    ``!Ref`` of a resource or a pseudo parameter answers; ``attributes``: ``"LogicalId.Attribute"`` ->
    what ``!GetAtt`` answers; ``conditions``: the template's ``Conditions``, unevaluated.
    """

    parameters: Mapping[str, Any] = field(default_factory=dict)
    refs: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    conditions: Mapping[str, Any] = field(default_factory=dict)
    declared_parameters: frozenset[str] = frozenset()

    @classmethod
    def of(cls, template: Mapping[str, Any], *, parameters: Mapping[str, Any], refs: Mapping[str, str],
           attributes: Mapping[str, str]) -> Scope:
        """The scope of ``template``: each declared parameter is ``parameters``' value, else its Default."""
        declared = template.get("Parameters") or {}
        values = {name: spec["Default"] for name, spec in declared.items() if "Default" in spec}
        values.update({name: value for name, value in parameters.items() if name in declared})
        return cls(values, refs, attributes, template.get("Conditions") or {}, frozenset(declared))


def resolve(value: Any, scope: Scope) -> Any:
    """``value`` with every intrinsic function resolved; ``NO_VALUE`` where CloudFormation would drop it."""
    if isinstance(value, list):
        return [item for item in (resolve(v, scope) for v in value) if item is not NO_VALUE]
    if not isinstance(value, Mapping):
        return value
    if len(value) == 1:
        (name, argument), = value.items()
        if name == "Ref":
            return _ref(str(argument), scope)
        if name == "Condition":
            return condition(str(argument), scope)
        if name.startswith("Fn::"):
            return _function(name, argument, scope)
    resolved = {key: resolve(v, scope) for key, v in value.items()}
    return {key: v for key, v in resolved.items() if v is not NO_VALUE}


def condition(name: str, scope: Scope) -> bool:
    if name not in scope.conditions:
        raise Unresolvable(f"condition {name} is not in the template's Conditions")
    return bool(resolve(scope.conditions[name], scope))


def _ref(name: str, scope: Scope) -> Any:
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in scope.parameters:
        return scope.parameters[name]
    if name in scope.declared_parameters:
        raise Unresolvable(f"parameter {name} has no Default and no local value")
    if name in scope.refs:
        return scope.refs[name]
    raise Unresolvable(f"!Ref {name}: the local stack has no value for it")


def _get_att(argument: Any, scope: Scope) -> str:
    logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else map(str, argument)
    key = f"{logical_id}.{attribute}"
    if key not in scope.attributes:
        raise Unresolvable(f"!GetAtt {key}: the local stack has no value for it")
    return scope.attributes[key]


def _sub(argument: Any, scope: Scope) -> str:
    text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
    local = {name: resolve(value, scope) for name, value in variables.items()}

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):  # ${!Literal} is written as ${Literal}
            return "${" + name[1:] + "}"
        if name in local:
            return _text(local[name])
        if "." in name and not name.startswith("AWS::"):
            return _get_att(name, scope)
        return _text(_ref(name, scope))

    return _SUB.sub(value_of, str(text))


def _function(name: str, argument: Any, scope: Scope) -> Any:
    if name == "Fn::GetAtt":
        return _get_att(argument, scope)
    if name == "Fn::Sub":
        return _sub(argument, scope)
    if name == "Fn::If":
        test, when_true, when_false = argument
        return resolve(when_true if condition(str(test), scope) else when_false, scope)
    if name == "Fn::Equals":
        left, right = (resolve(v, scope) for v in argument)
        return _text(left) == _text(right)
    if name == "Fn::Not":
        return not _truth(argument[0], scope)
    if name == "Fn::And":
        return all(_truth(v, scope) for v in argument)
    if name == "Fn::Or":
        return any(_truth(v, scope) for v in argument)
    if name == "Fn::Join":
        separator, items = argument
        return str(separator).join(_text(v) for v in resolve(items, scope))
    if name == "Fn::Select":
        index, items = argument
        return resolve(items, scope)[int(resolve(index, scope))]
    raise Unresolvable(f"{name} is not understood by the local stack (local/intrinsics.py)")


def _truth(value: Any, scope: Scope) -> bool:
    resolved = resolve(value, scope)
    if not isinstance(resolved, bool):
        raise Unresolvable(f"{value!r} is not a condition")
    return resolved


def _text(value: Any) -> str:
    """A value as CloudFormation writes it into a string: numbers as written, booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def as_text(value: Any) -> str:
    """An environment variable's value as Lambda receives it."""
    return _text(value)
