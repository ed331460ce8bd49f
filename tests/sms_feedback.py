"""What the feedback function hears of texts, as AWS delivers it: a reply (End User Messaging's inbound JSON in an SNS
record of the inbound-texts topic) and SNS's delivery receipts (a CloudWatch Logs subscription's batch)."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

FIRM_NUMBER = "+18445550100"  # the firm's origination number


def inbound(number: str, body: str, *, inbound_id: str, previous: str | None = None) -> dict[str, Any]:
    """An SNS Lambda event carrying one inbound text from ``number``, answering ``previous`` when AWS knows it."""
    message = {"originationNumber": number, "destinationNumber": FIRM_NUMBER, "messageKeyword": "KEYWORD_123456789012",
               "messageBody": body, "inboundMessageId": inbound_id}
    if previous:
        message["previousPublishedMessageId"] = previous
    return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                         "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:inbound-texts:1a2b",
                         "Sns": {"Type": "Notification", "MessageId": f"sns-{inbound_id}",
                                 "TopicArn": "arn:aws:sns:us-east-1:123456789012:inbound-texts",
                                 "Message": json.dumps(message), "Timestamp": "2026-03-13T14:05:00.000Z"}}]}


def receipt(message_id: str, status: str, *, destination: str = "+14155550123",
            response: str = "Message has been accepted by phone carrier", at: str = "2026-03-13 14:00:07.112") -> dict:
    """One delivery-status log entry as SNS writes it."""
    return {"notification": {"messageId": message_id, "timestamp": at}, "status": status,
            "delivery": {"destination": destination, "providerResponse": response, "smsType": "Transactional",
                         "numberOfMessageParts": 1, "priceInUSD": 0.00645, "dwellTimeMs": 599}}


def log_batch(*entries: dict, failures: bool = False) -> dict[str, Any]:
    """A CloudWatch Logs subscription's event carrying ``entries`` (base64 of gzip of its JSON)."""
    group = "sns/us-east-1/123456789012/DirectPublishToPhoneNumber" + ("/Failure" if failures else "")
    data = {"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": group, "logStream": "stream",
            "subscriptionFilters": ["FeedbackFunctionSmsReceipts"],
            "logEvents": [{"id": str(n), "timestamp": 0, "message": json.dumps(e)} for n, e in enumerate(entries)]}
    return {"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(data).encode())).decode()}}
