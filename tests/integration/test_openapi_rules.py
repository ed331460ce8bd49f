"""The OpenAPI document says the cross-field rules the API applies: the decision as a union discriminated by
its outcome, and the submission's channels needing their contact and consent. For each body below, the
document's verdict (JSON Schema 2020-12, as OpenAPI 3.1 reads it) is the API's (422 or not)."""

from __future__ import annotations

import copy
import json
import re

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import load_event
from tests.integration.harness import call_api, submit_confirmed

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def schema_of(document: dict, name: str) -> dict:
    """The component ``name`` with every other component beside it, so its $refs resolve."""
    components = copy.deepcopy(document["components"]["schemas"])
    text = json.dumps({**components[name], "$defs": components}).replace("#/components/schemas/", "#/$defs/")
    return json.loads(text)


def document_accepts(document: dict, name: str, body: dict) -> bool:
    return Draft202012Validator(schema_of(document, name)).is_valid(body)


@pytest.fixture
def document(aws_env) -> dict:
    return call_api("GET", "/openapi.json").json()


def test_the_decision_is_a_union_discriminated_by_its_outcome(document):
    decision = document["components"]["schemas"]["DecisionRequest"]

    assert decision["discriminator"]["propertyName"] == "outcome"
    assert sorted(decision["discriminator"]["mapping"]) == ["not_selected", "offer"]
    assert document["components"]["schemas"]["OfferDecision"]["required"] == ["outcome", "supervisor"]
    assert "supervisor" not in document["components"]["schemas"]["NotSelectedDecision"]["properties"]


@pytest.mark.parametrize("body", [
    {"outcome": "offer", "supervisor": {"name": "Marcus Chen"}},
    {"outcome": "offer", "hiring_manager": {"name": "Dana"}, "supervisor": {"name": "Marcus Chen"}},
    {"outcome": "offer"},
    {"outcome": "offer", "supervisor": None},
    {"outcome": "not_selected"},
    {"outcome": "not_selected", "supervisor": {"name": "Marcus Chen"}},
    {"outcome": "maybe"},
    {},
])
def test_the_document_and_the_api_agree_on_every_decision(aws_env, document, body):
    created = submit_confirmed(SUBMISSION)

    answer = call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"], body=body)

    assert answer.status in (200, 422), answer.text
    assert document_accepts(document, "DecisionRequest", body) == (answer.status == 200), answer.text


def _with(channels: list[str], consent: bool | None, **candidate) -> dict:
    body = {**SUBMISSION, "channels": channels, "candidate": {"name": "Jo Doe", "time_zone": "America/New_York",
                                                                 **candidate}}
    body.pop("sms_consent")
    if consent is not None:
        body["sms_consent"] = consent
    return body


@pytest.mark.parametrize("body", [
    _with(["email"], None, email="jo@example.com"),
    _with(["email"], None, phone="+14155550123"),
    _with(["sms"], True, phone="+14155550123"),
    _with(["sms"], False, phone="+14155550123"),
    _with(["sms"], None, phone="+14155550123"),
    _with(["sms"], True, email="jo@example.com"),
    _with(["email", "sms"], True, email="jo@example.com", phone="+14155550123"),
    _with(["email", "sms"], True, email="jo@example.com"),
])
def test_the_document_and_the_api_agree_on_every_submissions_contact_rules(aws_env, document, body):
    answer = call_api("POST", "/interviews", body=body)

    assert answer.status in (202, 422), answer.text
    assert document_accepts(document, "InterviewSubmission", body) == (answer.status == 202), answer.text


def test_every_operation_of_the_document_is_a_route_of_the_deployed_http_api(document):
    from local import provision

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    events = provision.template()["Resources"]["ApiFunction"]["Properties"]["Events"].values()
    deployed = {(e["Properties"]["Method"].upper(), shape(e["Properties"]["Path"])) for e in events
                if e["Type"] == "HttpApi"}
    documented = {(method.upper(), shape(path)) for path, operations in document["paths"].items()
                  for method in operations}

    assert documented - deployed == set()  # a route the API serves but API Gateway would answer 404 for
