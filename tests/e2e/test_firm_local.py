"""The firm's API on the local stack over real HTTP, signed in as the page signs in: a seeded recruiter's and
admin's ID tokens from moto's pool (through /_local/cognito-idp) reach the /firm/ routes through the local
JWT authorizer, which refuses a request without one before the function runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from local.client import request
from local.cognito import SEEDED
from tests.integration.forms import submission

pytestmark = pytest.mark.e2e

RECRUITER, ADMIN = SEEDED
START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[str, dict[str, str]]]:
    from local.stack import EmbeddedStack

    with EmbeddedStack(port=0, quiet=True, start=START) as running:
        client_id = running._resources.sign_in.client_id
        tokens = {user.email: id_token(running.base_url, client_id, user.email, user.password) for user in SEEDED}
        try:
            yield running.base_url, tokens
        finally:
            # moto's state is the process's: forget it, so the next in-process stack provisions afresh
            request("POST", f"{running.moto_url}/moto-api/reset")


def id_token(base: str, client_id: str, email: str, password: str) -> str:
    answer = request("POST", f"{base}/_local/cognito-idp", body=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": password}}).encode(),
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                 "Content-Type": "application/x-amz-json-1.1"})
    assert answer.status == 200, answer.text
    return answer.json()["AuthenticationResult"]["IdToken"]


def call(base: str, method: str, path: str, token: str | None, body: Any = None, content_type: str = "application/json"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    return request(method, f"{base}{path}", body=data, headers=headers)


def test_a_signed_in_recruiter_enrols_imports_and_lists_and_an_admin_sees_it(stack):
    base, tokens = stack
    recruiter, admin = tokens[RECRUITER.email], tokens[ADMIN.email]

    me = call(base, "GET", "/firm/me", recruiter)
    enrolled = call(base, "POST", "/firm/interviews", recruiter, submission(now=START, channels=("email",)))
    csv = ("candidate_name,email,time_zone,channels,company,role,interviewer_name,interview_at\n"
           "Sam Lee,sam@example.com,America/New_York,email,Initech,Analyst,Dana Whitfield,2026-03-10T10:00:00\n")
    imported = call(base, "POST", "/firm/interviews:import", recruiter, csv, content_type="text/csv")
    mine = call(base, "GET", "/firm/interviews", recruiter)
    everyone = call(base, "GET", "/firm/interviews?limit=1", admin)

    assert me.status == 200 and me.json()["email"] == RECRUITER.email and me.json()["groups"] == ["recruiters"]
    assert enrolled.status == 202 and imported.status == 200 and imported.json()["created"] == 1
    ids = [imported.json()["rows"][0]["id"], enrolled.json()["id"]]
    assert [i["id"] for i in mine.json()["items"]] == ids  # newest first
    assert {i["recruiter"]["name"] for i in mine.json()["items"]} == {RECRUITER.name}
    assert len(everyone.json()["items"]) == 1 and everyone.json()["next_cursor"]
    outbox = request("GET", f"{base}/_local/outbox").json()["emails"]
    assert any(f"{RECRUITER.name} at" in email["text"] and "enrolled you" in email["text"] for email in outbox)


@pytest.mark.parametrize("path", ["/firm/me", "/firm/interviews", "/firm/interviews/0123456789ab"])
def test_without_a_token_the_authorizer_answers_401(stack, path):
    base, _ = stack

    assert call(base, "GET", path, None).status == 401
    assert call(base, "GET", path, "not.a.jwt").status == 401
