"""What SES tells us after a send (delivered, bounced, complained, delayed, rejected), applied to an interview. Pure.

SES publishes each event of the stack's configuration set to EventBridge; its ``detail`` is SES's event record:
``eventType``, ``mail`` (``messageId``, ``timestamp``, ``tags``: each tag a list of strings, ours among them) and
one object named for the event (``bounce``, ``complaint``, ``delivery``, ``deliveryDelay``, ``reject``). Every
email the product sends carries three tags with ids only (``tags_of``): the interview, the kind of message (a
step, ``confirmation`` or ``alert``) and the channel, so an event finds its interview with no lookup item.

Events come at least once and in any order, so ``apply`` works from the state, never from the event's history:
- a delivery's status only moves forward, ``sent`` -> ``delivered`` -> ``complained``; ``bounced`` and ``failed``
  (``rejected``) are final, so a delivery event after a bounce changes nothing, and the same event twice finds
  its change made already (no write, nothing counted again);
- a permanent bounce or a complaint stops the channel for the interview (``Interview.stopped``: the steps skip
  it with that reason) and suppresses the address for the firm (``Suppression``: 30 days for a bounce, for good
  for a complaint), but only while that address is still the interview's: one edited since is left alone;
- a transient bounce or a delay is recorded on a ``sent`` delivery (reason ``delayed``) and cancels nothing;
- an event about a message whose result the step has not recorded yet (``sending``) is ``Early``: the caller
  raises, and Lambda's retry finds it recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from followup.domain.destinations import same_destination
from followup.domain.errors import InvalidPayload
from followup.domain.models import STEPS, Delivery, Interview

Kind = Literal["delivery", "bounce", "soft_bounce", "delay", "complaint", "reject"]
MESSAGE_KINDS = (*STEPS, "confirmation", "alert")  # what an email is: a step's nudge, a confirmation, an alert
TAG_INTERVIEW, TAG_KIND, TAG_CHANNEL = "interview", "kind", "channel"
BOUNCE_SUPPRESSION = timedelta(days=30)  # a bounced address takes no email from the firm for this long
EVENT_TYPES: dict[str, Kind] = {  # SES's eventType -> ours (a Bounce is split by its bounceType below)
    "Delivery": "delivery", "Bounce": "bounce", "Complaint": "complaint", "DeliveryDelay": "delay", "Reject": "reject",
}
# Where a delivery's status stands: a move never goes back, and a final one never moves.
_RANK = {"sending": 0, "sent": 1, "delivered": 2, "complained": 3}
_FINAL = ("bounced", "failed", "skipped")


def tags_of(interview_id: str, kind: str, channel: str = "email") -> dict[str, str]:
    """The tags an email carries (SES allows letters, digits, ``_`` and ``-``: ids only, never personal data)."""
    return {TAG_INTERVIEW: interview_id, TAG_KIND: kind, TAG_CHANNEL: channel}


@dataclass(frozen=True)
class EmailEvent:
    kind: Kind
    message_id: str
    interview_id: str
    message_kind: str  # a step, "confirmation" or "alert"
    at: str  # when it happened (SES's timestamp of the event)
    recipient: str  # the address it is about: personal data, for the suppression's digest only; never logged
    reason: str | None = None  # a bounce's class (SES's bounceSubType: "general", "no_email", "suppressed"...)


@dataclass(frozen=True)
class Suppression:
    """The firm sends no more email to ``recipient`` (its canonical mailbox, ``destinations.address_key``) for
    ``reason``, for ``duration`` (None: for good)."""

    recipient: str
    reason: Literal["bounced", "complained"]
    duration: timedelta | None


@dataclass(frozen=True)
class Applied:
    result: str  # what the event did, for the log: applied | unchanged | early | not_ours
    interview: Interview | None = None  # the interview to write (None: nothing to write)
    suppression: Suppression | None = None


def email_event(detail: object) -> EmailEvent:
    """The event in an EventBridge event's ``detail``; ``InvalidPayload`` (naming no personal data) if it is not one
    of ours or is not well formed."""
    if not isinstance(detail, dict) or not isinstance(detail.get("mail"), dict):
        raise InvalidPayload("the event has no SES mail record")
    mail = detail["mail"]
    kind = EVENT_TYPES.get(str(detail.get("eventType")))
    if kind is None:
        raise InvalidPayload("the event is of a type this function does not take")
    tags = mail.get("tags") if isinstance(mail.get("tags"), dict) else {}
    interview_id, message_kind, channel = (_tag(tags, name) for name in (TAG_INTERVIEW, TAG_KIND, TAG_CHANNEL))
    message_id = mail.get("messageId")
    if not interview_id or message_kind not in MESSAGE_KINDS or channel != "email":
        raise InvalidPayload("the email carries no valid interview, kind and channel tags")
    if not isinstance(message_id, str) or not message_id:
        raise InvalidPayload("the event has no message id")
    body = detail.get({"delivery": "delivery", "bounce": "bounce", "complaint": "complaint", "delay": "deliveryDelay",
                       "reject": "reject"}[kind])
    body = body if isinstance(body, dict) else {}
    reason = None
    recipients_key = {"bounce": "bouncedRecipients", "complaint": "complainedRecipients",
                      "delay": "delayedRecipients"}.get(kind)
    if kind == "bounce":
        if body.get("bounceType") != "Permanent":
            kind = "soft_bounce"  # Transient and Undetermined: SES gave up for now; nothing is cancelled
        reason = _slug(str(body.get("bounceSubType") or "general"))
    recipient = _recipient(body.get(recipients_key) if recipients_key else None) or _recipient(mail.get("destination"))
    if not recipient:
        raise InvalidPayload("the event names no recipient")
    at = body.get("timestamp") or mail.get("timestamp")
    if not isinstance(at, str) or not _instant(at):
        raise InvalidPayload("the event has no valid timestamp")
    return EmailEvent(kind, message_id, interview_id, message_kind, at, recipient, reason)


def apply(interview: Interview, event: EmailEvent) -> Applied:
    """What ``event`` does to ``interview`` (not changed in place): see the module's docstring."""
    if event.message_kind == "alert":
        return Applied("not_ours")  # a recruiter's alert: about the firm's own people, not the candidate's channel
    current = same_destination("email", interview.candidate.email, event.recipient)
    suppression = _suppression(event)
    changed = replace(interview, follow_ups=dict(interview.follow_ups), stopped=dict(interview.stopped))
    moved = False
    if event.message_kind in STEPS:
        outcome = _move(changed, event)
        if outcome == "early":
            return Applied("early")
        moved = outcome == "moved"
    stop = {"bounce": "bounced", "complaint": "complained"}.get(event.kind)
    if stop is not None and current and changed.stopped.get("email") != stop and \
            not (stop == "bounced" and changed.stopped.get("email") == "complained"):
        changed.stopped["email"] = stop
        moved = True
    if not moved:
        return Applied("unchanged", suppression=suppression)
    return Applied("applied", changed, suppression)


def _move(interview: Interview, event: EmailEvent) -> str:
    """The step's email delivery moved as the event says, if it should: ``moved``, ``unchanged`` or ``early``."""
    follow_up = interview.follow_ups.get(event.message_kind)
    delivery = follow_up.deliveries.get("email") if follow_up is not None else None
    if follow_up is None or delivery is None:
        return "unchanged"
    if delivery.status == "sending":
        return "early"  # sent, but its message id is not recorded yet: Lambda's retry finds it
    if delivery.message_id not in (None, event.message_id) or delivery.status in _FINAL:
        return "unchanged"  # another message of that step (an earlier address), or a final state already
    new = _moved(delivery, event)
    if new is None or new == delivery:
        return "unchanged"
    interview.follow_ups[event.message_kind] = replace(follow_up, deliveries={**follow_up.deliveries, "email": new})
    return "moved"


def _moved(delivery: Delivery, event: EmailEvent) -> Delivery | None:
    rank = _RANK.get(delivery.status, 0)
    found = replace(delivery, message_id=delivery.message_id or event.message_id)
    if event.kind == "delivery":
        return replace(found, status="delivered", delivered_at=event.at, reason=None) if rank < 2 else None
    if event.kind == "complaint":
        return replace(found, status="complained", reason=None) if rank < 3 else None
    if event.kind == "bounce":
        return replace(found, status="bounced", reason=event.reason) if rank < 2 else None
    if event.kind == "reject":
        return replace(found, status="failed", reason="rejected") if rank < 2 else None
    # soft_bounce, delay: recorded on a delivery still only sent, nothing cancelled
    return replace(found, reason="delayed") if delivery.status == "sent" and delivery.reason is None else None


def _suppression(event: EmailEvent) -> Suppression | None:
    if event.kind == "bounce":
        return Suppression(event.recipient, "bounced", BOUNCE_SUPPRESSION)
    if event.kind == "complaint":
        return Suppression(event.recipient, "complained", None)
    return None


def _tag(tags: dict, name: str) -> str:
    values = tags.get(name)
    value = values[0] if isinstance(values, list) and values else values
    return value if isinstance(value, str) else ""


def _recipient(recipients: object) -> str:
    if not isinstance(recipients, list) or not recipients:
        return ""
    first = recipients[0]
    address = first.get("emailAddress") if isinstance(first, dict) else first
    return address if isinstance(address, str) else ""


def _instant(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _slug(name: str) -> str:
    """``OnAccountSuppressionList`` -> ``on_account_suppression_list``."""
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))[:40]
