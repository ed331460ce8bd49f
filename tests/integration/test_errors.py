"""Each bad input of the API's error contract gets its status, names its field, and stores nothing."""

from __future__ import annotations

import json

import boto3
import pytest

from tests.conftest import load_event
from tests.integration.harness import call_api, schedules, submit_confirmed

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def stored_items(resources) -> list[dict]:
    return boto3.client("dynamodb", region_name="us-east-1").scan(TableName=resources.table_name)["Items"]


def with_candidate(**changes):
    return {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], **changes}}


def assert_nothing_stored(resources):
    assert stored_items(resources) == []
    assert schedules(resources) == {}


def test_malformed_json_is_a_400_and_stores_nothing(aws_env):
    answer = call_api("POST", "/interviews", raw='{"candidate": {"name": "Jo"')

    assert answer.status == 400
    assert answer.json()["message"] == "the body is not valid JSON"
    assert "Traceback" not in answer.text
    assert_nothing_stored(aws_env)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (with_candidate(email="not-an-email"), "candidate.email"),
        (with_candidate(phone="555-0123"), "candidate.phone"),
        (with_candidate(phone="+1415555"), "candidate.phone"),
        (with_candidate(time_zone="Mars/Olympus_Mons"), "candidate.time_zone"),
        (with_candidate(name=""), "candidate.name"),
        ({**SUBMISSION, "channels": []}, "channels"),
        ({**SUBMISSION, "channels": ["email", "fax"]}, "channels.1"),
        ({**SUBMISSION, "channels": ["email", "email"]}, "channels"),
        ({**SUBMISSION, "expected_decision_days": 0}, "expected_decision_days"),
        ({**SUBMISSION, "expected_decision_days": 61}, "expected_decision_days"),
        ({**SUBMISSION, "interview_at": "next tuesday"}, "interview_at"),
        ({**SUBMISSION, "interview_at": "2024-01-01T10:00:00"}, "interview_at"),
        ({**SUBMISSION, "nickname": "JR"}, "nickname"),
        ({**SUBMISSION, "interviewer": {"title": "Head"}}, "interviewer.name"),
        ({k: v for k, v in SUBMISSION.items() if k != "company"}, "company"),
        ({**SUBMISSION, "sms_consent": False}, "sms_consent"),
        (with_candidate(email=None), "candidate.email"),
        ({**with_candidate(phone=None), "channels": ["sms"]}, "candidate.phone"),
    ],
)
def test_an_invalid_field_is_a_422_naming_it_and_stores_nothing(aws_env, body, field):
    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert_nothing_stored(aws_env)


def test_every_invalid_field_is_named_at_once(aws_env):
    body = {**with_candidate(email="nope", time_zone="Nowhere/City"), "expected_decision_days": 99}

    answer = call_api("POST", "/interviews", body=body)

    fields = sorted(e["field"] for e in answer.json()["errors"])
    assert fields == ["candidate.email", "candidate.time_zone", "expected_decision_days"]


def test_a_body_over_16_kib_is_a_413_and_stores_nothing(aws_env):
    body = {**SUBMISSION, "role": "x" * (17 * 1024)}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 413
    assert_nothing_stored(aws_env)


@pytest.fixture
def created(aws_env):
    return submit_confirmed(SUBMISSION)


def item_snapshot(resources):
    return json.dumps(stored_items(resources), sort_keys=True)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"role": "CEO"}),
        ("DELETE", "", None),
        ("POST", "/decision", {"outcome": "not_selected"}),
        ("POST", "/follow-ups/check_in/done", None),
    ],
)
def test_no_token_is_a_401_and_a_wrong_token_a_404_and_neither_changes_anything(aws_env, created, method, suffix,
                                                                                body):
    path = f"/interviews/{created['id']}{suffix}"
    before = item_snapshot(aws_env)

    missing = call_api(method, path, body=body)
    wrong = call_api(method, path, body=body, token=f"{created['id']}.not-the-secret")
    foreign = call_api(method, path, body=body, token="abcdefabcdef.not-the-secret")

    assert missing.status == 401
    assert wrong.status == 404 and foreign.status == 404
    assert item_snapshot(aws_env) == before
    assert len(schedules(aws_env)) == 2


def test_an_unknown_id_answers_exactly_like_a_wrong_token(aws_env, created):
    unknown = call_api("GET", "/interviews/ffffffffffff", token="ffffffffffff.secret")
    wrong = call_api("GET", f"/interviews/{created['id']}", token=f"{created['id']}.secret")

    assert (unknown.status, unknown.text) == (wrong.status, wrong.text) == (404, wrong.text)


def test_an_unsubscribe_with_a_bad_token_is_a_404_and_cancels_nothing(aws_env, created):
    before = item_snapshot(aws_env)

    answer = call_api("POST", "/unsubscribe", query=f"token={created['id']}.forged")

    assert answer.status == 404
    assert item_snapshot(aws_env) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "hired"}, "outcome"),
        ({"outcome": "offer"}, "supervisor.name"),
        ({"outcome": "not_selected", "supervisor": {"name": "M"}}, "supervisor"),
        ({"outcome": "offer", "supervisor": {"name": ""}}, "supervisor.name"),
    ],
)
def test_an_invalid_decision_is_a_422_naming_the_field_and_changes_nothing(aws_env, created, body, field):
    before = item_snapshot(aws_env)

    answer = call_api("POST", f"/interviews/{created['id']}/decision", body=body, token=created["manage_token"])

    assert answer.status == 422
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert item_snapshot(aws_env) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channels": ["sms"], "candidate": {"phone": None}}, "candidate.phone"),
        ({"candidate": {"email": None}}, "candidate.email"),
        ({"interview_at": None}, "interview_at"),
        ({"expected_decision_days": 100}, "expected_decision_days"),
        ({"status": "decided"}, "status"),
    ],
)
def test_an_invalid_edit_is_a_422_naming_the_field_and_changes_nothing(aws_env, created, body, field):
    before = item_snapshot(aws_env)

    answer = call_api("PATCH", f"/interviews/{created['id']}", body=body, token=created["manage_token"])

    assert answer.status == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert item_snapshot(aws_env) == before


def test_an_unknown_step_is_a_422_and_a_step_not_yet_scheduled_a_409(aws_env, created):
    unknown = call_api("POST", f"/interviews/{created['id']}/follow-ups/party/done", token=created["manage_token"])
    early = call_api("POST", f"/interviews/{created['id']}/follow-ups/decision_thank_you/done",
                     token=created["manage_token"])

    assert unknown.status == 422 and unknown.json()["errors"][0]["field"] == "step"
    assert early.status == 409


def test_the_openapi_document_describes_the_contract(aws_env):
    answer = call_api("GET", "/openapi.json")

    document = answer.json()
    assert answer.status == 200
    assert set(document["paths"]) >= {
        "/interviews",
        "/interviews/{interview_id}",
        "/interviews/{interview_id}/decision",
        "/interviews/{interview_id}/follow-ups/{step}/done",
        "/unsubscribe",
    }
    assert set(document["paths"]["/interviews/{interview_id}"]) == {"get", "patch", "delete"}
    assert "InterviewSubmission" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["manage_token"]["scheme"] == "bearer"


def test_the_openapi_document_describes_the_answers_stored_parts_as_it_always_did(aws_env):
    # The answers embed the stored records (plain dataclasses since the step Lambdas dropped pydantic); what a
    # client reads of them stays as documented: the candidate's fields, and a person's name of 1 to 200 characters.
    schemas = call_api("GET", "/openapi.json").json()["components"]["schemas"]

    decision = schemas["DecisionView"]["properties"]
    assert decision["hiring_manager"] == {"$ref": "#/components/schemas/Person"}
    person = schemas["Person"]
    assert person["additionalProperties"] is False and person["required"] == ["name"]
    assert (person["properties"]["name"]["minLength"], person["properties"]["name"]["maxLength"]) == (1, 200)
    candidate = schemas["Candidate"]
    assert list(candidate["properties"]) == ["name", "preferred_name", "email", "phone", "time_zone", "locale"]
    assert candidate["required"] == ["name", "time_zone"]


def test_an_unknown_route_is_a_404_not_a_server_error(aws_env):
    answer = call_api("GET", "/nope")

    assert answer.status == 404
    assert answer.json()["message"] == "not found"
