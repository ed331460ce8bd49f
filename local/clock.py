"""The local stack's simulated clock: real speed from a start, moved forward on demand, never backwards."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SimulatedClock:
    """Runs at real speed from ``start``; ``set`` and ``advance`` jump it, never backwards."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._base = (start or datetime.now(UTC)).astimezone(UTC)
        self._since = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._base + timedelta(seconds=time.monotonic() - self._since)

    def set(self, moment: datetime) -> None:
        """Move to ``moment``; a moment already past leaves the clock where it is (time does not run back)."""
        with self._lock:
            current = self._base + timedelta(seconds=time.monotonic() - self._since)
            if moment.astimezone(UTC) > current:
                self._base, self._since = moment.astimezone(UTC), time.monotonic()

    def advance(self, delta: timedelta) -> datetime:
        target = self.now() + delta
        self.set(target)
        return target


def iso(moment: datetime) -> str:
    """A moment in UTC to the second, as the console and the JSON endpoints show it."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
