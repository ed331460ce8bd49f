"""SES's event records about a sent email, as its configuration set publishes them (the ``detail`` of an
EventBridge event of ``source: aws.ses``), built from what the product sent: its tags come back in
``mail.tags``, each a list of strings, with ``ses:configuration-set``."""

from __future__ import annotations

from typing import Any

from followup.ports import Email

CONFIGURATION_SET = "followup-emails"
DETAIL_TYPES = {"Delivery": "Email Delivered", "Bounce": "Email Bounced", "Complaint": "Email Complaint Received",
                "DeliveryDelay": "Email Delivery Delayed", "Reject": "Email Rejected"}


def detail(email: Email, message_id: str, event_type: str, at: str, **options: str) -> dict[str, Any]:
    """One SES event record of ``event_type`` (Delivery, Bounce, Complaint, DeliveryDelay, Reject) at ``at``,
    about ``email`` (sent with ``message_id``)."""
    return record_of(email.to, message_id, dict(email.tags), event_type, at, sender=email.sender, **options)


def record_of(recipient: str, message_id: str, tags: dict[str, str], event_type: str, at: str, *,
              sender: str = "followups@acme-staffing.example", bounce_type: str = "Permanent",
              sub_type: str = "General") -> dict[str, Any]:
    """One SES event record about the email to ``recipient`` that carried ``tags``."""
    record: dict[str, Any] = {
        "eventType": event_type,
        "mail": {
            "timestamp": at, "messageId": message_id, "source": sender, "destination": [recipient],
            "tags": {"ses:configuration-set": [CONFIGURATION_SET], **{name: [value] for name, value in tags.items()}},
        },
    }
    if event_type == "Delivery":
        record["delivery"] = {"timestamp": at, "recipients": [recipient], "processingTimeMillis": 812,
                              "smtpResponse": "250 2.6.0 Message received"}
    elif event_type == "Bounce":
        record["bounce"] = {"bounceType": bounce_type, "bounceSubType": sub_type, "timestamp": at,
                            "feedbackId": f"feedback-{message_id}",
                            "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": "5.1.1",
                                                   "diagnosticCode": f"smtp; 550 5.1.1 <{recipient}> user unknown"}]}
    elif event_type == "Complaint":
        record["complaint"] = {"timestamp": at, "feedbackId": f"feedback-{message_id}",
                               "complaintFeedbackType": "abuse", "complainedRecipients": [{"emailAddress": recipient}]}
    elif event_type == "DeliveryDelay":
        record["deliveryDelay"] = {"timestamp": at, "delayType": "TransientCommunicationFailure",
                                   "delayedRecipients": [{"emailAddress": recipient, "status": "4.4.1"}]}
    elif event_type == "Reject":
        record["reject"] = {"reason": "Bad content"}
    return record


def envelope(record: dict[str, Any], event_id: str = "0b5e7d1c-6f0e-4b7a-9d3e-1c2b3a4d5e6f") -> dict[str, Any]:
    """``record`` as EventBridge delivers it to a rule's target."""
    return {"version": "0", "id": event_id, "detail-type": DETAIL_TYPES[record["eventType"]], "source": "aws.ses",
            "account": "123456789012", "time": record["mail"]["timestamp"], "region": "us-east-1", "resources": [],
            "detail": record}
