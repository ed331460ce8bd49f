"""Hearing back: SES's events about the emails we sent, applied to their interviews (``followup.domain.feedback``).

One event costs at most three calls: the interview's read, the suppression's write (a permanent bounce or a
complaint, before the interview's, so a retry after a fault in between does both again), and the interview's
write with what it counts for the report, in one transaction (``counts.changes``: a delivery, a channel
stopped). An event that changes nothing writes nothing and counts nothing. A lost race is applied again to a
fresh copy. An event about a message whose result is not recorded yet raises ``FeedbackEarly``: Lambda tries
the event again (twice, a minute or two apart), by when the step has recorded it.

Nothing here logs an address or a name: the interview's id, the kind of event and of message, and the result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from followup.domain import counts, feedback
from followup.domain.destinations import address_key
from followup.domain.errors import ConcurrentModification, DeliveryFailed
from followup.ports import Store
from followup.runtime.config import Settings
from followup.runtime.observability import count, logger

WRITE_ATTEMPTS = 4  # a lost race (the step or the candidate wrote meanwhile) is applied again to a fresh copy


class FeedbackEarly(DeliveryFailed):
    """The event is about a send whose result is not recorded yet: raised, so Lambda tries it again."""


class Feedback:
    def __init__(self, settings: Settings, store: Store, now: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.now = now
        self.zone = ZoneInfo(settings.default_time_zone)  # the firm's: the day each count falls on

    def email_event(self, detail: object) -> str:
        """Apply one SES event (an EventBridge event's ``detail``); returns what it did. ``InvalidPayload`` for one
        that is not well formed: the caller logs and acknowledges it."""
        event = feedback.email_event(detail)
        ids = {"interview_id": event.interview_id, "event": event.kind, "message_kind": event.message_kind}
        suppressed = False
        for _ in range(WRITE_ATTEMPTS):
            interview = self.store.load(event.interview_id)
            if interview is None:
                logger.info("feedback for no interview", extra={**ids, "result": "gone"})
                return "gone"  # erased, or never ours: nothing is changed, nothing is created
            applied = feedback.apply(interview, event)
            if applied.result == "early":
                raise FeedbackEarly(f"{event.kind} before its send was recorded")
            if applied.suppression is not None and not suppressed:
                self._suppress(applied.suppression, event)
                suppressed = True
            if applied.interview is None:
                logger.info("feedback applied", extra={**ids, "result": applied.result})
                return applied.result
            try:
                self.store.replace(applied.interview, counts.changes(interview, applied.interview, self.now(), self.zone))
            except ConcurrentModification:
                continue
            count(f"Email{event.kind.title().replace('_', '')}", step=event.message_kind, channel="email")
            logger.info("feedback applied", extra={**ids, "result": applied.result})
            return applied.result
        raise ConcurrentModification()

    def _suppress(self, suppression: feedback.Suppression, event: feedback.EmailEvent) -> None:
        # The expiry counts from the event's own time, so the same event twice writes the same item.
        expires_at = 0
        if suppression.duration is not None:
            expires_at = int((datetime.fromisoformat(event.at) + suppression.duration).timestamp())
        self.store.opt_out(address_key("email", suppression.recipient), suppression.reason, expires_at)
