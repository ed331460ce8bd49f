"""Reading a request to move the simulated clock: ``{"advance_days": N}`` or ``{"advance_hours": N}``.

The console's buttons post it as a form, ``curl -d '{"advance_days": 1}'`` sends JSON labelled as a form,
and a script sends JSON: all three are read here, and anything else is an ``AdvanceError`` (a 400).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

MAX_ADVANCE = timedelta(days=400)
FIELDS = ("advance_days", "advance_hours")


class AdvanceError(ValueError):
    """The request says no amount the clock can move by; the message tells the sender what to send."""


def is_form(content_type: str | None, body: bytes) -> bool:
    """A form post (the console's buttons), not JSON sent with curl's default form content type."""
    return (content_type or "").startswith("application/x-www-form-urlencoded") and not body.lstrip().startswith(b"{")


def read_advance(content_type: str | None, body: bytes) -> timedelta:
    """How far to move the clock, from a form or a JSON body."""
    try:
        if is_form(content_type, body):
            fields: Any = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        else:
            fields = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise AdvanceError('send {"advance_days": N} or {"advance_hours": N}') from None
    return advance_by(fields)


def advance_by(fields: Any) -> timedelta:
    if not isinstance(fields, dict):
        raise AdvanceError('send a JSON object: {"advance_days": N} or {"advance_hours": N}')
    given = {k: v for k, v in fields.items() if k in FIELDS}
    unknown = sorted(set(fields) - set(given))
    if len(given) != 1 or unknown:
        raise AdvanceError('send exactly one of "advance_days" or "advance_hours"')
    (name, raw), = given.items()
    try:
        amount = float(raw)
    except (TypeError, ValueError):
        raise AdvanceError(f"{name} must be a number") from None
    if isinstance(raw, bool) or not amount > 0:
        raise AdvanceError(f"{name} must be a number above 0")
    limit = MAX_ADVANCE / (timedelta(days=1) if name == "advance_days" else timedelta(hours=1))
    if amount > limit:  # also infinity, which timedelta cannot hold
        raise AdvanceError(f"advance at most {MAX_ADVANCE.days} days at a time")
    return timedelta(days=amount) if name == "advance_days" else timedelta(hours=amount)
