"""The functions' environment outside Lambda is template.yaml's own, resolved against the local resources."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
import pytest

from followup.domain.models import STEPS, function_env_name
from local import environment, provision
from local.engine import unqualified
from local.intrinsics import Unresolvable
from tests.conftest import BASE_URL, FIRM

FUNCTION_IDS = [
    logical_id for logical_id, resource in provision.template()["Resources"].items()
    if resource["Type"] == "AWS::Serverless::Function"
]


def plain_template() -> dict[str, Any]:
    return json.loads(json.dumps(provision.template()))


@pytest.mark.parametrize("logical_id", FUNCTION_IDS)
def test_each_function_gets_exactly_the_variables_the_template_declares_for_it(
    aws_env, template, function_environment, logical_id
):
    # Given the variables template.yaml declares for the function (Globals and its own)
    declared = set(function_environment(template, logical_id))

    # When the local environment is built for it
    local = environment.function_environment(logical_id, aws_env, public_base_url=BASE_URL)

    # Then it has those names, no more and no fewer
    assert set(local) == declared


def test_the_process_running_the_functions_holds_every_functions_variables(aws_env):
    # Given every function's local environment
    expected = {
        name: value
        for logical_id in FUNCTION_IDS
        for name, value in environment.function_environment(
            logical_id, aws_env, firm_name=FIRM, public_base_url=BASE_URL
        ).items()
    }

    # Then the process the tests run the handlers in holds each of them
    assert {name: os.environ.get(name) for name in expected} == expected


def test_the_resource_variables_name_the_resources_provisioned_on_moto(aws_env):
    # Given the environment the handlers read
    env = os.environ

    # Then each variable that names a resource names one that exists on moto
    assert boto3.client("dynamodb").describe_table(TableName=env["TABLE_NAME"])["Table"]["TableStatus"] == "ACTIVE"
    assert boto3.client("scheduler").get_schedule_group(Name=env["SCHEDULE_GROUP_NAME"])["State"] == "ACTIVE"
    queue = boto3.client("sqs").get_queue_url(QueueName=env["SCHEDULER_DLQ_ARN"].rsplit(":", 1)[-1])["QueueUrl"]
    assert queue == aws_env.dead_letter_url
    role = boto3.client("iam").get_role(RoleName=env["SCHEDULER_ROLE_ARN"].rsplit("/", 1)[-1])["Role"]["Arn"]
    assert role == env["SCHEDULER_ROLE_ARN"]
    identity = boto3.client("sesv2").get_email_identity(EmailIdentity=env["SENDER_EMAIL"])
    assert identity["IdentityType"] == "EMAIL_ADDRESS"
    # and each step's function ARN is the "live" alias of one the local schedule runner invokes
    assert {step: env[function_env_name(step)] for step in STEPS} == {
        step: f"{arn}:live" for step, arn in aws_env.function_arns.items()
    }
    assert {unqualified(env[function_env_name(step)]) for step in STEPS} == set(aws_env.function_arns.values())


def test_parameters_take_their_default_unless_the_local_stack_gives_a_value(aws_env, template):
    # Given the template's parameters
    defaults = {name: spec.get("Default") for name, spec in template["Parameters"].items()}

    # When the environment is built with no firm name, and with one
    default_firm = environment.function_environment("ApiFunction", aws_env, public_base_url=BASE_URL)
    given_firm = environment.function_environment("ApiFunction", aws_env, public_base_url=BASE_URL,
                                                  firm_name="Initech")

    # Then a parameter without a local value reads its Default, and a given value wins
    assert default_firm["NUDGE_HOUR"] == str(defaults["NudgeHour"])
    assert default_firm["DEFAULT_TIME_ZONE"] == defaults["DefaultTimeZone"]
    assert default_firm["FIRM_NAME"] == defaults["FirmName"]
    assert given_firm["FIRM_NAME"] == "Initech"
    assert given_firm["PUBLIC_BASE_URL"] == BASE_URL


def test_a_parameter_and_condition_added_to_the_template_reach_the_environment(aws_env):
    # Given a template with a new parameter, a condition on it, and variables written with them
    template = plain_template()
    template["Parameters"]["TracingSdk"] = {"Type": "String", "Default": "false", "AllowedValues": ["true", "false"]}
    template["Conditions"]["UseTracingSdk"] = {"Fn::Equals": [{"Ref": "TracingSdk"}, "true"]}
    template["Globals"]["Function"]["Environment"]["Variables"].update(
        TRACING_SDK={"Ref": "TracingSdk"},
        ONLY_WITH_SDK={"Fn::If": ["UseTracingSdk", "on", {"Ref": "AWS::NoValue"}]},
        GROUP_IN={"Fn::Sub": "${FollowUpScheduleGroup} in ${AWS::Region}"},
    )

    # When the environment is built with the parameter's Default, and with a value for it
    default = environment.function_environment("CheckInFunction", aws_env, public_base_url=BASE_URL,
                                               template=template)
    given = environment.function_environment("CheckInFunction", aws_env, public_base_url=BASE_URL,
                                             template=template, parameters={"TracingSdk": "true"})

    # Then each variable reads as CloudFormation would resolve it
    assert default["TRACING_SDK"] == "false"
    assert "ONLY_WITH_SDK" not in default
    assert given["TRACING_SDK"] == "true"
    assert given["ONLY_WITH_SDK"] == "on"
    assert default["GROUP_IN"] == f"{aws_env.schedule_group} in {aws_env.region}"


def test_a_reference_to_something_not_provisioned_locally_is_named_not_guessed(aws_env):
    # Given a template whose function refers to a resource the local stack does not create
    template = plain_template()
    template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]["BUCKET"] = {"Ref": "UploadsBucket"}

    # When its environment is built, Then the error names what is missing
    with pytest.raises(Unresolvable, match="UploadsBucket"):
        environment.function_environment("ApiFunction", aws_env, public_base_url=BASE_URL, template=template)


def test_an_empty_public_base_url_falls_back_to_the_http_api_which_is_not_local(aws_env):
    # When the local environment is built without a base URL for the pages
    # Then the template's fallback (the HTTP API's own URL) is named as what the local stack lacks
    with pytest.raises(Unresolvable, match="HttpApi"):
        environment.function_environment("ApiFunction", aws_env, public_base_url="")
