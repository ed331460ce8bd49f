"""The local stack's emulation of what SES and EventBridge do with a sent email (local/eventbridge.py,
local/mailbox.py, local/sends.py, local/feedback.py), in-process, with a recording fake in place of the function:
which events SES's mailbox simulator makes, which the template's event destination publishes, which its rule's
pattern matches, and how a failing function is retried, all from template.yaml's own resources."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local import mailbox, provision
from local.calls import CallRecorder
from local.eventbridge import PatternError, matches
from local.feedback import FeedbackEmulator, event_destinations, rules
from local.intrinsics import Scope
from local.sends import EmailSend, SendRecorder

pytestmark = pytest.mark.e2e

SET = "followup-local-emails"
DLQ = "arn:aws:sqs:us-east-1:123456789012:followup-local-dead-letters"
SENT_AT = datetime(2026, 3, 12, 13, 0, 0, 250000, tzinfo=UTC)
NOW = SENT_AT + timedelta(seconds=2)
TAGS = (("interview", "0123456789ab"), ("kind", "thank_you_note"), ("channel", "email"))


def plain_template() -> dict[str, Any]:
    return json.loads(json.dumps(provision.template()))


def scope(template: dict[str, Any]) -> Scope:
    return Scope.of(template, parameters={"SenderEmail": "followups@example.com"}, refs={
        "AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
        "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "followup-local", "EmailConfigurationSet": SET,
    }, attributes={"FollowUpDeadLetterQueue.Arn": DLQ})


def send_to(*addresses: str, configuration_set: str | None = SET, tags: tuple[tuple[str, str], ...] = TAGS,
            message_id: str = "0100-message-1") -> EmailSend:
    return EmailSend(message_id=message_id, configuration_set=configuration_set, tags=tags, destinations=addresses,
                     source="Acme Staffing <followups@example.com>",
                     headers=(("From", "Acme Staffing <followups@example.com>"), ("To", addresses[0]),
                              ("Subject", "Mail a card")), sent_at=SENT_AT)


class Recording:
    """A stand-in for the function a rule invokes: keeps each event, answers as told, or fails ``failures`` times."""

    def __init__(self, failures: int = 0) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.failures = failures
        self.dead_letters: list[tuple[str, dict[str, Any], str]] = []

    def __call__(self, code: str, event: dict[str, Any]) -> Any:
        self.events.append((code, copy.deepcopy(event)))
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the table is throttled")
        return {"result": "applied"}

    def dead_letter(self, arn: str, event: dict[str, Any], error: str) -> None:
        self.dead_letters.append((arn, event, error))


def emulator(template: dict[str, Any] | None = None, handler: Recording | None = None) -> FeedbackEmulator:
    template = template or plain_template()
    handler = handler or Recording()
    return FeedbackEmulator.from_template(template, scope(template), invoke=handler, now=lambda: NOW,
                                          account="123456789012", region="us-east-1", dead_letter=handler.dead_letter)


# ---- EventBridge's pattern matching -----------------------------------------------------------------


EVENT = {"source": "aws.ses", "detail-type": "Email Bounced", "account": "123456789012",
         "detail": {"eventType": "Bounce", "count": 5, "flag": True, "nothing": None,
                    "mail": {"tags": {"ses:configuration-set": ["other", SET], "kind": ["confirmation"]}},
                    "recipients": [{"emailAddress": "a@example.com"}, {"emailAddress": "b@example.com"}]}}


@pytest.mark.parametrize(("pattern", "expected"), [
    ({"source": ["aws.ses"]}, True),
    ({"source": ["aws.ses"], "detail-type": ["Email Delivered", "Email Bounced"]}, True),
    ({"source": ["aws.ses"], "detail-type": ["Email Delivered"]}, False),  # every field must match
    ({"source": ["AWS.SES"]}, False),  # exact: no case folding
    ({"detail": {"mail": {"tags": {"ses:configuration-set": [SET]}}}}, True),  # an event array shares a value
    ({"detail": {"mail": {"tags": {"ses:configuration-set": ["someone-elses"]}}}}, False),
    ({"detail": {"mail": {"tags": {"interview": ["0123"]}}}}, False),  # a field the event lacks
    ({"detail": {"recipients": {"emailAddress": ["b@example.com"]}}}, True),  # any object of an event array
    ({"detail": {"count": [5.0]}}, True),  # the same number
    ({"detail": {"count": ["5"]}}, False),  # a number is not its string
    ({"detail": {"flag": [True]}}, True),
    ({"detail": {"flag": [1]}}, False),  # a boolean is not a number
    ({"detail": {"nothing": [None]}}, True),
    ({"detail": {"eventType": {"nested": ["x"]}}}, False),  # an object where the event has a value
])
def test_a_pattern_matches_as_eventbridge_documents_it(pattern: dict[str, Any], expected: bool) -> None:
    # Given an SES event in EventBridge's envelope and a pattern of exact values and nested objects

    # When it is matched
    matched = matches(pattern, EVENT)

    # Then it matches exactly when EventBridge's rules say it does
    assert matched is expected


@pytest.mark.parametrize(("pattern", "named"), [
    ({"source": [{"prefix": "aws."}]}, "prefix"),
    ({"detail": {"count": [{"numeric": [">", 1]}]}}, "numeric"),
    ({"$or": [{"source": ["aws.ses"]}]}, "$or"),
    ({"source": []}, "empty array"),
    ({"source": "aws.ses"}, "not 'aws.ses'"),
    ({}, "non-empty"),
])
def test_a_pattern_the_local_stack_cannot_match_faithfully_is_refused_by_name(pattern: dict[str, Any],
                                                                              named: str) -> None:
    # Given a pattern using a part of the language that is not emulated, or none at all

    # When it is matched, Then it is refused, saying what
    with pytest.raises(PatternError, match=named.replace("$", r"\$")):
        matches(pattern, EVENT)


# ---- SES's mailbox simulator ---------------------------------------------------------------------


@pytest.mark.parametrize(("address", "expected"), [
    ("bounce@simulator.amazonses.com", [("Bounce", "Permanent", "General")]),
    ("bounce+first-try@simulator.amazonses.com", [("Bounce", "Permanent", "General")]),
    ("Complaint+x@Simulator.AmazonSES.com", [("Delivery", None, None), ("Complaint", None, None)]),
    ("ooto+away@simulator.amazonses.com", [("Delivery", None, None)]),
    ("success@simulator.amazonses.com", [("Delivery", None, None)]),
    ("suppressionlist+2@simulator.amazonses.com", [("Bounce", "Permanent", "OnAccountSuppressionList")]),
    ("jordan.rivera@example.com", [("Delivery", None, None)]),
    ("bounce@example.com", [("Delivery", None, None)]),  # not the simulator's domain
    ("nobody@simulator.amazonses.com", [("Delivery", None, None)]),  # not one of its scenarios
])
def test_each_simulator_address_with_or_without_a_label_has_its_fate(address: str, expected: list[tuple]) -> None:
    # Given an email to the address

    # When SES makes its events
    made = [(r["eventType"], r.get("bounce", {}).get("bounceType"), r.get("bounce", {}).get("bounceSubType"))
            for r in mailbox.records(send_to(address), NOW, account="123456789012", region="us-east-1")]

    # Then they are the simulator's, in the order they happen
    assert made == expected


def test_an_event_record_carries_the_sends_tags_as_lists_and_its_times_are_the_given_clocks() -> None:
    # Given an email to the complaint address, sent at SENT_AT, whose events come at NOW
    send = send_to("complaint+label@simulator.amazonses.com")

    # When SES makes its events, wrapped as EventBridge delivers them
    delivery, complaint = mailbox.records(send, NOW, account="123456789012", region="us-east-1")
    wrapped = mailbox.envelope(complaint, NOW, account="123456789012", region="us-east-1")

    # Then each names the message, its recipients and its tags (with the configuration set), at the given times
    assert delivery["mail"]["messageId"] == complaint["mail"]["messageId"] == "0100-message-1"
    assert delivery["mail"]["timestamp"] == "2026-03-12T13:00:00.250Z"
    assert delivery["mail"]["destination"] == ["complaint+label@simulator.amazonses.com"]
    assert delivery["mail"]["tags"]["ses:configuration-set"] == [SET]
    assert {name: delivery["mail"]["tags"][name] for name, _ in TAGS} == {
        "interview": ["0123456789ab"], "kind": ["thank_you_note"], "channel": ["email"]}
    assert delivery["delivery"]["timestamp"] == "2026-03-12T13:00:02.250Z"
    assert delivery["delivery"]["processingTimeMillis"] == 2000
    assert delivery["delivery"]["recipients"] == ["complaint+label@simulator.amazonses.com"]
    assert complaint["complaint"]["complainedRecipients"] == [{"emailAddress": "complaint+label@simulator.amazonses.com"}]
    assert complaint["complaint"]["complaintFeedbackType"] == "abuse"
    assert wrapped["detail-type"] == "Email Complaint Received" and wrapped["source"] == "aws.ses"
    assert wrapped["time"] == "2026-03-12T13:00:02Z" and wrapped["detail"] is complaint
    assert "ses:configuration-set" not in mailbox.records(send_to("a@example.com", configuration_set=None), NOW,
                                                          account="1", region="us-east-1")[0]["mail"]["tags"]


# ---- the template's destination and rule ------------------------------------------------------------


def test_the_templates_destination_and_rule_are_read_from_its_own_resources() -> None:
    # Given template.yaml, resolved as the local stack resolves it
    template = plain_template()

    # When its event destinations and rules are read
    [destination] = event_destinations(template, scope(template))
    [rule] = rules(template, scope(template))

    # Then the destination publishes the set's five event types to the default bus, and the rule is
    # FeedbackFunction's, on that bus, with the set's name in its pattern and the function's retries and queue
    assert destination.configuration_set == SET and destination.bus == "default"
    assert destination.event_types == {"bounce", "complaint", "delivery", "deliverydelay", "reject"}
    assert (rule.function, rule.code, rule.bus, rule.retries, rule.dead_letter_arn) == (
        "FeedbackFunction", "feedback", "default", 2, DLQ)
    assert rule.pattern["detail"]["mail"]["tags"]["ses:configuration-set"] == [SET]


def test_a_simulator_bounce_reaches_the_function_through_the_rule() -> None:
    # Given the template's emulation, with a recording function
    handler = Recording()
    feedback = emulator(handler=handler)

    # When an email of the set goes to the bounce address
    [heard] = feedback.hear_back([send_to("bounce+x@simulator.amazonses.com")])

    # Then the function got SES's bounce, in EventBridge's envelope, and what it answered is kept for the message
    [(code, event)] = handler.events
    assert code == "feedback"
    assert (event["source"], event["detail-type"], event["detail"]["eventType"]) == (
        "aws.ses", "Email Bounced", "Bounce")
    assert event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] == "bounce+x@simulator.amazonses.com"
    assert heard["handled_by"] == [{"rule": "FeedbackFunction.SesEvents", "function": "FeedbackFunction",
                                    "result": {"result": "applied"}, "attempts": 1}]
    assert feedback.heard("0100-message-1") == [heard]


@pytest.mark.parametrize("configuration_set", [None, "another-set"])
def test_an_email_that_names_no_configuration_set_or_another_makes_no_event(configuration_set: str | None) -> None:
    # Given the template's emulation, with a recording function
    handler = Recording()
    feedback = emulator(handler=handler)

    # When an email to the bounce address names no configuration set, or one with no destination
    heard = feedback.hear_back([send_to("bounce@simulator.amazonses.com", configuration_set=configuration_set)])
    forced = feedback.force(send_to("a@example.com", configuration_set=configuration_set), "complaint")

    # Then nothing is published and the function is never invoked
    assert heard == [] and forced is None
    assert handler.events == []
    assert feedback.heard("0100-message-1") == []


def test_an_event_the_rules_pattern_does_not_match_is_published_but_reaches_no_function() -> None:
    # Given a template whose rule takes bounces only
    template = plain_template()
    pattern = template["Resources"]["FeedbackFunction"]["Properties"]["Events"]["SesEvents"]["Properties"]["Pattern"]
    pattern["detail-type"] = ["Email Bounced"]
    handler = Recording()
    feedback = emulator(template, handler)

    # When one email is delivered and another bounces
    delivered, bounced = feedback.hear_back([send_to("a@example.com", message_id="m-1"),
                                             send_to("bounce@simulator.amazonses.com", message_id="m-2")])

    # Then both are published, and only the bounce reaches the function
    assert delivered["event"] == "Delivery" and delivered["handled_by"] == []
    assert bounced["event"] == "Bounce" and len(bounced["handled_by"]) == 1
    assert [event["detail"]["mail"]["messageId"] for _, event in handler.events] == ["m-2"]


def test_an_event_type_the_destination_does_not_match_is_not_published() -> None:
    # Given a template whose destination publishes bounces and deliveries only
    template = plain_template()
    destination = template["Resources"]["EmailEventsToEventBridge"]["Properties"]["EventDestination"]
    destination["MatchingEventTypes"] = ["BOUNCE", "DELIVERY"]  # SES v2's spelling reads the same
    handler = Recording()
    feedback = emulator(template, handler)

    # When an email goes to the complaint address (a delivery, then a complaint)
    heard = feedback.hear_back([send_to("complaint@simulator.amazonses.com")])

    # Then only the delivery is published and reaches the function
    assert [entry["event"] for entry in heard] == ["Delivery"]
    assert [event["detail-type"] for _, event in handler.events] == ["Email Delivered"]


def test_a_disabled_destination_publishes_nothing() -> None:
    # Given a template whose destination is not enabled
    template = plain_template()
    template["Resources"]["EmailEventsToEventBridge"]["Properties"]["EventDestination"]["Enabled"] = False
    handler = Recording()

    # When an email bounces
    heard = emulator(template, handler).hear_back([send_to("bounce@simulator.amazonses.com")])

    # Then nothing reaches the function
    assert heard == [] and handler.events == []


def test_a_function_that_keeps_failing_is_tried_three_times_then_its_event_goes_to_its_dead_letter_queue() -> None:
    # Given a function that fails three times in a row, and one that fails once
    always, once = Recording(failures=3), Recording(failures=1)

    # When an email bounces, for each
    [given_up] = emulator(handler=always).hear_back([send_to("bounce@simulator.amazonses.com")])
    [recovered] = emulator(handler=once).hear_back([send_to("bounce@simulator.amazonses.com")])

    # Then Lambda's two retries follow the first try; the event that failed every one goes to the function's queue
    assert len(always.events) == 3 and given_up["handled_by"][0]["attempts"] == 3
    assert given_up["handled_by"][0]["error"] == "RuntimeError: the table is throttled"
    [(arn, event, error)] = always.dead_letters
    assert arn == DLQ and event["detail-type"] == "Email Bounced" and "throttled" in error
    assert recovered["handled_by"][0]["result"] == {"result": "applied"} and recovered["handled_by"][0]["attempts"] == 2
    assert once.dead_letters == []


def test_a_rule_target_that_reshapes_the_event_is_refused_at_start() -> None:
    # Given a template whose rule hands the function a part of the event
    template = plain_template()
    template["Resources"]["FeedbackFunction"]["Properties"]["Events"]["SesEvents"]["Properties"]["InputPath"] = "$.detail"

    # When its rules are read, Then the local stack says it does not emulate that
    with pytest.raises(PatternError, match="FeedbackFunction.SesEvents: InputPath"):
        rules(template, scope(template))


# ---- what a SendEmail leaves ------------------------------------------------------------------------


def test_each_sesv2_send_is_recorded_with_its_set_tags_and_the_message_id_ses_answered() -> None:
    # Given moto's SES with a verified sender, and the recorder attached, under a call recorder attached after it
    with mock_aws():
        sesv2 = boto3.client("sesv2", region_name="us-east-1")
        sesv2.create_email_identity(EmailIdentity="followups@example.com")
        with SendRecorder(lambda: SENT_AT) as sends, CallRecorder() as calls:
            # When the product's kind of send is made, and one with no set and a Destination-less raw message
            answer = sesv2.send_email(
                FromEmailAddress="followups@example.com", Destination={"ToAddresses": ["Jo <jo@example.com>"]},
                Content={"Raw": {"Data": b"From: followups@example.com\r\nTo: jo@example.com\r\nSubject: Hi\r\n\r\nHi"}},
                ConfigurationSetName=SET, EmailTags=[{"Name": name, "Value": value} for name, value in TAGS])
            bare = sesv2.send_email(FromEmailAddress="followups@example.com", Content={"Raw": {
                "Data": b"From: followups@example.com\r\nTo: sam@example.com\r\nCc: al@example.com\r\n\r\nHi"}})
            sesv2.list_email_identities()
        after = sesv2.send_email(FromEmailAddress="followups@example.com", Destination={"ToAddresses": ["x@example.com"]},
                                 Content={"Raw": {"Data": b"Subject: after\r\n\r\nHi"}})

    # Then each send while attached is recorded as SES took it; the other call is not a send, and one made after
    # detaching is not recorded (while the call recorder on top recorded every call)
    first, second = sends.sends()
    assert (first.message_id, first.configuration_set, first.tags) == (answer["MessageId"], SET, TAGS)
    assert first.destinations == ("jo@example.com",) and first.sent_at == SENT_AT
    assert ("Subject", "Hi") in first.headers
    assert (second.message_id, second.configuration_set, second.tags) == (bare["MessageId"], None, ())
    assert second.destinations == ("sam@example.com", "al@example.com")
    assert after["MessageId"] not in {send.message_id for send in sends.sends()}
    assert [call.operation for call in calls.calls] == ["SendEmail", "SendEmail", "ListEmailIdentities"]
    assert sends.take_new() == [first, second] and sends.take_new() == []
    assert sends.find(bare["MessageId"]) == second
