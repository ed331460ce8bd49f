"""What AWS End User Messaging and SNS tell of texts, for moto (which tells nothing), from the template's own
resources: the candidate's replies and SNS's delivery receipts.

In AWS: a reply to the firm's number goes, as AWS End User Messaging's inbound JSON (``originationNumber``,
``destinationNumber``, ``messageKeyword``, ``messageBody``, ``inboundMessageId``, ``previousPublishedMessageId``:
SMS User Guide, "Example of a two-way SMS message payload"), to the SNS topic its two-way channel names; SNS
invokes each Lambda subscribed to the topic asynchronously, with ``{"Records": [{"EventSource": "aws:sns",
"Sns": {...}}]}``. Where SMS delivery-status logging is on, SNS writes each text's final status to CloudWatch Logs,
``sns/<region>/<account>/DirectPublishToPhoneNumber`` (``.../Failure`` for a failure); each subscription filter on
that group whose filter pattern matches the record invokes its function asynchronously with ``{"awslogs":
{"data": base64(gzip(<the batch's JSON>))}}``.

Here: ``TextsEmulator.from_template`` reads the functions' SAM events of type ``SNS`` (the topic they subscribe to;
a ``FilterPolicy`` or an SQS subscription is refused at start) and of type ``CloudWatchLogs`` (the log group and
its ``FilterPattern``, matched by ``local/logfilter.py``; a pattern outside what it matches is refused at start).
``inbound`` publishes a reply's JSON to the inbound topic on moto (``InboundTextsTopic``) and runs its
subscribers with SNS's record; ``receipt`` writes SNS's delivery-status record of a sent text to its log group on
moto and runs the matching subscriptions; both within the caller's request, at the simulated clock's time, each
function tried as Lambda's asynchronous invocation would (``local/invocations.py``). What each text heard (its
receipts, the replies naming it) and every reply are kept for the outbox and the console.

The local firm's number is ``ORIGINATION_NUMBER``; its keywords are AWS's defaults for a number, HELP and STOP
(``messageKeyword`` is the one the reply's first word is, case aside, else the account's default keyword name,
``KEYWORD_<account>``).
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from local.clock import iso
from local.intrinsics import Scope, Unresolvable, resolve
from local.invocations import DeadLetter, Invoke, NotEmulated, Target, deliver, function_events, function_target
from local.logfilter import FilterPattern, FilterPatternError, parse
from local.sends import TextSend

INBOUND_TOPIC = "InboundTextsTopic"
ORIGINATION_NUMBER = "+18445550100"  # the local firm's toll-free number (555-01xx: never a real line)
NUMBER_KEYWORDS = ("HELP", "STOP")  # a new number's keywords in AWS End User Messaging
SUCCESS_GROUP = "DirectPublishToPhoneNumber"
FAILURE_GROUP = "DirectPublishToPhoneNumber/Failure"
# What SNS's providerResponse says, per class the console offers (Amazon SNS Developer Guide, SMS delivery status)
PROVIDER_RESPONSES = {
    "success": "Message has been accepted by phone carrier",
    "blocked": "Phone carrier has blocked this message",
    "unreachable": "Phone is currently unreachable/unavailable",
    "opted_out": "Phone number is opted out",
    "unknown": "Unknown error attempting to reach phone",
}
RECEIPT_MODES = ("off", *PROVIDER_RESPONSES)  # the console's switch: no receipts, success, or a failure's class
SNS_EVENT_TYPES = ("SNS",)
LOGS_EVENT_TYPES = ("CloudWatchLogs",)
REFUSED_SNS = ("FilterPolicy", "FilterPolicyScope")  # SNS's filtering of what the subscription takes: not emulated

Publish = Callable[[str, str], str]  # (topic ARN, message) -> SNS's message id
WriteLog = Callable[[str, str, int, str], None]  # (log group, log stream, timestamp in ms, message)


@dataclass(frozen=True)
class TopicSubscription:
    """A function's SAM ``SNS`` event: SNS invokes it with each message of the topic."""

    target: Target
    topic_arn: str


@dataclass(frozen=True)
class LogSubscription:
    """A function's SAM ``CloudWatchLogs`` event: a subscription filter on a log group."""

    target: Target
    log_group: str
    pattern: FilterPattern


def topic_subscriptions(template: Mapping[str, Any], scope: Scope) -> list[TopicSubscription]:
    """The template's functions subscribed to an SNS topic, topics resolved in ``scope``."""
    found = []
    for logical_id, resource, event_name, event in function_events(template, scope, SNS_EVENT_TYPES):
        name = f"{logical_id}.{event_name}"
        given = event.get("Properties") or {}
        refused = [key for key in REFUSED_SNS if key in given]
        if refused:
            raise NotEmulated(f"{name}: {', '.join(refused)} is not emulated by the local stack")
        if given.get("SqsSubscription"):
            raise NotEmulated(f"{name}: an SqsSubscription is not emulated by the local stack")
        found.append(TopicSubscription(function_target(template, logical_id, resource, name, scope),
                                       str(resolve(given.get("Topic"), scope))))
    return found


def log_subscriptions(template: Mapping[str, Any], scope: Scope) -> list[LogSubscription]:
    """The template's functions behind a CloudWatch Logs subscription filter, patterns read."""
    found = []
    for logical_id, resource, event_name, event in function_events(template, scope, LOGS_EVENT_TYPES):
        name = f"{logical_id}.{event_name}"
        given = event.get("Properties") or {}
        try:
            pattern = parse(resolve(given.get("FilterPattern"), scope))
        except FilterPatternError as exc:
            raise NotEmulated(f"{name}: {exc}") from None
        found.append(LogSubscription(function_target(template, logical_id, resource, name, scope),
                                     str(resolve(given.get("LogGroupName"), scope)), pattern))
    return found


def inbound_topic(template: Mapping[str, Any], scope: Scope) -> str | None:
    """The ARN of the topic AWS End User Messaging publishes replies to, or None without one."""
    if INBOUND_TOPIC not in template["Resources"]:
        return None
    try:
        return str(resolve({"Ref": INBOUND_TOPIC}, scope))
    except Unresolvable:
        return None


def message_keyword(body: str, account: str) -> str:
    """The number's keyword the reply's first word is (case aside), else the account's default keyword name."""
    words = body.split()
    first = words[0].upper() if words else ""
    return first if first in NUMBER_KEYWORDS else f"KEYWORD_{account}"


def inbound_message(number: str, body: str, reply_to: str | None, *, account: str) -> dict[str, Any]:
    """AWS End User Messaging's JSON for a text from ``number`` to the local firm's number."""
    message: dict[str, Any] = {
        "originationNumber": number,
        "destinationNumber": ORIGINATION_NUMBER,
        "messageKeyword": message_keyword(body, account),
        "messageBody": body,
        "inboundMessageId": str(uuid.uuid4()),
    }
    if reply_to:
        message["previousPublishedMessageId"] = reply_to
    return message


def sns_record(topic_arn: str, message_id: str, message: str, at: datetime, subscription: str) -> dict[str, Any]:
    """One SNS notification as SNS hands it to a subscribed Lambda function."""
    region = topic_arn.split(":")[3] if topic_arn.count(":") >= 5 else "us-east-1"
    return {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": f"{topic_arn}:{subscription}",
        "Sns": {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": topic_arn,
            "Subject": None,
            "Message": message,
            "Timestamp": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "SignatureVersion": "1",
            "Signature": "bG9jYWwgc3RhY2s=",
            "SigningCertUrl": f"https://sns.{region}.amazonaws.com/SimpleNotificationService-local.pem",
            "UnsubscribeUrl": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                              f"{topic_arn}:{subscription}",
            "MessageAttributes": {},
        },
    }


def sns_time(moment: datetime) -> str:
    """SNS's delivery-status timestamps: UTC, a space, to the millisecond (``2026-03-13 14:00:07.112``)."""
    return moment.astimezone(UTC).isoformat(sep=" ", timespec="milliseconds").removesuffix("+00:00")


def delivery_record(send: TextSend, status: str, provider_response: str, at: datetime) -> dict[str, Any]:
    """SNS's delivery-status log record of one text."""
    dwell = max(0, round((at - send.sent_at).total_seconds() * 1000))
    delivery: dict[str, Any] = {
        "phoneCarrier": "Local Carrier",
        "mnc": 260,
        "numberOfMessageParts": 1,
        "destination": send.phone,
        "priceInUSD": 0.00581,
        "smsType": send.sms_type,
        "mcc": 310,
        "providerResponse": provider_response,
        "dwellTimeMs": dwell,
    }
    if status == "SUCCESS":
        delivery["dwellTimeMsUntilDeviceAck"] = dwell + 745
    return {"notification": {"messageId": send.message_id, "timestamp": sns_time(send.sent_at)},
            "delivery": delivery, "status": status}


def log_group(status: str, *, account: str, region: str) -> str:
    return f"sns/{region}/{account}/{SUCCESS_GROUP if status == 'SUCCESS' else FAILURE_GROUP}"


def awslogs_event(batch: dict[str, Any]) -> dict[str, Any]:
    """A CloudWatch Logs subscription's batch as Lambda gets it: base64 of gzip of its JSON."""
    return {"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(batch).encode())).decode()}}


def _event_id(timestamp_ms: int) -> str:
    """A log event id as CloudWatch Logs writes them: 56 digits."""
    return f"{timestamp_ms:020d}{random.SystemRandom().randrange(10**36):036d}"


class TextsEmulator:
    """Replies published to the inbound topic and receipts written to the delivery-status logs, to the functions
    the template subscribes to them."""

    def __init__(
        self,
        subscriptions: Iterable[TopicSubscription],
        log_filters: Iterable[LogSubscription],
        *,
        topic_arn: str | None,
        invoke: Invoke,
        publish: Publish,
        write_log: WriteLog,
        now: Callable[[], datetime],
        account: str,
        region: str,
        dead_letter: DeadLetter | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.subscriptions = list(subscriptions)
        self.log_filters = list(log_filters)
        self.topic_arn = topic_arn
        self._invoke = invoke
        self._publish = publish
        self._write_log = write_log
        self._now = now
        self._account = account
        self._region = region
        self._dead_letter = dead_letter
        self._log = log or (lambda line: None)
        self._streams: dict[str, str] = {}
        self._heard: dict[str, list[dict[str, Any]]] = {}
        self._inbound: list[dict[str, Any]] = []

    @classmethod
    def from_template(cls, template: Mapping[str, Any], scope: Scope, **kwargs: Any) -> TextsEmulator:
        return cls(topic_subscriptions(template, scope), log_subscriptions(template, scope),
                   topic_arn=inbound_topic(template, scope), **kwargs)

    def functions(self) -> list[str]:
        """The code folders of the functions subscribed (the stack loads them at start)."""
        targets = [s.target for s in self.subscriptions] + [f.target for f in self.log_filters]
        return list(dict.fromkeys(target.code for target in targets))

    def inbound(self, number: str, body: str, reply_to: str | None) -> dict[str, Any] | None:
        """A text from ``number`` to the firm's number, published to the inbound topic and handed to its
        subscribers, now; what it was and what each function answered. None without an inbound topic."""
        if self.topic_arn is None:
            return None
        at = self._now()
        message = inbound_message(number, body, reply_to, account=self._account)
        text = json.dumps(message)
        message_id = self._publish(self.topic_arn, text)
        entry: dict[str, Any] = {
            "event": "Inbound text", "at": iso(at), "inbound_message_id": message["inboundMessageId"],
            "from": number, "body": body, "reply_to": reply_to, "message_keyword": message["messageKeyword"],
            "sns_message_id": message_id, "handled_by": [],
        }
        for subscription in self.subscriptions:
            if subscription.topic_arn != self.topic_arn:
                continue
            record = sns_record(self.topic_arn, message_id, text, at, str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                                   subscription.target.name)))
            entry["handled_by"].append(deliver(subscription.target, {"Records": [record]}, invoke=self._invoke,
                                               dead_letter=self._dead_letter, log=self._log,
                                               what=f"SNS inbound text {message['inboundMessageId']}"))
        self._inbound.append(entry)
        if reply_to:
            self._heard.setdefault(reply_to, []).append(entry)
        return entry

    def receipt(self, send: TextSend, status: str, provider_response: str) -> dict[str, Any]:
        """SNS's delivery-status record of ``send`` (``SUCCESS`` or ``FAILURE``), written to its log group and
        handed to the subscription filters on that group whose pattern matches it, now."""
        at = self._now()
        group = log_group(status, account=self._account, region=self._region)
        stream = self._streams.setdefault(group, str(uuid.uuid4()))
        message = json.dumps(delivery_record(send, status, provider_response, at))
        timestamp = int(at.timestamp() * 1000)
        self._write_log(group, stream, timestamp, message)
        entry: dict[str, Any] = {"event": "Delivery receipt", "at": iso(at), "status": status,
                                 "provider_response": provider_response, "log_group": group, "handled_by": []}
        for subscription in self.log_filters:
            if subscription.log_group != group or not subscription.pattern.matches(message):
                continue
            batch = {
                "messageType": "DATA_MESSAGE",
                "owner": self._account,
                "logGroup": group,
                "logStream": stream,
                "subscriptionFilters": [subscription.target.name],
                "logEvents": [{"id": _event_id(timestamp), "timestamp": timestamp, "message": message}],
            }
            entry["handled_by"].append(deliver(subscription.target, awslogs_event(batch), invoke=self._invoke,
                                               dead_letter=self._dead_letter, log=self._log,
                                               what=f"SNS {status} receipt of {send.message_id}"))
        self._heard.setdefault(send.message_id, []).append(entry)
        return entry

    def heard(self, message_id: str) -> list[dict[str, Any]]:
        """What became of a text: its receipts and the replies naming it, and what each function answered."""
        return list(self._heard.get(message_id, []))

    def inbound_texts(self) -> list[dict[str, Any]]:
        """Every text the candidates sent, oldest first."""
        return list(self._inbound)
