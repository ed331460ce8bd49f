"""CloudWatch Logs' filter patterns, the part of the language a subscription filter on JSON log events uses
(CloudWatch Logs User Guide, "Filter pattern syntax for metric filters, subscription filters, and filter log
events", "Using filter patterns to match terms in JSON log events"), to say which log events a subscription
filter forwards.

Matched as CloudWatch Logs does:
- the empty pattern (``""``, or none): every log event;
- ``{ <selector> <op> <value> }``: the selector is ``$`` then ``.name`` parts (``$.delivery.providerResponse``);
  ``=`` and ``!=`` compare a string (quoted, or a bare word) exactly, ``*`` standing for any run of characters
  (``"Phone*"``; ``*`` alone: any value), or a number; ``<``, ``<=``, ``>``, ``>=`` compare numbers;
  ``IS TRUE``, ``IS FALSE``, ``IS NULL``; ``NOT EXISTS``. A selector the event lacks matches nothing but
  ``NOT EXISTS``; an event that is not a JSON object matches no JSON pattern;
- conditions joined by ``&&`` and ``||`` (``&&`` first), grouped with parentheses.

Anything else (term patterns such as ``ERROR`` or ``?a ?b``, space-delimited ``[...]`` patterns, regular
expressions ``%...%``, array selectors ``$.a[0]``) raises ``FilterPatternError`` naming it when the pattern is
read: the local stack says what it cannot match faithfully instead of guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class FilterPatternError(ValueError):
    """A filter pattern outside the part of the language the local stack matches."""


_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\})
  | (?P<selector>\$[^\s=!<>()&|{}]*)
  | (?P<word>[^\s=!<>()&|{}"]+)
)""", re.VERBOSE)
_NAME = re.compile(r"[A-Za-z0-9_@:-]+")
_MISSING = object()

Condition = Callable[[Any], bool]


@dataclass(frozen=True)
class FilterPattern:
    text: str
    _test: Condition

    def matches(self, message: str) -> bool:
        """Whether a log event's message is one the filter forwards."""
        if self._test is _everything:
            return True
        try:
            event = json.loads(message)
        except ValueError:
            return False
        return isinstance(event, dict) and self._test(event)


def _everything(event: Any) -> bool:
    return True


def parse(text: str | None) -> FilterPattern:
    """The pattern ``text``; ``FilterPatternError`` for one the local stack does not match."""
    stripped = (text or "").strip()
    if not stripped:
        return FilterPattern("", _everything)
    if "%" in stripped and not stripped.startswith("{"):
        raise FilterPatternError(f"{text!r}: regular expressions (%...%) are not emulated by the local stack")
    if not stripped.startswith("{"):
        raise FilterPatternError(f"{text!r}: only JSON patterns ({{ $.name = value }}) are emulated by the local "
                                 "stack, not term or space-delimited patterns")
    tokens = _tokens(stripped)
    if tokens[0] != ("op", "{") or tokens[-1] != ("op", "}"):
        raise FilterPatternError(f"{text!r}: a JSON pattern is one {{ ... }}")
    parser = _Parser(tokens[1:-1], text)
    test = parser.expression()
    if parser.position != len(parser.tokens):
        raise FilterPatternError(f"{text!r}: unexpected {parser.tokens[parser.position][1]!r}")
    return FilterPattern(stripped, test)


def _tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterPatternError(f"{text!r}: cannot read it from {text[position:position + 20]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str | None) -> None:
        self.tokens = tokens
        self.position = 0
        self.text = text

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise FilterPatternError(f"{self.text!r}: it ends too early")
        self.position += 1
        return token

    def expression(self) -> Condition:
        alternatives = [self._conjunction()]
        while self._peek() == ("op", "||"):
            self._take()
            alternatives.append(self._conjunction())
        return alternatives[0] if len(alternatives) == 1 else lambda event: any(a(event) for a in alternatives)

    def _conjunction(self) -> Condition:
        parts = [self._condition()]
        while self._peek() == ("op", "&&"):
            self._take()
            parts.append(self._condition())
        return parts[0] if len(parts) == 1 else lambda event: all(p(event) for p in parts)

    def _condition(self) -> Condition:
        kind, value = self._take()
        if (kind, value) == ("op", "("):
            inner = self.expression()
            if self._take() != ("op", ")"):
                raise FilterPatternError(f"{self.text!r}: a parenthesis is not closed")
            return inner
        if kind != "selector":
            raise FilterPatternError(f"{self.text!r}: expected a $.selector, found {value!r}")
        path = _path(value, self.text)
        kind, op = self._take()
        if kind == "word" and op.upper() == "IS":
            what = self._take()[1].upper()
            expected = {"TRUE": True, "FALSE": False, "NULL": None}.get(what, _MISSING)
            if expected is _MISSING:
                raise FilterPatternError(f"{self.text!r}: IS {what} is not a JSON pattern's test")
            return lambda event: (lambda found: found is expected and found is not _MISSING)(_select(event, path))
        if kind == "word" and op.upper() == "NOT":
            if self._take()[1].upper() != "EXISTS":
                raise FilterPatternError(f"{self.text!r}: NOT is only NOT EXISTS")
            return lambda event: _select(event, path) is _MISSING
        if kind != "op" or op not in ("=", "!=", "<", "<=", ">", ">="):
            raise FilterPatternError(f"{self.text!r}: expected a comparison after {value}, found {op!r}")
        return _comparison(path, op, self._take(), self.text)


def _path(selector: str, text: str | None) -> tuple[str, ...]:
    if selector == "$":
        raise FilterPatternError(f"{text!r}: a selector names a property ($.name)")
    if "[" in selector:
        raise FilterPatternError(f"{text!r}: array selectors ({selector}) are not emulated by the local stack")
    if not selector.startswith("$."):
        raise FilterPatternError(f"{text!r}: {selector} is not a $.name selector")
    names = tuple(selector[2:].split("."))
    if not all(_NAME.fullmatch(name) for name in names):
        raise FilterPatternError(f"{text!r}: {selector} is not a $.name selector")
    return names


def _select(event: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(event, Mapping) or name not in event:
            return _MISSING
        event = event[name]
    return event


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _comparison(path: tuple[str, ...], op: str, operand: tuple[str, str], text: str | None) -> Condition:
    kind, raw = operand
    if kind == "string":
        expected: str = json.loads(raw)
        number = None
    elif kind == "word":
        expected, number = raw, _number(raw)
    else:
        raise FilterPatternError(f"{text!r}: expected a value after {op}, found {raw!r}")
    if op in ("<", "<=", ">", ">="):
        if number is None:
            raise FilterPatternError(f"{text!r}: {op} compares numbers, not {raw}")
        compare = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}[op]
        return lambda event: (lambda found: _is_number(found) and compare(float(found), number))(_select(event, path))
    if kind == "word" and raw == "*":
        def equal(found: Any) -> bool:
            return True
    elif number is not None:
        def equal(found: Any) -> bool:
            return _is_number(found) and float(found) == number
    else:
        wildcard = re.compile(".*".join(re.escape(part) for part in expected.split("*")), re.DOTALL)

        def equal(found: Any) -> bool:
            return isinstance(found, str) and wildcard.fullmatch(found) is not None
    if op == "=":
        return lambda event: (lambda found: found is not _MISSING and equal(found))(_select(event, path))
    return lambda event: (lambda found: found is not _MISSING and not equal(found))(_select(event, path))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
