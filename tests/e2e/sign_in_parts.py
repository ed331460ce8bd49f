"""What the sign-in tests share (test_sign_in*.py): a local stack in-process with a probe route behind the
firm's authorizer, recording the API's invocations, and reading moto's pool through it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
import pytest
from moto.utilities.utils import load_resource

from local import provision
from local.client import request
from local.cognito import SEEDED
from local.environment import REGION

PROBE = "/firm/probe/{id}"
TARGET = "AWSCognitoIdentityProviderService."
RECRUITER, ADMIN = SEEDED
UNAUTHORIZED = {"message": "Unauthorized"}


def with_probe_route() -> dict[str, Any]:
    """template.yaml plus ``GET /firm/probe/{id}`` behind FirmAuthorizer, as a /firm/ route's event is written."""
    template = copy.deepcopy(provision.template())
    template["Resources"]["ApiFunction"]["Properties"]["Events"]["FirmProbe"] = {
        "Type": "HttpApi",
        "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": "GET", "Path": PROBE,
                       "Auth": {"Authorizer": "FirmAuthorizer"}},
    }
    return template


@dataclass
class Stack:
    url: str
    moto_url: str
    pool_id: str
    client_id: str
    api_events: list[dict[str, Any]] = field(default_factory=list)

    def cognito(self) -> Any:
        return boto3.client("cognito-idp", region_name=REGION, endpoint_url=self.moto_url)

    def call(self, operation: str, body: dict[str, Any], *, target: str | None = None) -> tuple[int, dict[str, Any]]:
        answer = request("POST", f"{self.url}/_local/cognito-idp", body=json.dumps(body).encode(),
                         headers={"X-Amz-Target": target if target is not None else TARGET + operation,
                                  "Content-Type": "application/x-amz-json-1.1"})
        assert answer.headers["content-type"] == "application/x-amz-json-1.1"
        return answer.status, answer.json()

    def sign_in(self, email: str, password: str, client_id: str | None = None) -> dict[str, Any]:
        status, body = self.call("InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id or self.client_id,
            "AuthParameters": {"USERNAME": email, "PASSWORD": password}})
        assert status == 200, body
        return body

    def probe(self, authorization: str | None) -> tuple[int, Any, list[dict[str, Any]]]:
        """GET the probe route; the answer and the API invocations it caused."""
        before = len(self.api_events)
        headers = {} if authorization is None else {"Authorization": authorization}
        answer = request("GET", f"{self.url}/firm/probe/abc123", headers=headers)
        return answer.status, answer.json(), self.api_events[before:]


@pytest.fixture(scope="module", name="stack")
def stack_fixture() -> Iterator[Stack]:
    from local import handlers
    from local.stack import EmbeddedStack

    events: list[dict[str, Any]] = []
    real_invoke = handlers.invoke

    def recording_invoke(function: str, event: dict[str, Any]) -> Any:
        if function == "api":
            events.append(copy.deepcopy(event))
        return real_invoke(function, event)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "invoke", recording_invoke)
        with EmbeddedStack(port=0, quiet=True, routes=with_probe_route()) as running:
            sign_in = running._resources.sign_in
            try:
                yield Stack(running.base_url, running.moto_url, sign_in.user_pool_id, sign_in.client_id, events)
            finally:
                # moto's state is the process's: forget it, so the next in-process stack provisions afresh
                request("POST", f"{running.moto_url}/moto-api/reset")


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def moto_signing_key() -> Any:
    """The private key moto signs every pool's tokens with (kid "dummy"), from moto's own package data."""
    return jwt.PyJWK.from_dict(load_resource("cognitoidp/resources/jwks-private.json")).key


