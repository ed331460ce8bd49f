"""What SES makes of a sent email, for moto (which makes nothing): its mailbox simulator's outcomes, and SES's
event records as a configuration set publishes them to EventBridge.

SES's mailbox simulator (SES Developer Guide, "Using the mailbox simulator"): an email to
``<scenario>@simulator.amazonses.com``, or ``<scenario>+<label>@...`` (the label lets one scenario be told apart
from another), has a known fate:

- ``success@``: delivered;
- ``bounce@``: a hard bounce (``Permanent``, ``General``, SMTP 5.1.1);
- ``ooto@``: delivered, and the recipient's mail server answers with an out-of-the-office reply (no event);
- ``complaint@``: delivered, then the recipient marks it as spam (a ``Complaint``, feedback type ``abuse``);
- ``suppressionlist@``: a hard bounce as if the address were on the account's suppression list
  (``Permanent``, ``OnAccountSuppressionList``).

Every other address is delivered: the local stack has no mail server to refuse it.

``records`` builds SES's event records (``eventType``, ``mail`` with the send's tags as lists plus
``ses:configuration-set``, and the event's own object) and ``envelope`` wraps one as EventBridge delivers it
(``source: aws.ses``, ``detail-type`` per event type). Times are the caller's (the simulated clock).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any

from local.sends import EmailSend

SIMULATOR_DOMAIN = "simulator.amazonses.com"
# SES's eventType -> EventBridge's detail-type (EventBridge reference, "Amazon SES events")
DETAIL_TYPES = {
    "Send": "Email Sent",
    "Delivery": "Email Delivered",
    "Bounce": "Email Bounced",
    "Complaint": "Email Complaint Received",
    "DeliveryDelay": "Email Delivery Delayed",
    "Reject": "Email Rejected",
    "Open": "Email Opened",
    "Click": "Email Clicked",
    "Rendering Failure": "Email Rendering Failed",
    "Subscription": "Email Subscribed",
}
REPORTING_MTA = "dns; amazonses.com"
DELIVERING_MTA = "a8-30.smtp-out.amazonses.com"
SIMULATOR_USER_AGENT = "Amazon SES Mailbox Simulator"
HARD_BOUNCE_DIAGNOSTIC = "smtp; 550 5.1.1 user unknown"
SUPPRESSED_DIAGNOSTIC = (
    "Amazon SES did not send the message to this address because it is on the suppression list for your "
    "account. For more information about removing addresses from the suppression list, see the Amazon SES "
    "Developer Guide at https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html"
)


@dataclass(frozen=True)
class Outcome:
    """One event an address makes: ``Delivery``, ``Bounce`` (with its type and subtype) or ``Complaint``."""

    event_type: str
    bounce_type: str | None = None
    bounce_subtype: str | None = None


DELIVERED = Outcome("Delivery")
HARD_BOUNCE = Outcome("Bounce", "Permanent", "General")
ON_SUPPRESSION_LIST = Outcome("Bounce", "Permanent", "OnAccountSuppressionList")
COMPLAINT = Outcome("Complaint")
SCENARIOS: dict[str, tuple[Outcome, ...]] = {
    "success": (DELIVERED,),
    "bounce": (HARD_BOUNCE,),
    "ooto": (DELIVERED,),
    "complaint": (DELIVERED, COMPLAINT),
    "suppressionlist": (ON_SUPPRESSION_LIST,),
}
# What the console's buttons make of a message, whatever its address
FORCED: dict[str, Outcome] = {"bounce": HARD_BOUNCE, "complaint": COMPLAINT}


def scenario(address: str) -> str | None:
    """The simulator scenario an address names (``bounce+x@simulator.amazonses.com`` -> ``bounce``), or None."""
    local, at, domain = address.strip().rpartition("@")
    if not at or domain.lower().rstrip(".") != SIMULATOR_DOMAIN:
        return None
    name = local.split("+", 1)[0].lower()
    return name if name in SCENARIOS else None


def outcomes(address: str) -> tuple[Outcome, ...]:
    """What SES makes of an email to ``address``, in the order it happens."""
    name = scenario(address)
    return SCENARIOS[name] if name else (DELIVERED,)


def ses_time(moment: datetime) -> str:
    """SES's timestamps: UTC to the millisecond, ``Z`` (``2026-03-12T13:00:00.123Z``)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mail_object(send: EmailSend, *, account: str, region: str) -> dict[str, Any]:
    """The ``mail`` object every event of ``send`` carries: what was sent, by whom, to whom, with its tags."""
    sender = next((address for _, address in getaddresses([send.source]) if address), send.source)
    tags: dict[str, list[str]] = {}
    if send.configuration_set:
        tags["ses:configuration-set"] = [send.configuration_set]
    tags["ses:from-domain"] = [sender.rpartition("@")[2]]
    tags["ses:source-ip"] = ["127.0.0.1"]
    for name, value in send.tags:
        tags.setdefault(name, []).append(value)
    headers = dict(send.headers)
    common: dict[str, Any] = {
        "from": [headers["From"]] if "From" in headers else [],
        "to": [headers["To"]] if "To" in headers else list(send.destinations),
        "messageId": send.message_id,
    }
    if "Subject" in headers:
        common["subject"] = headers["Subject"]
    return {
        "timestamp": ses_time(send.sent_at),
        "source": send.source,
        "sourceArn": f"arn:aws:ses:{region}:{account}:identity/{sender}",
        "sendingAccountId": account,
        "messageId": send.message_id,
        "destination": list(send.destinations),
        "headersTruncated": False,
        "headers": [{"name": name, "value": value} for name, value in send.headers],
        "commonHeaders": common,
        "tags": tags,
    }


def record(send: EmailSend, outcome: Outcome, recipients: Iterable[str], at: datetime, *, account: str,
           region: str) -> dict[str, Any]:
    """SES's event record of ``outcome`` for ``recipients`` of ``send``, happening at ``at``."""
    recipients = list(recipients)
    made: dict[str, Any] = {"eventType": outcome.event_type, "mail": mail_object(send, account=account, region=region)}
    when = ses_time(at)
    if outcome.event_type == "Delivery":
        made["delivery"] = {
            "timestamp": when,
            "processingTimeMillis": max(0, round((at - send.sent_at).total_seconds() * 1000)),
            "recipients": recipients,
            "smtpResponse": "250 2.6.0 Message received",
            "reportingMTA": DELIVERING_MTA,
            "remoteMtaIp": "127.0.0.1",
        }
    elif outcome.event_type == "Bounce":
        suppressed = outcome.bounce_subtype == "OnAccountSuppressionList"
        made["bounce"] = {
            "feedbackId": _feedback_id(),
            "bounceType": outcome.bounce_type,
            "bounceSubType": outcome.bounce_subtype,
            "bouncedRecipients": [
                {"emailAddress": address, "action": "failed", "status": "5.1.1",
                 "diagnosticCode": SUPPRESSED_DIAGNOSTIC if suppressed else HARD_BOUNCE_DIAGNOSTIC}
                for address in recipients
            ],
            "timestamp": when,
            "reportingMTA": REPORTING_MTA,
        }
    elif outcome.event_type == "Complaint":
        made["complaint"] = {
            "feedbackId": _feedback_id(),
            "complaintSubType": None,
            "complainedRecipients": [{"emailAddress": address} for address in recipients],
            "timestamp": when,
            "userAgent": SIMULATOR_USER_AGENT,
            "complaintFeedbackType": "abuse",
            "arrivalDate": when,
        }
    else:
        raise ValueError(f"the local stack makes no {outcome.event_type} event")
    return made


def records(send: EmailSend, at: datetime, *, account: str, region: str) -> list[dict[str, Any]]:
    """Every event SES makes of ``send``, in the order they happen: one per outcome, naming the recipients it
    is about (the deliveries first, then the bounces, then the complaints)."""
    grouped: dict[Outcome, list[str]] = {}
    for address in send.destinations:
        for outcome in outcomes(address):
            grouped.setdefault(outcome, []).append(address)
    order = {"Delivery": 0, "Bounce": 1, "Complaint": 2}
    return [record(send, outcome, recipients, at, account=account, region=region)
            for outcome, recipients in sorted(grouped.items(), key=lambda item: order[item[0].event_type])]


def envelope(detail: dict[str, Any], at: datetime, *, account: str, region: str) -> dict[str, Any]:
    """An SES event record as EventBridge delivers it to a rule's target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": DETAIL_TYPES[detail["eventType"]],
        "source": "aws.ses",
        "account": account,
        "time": at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "region": region,
        "resources": [],
        "detail": detail,
    }


def _feedback_id() -> str:
    return f"0100{uuid.uuid4().hex[:12]}-{uuid.uuid4()}-000000"
