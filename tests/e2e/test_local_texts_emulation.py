"""The local stack's emulation of what AWS End User Messaging and SNS tell of texts (local/texts.py,
local/logfilter.py), in-process, with a recording fake in place of the function: CloudWatch Logs' filter patterns
as documented (and what is refused), the inbound JSON and SNS's record, the delivery-status record and its log
group, the template's subscriptions, retries and the dead-letter queue."""

from __future__ import annotations

import base64
import copy
import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local import provision
from local.intrinsics import Scope
from local.invocations import NotEmulated
from local.logfilter import FilterPatternError, parse
from local.sends import TextSend
from local.texts import ORIGINATION_NUMBER, TextsEmulator, log_subscriptions, message_keyword, topic_subscriptions

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:followup-local-InboundTextsTopic"
DLQ = f"arn:aws:sqs:us-east-1:{ACCOUNT}:followup-local-dead-letters"
SENT_AT = datetime(2026, 3, 12, 13, 0, 0, 250000, tzinfo=UTC)
NOW = SENT_AT + timedelta(seconds=3)
SUCCESS_GROUP = f"sns/us-east-1/{ACCOUNT}/DirectPublishToPhoneNumber"
FAILURE_GROUP = f"{SUCCESS_GROUP}/Failure"
SEND = TextSend(message_id="sns-message-1", phone="+14155550123", sms_type="Transactional", sent_at=SENT_AT)


def template(events: dict[str, Any] | None = None) -> dict[str, Any]:
    """A function subscribed as template.yaml's FeedbackFunction is: the topic, and a filter on each group."""
    return {"Resources": {
        "InboundTextsTopic": {"Type": "AWS::SNS::Topic"},
        "FeedbackFunction": {"Type": "AWS::Serverless::Function", "Properties": {
            "CodeUri": "functions/feedback/", "Handler": "app.lambda_handler",
            "DeadLetterQueue": {"Type": "SQS", "TargetArn": DLQ}, "EventInvokeConfig": {"MaximumRetryAttempts": 1},
            "Events": events if events is not None else {
                "InboundTexts": {"Type": "SNS", "Properties": {"Topic": {"Ref": "InboundTextsTopic"}}},
                "SmsDelivered": {"Type": "CloudWatchLogs", "Properties": {
                    "LogGroupName": SUCCESS_GROUP, "FilterPattern": '{ $.status = "SUCCESS" }'}},
                "SmsFailed": {"Type": "CloudWatchLogs", "Properties": {
                    "LogGroupName": FAILURE_GROUP, "FilterPattern": '{ $.status = "FAILURE" }'}},
            }}},
    }}


def scope(declared: dict[str, Any]) -> Scope:
    return Scope.of(declared, parameters={}, refs={"AWS::Region": "us-east-1", "AWS::AccountId": ACCOUNT,
                                                   "AWS::Partition": "aws", "InboundTextsTopic": TOPIC,
                                                   "SmsDeliveryLogGroup": SUCCESS_GROUP,
                                                   "SmsFailureLogGroup": FAILURE_GROUP}, attributes={
        "FollowUpDeadLetterQueue.Arn": DLQ})


class Recording:
    """The function, the topic and the log groups: keeps what each got; the function fails ``failures`` times."""

    def __init__(self, failures: int = 0) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.published: list[tuple[str, str]] = []
        self.written: list[tuple[str, str, int, str]] = []
        self.dead_letters: list[tuple[str, dict[str, Any], str]] = []
        self.failures = failures

    def __call__(self, code: str, event: dict[str, Any]) -> Any:
        self.events.append((code, copy.deepcopy(event)))
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the table is throttled")
        return {"result": ["done"]}

    def publish(self, topic: str, message: str) -> str:
        self.published.append((topic, message))
        return f"published-{len(self.published)}"

    def write(self, group: str, stream: str, timestamp: int, message: str) -> None:
        self.written.append((group, stream, timestamp, message))

    def dead_letter(self, arn: str, event: dict[str, Any], error: str) -> None:
        self.dead_letters.append((arn, event, error))


def emulator(handler: Recording, declared: dict[str, Any] | None = None) -> TextsEmulator:
    declared = declared or template()
    return TextsEmulator.from_template(declared, scope(declared), invoke=handler, publish=handler.publish,
                                       write_log=handler.write, now=lambda: NOW, account=ACCOUNT, region="us-east-1",
                                       dead_letter=handler.dead_letter)


def batch(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))


# ---- CloudWatch Logs' filter patterns -------------------------------------------------------------


RECORD = {"notification": {"messageId": "m-1", "timestamp": "2026-03-12 13:00:00.250"}, "status": "FAILURE",
          "delivery": {"mnc": 260, "providerResponse": "Phone carrier has blocked this message", "flag": True,
                       "nothing": None}}


@pytest.mark.parametrize(("pattern", "expected"), [
    ("", True),  # the empty pattern: every event
    ('{ $.status = "FAILURE" }', True),
    ('{ $.status = "SUCCESS" }', False),
    ("{ $.status = FAILURE }", True),  # a bare word
    ('{ $.status = "failure" }', False),  # exact: no case folding
    ('{ $.status != "SUCCESS" }', True),
    ('{ $.delivery.providerResponse = "Phone carrier*" }', True),  # * stands for any run
    ('{ $.delivery.providerResponse = "*unreachable*" }', False),
    ("{ $.notification.messageId = * }", True),
    ("{ $.delivery.mnc > 100 && $.delivery.mnc <= 260 }", True),
    ("{ $.delivery.mnc = 261 }", False),
    ('{ $.delivery.mnc = "260" }', False),  # a number is not its string
    ('{ $.status = "SUCCESS" || ($.status = "FAILURE" && $.delivery.flag IS TRUE) }', True),
    ("{ $.delivery.nothing IS NULL }", True),
    ("{ $.delivery.flag IS FALSE }", False),
    ("{ $.delivery.phoneCarrier NOT EXISTS }", True),
    ('{ $.delivery.phoneCarrier != "x" }', False),  # a property the event lacks matches nothing but NOT EXISTS
])
def test_a_json_filter_pattern_matches_as_cloudwatch_logs_documents_it(pattern: str, expected: bool) -> None:
    # Given SNS's delivery-status record and a JSON filter pattern

    # When it is matched
    matched = parse(pattern).matches(json.dumps(RECORD))

    # Then it matches exactly when CloudWatch Logs says it does
    assert matched is expected


@pytest.mark.parametrize(("pattern", "named"), [
    ("FAILURE", "only JSON patterns"),
    ("?FAILURE ?blocked", "only JSON patterns"),
    ("[status, ...]", "only JSON patterns"),
    ("%FAIL.*%", "regular expressions"),
    ("{ $.records[0].status = FAILURE }", "array selectors"),
    ('{ $.status = "FAILURE" ', "one { ... }"),
    ("{ $.status IS MAYBE }", "IS MAYBE"),
    ("{ $.delivery.mnc > high }", "compares numbers"),
])
def test_a_filter_pattern_the_local_stack_cannot_match_faithfully_is_refused_by_name(pattern: str, named: str) -> None:
    # When a pattern using a part of the language that is not emulated is read, Then it is refused, saying what
    with pytest.raises(FilterPatternError, match=named.replace("[", r"\[").replace("{", r"\{")):
        parse(pattern)


def test_a_json_pattern_matches_no_event_that_is_not_a_json_object() -> None:
    # Given a JSON pattern, When a log event is plain text or a JSON array, Then it does not match
    pattern = parse('{ $.status = "FAILURE" }')
    assert not pattern.matches("FAILURE") and not pattern.matches('[{"status": "FAILURE"}]')


# ---- the template's subscriptions -----------------------------------------------------------------


def test_the_templates_feedback_function_takes_the_inbound_topic_and_one_status_per_delivery_log_group() -> None:
    # Given template.yaml as the local stack resolves it
    declared = json.loads(json.dumps(provision.template()))

    # When its subscriptions are read
    topics = topic_subscriptions(declared, scope(declared))
    filters = log_subscriptions(declared, scope(declared))

    # Then the feedback function is subscribed to the inbound topic, and to each group with its one status
    assert [(s.target.function, s.topic_arn) for s in topics] == [("FeedbackFunction", TOPIC)]
    success = json.dumps({**RECORD, "status": "SUCCESS"})
    failure = json.dumps(RECORD)
    assert sorted((f.log_group, f.pattern.matches(success), f.pattern.matches(failure)) for f in filters) == [
        (SUCCESS_GROUP, True, False), (FAILURE_GROUP, False, True)]
    assert {f.target.code for f in filters} == {"feedback"}


@pytest.mark.parametrize(("event", "named"), [
    ({"Type": "SNS", "Properties": {"Topic": TOPIC, "FilterPolicy": {"kind": ["reply"]}}}, "FilterPolicy"),
    ({"Type": "SNS", "Properties": {"Topic": TOPIC, "SqsSubscription": True}}, "SqsSubscription"),
    ({"Type": "CloudWatchLogs", "Properties": {"LogGroupName": SUCCESS_GROUP, "FilterPattern": "SUCCESS"}},
     "only JSON patterns"),
])
def test_a_subscription_the_local_stack_does_not_emulate_stops_it_at_start(event: dict[str, Any], named: str) -> None:
    # Given a function subscribed in a way the local stack does not emulate
    declared = template({"Texts": event})

    # When the emulation is built from the template, Then it refuses, naming the event and what
    with pytest.raises(NotEmulated, match=f"FeedbackFunction.Texts: .*{named}"):
        emulator(Recording(), declared)


# ---- a reply -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "keyword"), [
    ("STOP", "STOP"), ("stop please", "STOP"), ("Help", "HELP"), ("DONE", f"KEYWORD_{ACCOUNT}"),
    ("unsubscribe", f"KEYWORD_{ACCOUNT}"), ("", f"KEYWORD_{ACCOUNT}"),
])
def test_the_message_keyword_is_the_numbers_keyword_the_first_word_is_else_the_default(body: str, keyword: str) -> None:
    # When a reply's keyword is derived, Then it is one of the number's keywords (HELP, STOP) or the default name
    assert message_keyword(body, ACCOUNT) == keyword


def test_a_reply_is_published_as_aws_json_and_handed_to_the_subscriber_as_sns_would() -> None:
    # Given the emulation of the template's topic and its subscriber
    handler = Recording()

    # When the candidate replies DONE to a text
    entry = emulator(handler).inbound("+14155550123", "DONE", "sns-message-1")

    # Then AWS End User Messaging's JSON went to the topic
    assert entry is not None and [topic for topic, _ in handler.published] == [TOPIC]
    message = json.loads(handler.published[0][1])
    assert message == {"originationNumber": "+14155550123", "destinationNumber": ORIGINATION_NUMBER,
                       "messageKeyword": f"KEYWORD_{ACCOUNT}", "messageBody": "DONE",
                       "inboundMessageId": entry["inbound_message_id"], "previousPublishedMessageId": "sns-message-1"}
    # and the function got it once, in SNS's Lambda record, with the id SNS answered
    [(code, event)] = handler.events
    [record] = event["Records"]
    assert code == "feedback" and record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"].startswith(f"{TOPIC}:")
    assert {k: record["Sns"][k] for k in ("Type", "MessageId", "TopicArn", "Timestamp")} == {
        "Type": "Notification", "MessageId": "published-1", "TopicArn": TOPIC, "Timestamp": "2026-03-12T13:00:03.250Z"}
    assert json.loads(record["Sns"]["Message"]) == message
    assert entry["handled_by"][0]["result"] == {"result": ["done"]}


def test_a_reply_naming_no_text_has_no_previous_message_id() -> None:
    # When the candidate texts without answering a text, Then the JSON has no previousPublishedMessageId
    handler = Recording()
    emulator(handler).inbound("+14155550123", "who is this?", None)
    assert "previousPublishedMessageId" not in json.loads(handler.published[0][1])


def test_without_an_inbound_topic_a_reply_goes_nowhere() -> None:
    # Given a template with no inbound topic, When a reply is sent, Then nothing is published and None says so
    handler = Recording()
    declared = template({})
    del declared["Resources"]["InboundTextsTopic"]
    assert emulator(handler, declared).inbound("+14155550123", "DONE", None) is None and handler.published == []


def test_a_failing_subscriber_is_tried_again_then_the_event_goes_to_its_dead_letter_queue() -> None:
    # Given a function that fails every time (1 + MaximumRetryAttempts tries)
    handler = Recording(failures=5)

    # When a reply reaches it
    entry = emulator(handler).inbound("+14155550123", "DONE", None)

    # Then it was tried twice, and the event went to the function's dead-letter queue
    assert len(handler.events) == 2 and entry is not None and entry["handled_by"][0]["attempts"] == 2
    assert [(arn, error) for arn, _, error in handler.dead_letters] == [(DLQ, "RuntimeError: the table is throttled")]


# ---- a receipt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "group"), [("SUCCESS", SUCCESS_GROUP), ("FAILURE", FAILURE_GROUP)])
def test_a_receipt_is_written_to_its_group_and_reaches_the_filter_on_it(status: str, group: str) -> None:
    # Given the emulation of the template's two subscription filters
    handler = Recording()

    # When SNS's record of a text arrives
    entry = emulator(handler).receipt(SEND, status, "Phone carrier has blocked this message")

    # Then SNS's record was written to its status's group
    [(written_group, stream, timestamp, message)] = handler.written
    record = json.loads(message)
    assert (written_group, entry["log_group"]) == (group, group)
    assert record["status"] == status and record["notification"] == {"messageId": "sns-message-1",
                                                                     "timestamp": "2026-03-12 13:00:00.250"}
    assert {k: record["delivery"][k] for k in ("destination", "smsType", "providerResponse", "dwellTimeMs")} == {
        "destination": "+14155550123", "smsType": "Transactional",
        "providerResponse": "Phone carrier has blocked this message", "dwellTimeMs": 3000}
    # and the function got it once, as CloudWatch Logs' subscription batch of that group
    [(code, event)] = handler.events
    data = batch(event)
    assert code == "feedback" and data["messageType"] == "DATA_MESSAGE" and data["owner"] == ACCOUNT
    assert (data["logGroup"], data["logStream"]) == (group, stream)
    [log_event] = data["logEvents"]
    assert log_event["message"] == message and log_event["timestamp"] == timestamp == int(NOW.timestamp() * 1000)
    assert len(log_event["id"]) == 56 and log_event["id"].isdigit()


def test_a_receipt_no_filter_matches_reaches_no_function() -> None:
    # Given filters that pass only failures
    handler = Recording()
    declared = template({"Failed": {"Type": "CloudWatchLogs", "Properties": {
        "LogGroupName": SUCCESS_GROUP, "FilterPattern": '{ $.status = "FAILURE" }'}}})

    # When a success is written, Then it is logged, and no function is invoked
    entry = emulator(handler, declared).receipt(SEND, "SUCCESS", "Message has been accepted by phone carrier")
    assert len(handler.written) == 1 and handler.events == [] and entry["handled_by"] == []
