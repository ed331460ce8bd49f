"""template.yaml hearing back from texts: the topic the firm's number publishes the candidates' texts to and its policy,
the role SNS writes SMS delivery-status logs with and the two log groups it writes, the feedback function's
subscriptions to both, the outputs the deploy step needs, the sample events of events/ as those subscriptions deliver
them, and the README's deploy commands against the AWS APIs they call."""

from __future__ import annotations

import base64
import fnmatch
import gzip
import json
import re
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from tests.template.template_parts import (
    ALIAS,
    FEEDBACK_FUNCTION,
    FEEDBACK_RULE,
    ROOT,
    as_list,
    resources_of_type,
)

TOPIC = "InboundTextsTopic"
STATUS_ROLE = "SmsDeliveryStatusRole"
GROUPS = {"SmsDeliveryLogGroup": "SUCCESS", "SmsFailureLogGroup": "FAILURE"}  # each log group: the status SNS writes there
SUBSCRIPTIONS = {"SmsDeliveryLogGroup": "SmsDelivered", "SmsFailureLogGroup": "SmsFailed"}  # FeedbackFunction's events
ALIAS_REF = {"Ref": f"{FEEDBACK_FUNCTION}Alias{ALIAS}"}
REGION, ACCOUNT = "us-east-1", "123456789012"


def resolved(value: Any, template: dict[str, Any], region: str = REGION, account: str = ACCOUNT) -> str:
    """A Fn::Sub (or plain string) of pseudo parameters and log group names, as CloudFormation resolves it."""
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    known = {"AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": account}

    def one(match: re.Match[str]) -> str:
        name = match[1]
        if name in known:
            return known[name]
        return resolved(template["Resources"][name]["Properties"]["LogGroupName"], template, region, account)

    return re.sub(r"\$\{([^}]+)\}", one, text)


def passes(pattern: str, record: dict[str, Any]) -> bool:
    """A CloudWatch Logs JSON filter pattern of the one form the template uses, ``{ $.key = "value" }``."""
    form = re.fullmatch(r'\{ \$\.(\w+) = "(\w+)" \}', pattern)
    assert form is not None, f"a filter pattern of another form than the template's: {pattern}"
    return record.get(form[1]) == form[2]


def sample(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "events" / name).read_text(encoding="utf-8"))


def log_batch(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))


# ------------------------------------------------------------ the candidates' texts


def test_the_inbound_topic_is_a_standard_topic_the_feedback_function_alone_subscribes_to(transformed_template):
    # Given the topic for texts, and every subscription the transform made
    topic = transformed_template["Resources"][TOPIC]
    subscriptions = resources_of_type(transformed_template, "AWS::SNS::Subscription")

    # Then it is a standard topic (End User Messaging publishes to no FIFO topic)
    assert topic["Type"] == "AWS::SNS::Topic"
    assert not topic["Properties"].get("FifoTopic")
    # and the one subscription to it is the feedback function's published alias, by Lambda
    assert [s["Properties"] for s in subscriptions.values()] == [
        {"Endpoint": ALIAS_REF, "Protocol": "lambda", "TopicArn": {"Ref": TOPIC}}
    ]


def test_only_end_user_messaging_of_this_account_may_publish_to_the_inbound_topic(template):
    # Given every topic policy of the template
    policies = resources_of_type(template, "AWS::SNS::TopicPolicy")

    # When the one naming the topic is read
    (policy,) = [p["Properties"] for p in policies.values() if {"Ref": TOPIC} in p["Properties"]["Topics"]]
    (statement,) = policy["PolicyDocument"]["Statement"]

    # Then it is the topic's alone, and lets End User Messaging (sms-voice) publish to it, nothing more
    assert policy["Topics"] == [{"Ref": TOPIC}]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "sms-voice.amazonaws.com"}
    assert as_list(statement["Action"]) == ["sns:Publish"]
    assert statement["Resource"] == {"Ref": TOPIC}
    # and only on behalf of this account's numbers, in this Region (its guide's confused-deputy conditions)
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    (source,) = statement["Condition"]["ArnLike"].values()
    assert list(statement["Condition"]["ArnLike"]) == ["aws:SourceArn"]
    assert set(statement["Condition"]) == {"StringEquals", "ArnLike"}
    pattern = resolved(source, template)
    assert fnmatch.fnmatchcase(f"arn:aws:sms-voice:{REGION}:{ACCOUNT}:phone-number/phone-0a1b2c3d4e5f", pattern)
    assert not fnmatch.fnmatchcase(f"arn:aws:sms-voice:{REGION}:210987654321:phone-number/phone-0a1b2c3d4e5f",
                                   pattern)
    assert not fnmatch.fnmatchcase(f"arn:aws:sms-voice:eu-west-1:{ACCOUNT}:phone-number/phone-0a1b2c3d4e5f", pattern)


def test_the_topic_policy_is_the_one_grant_to_end_user_messaging_no_role_trusts_it(template):
    # Given every role of the template and what each trusts
    trusted = {
        logical_id: {service for s in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
                     for service in as_list(s["Principal"].get("Service", []))}
        for logical_id, role in resources_of_type(template, "AWS::IAM::Role").items()
    }

    # Then none trusts End User Messaging: publishing needs the topic policy or a two-way channel role, not both
    assert trusted
    assert [logical_id for logical_id, services in trusted.items() if "sms-voice.amazonaws.com" in services] == []


# ------------------------------------------------------------ SMS delivery receipts


def test_the_delivery_status_role_trusts_only_sns_of_this_account(template):
    # Given the delivery-status role's trust policy
    trust = template["Resources"][STATUS_ROLE]["Properties"]["AssumeRolePolicyDocument"]

    # When its one statement is read
    (statement,) = trust["Statement"]

    # Then only SNS, acting for this account, may assume it
    assert (statement["Effect"], statement["Action"]) == ("Allow", "sts:AssumeRole")
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_the_delivery_status_role_may_write_the_two_sms_log_groups_and_nothing_else(template):
    # Given the delivery-status role's statements, their resources resolved in an account and Region
    role = template["Resources"][STATUS_ROLE]["Properties"]
    (statement,) = [s for p in role["Policies"] for s in as_list(p["PolicyDocument"]["Statement"])]
    patterns = [resolved(r, template) for r in as_list(statement["Resource"])]
    base = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:sns/{REGION}/{ACCOUNT}"

    def allowed(arn: str) -> bool:
        return any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns)

    # Then it allows the CloudWatch Logs actions SNS's guide lists for delivery-status logging, no more
    assert statement["Effect"] == "Allow"
    assert sorted(as_list(statement["Action"])) == ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    assert "Condition" not in statement
    # on the two groups SNS writes SMS statuses to, and their streams
    for group in ("DirectPublishToPhoneNumber", "DirectPublishToPhoneNumber/Failure"):
        assert allowed(f"{base}/{group}")
        assert allowed(f"{base}/{group}:log-stream:8f7e6d5c-4b3a-2918-0706-f5e4d3c2b1a0")
    # and on no other group: not a topic's delivery logs, not a function's, not another account's or Region's
    assert not allowed(f"{base}/interview-follow-up-InboundTextsTopic-a1B2c3D4e5F6:log-stream:x")
    assert not allowed(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/interview-follow-up-api:log-stream:x")
    assert not allowed(f"arn:aws:logs:{REGION}:210987654321:log-group:sns/{REGION}/210987654321/"
                       "DirectPublishToPhoneNumber")
    assert not allowed(f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:sns/eu-west-1/{ACCOUNT}/DirectPublishToPhoneNumber")
    assert "*" not in patterns


@pytest.mark.parametrize(("logical_id", "name"), [
    ("SmsDeliveryLogGroup", f"sns/{REGION}/{ACCOUNT}/DirectPublishToPhoneNumber"),
    ("SmsFailureLogGroup", f"sns/{REGION}/{ACCOUNT}/DirectPublishToPhoneNumber/Failure"),
])
def test_each_sms_log_group_has_the_name_sns_writes_to_and_a_short_retention(template, logical_id, name):
    # Given the log group the stack creates for SNS's SMS statuses
    group = template["Resources"][logical_id]["Properties"]

    # Then it has the name SNS writes that status to in this account and Region, and keeps its records (which
    # hold the destination number) a week at most
    assert resolved(group["LogGroupName"], template) == name
    assert 0 < group["RetentionInDays"] <= 7


@pytest.mark.parametrize(("logical_id", "status"), GROUPS.items())
def test_the_feedback_function_takes_the_status_each_group_holds_through_its_subscription(
    template, transformed_template, logical_id, status
):
    # Given the feedback function's subscription filter on that group, as the transform makes it, and its permission
    event = SUBSCRIPTIONS[logical_id]
    subscription = transformed_template["Resources"][f"{FEEDBACK_FUNCTION}{event}"]
    permission = transformed_template["Resources"][f"{FEEDBACK_FUNCTION}{event}Permission"]["Properties"]
    pattern = subscription["Properties"]["FilterPattern"]
    other = ({"SUCCESS", "FAILURE"} - {status}).pop()

    # Then the group's records go to the function's published alias
    assert subscription["Type"] == "AWS::Logs::SubscriptionFilter"
    assert subscription["Properties"]["LogGroupName"] == {"Ref": logical_id}
    assert subscription["Properties"]["DestinationArn"] == ALIAS_REF
    # those of the group's status pass its filter, others not
    assert passes(pattern, {"notification": {"messageId": "m-1"}, "status": status})
    assert not passes(pattern, {"notification": {"messageId": "m-1"}, "status": other})
    assert not passes(pattern, {"notification": {"messageId": "m-1"}})
    # and CloudWatch Logs may invoke the alias for that group only
    assert (permission["Principal"], permission["FunctionName"]) == ("logs.amazonaws.com", ALIAS_REF)
    text, variables = permission["SourceArn"]["Fn::Sub"]
    assert text.endswith(":log-group:${__LogGroupName__}:*") and variables == {"__LogGroupName__": {"Ref": logical_id}}


def test_the_feedback_function_is_invoked_by_its_rule_its_topic_and_its_two_log_groups_only(transformed_template):
    # Given every permission to invoke the feedback function's alias
    permissions = sorted(
        (p["Properties"]["Principal"], json.dumps(p["Properties"]["SourceArn"], sort_keys=True))
        for p in resources_of_type(transformed_template, "AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == ALIAS_REF
    )

    # Then they are SES's rule, the topic for texts and the two SMS log groups, and nothing else
    assert [principal for principal, _ in permissions] == ["events.amazonaws.com", "logs.amazonaws.com",
                                                           "logs.amazonaws.com", "sns.amazonaws.com"]
    assert permissions[0][1] == json.dumps({"Fn::GetAtt": [FEEDBACK_RULE, "Arn"]})
    assert permissions[3][1] == json.dumps({"Ref": TOPIC})
    assert sorted(re.findall(r'"Ref": "(\w+)"', permissions[1][1] + permissions[2][1])) == sorted(GROUPS)


def test_the_feedback_functions_events_are_ses_s_rule_the_topic_and_the_two_log_groups(template):
    # Given the feedback function's events
    events = template["Resources"][FEEDBACK_FUNCTION]["Properties"]["Events"]

    # Then they are SES's rule, the topic's texts, and the two groups' statuses, each of the stack's own resource
    assert {name: event["Type"] for name, event in events.items()} == {
        "SesEvents": "EventBridgeRule", "InboundTexts": "SNS", "SmsDelivered": "CloudWatchLogs",
        "SmsFailed": "CloudWatchLogs",
    }
    assert events["InboundTexts"]["Properties"] == {"Topic": {"Ref": TOPIC}}
    for logical_id, name in SUBSCRIPTIONS.items():
        assert events[name]["Properties"]["LogGroupName"] == {"Ref": logical_id}


def test_the_stack_outputs_the_topic_and_the_delivery_status_role_the_deploy_step_names(template):
    outputs = template["Outputs"]
    assert outputs["InboundTextsTopicArn"]["Value"] == {"Ref": TOPIC}
    assert outputs["SmsDeliveryStatusRoleArn"]["Value"] == {"Fn::GetAtt": [STATUS_ROLE, "Arn"]}


# ------------------------------------------------------------ the sample events


def test_the_sample_text_is_sns_s_lambda_event_carrying_end_user_messagings_inbound_json():
    # Given the sample inbound text as SNS delivers it to the function
    (record,) = sample("sns_inbound_text_done.json")["Records"]
    message = json.loads(record["Sns"]["Message"])

    # Then it is SNS's Lambda record of a notification from a topic of the stack
    assert (record["EventSource"], record["EventVersion"], record["Sns"]["Type"]) == ("aws:sns", "1.0", "Notification")
    assert re.fullmatch(r"arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]*InboundTextsTopic[\w-]*", record["Sns"]["TopicArn"])
    assert record["EventSubscriptionArn"].startswith(record["Sns"]["TopicArn"] + ":")
    # and its message is End User Messaging's documented JSON, a DONE answering a nudge, numbers in E.164
    assert set(message) == {"originationNumber", "destinationNumber", "messageKeyword", "messageBody",
                            "inboundMessageId", "previousPublishedMessageId"}
    assert message["messageBody"] == "DONE"
    assert all(re.fullmatch(r"\+[1-9]\d{7,14}", message[k]) for k in ("originationNumber", "destinationNumber"))


def test_the_sample_receipt_is_a_logs_batch_of_the_success_group_that_its_filter_passes(template):
    # Given the sample CloudWatch Logs batch, decoded, and the sample text
    batch = log_batch(sample("logs_sms_delivered.json"))
    (text,) = sample("sns_inbound_text_done.json")["Records"]
    region = batch["logGroup"].split("/")[1]
    success = template["Resources"]["SmsDeliveryLogGroup"]["Properties"]
    pattern = template["Resources"][FEEDBACK_FUNCTION]["Properties"]["Events"]["SmsDelivered"]["Properties"][
        "FilterPattern"]

    # When its records are read
    records = [json.loads(event["message"]) for event in batch["logEvents"]]

    # Then it is a data message of the success group the stack creates, in its owner's account
    assert batch["messageType"] == "DATA_MESSAGE"
    assert batch["logGroup"] == resolved(success["LogGroupName"], template, region, batch["owner"])
    # with one SUCCESS record that the group's filter passes, SNS's SMS delivery-status entry
    assert [r["status"] for r in records] == ["SUCCESS"]
    assert all(passes(pattern, r) for r in records)
    (record,) = records
    assert set(record) == {"notification", "delivery", "status"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", record["notification"]["timestamp"])
    # of the nudge the sample text answers
    assert record["notification"]["messageId"] == json.loads(text["Sns"]["Message"])["previousPublishedMessageId"]


# ------------------------------------------------------------ the README's deploy commands


def readme_commands(section: str) -> list[tuple[str, str, list[str]]]:
    """(service, operation, --flags) of every `aws` command in a README section, lines continued by a backslash."""
    joined = section.replace("\\\n", " ")
    commands = []
    for match in re.finditer(r"\baws ([a-z0-9-]+) ([a-z0-9-]+)([^\n)]*)", joined):
        commands.append((match[1], match[2], re.findall(r"(?<![\w-])--([a-z0-9-]+)", match[3])))
    return commands


def test_readme_commands_are_read_with_their_flags():
    section = "x\n```sh\naws sns set-sms-attributes \\\n  --attributes A=1\naws sns publish --message m\n```\n"
    assert readme_commands(section) == [("sns", "set-sms-attributes", ["attributes"]),
                                        ("sns", "publish", ["message"])]


def test_the_texts_deploy_step_runs_the_three_commands_with_the_stacks_outputs():
    # Given the README's section on deploying for a firm
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Deploying for a firm"):text.index("\n## ", text.index("## Deploying for a firm") + 3)]
    joined = section.replace("\\\n", " ")

    # When its commands of End User Messaging and SNS are read
    update = re.search(r"aws pinpoint-sms-voice-v2 update-phone-number [^\n]*", joined)
    keyword = re.search(r"aws pinpoint-sms-voice-v2 put-keyword [^\n]*", joined)
    attributes = re.search(r"aws sns set-sms-attributes [^\n]*", joined)
    assert update and keyword and attributes

    # Then the number's two-way channel is on and points at the topic's output; HELP answers automatically;
    # SNS logs every success with the role's output
    assert "--two-way-enabled" in update[0] and "--no-two-way-enabled" not in update[0]
    assert re.search(r'--two-way-channel-arn "\$\(output InboundTextsTopicArn\)"', update[0])
    assert re.search(r"--keyword HELP\b", keyword[0]) and "--keyword-action AUTOMATIC_RESPONSE" in keyword[0]
    assert re.search(r'DeliveryStatusIAMRole="\$\(output SmsDeliveryStatusRoleArn\)"', attributes[0])
    # each output read from the stack by its key
    assert re.search(r"""output\(\) \{ aws cloudformation describe-stacks [^}]*OutputKey=='\$1'""", joined)
    assert re.search(r"DeliveryStatusSuccessSamplingRate=100\b", attributes[0])


def test_every_aws_command_of_the_deploy_section_uses_flags_its_api_has_and_gives_the_required_ones():
    # Given every `aws` command of the README's section on deploying for a firm, and the AWS APIs botocore describes
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Deploying for a firm")
    commands = readme_commands(text[start:text.index("\n## ", start + 3)])
    session = botocore.session.get_session()
    global_flags = {"output", "query", "region", "profile"}

    # Then each names an operation of its service, with flags that are its parameters (or the CLI's own),
    # and every parameter the operation requires
    assert {(service, operation) for service, operation, _ in commands} >= {
        ("pinpoint-sms-voice-v2", "update-phone-number"), ("pinpoint-sms-voice-v2", "put-keyword"),
        ("sns", "set-sms-attributes")}
    for service, operation, flags in commands:
        model = session.get_service_model(service)
        names = {xform_name(name, "-"): name for name in model.operation_names}
        assert operation in names, f"aws {service} {operation}"
        shape = model.operation_model(names[operation]).input_shape
        members = {xform_name(m, "-"): m for m in shape.members}
        booleans = {f"no-{flag}" for flag, m in members.items() if shape.members[m].type_name == "boolean"}
        unknown = set(flags) - set(members) - booleans - global_flags
        assert not unknown, f"aws {service} {operation}: {sorted(unknown)}"
        missing = {xform_name(m, "-") for m in shape.required_members} - set(flags)
        assert not missing, f"aws {service} {operation} lacks {sorted(missing)}"
