"""The code and the template agree: every AWS call a function makes is allowed by its own policy.

A whole lifecycle runs through the real handlers on moto while botocore's hooks record each call
and the function that made it; each call's IAM actions must be in that function's policy.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from local.calls import CallRecorder
from local.provision import table_definition
from tests.conftest import load_event
from tests.integration.harness import call_api, runner

FUNCTION_OF_STEP = {
    "thank_you_note": "ThankYouNoteFunction",
    "check_in": "CheckInFunction",
    "decision_thank_you": "DecisionThankYouFunction",
}


@pytest.fixture
def recorded_lifecycle(aws_env, fake_clock):
    recorder = CallRecorder().attach()
    body = json.loads(load_event("submit_interview.json")["body"])
    with recorder.as_function("ApiFunction"):
        created = call_api("POST", "/interviews", body=body, headers={"Idempotency-Key": "k-1"}).json()
        call_api("POST", "/interviews", body=body, headers={"Idempotency-Key": "k-1"})
        token = created["manage_token"]
        path = f"/interviews/{created['id']}"
        call_api("GET", path, token=token)
        call_api("PATCH", path, token=token, body={"expected_decision_days": 8})
    engine = runner(aws_env, set_time=fake_clock.set)
    for invocation in engine.pending():
        step = invocation.payload["step"]
        with recorder.as_function(FUNCTION_OF_STEP[step]):
            engine.fire(invocation)
    with recorder.as_function("ApiFunction"):
        call_api("POST", f"{path}/decision", token=token, body={"outcome": "offer", "supervisor": {"name": "M. Chen"}})
    with recorder.as_function("DecisionThankYouFunction"):
        engine.fire_due(fake_clock() + timedelta(days=3))
    with recorder.as_function("ApiFunction"):
        call_api("POST", f"{path}/follow-ups/decision_thank_you/done", token=token)
        call_api("POST", "/unsubscribe", query=f"token={token}")
        call_api("DELETE", path, token=token)
        pending = call_api("POST", "/interviews", body=body).json()  # erased while its schedules wait
        call_api("DELETE", f"/interviews/{pending['id']}", token=pending["manage_token"])
    recorder.detach()
    return recorder


def test_every_aws_call_of_each_function_is_allowed_by_its_policy(recorded_lifecycle, template,
                                                                   function_policy_actions):
    for function in ("ApiFunction", *FUNCTION_OF_STEP.values()):
        allowed = function_policy_actions(template, function)
        made = {action for call in recorded_lifecycle.calls if call.function == function for action in call.iam_actions}
        assert made, f"{function} made no call: the lifecycle did not exercise it"
        assert made <= allowed, f"{function} calls what its policy does not allow: {sorted(made - allowed)}"


def test_each_function_policy_grants_nothing_the_code_never_calls(recorded_lifecycle, template,
                                                                 function_policy_actions):
    for function in ("ApiFunction", *FUNCTION_OF_STEP.values()):
        allowed = function_policy_actions(template, function)
        made = {action for call in recorded_lifecycle.calls if call.function == function for action in call.iam_actions}
        # SES authorises a raw v2 SendEmail as both actions; granting the pair is the documented minimum.
        assert allowed - made <= {"ses:SendEmail"}, f"{function} is granted unused {sorted(allowed - made)}"


def test_no_scan_or_query_happens_anywhere(recorded_lifecycle):
    operations = recorded_lifecycle.operations()
    assert not [op for op in operations if op.endswith((":Scan", ":Query"))]


def test_the_moto_table_is_built_from_the_templates_key_schema(template):
    props = template["Resources"]["InterviewsTable"]["Properties"]

    definition = table_definition("t")

    assert definition["KeySchema"] == props["KeySchema"]
    assert definition["AttributeDefinitions"] == props["AttributeDefinitions"]
    assert definition["BillingMode"] == props["BillingMode"]
