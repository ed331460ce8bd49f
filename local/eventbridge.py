"""EventBridge's event-pattern matching, for the patterns the template's rules are written with (moto's
EventBridge is not in the local stack: ``local/feedback.py`` routes SES's events to the rules itself).

The documented semantics (EventBridge User Guide, "Event patterns"), for the part of the language a rule
of this stack uses:

- a pattern is a JSON object; an event matches when every field the pattern names matches;
- a field's value in the pattern is an array of exact values (strings, numbers, booleans, ``null``), or an
  object, which matches the event's object at that field field by field (nested, to any depth);
- exact means character for character: no case folding, no normalisation; a number matches the same number
  (``5`` matches ``5.0``), never a string or a boolean that looks like it;
- a field the pattern names and the event lacks does not match;
- where the event holds an array, the field matches when any of its elements matches (for a leaf, the pattern's
  array and the event's array share a value; for a nested object, any element of the event's array matches it).

Content filters (``prefix``, ``anything-but``, ``numeric``, ``exists``, ``wildcard``, ...) and ``$or`` are not
emulated: a pattern using one is a ``PatternError`` naming it, so a rule the local stack cannot match the
way EventBridge would is said at start, never matched wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class PatternError(ValueError):
    """The pattern is not valid EventBridge, or uses a part of the language the local stack does not emulate."""


def check(pattern: Any, path: str = "") -> None:
    """Raise ``PatternError`` unless ``pattern`` is a pattern this module matches as EventBridge would."""
    if not isinstance(pattern, Mapping) or not pattern:
        raise PatternError(f"{path or 'the pattern'} must be a non-empty JSON object")
    for name, value in pattern.items():
        here = f"{path}.{name}" if path else str(name)
        if name == "$or":
            raise PatternError(f"{here}: $or is not emulated by the local stack")
        if isinstance(value, Mapping):
            check(value, here)
        elif isinstance(value, list):
            if not value:
                raise PatternError(f"{here}: an empty array matches nothing (EventBridge refuses it)")
            for item in value:
                if isinstance(item, Mapping):
                    filters = ", ".join(sorted(map(str, item))) or "{}"
                    raise PatternError(f"{here}: the content filter {filters} is not emulated by the local stack "
                                       "(exact values and nested objects only)")
                if isinstance(item, list):
                    raise PatternError(f"{here}: an array inside a pattern's array is not a pattern")
        else:
            raise PatternError(f"{here}: a pattern's value is an array of values or an object, not {value!r}")


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """Whether ``event`` matches ``pattern`` (``check`` it first: an invalid one raises here too)."""
    check(pattern)
    return _object_matches(pattern, event)


def _object_matches(pattern: Mapping[str, Any], event: Any) -> bool:
    if isinstance(event, list):  # an array of objects: any element
        return any(_object_matches(pattern, element) for element in event)
    if not isinstance(event, Mapping):
        return False
    for name, expected in pattern.items():
        if name not in event:
            return False
        value = event[name]
        if isinstance(expected, Mapping):
            if not _object_matches(expected, value):
                return False
        elif not _leaf_matches(expected, value):
            return False
    return True


def _leaf_matches(allowed: list[Any], value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(_same(candidate, item) for candidate in values for item in allowed)


def _same(value: Any, expected: Any) -> bool:
    """JSON equality: a boolean is not a number, a number is not its string; 5 and 5.0 are the same number."""
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool) and value is expected
    if isinstance(expected, int | float) and isinstance(value, int | float):
        return float(value) == float(expected)
    if expected is None or value is None:
        return expected is None and value is None
    return isinstance(value, str) and isinstance(expected, str) and str(value) == str(expected)
