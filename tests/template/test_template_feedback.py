"""template.yaml hearing back from SES: the configuration set every email names, its events to EventBridge, the
feedback function's rule and its least privilege, the alarms on SES's reputation and on unconfirmed sends, and the
sample events of events/ as the rule sees them."""

from __future__ import annotations

import ast
import copy
import json
import re
from typing import Any

import pytest
from moto.events.models import EventPattern

from followup.domain import feedback
from followup.runtime import observability
from tests.template.template_parts import (
    ALIAS,
    CONFIGURATION_SET,
    DLQ,
    FEEDBACK_FUNCTION,
    FEEDBACK_RULE,
    FUNCTIONS,
    ROOT,
    TABLE,
    as_list,
    python_sources,
    resources_of_type,
)

# SES's detail-type on EventBridge for each eventType of its record (EventBridge's reference, "Amazon SES events")
DETAIL_TYPES = {
    "Delivery": "Email Delivered",
    "Bounce": "Email Bounced",
    "Complaint": "Email Complaint Received",
    "DeliveryDelay": "Email Delivery Delayed",
    "Reject": "Email Rejected",
}
SAMPLES = sorted(path.name for path in (ROOT / "events").glob("ses_*.json"))


def rule_pattern(template: dict[str, Any], configuration_set: str) -> EventPattern:
    """The feedback rule's pattern as EventBridge reads it once the stack's configuration set has its name."""
    pattern = copy.deepcopy(template["Resources"][FEEDBACK_FUNCTION]["Properties"]["Events"]["SesEvents"]
                            ["Properties"]["Pattern"])
    tags = pattern["detail"]["mail"]["tags"]
    assert tags["ses:configuration-set"] == [{"Ref": CONFIGURATION_SET}]
    tags["ses:configuration-set"] = [configuration_set]
    return EventPattern.load(json.dumps(pattern))


def sample(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "events" / name).read_text(encoding="utf-8"))


# ------------------------------------------------------------ the configuration set and its events


def test_the_configuration_set_suppresses_bounces_and_complaints_sends_and_exports_its_reputation(template):
    # Given the configuration set every email names
    properties = template["Resources"][CONFIGURATION_SET]["Properties"]

    # Then SES itself suppresses an address that bounced hard or complained, for this set's email
    assert sorted(properties["SuppressionOptions"]["SuppressedReasons"]) == ["BOUNCE", "COMPLAINT"]
    # and the set sends and publishes its own reputation metrics; CloudFormation names it (no name to collide)
    assert properties["SendingOptions"] == {"SendingEnabled": True}
    assert properties["ReputationOptions"] == {"ReputationMetricsEnabled": True}
    assert "Name" not in properties


def test_the_sets_events_go_to_the_accounts_default_bus_for_the_five_kinds_the_feedback_reads(template):
    # Given the configuration set's event destinations
    destinations = resources_of_type(template, "AWS::SES::ConfigurationSetEventDestination")

    # When the one destination is read
    (destination,) = destinations.values()
    properties = destination["Properties"]
    target = properties["EventDestination"]

    # Then it is the stack's set's, on, to the default bus of this account and partition (SES's only one)
    assert properties["ConfigurationSetName"] == {"Ref": CONFIGURATION_SET}
    assert target["Enabled"] is True
    assert target["EventBridgeDestination"] == {
        "EventBusArn": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}
    }
    assert not {"CloudWatchDestination", "KinesisFirehoseDestination", "SnsDestination"} & set(target)
    # and for the event types the feedback reads (SES's eventType Delivery is the destination's delivery), no more
    assert sorted(target["MatchingEventTypes"]) == sorted(t[0].lower() + t[1:] for t in feedback.EVENT_TYPES)
    assert sorted(target["MatchingEventTypes"]) == ["bounce", "complaint", "delivery", "deliveryDelay", "reject"]


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_function_is_told_the_configuration_set(transformed_template, logical_id):
    # Given a function as the transform deploys it (Globals merged)
    variables = transformed_template["Resources"][logical_id]["Properties"]["Environment"]["Variables"]

    # Then its environment names the stack's configuration set
    assert variables["SES_CONFIGURATION_SET"] == {"Ref": CONFIGURATION_SET}


def test_the_stack_outputs_the_configuration_sets_name(template):
    assert template["Outputs"]["EmailConfigurationSetName"]["Value"] == {"Ref": CONFIGURATION_SET}


# ------------------------------------------------------------ the feedback function


def test_the_feedback_rule_takes_ses_email_events_of_this_stacks_configuration_set_only(template):
    # Given the feedback function's event of SES's
    event = template["Resources"][FEEDBACK_FUNCTION]["Properties"]["Events"]["SesEvents"]

    # When its pattern is read
    pattern = dict(event["Properties"]["Pattern"])
    detail_types = pattern.pop("detail-type")

    # Then it is an EventBridge rule on SES's five email detail-types, for the stack's configuration set only
    assert event["Type"] == "EventBridgeRule"
    assert sorted(detail_types) == sorted(DETAIL_TYPES.values())
    assert pattern == {
        "source": ["aws.ses"],
        "detail": {"mail": {"tags": {"ses:configuration-set": [{"Ref": CONFIGURATION_SET}]}}},
    }


def test_the_feedback_rule_invokes_the_live_alias_retries_and_then_dead_letters(transformed_template):
    # Given the rule the transform made, and its one target
    rule = transformed_template["Resources"][FEEDBACK_RULE]
    (target,) = rule["Properties"]["Targets"]

    # Then it invokes the published alias, with a bounded retry policy, then the dead-letter queue
    assert target["Arn"] == {"Ref": f"{FEEDBACK_FUNCTION}Alias{ALIAS}"}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [DLQ, "Arn"]}}
    assert 0 < target["RetryPolicy"]["MaximumEventAgeInSeconds"] <= 24 * 60 * 60
    assert 0 < target["RetryPolicy"]["MaximumRetryAttempts"] <= 185
    # and of EventBridge only that rule may invoke it (test_template_texts: SNS and CloudWatch Logs)
    permissions = [p["Properties"] for p in resources_of_type(transformed_template, "AWS::Lambda::Permission").values()
                   if p["Properties"]["FunctionName"] == {"Ref": f"{FEEDBACK_FUNCTION}Alias{ALIAS}"}
                   and p["Properties"]["Principal"] == "events.amazonaws.com"]
    assert permissions == [{"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": f"{FEEDBACK_FUNCTION}Alias{ALIAS}"},
                            "Principal": "events.amazonaws.com", "SourceArn": {"Fn::GetAtt": [FEEDBACK_RULE, "Arn"]}}]


def test_the_feedback_function_may_use_items_email_from_the_sender_and_texts_and_nothing_else(template,
                                                                                             transformed_template):
    # Given the feedback function's own policy, and its role as the transform makes it
    statements = {s["Sid"]: s for p in template["Resources"][FEEDBACK_FUNCTION]["Properties"]["Policies"]
                  for s in as_list(p["Statement"])}
    role = transformed_template["Resources"][f"{FEEDBACK_FUNCTION}Role"]["Properties"]

    # When its statements are read, by what they are for
    items, email, texts = (statements.pop(sid) for sid in ("InterviewItems", "EmailFromTheFirmsSender",
                                                           "SmsToPhoneNumbers"))

    # Then it may get, put and update items of the interviews table, unconditionally
    assert statements == {}
    assert all(s["Effect"] == "Allow" for s in (items, email, texts))
    assert sorted(as_list(items["Action"])) == ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    assert items["Resource"] == {"Fn::GetAtt": [TABLE, "Arn"]}
    assert set(items) == {"Sid", "Effect", "Action", "Resource"}
    # and send email as the other senders do (test_template_privilege: the firm's sender, the stack's set)
    assert as_list(email["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
    # and publish a text to a phone number (which has no ARN: "*", as the steps), not ask SNS about opt-outs
    assert (as_list(texts["Action"]), texts["Resource"]) == (["sns:Publish"], "*")
    assert set(texts) == {"Sid", "Effect", "Action", "Resource"}
    # and SAM adds only its logs, its traces and its dead-letter queue
    assert sorted(role["ManagedPolicyArns"]) == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]
    added = [s for p in role["Policies"] if p["PolicyName"] == "DeadLetterQueuePolicy"
             for s in as_list(p["PolicyDocument"]["Statement"])]
    assert added == [{"Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": [DLQ, "Arn"]}, "Effect": "Allow"}]
    assert len(role["Policies"]) == 2


def test_each_table_action_of_the_feedback_function_says_why(template):
    # Given the lines of template.yaml that grant the feedback function's table actions
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    block = text[text.index(f"  {FEEDBACK_FUNCTION}:\n"):]
    block = block[:block.index("\n  # ", 1)]

    # Then each action carries its reason, as the step functions' do
    for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"):
        (line,) = [line for line in block.splitlines() if line.strip().startswith(f"- {action}")]
        assert re.search(r" # \S", line), line


# ------------------------------------------------------------ alarms


@pytest.mark.parametrize(("logical_id", "metric", "threshold"), [
    ("SesBounceRateAlarm", "Reputation.BounceRate", 0.05),
    ("SesComplaintRateAlarm", "Reputation.ComplaintRate", 0.001),
])
def test_an_alarm_fires_when_the_accounts_ses_rate_passes_the_rate_aws_reviews_at(template, logical_id, metric,
                                                                                   threshold):
    # Given the reputation alarm
    alarm = template["Resources"][logical_id]["Properties"]

    # Then it watches SES's own metric of the account (no dimension) and fires above AWS's review threshold
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/SES", metric, "Maximum")
    assert "Dimensions" not in alarm
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", threshold)
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["TreatMissingData"] == "notBreaching"


def test_the_unconfirmed_alarm_sums_every_series_of_the_dimensions_the_code_counts_with(template, capsys):
    # Given the alarm's one query, and the EMF record the code writes for one unconfirmed send
    alarm = template["Resources"]["FollowUpUnconfirmedAlarm"]["Properties"]
    (query,) = alarm["Metrics"]
    observability.count("FollowUpUnconfirmed", step="check_in", channel="sms")
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (emitted,) = record["_aws"]["CloudWatchMetrics"]

    # When the query is read
    read = re.fullmatch(r"SELECT SUM\((\w+)\) FROM SCHEMA\((\w+), ([\w, ]+)\)", query["Expression"])
    assert read is not None, query["Expression"]
    metric, namespace, dimensions = read[1], read[2], set(read[3].split(", "))

    # Then it sums that metric over the exact dimension set the record carries, in the namespace the functions use
    assert metric == "FollowUpUnconfirmed" == emitted["Metrics"][0]["Name"]
    assert namespace == emitted["Namespace"] == template["Globals"]["Function"]["Environment"]["Variables"][
        "POWERTOOLS_METRICS_NAMESPACE"]
    assert [dimensions] == [set(d) for d in emitted["Dimensions"]]
    # and it is the one series the alarm watches, any unconfirmed send firing it, silence not
    assert query["ReturnData"] is True and query["Period"] >= 60
    assert (alarm["ComparisonOperator"], alarm["Threshold"], alarm["EvaluationPeriods"]) == (
        "GreaterThanOrEqualToThreshold", 1, 1)
    assert alarm["TreatMissingData"] == "notBreaching"


def test_every_count_of_unconfirmed_sends_names_its_step_and_channel():
    # Given every call of count("FollowUpUnconfirmed", ...) in the layer and the functions
    calls = [
        (path, node)
        for path in python_sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "count"
        and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "FollowUpUnconfirmed"
    ]

    # Then there are some, and each passes a step and a channel: every series has the alarm's dimension set
    assert calls
    for path, call in calls:
        assert {k.arg for k in call.keywords} == {"step", "channel"}, f"{path.relative_to(ROOT)}:{call.lineno}"


# ------------------------------------------------------------ the sample events


def test_there_is_a_sample_of_a_delivery_a_bounce_and_a_complaint():
    assert sorted(sample(name)["detail"]["eventType"] for name in SAMPLES) == ["Bounce", "Complaint", "Delivery"]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_feedback_rule_takes_each_sample_and_not_another_sets_or_sources(template, name):
    # Given a sample SES event and the configuration set it names
    event = sample(name)
    (configuration_set,) = event["detail"]["mail"]["tags"]["ses:configuration-set"]

    # When the rule's pattern is read with that set's name, and with another's
    ours, theirs = rule_pattern(template, configuration_set), rule_pattern(template, "another-stacks-set")
    elsewhere = {**event, "source": "aws.sns"}

    # Then the rule takes the event, and neither another set's nor another source's
    assert ours.matches_event(event)
    assert not theirs.matches_event(event)
    assert not ours.matches_event(elsewhere)


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_is_an_ses_event_the_feedback_reads_with_the_products_tags(name):
    # Given a sample SES event
    event = sample(name)
    detail = event["detail"]
    tags = detail["mail"]["tags"]

    # Then its envelope is EventBridge's, its detail-type the one SES gives its eventType, with that type's object
    assert {k: event[k] for k in ("version", "source", "resources")} == {"version": "0", "source": "aws.ses",
                                                                         "resources": []}
    assert event["detail-type"] == DETAIL_TYPES[detail["eventType"]]
    assert detail["eventType"] in feedback.EVENT_TYPES
    assert detail["eventType"][0].lower() + detail["eventType"][1:] in detail
    # and its mail carries the product's tags, ids only, one value each (SES's own ses: tags beside them)
    ours = {name: values for name, values in tags.items() if not name.startswith("ses:")}
    assert set(ours) == set(feedback.tags_of("x", "y"))
    assert all(len(values) == 1 and re.fullmatch(r"[A-Za-z0-9_-]+", values[0]) for values in ours.values())
    assert ours["kind"][0] in feedback.MESSAGE_KINDS
    assert ours["channel"] == ["email"]
