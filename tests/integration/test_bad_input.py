"""Issue 8's bad inputs: each gets its 4xx (never a 5xx), says what is wrong in words, and stores nothing.

Auth comes first on interview routes: without a valid token, nothing about the body is revealed.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import boto3
import pytest

from local import handlers
from local.apigw import http_event
from tests.conftest import load_event
from tests.integration.harness import call_api, schedules, submit_confirmed

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def stored_items(resources) -> list[dict]:
    return boto3.client("dynamodb", region_name="us-east-1").scan(TableName=resources.table_name)["Items"]


def item_snapshot(resources) -> str:
    return json.dumps(stored_items(resources), sort_keys=True)


def assert_nothing_stored(resources) -> None:
    assert stored_items(resources) == []
    assert schedules(resources) == {}


def nested(depth: int) -> str:
    return '{"company": ' + "[" * depth + "]" * depth + "}"


def raw_call(method: str, path: str, body: bytes, headers: dict[str, str] | None = None):
    answer = handlers.invoke("api", http_event(method, path, headers=headers or {"content-type": "application/json"},
                                               body=body))
    return answer["statusCode"], json.loads(answer.get("body") or "{}"), answer.get("headers") or {}


@pytest.fixture
def created(aws_env):
    return submit_confirmed(SUBMISSION)  # the candidate's manage token comes by message, once confirmed


# ---- 400 and 415: the body itself ---------------------------------------------------------------


def test_a_body_that_is_not_utf8_is_a_400_and_stores_nothing(aws_env):
    # Given a body with bytes that are not UTF-8 (API Gateway hands it over base64-encoded)
    body = json.dumps(SUBMISSION).encode().replace(b"Globex", b"Gl\xffbex")

    status, answer, _ = raw_call("POST", "/interviews", body)

    assert status == 400
    assert "UTF-8" in answer["message"]
    assert_nothing_stored(aws_env)


@pytest.mark.parametrize("depth", [33, 8000])
def test_json_nested_too_deep_is_a_400_naming_the_limit_and_stores_nothing(aws_env, depth):
    answer = call_api("POST", "/interviews", raw=nested(depth))

    assert answer.status == 400, answer.text
    assert answer.json()["message"] == "the body is not valid JSON: nested deeper than 32 levels"
    assert_nothing_stored(aws_env)


def test_brackets_inside_strings_do_not_count_as_nesting(aws_env):
    # Given a valid submission whose role text holds many brackets
    body = {**SUBMISSION, "role": "[" * 100 + "{" * 90}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 202, answer.text


@pytest.mark.filterwarnings("ignore:Received multipart/form-data")
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; "
                                          "boundary=x", "application/xml"])
def test_a_body_that_is_not_json_is_a_415_and_stores_nothing(aws_env, content_type):
    answer = call_api("POST", "/interviews", raw=json.dumps(SUBMISSION), headers={"content-type": content_type})

    assert answer.status == 415, answer.text
    assert "application/json" in answer.json()["message"]
    assert_nothing_stored(aws_env)


def test_a_form_encoded_decision_is_a_415_even_when_its_fields_would_validate(aws_env, created):
    before = item_snapshot(aws_env)

    answer = call_api("POST", f"/interviews/{created['id']}/decision", raw="outcome=not_selected",
                      token=created["manage_token"], headers={"content-type": "application/x-www-form-urlencoded"})

    assert answer.status == 415, answer.text
    assert item_snapshot(aws_env) == before


def test_json_with_a_charset_or_a_json_suffix_is_accepted(aws_env):
    answer = call_api("POST", "/interviews", body=SUBMISSION, headers={"content-type": "application/json; charset=utf-8"})

    assert answer.status == 202, answer.text


# ---- 405 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("TRACE", "/interviews", "POST"),
        ("PUT", "/interviews/abc123", "DELETE, GET, PATCH"),
        ("GET", "/interviews/abc123/decision", "POST, PUT"),
        ("DELETE", "/unsubscribe", "GET, POST"),
        ("DELETE", "/firm/interviews", "GET, POST"),
        ("GET", "/firm/interviews:import", "POST"),
    ],
)
def test_an_unknown_method_on_a_known_path_is_a_405_with_allow(aws_env, method, path, allowed):
    answer = call_api(method, path)

    assert answer.status == 405, answer.text
    assert answer.headers["Allow"] == allowed


def test_an_unknown_path_is_still_a_404(aws_env):
    assert call_api("GET", "/nowhere").status == 404


# ---- 422: strict types and dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sms_consent": "yes"}, "sms_consent"),
        ({"sms_consent": 1}, "sms_consent"),
        ({"expected_decision_days": True}, "expected_decision_days"),
        ({"expected_decision_days": "7"}, "expected_decision_days"),
        ({"expected_decision_days": 7.0}, "expected_decision_days"),
        ({"interview_at": 1773151200}, "interview_at"),
        ({"interview_at": "1773151200"}, "interview_at"),
    ],
)
def test_json_types_are_strict_on_create(aws_env, changes, field):
    answer = call_api("POST", "/interviews", body={**SUBMISSION, **changes})

    assert answer.status == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert_nothing_stored(aws_env)


@pytest.mark.parametrize(
    "interview_at",
    [
        "9999-12-31T23:00:00-05:00",
        "9999-12-31T23:59:59",
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00",
        "2099-03-10T14:00:00",
        "1900-03-10T14:00:00",
        "2025-12-01T14:00:00",  # 99 days before
        "2027-03-11T14:00:00",  # a year and a day ahead
    ],
)
def test_an_interview_time_outside_the_past_60_days_and_the_next_365_is_a_422_on_create(aws_env, interview_at):
    answer = call_api("POST", "/interviews", body={**SUBMISSION, "interview_at": interview_at})

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [
        {"field": "interview_at", "message": "must be within the past 60 days and the next 365 days"}
    ]
    assert_nothing_stored(aws_env)


@pytest.mark.parametrize(
    "interview_at", ["2099-03-10T14:00:00", "1900-03-10T14:00:00", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"]
)
def test_an_interview_time_out_of_range_is_a_422_on_edit_and_changes_nothing(aws_env, created, interview_at):
    before = item_snapshot(aws_env)

    answer = call_api("PATCH", f"/interviews/{created['id']}", body={"interview_at": interview_at},
                      token=created["manage_token"])

    assert answer.status == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "interview_at"
    assert item_snapshot(aws_env) == before


def test_the_range_bounds_are_inclusive_of_59_days_ago(aws_env, fake_clock):
    moment = (fake_clock() - timedelta(days=59)).isoformat()

    answer = call_api("POST", "/interviews", body={**SUBMISSION, "interview_at": moment})

    assert answer.status == 202, answer.text


@pytest.mark.parametrize(
    ("body", "field"),
    [({"sms_consent": "yes"}, "sms_consent"), ({"expected_decision_days": True}, "expected_decision_days"),
     ({"interview_at": 1773151200}, "interview_at")],
)
def test_json_types_are_strict_on_edit(aws_env, created, body, field):
    before = item_snapshot(aws_env)

    answer = call_api("PATCH", f"/interviews/{created['id']}", body=body, token=created["manage_token"])

    assert answer.status == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert item_snapshot(aws_env) == before


# ---- 422: free text is text ------------------------------------------------------------------------

LINK = "must not contain a web address or a link"
CONTROL = "must not contain control characters or text-direction marks"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"company": "Globex - URGENT: verify your payroll at http://evil.example/login"}, "company", LINK),
        ({"company": "Globex, see evil.example/login"}, "company", LINK),
        ({"role": "Analyst at www.evil.example"}, "role", LINK),
        ({"role": "Analyst\nCall +1 900 555 0100"}, "role", CONTROL),
        ({"candidate": {**SUBMISSION["candidate"], "name": "Jordan \u202eRivera"}}, "candidate.name", CONTROL),
        ({"interviewer": {"name": "Dana\u2066 Whitfield"}}, "interviewer.name", CONTROL),
        ({"interviewer": {"name": "Dana", "title": "see https://evil.example"}}, "interviewer.title", LINK),
    ],
)
def test_free_text_with_a_link_or_control_characters_is_a_422_naming_the_field(aws_env, changes, field, message):
    answer = call_api("POST", "/interviews", body={**SUBMISSION, **changes})

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [{"field": field, "message": message}]
    assert_nothing_stored(aws_env)


def test_decision_names_refuse_links(aws_env, created):
    body = {"outcome": "offer", "supervisor": {"name": "Ask at evil.example/offer"}}

    answer = call_api("POST", f"/interviews/{created['id']}/decision", body=body, token=created["manage_token"])

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [{"field": "supervisor.name", "message": LINK}]


def test_ordinary_names_with_accents_apostrophes_and_abbreviations_are_accepted(aws_env):
    body = {**SUBMISSION, "company": "J.P. Morgan & Co.", "role": "Sr. Data Analyst (ML/AI)",
            "candidate": {**SUBMISSION["candidate"], "name": "Zoë O'Brien-Łukasiewicz"}}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 202, answer.text


# ---- the Idempotency-Key header ---------------------------------------------------------------------


def test_a_too_long_idempotency_key_is_a_422_naming_the_header(aws_env):
    answer = call_api("POST", "/interviews", body=SUBMISSION, headers={"idempotency-key": "k" * 256})

    assert answer.status == 422, answer.text
    assert answer.json()["errors"] == [{"field": "Idempotency-Key", "message": "must be 1-255 characters"}]
    assert_nothing_stored(aws_env)


# ---- authentication before validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "raw", "content_type"),
    [
        ("PATCH", "", json.dumps({"sms_consent": "yes"}), "application/json"),
        ("PATCH", "", "{not json", "application/json"),
        ("PATCH", "", nested(100), "application/json"),
        ("PATCH", "", json.dumps({"role": "CEO"}), "text/plain"),
        ("POST", "/decision", json.dumps({"outcome": "hired"}), "application/json"),
        ("POST", "/follow-ups/party/done", None, "application/json"),
    ],
)
def test_a_wrong_token_with_an_invalid_request_is_a_404_and_no_token_a_401(aws_env, created, method, suffix, raw,
                                                                            content_type):
    path = f"/interviews/{created['id']}{suffix}"
    headers = {"content-type": content_type}

    wrong = call_api(method, path, raw=raw, headers=headers, token=f"{created['id']}.not-the-secret")
    missing = call_api(method, path, raw=raw, headers=headers)
    right = call_api(method, path, raw=raw, headers=headers, token=created["manage_token"])

    assert (wrong.status, missing.status) == (404, 401)
    assert right.status in (400, 415, 422)


def test_a_body_that_is_not_utf8_with_a_wrong_token_is_a_404(aws_env, created):
    body = b'{"role": "Gl\xffbex"}'
    event = http_event("PATCH", f"/interviews/{created['id']}", body=body,
                       headers={"content-type": "application/json", "authorization": "Bearer x.y"})
    assert event["isBase64Encoded"] and base64.b64decode(event["body"]) == body

    assert handlers.invoke("api", event)["statusCode"] == 404


def test_an_overlong_interview_id_with_a_token_is_a_404_like_any_unknown_id(aws_env):
    long_id = "a" * 3000

    answer = call_api("PATCH", f"/interviews/{long_id}", raw="[]", token=f"{long_id}.secret")

    assert answer.status == 404


# ---- the OpenAPI document ---------------------------------------------------------------------------


def test_the_openapi_document_describes_each_routes_error_answers(aws_env):
    document = call_api("GET", "/openapi.json").json()

    def errors_of(path: str, method: str) -> set[str]:
        responses = document["paths"][path][method]["responses"]
        return {code for code, answer in responses.items()
                if answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}}

    assert errors_of("/interviews", "post") == {"400", "405", "413", "415", "422", "429"}
    assert errors_of("/interviews/{interview_id}", "patch") == {"400", "401", "404", "405", "409", "413", "415", "422",
                                                                 "429"}
    assert errors_of("/interviews/{interview_id}", "get") == {"401", "404", "405", "422"}
    assert "InterviewView" in json.dumps(document["paths"]["/interviews/{interview_id}"]["get"]["responses"]["200"])
