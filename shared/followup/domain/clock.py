"""The time the service acts on.

Deployed, it is the system clock. The local stack swaps in its simulated clock with ``use_clock`` so
the real handlers see simulated time; nothing else reads the time directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return _now()


def use_clock(source: Callable[[], datetime]) -> None:
    """Make ``now()`` answer from ``source`` (an aware datetime factory)."""
    global _now
    _now = source


def use_system_clock() -> None:
    use_clock(lambda: datetime.now(UTC))
