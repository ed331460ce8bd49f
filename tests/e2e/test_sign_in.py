"""The firm's sign-in on the local stack, over real HTTP: moto's user pool and the HTTP API's JWT authorizer
before the routes whose event names it (the page's Cognito endpoint: test_sign_in_endpoint.py; `make run`'s
users: test_sign_in_make_run.py).

The stack runs in this process (so the test sees every invocation of the API function), with the template's
routes plus one probe route behind FirmAuthorizer (the /firm/... routes are another change's). Tokens come
from moto's pool through the proxy, exactly as the page gets them; the bad ones are made the ways an
attacker or a bug would make them.
"""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from local.client import request
from local.environment import REGION
from tests.e2e.sign_in_parts import (  # noqa: F401 - the fixture stack_fixture
    ADMIN,
    RECRUITER,
    UNAUTHORIZED,
    Stack,
    claims_of,
    moto_signing_key,
    stack_fixture,
)

pytestmark = pytest.mark.e2e

# ------------------------------------------------------------ the real token passes, its claims reach the event


def test_a_seeded_recruiters_id_token_reaches_the_api_with_its_claims_as_api_gateway_passes_them(stack):
    # Given the seeded recruiter's ID token, from moto's pool through the page's endpoint
    tokens = stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]
    signed = claims_of(tokens["IdToken"])

    # When it calls a route behind FirmAuthorizer
    status, _, invoked = stack.probe(f"Bearer {tokens['IdToken']}")

    # Then the API function is invoked once, with the claims as strings (groups flattened) and no scopes
    assert status != 401
    (event,) = invoked
    context = event["requestContext"]["authorizer"]["jwt"]
    assert context["scopes"] is None
    claims = context["claims"]
    assert all(isinstance(value, str) for value in claims.values())
    assert claims["sub"] == signed["sub"]
    assert claims["cognito:groups"] == "[recruiters]"
    assert claims["email"] == RECRUITER.email
    assert claims["name"] == RECRUITER.name
    assert claims["token_use"] == "id"
    assert claims["aud"] == stack.client_id
    assert claims["iss"] == f"https://cognito-idp.{REGION}.amazonaws.com/{stack.pool_id}"
    assert claims["exp"] == str(signed["exp"])


def test_the_admins_token_carries_the_admins_group_and_the_bearer_prefix_is_optional(stack):
    # Given the seeded admin's ID token
    token = stack.sign_in(ADMIN.email, ADMIN.password)["AuthenticationResult"]["IdToken"]

    # When it is sent without "Bearer " (API Gateway takes the token alone too)
    status, _, invoked = stack.probe(token)

    # Then it passes, with the admins group
    (event,) = invoked
    assert status != 401
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] == "[admins]"


def test_an_access_token_of_the_client_is_refused_before_the_function_as_no_id_token(stack):
    # Given the recruiter's access token (client_id, no aud): API Gateway does not tell it from an ID token, but it
    # names no one (no email, no name) and the firm's routes take the ID token only
    token = stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["AccessToken"]
    assert claims_of(token)["token_use"] == "access"

    # When it calls the route
    status, body, invoked = stack.probe(f"Bearer {token}")

    # Then it is API Gateway's 401, and the function is not invoked (deployed, the function refuses it: 401)
    assert (status, body, invoked) == (401, UNAUTHORIZED, [])


def test_a_route_without_the_authorizer_is_invoked_whatever_the_header_says(stack):
    # Given the web form's route, which names no authorizer
    before = len(stack.api_events)

    # When it is asked with a header that is no token
    answer = request("GET", f"{stack.url}/", headers={"Authorization": "Bearer not-a-token", "Accept": "text/html"})

    # Then the function answers it, with no authorizer context
    assert answer.status == 200
    (event,) = stack.api_events[before:]
    assert "authorizer" not in event["requestContext"]


# ------------------------------------------------------------ every bad token is API Gateway's 401, no invocation


def _forged(stack: Stack) -> str:
    real = claims_of(stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["IdToken"])
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(real, other_key, algorithm="RS256", headers={"kid": "dummy"})


def _expired(stack: Stack) -> str:
    real = claims_of(stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["IdToken"])
    now = int(time.time())
    claims = {**real, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600}
    return jwt.encode(claims, moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})


def _not_yet_valid(stack: Stack) -> str:
    real = claims_of(stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["IdToken"])
    now = int(time.time())
    claims = {**real, "nbf": now + 600, "exp": now + 3600}
    return jwt.encode(claims, moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})


def _another_pools(stack: Stack) -> str:
    # a real token of another pool on the same moto (signed with the same key: only the issuer differs)
    cognito = stack.cognito()
    pool = cognito.create_user_pool(PoolName="another-firm")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="other",
                                             ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool, Username="someone", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="someone", Password="Other-pool-123", Permanent=True)
    return cognito.initiate_auth(ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": "someone", "PASSWORD": "Other-pool-123"},
                                 )["AuthenticationResult"]["IdToken"]


def _another_clients(stack: Stack) -> str:
    # a real token of this pool, issued to another app client: the audience is not the page's
    client = stack.cognito().create_user_pool_client(
        UserPoolId=stack.pool_id, ClientName="another-app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return stack.sign_in(RECRUITER.email, RECRUITER.password, client_id=client)["AuthenticationResult"]["IdToken"]


def _tampered(stack: Stack) -> str:
    # the recruiter's real token, its payload rewritten to claim the admins group, the signature kept
    header, payload, signature = stack.sign_in(RECRUITER.email, RECRUITER.password)[
        "AuthenticationResult"]["IdToken"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:groups"] = ["admins"]
    rewritten = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join((header, rewritten, signature))


def _unsigned(stack: Stack) -> str:
    real = claims_of(stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["IdToken"])
    return jwt.encode(real, key=None, algorithm="none", headers={"kid": "dummy"})


BAD = {
    "forged with another RSA key": lambda s: f"Bearer {_forged(s)}",
    "expired": lambda s: f"Bearer {_expired(s)}",
    "not valid before a later time": lambda s: f"Bearer {_not_yet_valid(s)}",
    "from another pool": lambda s: f"Bearer {_another_pools(s)}",
    "for another app client": lambda s: f"Bearer {_another_clients(s)}",
    "payload tampered with": lambda s: f"Bearer {_tampered(s)}",
    "unsigned (alg none)": lambda s: f"Bearer {_unsigned(s)}",
    "Basic credentials": lambda s: "Basic " + base64.b64encode(f"{RECRUITER.email}:{RECRUITER.password}".encode()).decode(),
    "Bearer and nothing": lambda s: "Bearer ",
    "not a JWT": lambda s: "Bearer abc.def.ghi",
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_token_is_answered_401_unauthorized_and_the_function_is_not_invoked(stack, kind):
    # Given a token made the bad way
    authorization = BAD[kind](stack)

    # When it calls the route behind FirmAuthorizer
    status, body, invoked = stack.probe(authorization)

    # Then API Gateway's own 401 answers, and the API function never runs
    assert (status, body) == (401, UNAUTHORIZED)
    assert invoked == []


def test_no_authorization_header_is_answered_401_and_the_function_is_not_invoked(stack):
    status, body, invoked = stack.probe(None)

    assert (status, body) == (401, UNAUTHORIZED)
    assert invoked == []


def test_the_bad_tokens_differ_from_a_good_one_only_in_what_makes_them_bad(stack):
    # Given a token signed with moto's key and the real claims (what _expired changes, unchanged)
    real = claims_of(stack.sign_in(RECRUITER.email, RECRUITER.password)["AuthenticationResult"]["IdToken"])
    resigned = jwt.encode(real, moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})

    # When it calls the route
    status, _, invoked = stack.probe(f"Bearer {resigned}")

    # Then it passes: the 401s above come from expiry, key, issuer or audience, not from how tokens are made here
    assert status != 401
    assert len(invoked) == 1


