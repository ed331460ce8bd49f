"""template.yaml's least privilege: the scheduler's role, the functions' schedules, sending and table access."""

from __future__ import annotations

import pytest

from tests.template.template_parts import (
    API_FUNCTION,
    CONFIGURATION_SET,
    DLQ,
    EMAIL_SENDERS,
    FUNCTIONS,
    STEP_FUNCTIONS,
    TABLE,
    allow_statements,
    as_list,
    resources_of_type,
    statements_granting,
)

# ------------------------------------------------------------ least privilege


def test_scheduler_role_may_invoke_only_the_three_step_functions(template):
    # Given the scheduler role's statements that allow invoking Lambda
    role = template["Resources"]["SchedulerRole"]["Properties"]
    documents = [policy["PolicyDocument"] for policy in role["Policies"]]
    invoke = [s for s in allow_statements(documents) if "lambda:InvokeFunction" in as_list(s["Action"])]

    # When their resources are read
    resources = [resource for statement in invoke for resource in as_list(statement["Resource"])]

    # Then they are the three step functions and their qualified forms, and nothing else
    assert sorted(map(repr, resources)) == sorted(
        repr(resource)
        for fn in STEP_FUNCTIONS
        for resource in ({"Fn::GetAtt": [fn, "Arn"]}, {"Fn::Sub": f"${{{fn}.Arn}}:*"})
    )


def test_scheduler_role_allows_nothing_but_invoking_steps_and_dead_lettering(template):
    # Given every statement of the scheduler role
    role = template["Resources"]["SchedulerRole"]["Properties"]
    statements = allow_statements([policy["PolicyDocument"] for policy in role["Policies"]])

    # When the actions and the dead-letter target are read
    actions = {action for statement in statements for action in as_list(statement["Action"])}
    (send,) = [s for s in statements if "sqs:SendMessage" in as_list(s["Action"])]

    # Then it may invoke and send to the dead-letter queue only, and no statement allows everything
    assert actions == {"lambda:InvokeFunction", "sqs:SendMessage"}
    assert send["Resource"] == {"Fn::GetAtt": [DLQ, "Arn"]}
    assert all("*" not in as_list(statement["Resource"]) for statement in statements)


def test_scheduler_role_trusts_only_the_scheduler_of_this_account(template):
    # Given the scheduler role's trust policy
    trust = template["Resources"]["SchedulerRole"]["Properties"]["AssumeRolePolicyDocument"]

    # When its one statement is read
    (statement,) = trust["Statement"]

    # Then only EventBridge Scheduler, acting for this account, may assume it
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_api_function_manages_schedules_only_in_the_stacks_group(template):
    # Given the ApiFunction's statement that allows creating schedules
    (statement,) = statements_granting(template, API_FUNCTION, "scheduler:CreateSchedule")

    # When its resource is read
    # Then it covers the schedules of the stack's own group only
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:"
        "schedule/${FollowUpScheduleGroup}/*"
    }


def test_api_function_may_pass_the_scheduler_role_only_to_the_scheduler(template):
    # Given the ApiFunction's statement that allows passing a role
    (statement,) = statements_granting(template, API_FUNCTION, "iam:PassRole")

    # When its resource and condition are read
    # Then it passes the scheduler role, and only to EventBridge Scheduler
    assert statement["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}


@pytest.mark.parametrize("logical_id", EMAIL_SENDERS)
def test_email_goes_only_from_the_firms_sender_and_through_the_stacks_configuration_set(template, logical_id):
    # Given the one statement of a function that sends email which allows it
    (statement,) = statements_granting(template, logical_id, "ses:SendEmail")

    # When its actions, resources and condition are read
    # Then it covers this account's SES identities and the stack's configuration set (SES authorises a send
    # against both), with the firm's sender as the From address, a key of the request that holds on both
    assert as_list(statement["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
    assert statement["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
        {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
                    f"configuration-set/${{{CONFIGURATION_SET}}}"},
    ]
    assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}


def test_only_the_functions_that_send_email_may_send_it(template):
    # Given every function of the template, and the actions of its own policies
    functions = resources_of_type(template, "AWS::Serverless::Function")

    # When those that may use SES are picked
    senders = {
        logical_id for logical_id in functions
        if any(a.startswith("ses:") for s in allow_statements(functions[logical_id]["Properties"].get("Policies", []))
               for a in as_list(s["Action"]))
    }

    # Then they are the API (confirmations), the steps (nudges) and the feedback function (a candidate's text
    # forwarded to the recruiter who enrolled them)
    assert senders == set(EMAIL_SENDERS)


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_table_access_is_limited_to_the_interviews_table(template, logical_id):
    # Given every statement of a function that allows a DynamoDB item action
    statements = [
        s
        for s in allow_statements(template["Resources"][logical_id]["Properties"]["Policies"])
        if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
    ]

    # When their resources are read, the item actions' apart from the firm list's Query
    queries = [s for s in statements if as_list(s["Action"]) == ["dynamodb:Query"]]
    items = [s for s in statements if s not in queries]
    resources = [resource for statement in items for resource in as_list(statement["Resource"])]

    # Then the item actions name the interviews table only, and a Query only its two indexes (never the
    # table itself, so a Query of the table is as denied as a Scan), and the report its counters' index: the API's alone
    assert resources == [{"Fn::GetAtt": [TABLE, "Arn"]}]
    assert [r for s in queries for r in as_list(s["Resource"])] == (
        [{"Fn::Sub": f"${{{TABLE}.Arn}}/index/{index}"} for index in ("ByRecruiter", "ByFirm", "CountsByMonth")]
        if logical_id == API_FUNCTION else [])
    assert not any("dynamodb:Scan" in as_list(s["Action"]) for s in statements)


