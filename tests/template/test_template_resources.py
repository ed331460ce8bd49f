"""template.yaml's resources: the dead-letter queue and its alarm, retries, the table's expiry and retention,
the log groups, the public base URL, the outputs and sam deploy's defaults."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import boto3
import pytest

from tests.conftest import load_event
from tests.integration.harness import call_api
from tests.template.template_parts import (
    ALIAS,
    ASYNC_FUNCTIONS,
    DLQ,
    FEEDBACK_FUNCTION,
    FEEDBACK_RULE,
    ROOT,
    TABLE,
    TEMPLATE_PATH,
    as_list,
    resources_of_type,
)

# ------------------------------------------------------------ resources


def test_dead_letter_queue_is_encrypted_and_keeps_messages_fourteen_days(template):
    # Given the dead-letter queue
    queue = template["Resources"][DLQ]["Properties"]

    # Then it is encrypted with SQS-managed keys and keeps messages for the maximum 14 days
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 60 * 60


def test_only_this_accounts_scheduler_and_the_stacks_ses_events_rule_may_write_to_the_dead_letter_queue(
    template, transformed_template
):
    # Given the dead-letter queue's resource policy
    policy = template["Resources"]["FollowUpDeadLetterQueuePolicy"]["Properties"]

    # When its statements are read
    scheduler, rule = policy["PolicyDocument"]["Statement"]

    # Then each lets one sender send messages to this queue only: EventBridge Scheduler of this account
    assert policy["Queues"] == [{"Ref": DLQ}]
    for statement in (scheduler, rule):
        assert statement["Effect"] == "Allow"
        assert as_list(statement["Action"]) == ["sqs:SendMessage"]
        assert statement["Resource"] == {"Fn::GetAtt": [DLQ, "Arn"]}
    assert scheduler["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert scheduler["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    # and EventBridge for the one rule that takes SES's events to the feedback function, the rule SAM makes
    assert rule["Principal"] == {"Service": "events.amazonaws.com"}
    assert rule["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [FEEDBACK_RULE, "Arn"]}}}
    made = transformed_template["Resources"][FEEDBACK_RULE]
    assert made["Type"] == "AWS::Events::Rule"
    assert [t["Arn"] for t in made["Properties"]["Targets"]] == [{"Ref": f"{FEEDBACK_FUNCTION}Alias{ALIAS}"}]


def test_an_alarm_fires_when_a_message_reaches_the_dead_letter_queue(template):
    # Given the dead-letter queue alarm
    alarm = template["Resources"]["DeadLetterQueueAlarm"]["Properties"]

    # Then one visible message in one minute breaches it, and silence does not
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [DLQ, "QueueName"]}}]
    assert (alarm["MetricName"], alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == (
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        60,
        1,
    )
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    assert alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("logical_id", ASYNC_FUNCTIONS)
def test_async_functions_retry_twice_then_dead_letter(template, logical_id):
    # Given a function invoked asynchronously (a step by EventBridge Scheduler, the feedback function by a rule)
    properties = template["Resources"][logical_id]["Properties"]

    # Then Lambda retries a failed invocation twice and then sends the event to the DLQ
    assert properties["EventInvokeConfig"]["MaximumRetryAttempts"] == 2
    assert properties["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": [DLQ, "Arn"]}}


def test_the_table_expires_items_by_the_attribute_the_store_stamps_in_epoch_seconds(template, aws_env, fake_clock):
    # Given the attribute the table's TTL reads
    ttl = template["Resources"][TABLE]["Properties"]["TimeToLiveSpecification"]

    # When an interview is submitted and its stored item read
    created = call_api("POST", "/interviews", body=json.loads(load_event("submit_interview.json")["body"]))
    item = boto3.client("dynamodb").get_item(
        TableName=aws_env.table_name, Key={"pk": {"S": f"INTERVIEW#{created.json()['id']}"}}
    )["Item"]

    # Then TTL is on, and the item carries that attribute as a number of seconds in the future
    assert ttl["Enabled"] is True
    assert int(item[ttl["AttributeName"]]["N"]) > fake_clock().timestamp()


def test_every_table_survives_stack_deletion_and_can_be_restored(template):
    # Given every table of the template (candidates' data lives only there)
    tables = resources_of_type(template, "AWS::DynamoDB::Table")
    assert tables

    # Then deleting or replacing the stack keeps it, and point-in-time recovery is on
    for table in tables.values():
        assert (table.get("DeletionPolicy"), table.get("UpdateReplacePolicy")) == ("Retain", "Retain")
        assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_every_function_logs_to_a_group_of_its_own_with_a_retention(template):
    # Given the log groups of the template, by the function their name follows
    names = {
        logical_id: g["Properties"].get("LogGroupName", {}).get("Fn::Sub", "")
        for logical_id, g in resources_of_type(template, "AWS::Logs::LogGroup").items()
    }
    groups = {
        name.removeprefix("/aws/lambda/${").removesuffix("}"): template["Resources"][logical_id]
        for logical_id, name in names.items()
        if name.startswith("/aws/lambda/${")
    }

    # Then every function has one, and none keeps its logs forever
    assert set(groups) == set(resources_of_type(template, "AWS::Serverless::Function"))
    assert all(g["Properties"].get("RetentionInDays") for g in groups.values())


def _evaluate(value: Any, template: dict[str, Any], parameters: dict[str, str]) -> Any:
    """CloudFormation's Fn::If / Fn::And / Fn::Not / Fn::Equals / Ref / Fn::Sub over ``parameters`` (else each
    parameter's Default); resources stay names."""
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return _parameter(argument, template, parameters)
        if function == "Fn::Equals":
            return _evaluate(argument[0], template, parameters) == _evaluate(argument[1], template, parameters)
        if function == "Fn::Not":
            return not _evaluate(argument[0], template, parameters)
        if function == "Fn::And":
            return all(_evaluate(item, template, parameters) for item in argument)
        if function == "Fn::If":
            condition = _evaluate(template["Conditions"][argument[0]], template, parameters)
            return _evaluate(argument[1] if condition else argument[2], template, parameters)
        if function == "Fn::Sub":
            return re.sub(r"\$\{([^}]+)\}", lambda m: _parameter(m[1], template, parameters), argument)
    return value


def _parameter(name: str, template: dict[str, Any], parameters: dict[str, str]) -> str:
    if name in parameters:
        return parameters[name]
    return str(template["Parameters"].get(name, {}).get("Default", f"<{name}>"))


CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


@pytest.mark.parametrize(("given", "domain", "expected"), [
    ("", "", None),
    ("https://followups.acme.example", "", "https://followups.acme.example"),
    ("", "links.acme.example", "https://links.acme.example"),
    ("https://followups.acme.example", "links.acme.example", "https://followups.acme.example"),
])
def test_public_base_url_is_the_parameter_else_the_custom_domain_else_the_http_apis_own_url(
    template, given, domain, expected
):
    # Given the PUBLIC_BASE_URL every function sees, and the ApiUrl output
    value = template["Globals"]["Function"]["Environment"]["Variables"]["PUBLIC_BASE_URL"]
    api_url = template["Outputs"]["ApiUrl"]["Value"]

    # When CloudFormation evaluates it with the parameters given or left empty
    url = _evaluate(value, template, {"PublicBaseUrl": given, "CustomDomainName": domain,
                                      "CustomDomainCertificateArn": CERTIFICATE if domain else ""})

    # Then it is the parameter, or else https://<custom domain>, or else the HTTP API's own URL (the stack's output)
    assert url == (expected or _evaluate(api_url, template, {}))


def test_every_output_names_a_resource_of_the_stack_and_says_what_it_is(template):
    for name, output in template["Outputs"].items():
        value = output["Value"]
        target = value.get("Ref") or (value.get("Fn::GetAtt") or [None])[0]
        if target is None:  # a Sub: every ${Name} it names is a resource or a pseudo parameter
            targets = re.findall(r"\$\{([^}.]+)", value["Fn::Sub"])
            assert all(t in template["Resources"] or t.startswith("AWS::") for t in targets), name
        else:
            assert target in template["Resources"], name
        assert output.get("Description"), name


def test_sam_deploy_defaults_grant_the_iam_capability_the_template_needs_and_ask_before_changing():
    # Given samconfig.toml and the template's IAM roles (SAM makes one per function with Policies)
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    template = TEMPLATE_PATH.read_text()

    # Then sam deploy may create them, and shows the change set first
    assert ("Policies:" in template or "AWS::IAM::Role" in template) and "CAPABILITY_IAM" in deploy["capabilities"]
    assert deploy["confirm_changeset"] is True
    assert config["default"]["global"]["parameters"]["stack_name"]
