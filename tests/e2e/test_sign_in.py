"""The firm's sign-in on the local stack, over real HTTP: moto's user pool, the page's Cognito endpoint
(/_local/cognito-idp) and the HTTP API's JWT authorizer before the routes whose event names it.

The stack runs in this process (so the test sees every invocation of the API function), with the template's
routes plus one probe route behind FirmAuthorizer (the /firm/... routes are another change's). Tokens come
from moto's pool through the proxy, exactly as the page gets them; the bad ones are made the ways an
attacker or a bug would make them.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
import pytest
from botocore import xform_name
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from local import provision
from local.client import request
from local.cognito import SEEDED, parse_user
from local.environment import REGION

pytestmark = pytest.mark.e2e

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


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
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
            yield Stack(running.base_url, running.moto_url, sign_in.user_pool_id, sign_in.client_id, events)


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def moto_signing_key() -> Any:
    """The private key moto signs every pool's tokens with (kid "dummy"), from moto's own package data."""
    return jwt.PyJWK.from_dict(load_resource("cognitoidp/resources/jwks-private.json")).key


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


# ------------------------------------------------------------ the page's Cognito endpoint


def test_a_user_with_a_temporary_password_sets_a_new_one_through_the_endpoint_and_then_passes(stack):
    # Given a recruiter an admin created with a temporary password (README "Deploy")
    email = "new.recruiter@example.com"
    cognito = stack.cognito()
    cognito.admin_create_user(UserPoolId=stack.pool_id, Username=email, TemporaryPassword="Temporary-pass-1",
                              UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Nia New"}],
                              MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=stack.pool_id, Username=email, GroupName="recruiters")

    # When they sign in, are asked for a new password, and give one (a weak one first)
    challenge = stack.sign_in(email, "Temporary-pass-1")
    answer = {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": stack.client_id, "Session": challenge["Session"]}
    weak_status, weak = stack.call("RespondToAuthChallenge", {
        **answer, "ChallengeResponses": {"USERNAME": email, "NEW_PASSWORD": "short"}})
    status, done = stack.call("RespondToAuthChallenge", {
        **answer, "ChallengeResponses": {"USERNAME": email, "NEW_PASSWORD": "A-much-better-one-9"}})

    # Then the challenge was NEW_PASSWORD_REQUIRED, the weak password refused as Cognito refuses it, the strong
    # one answered with tokens, and the ID token passes the authorizer as this recruiter
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert weak_status == 400 and weak["__type"].endswith("InvalidPasswordException")
    assert status == 200, done
    probe_status, _, invoked = stack.probe(f"Bearer {done['AuthenticationResult']['IdToken']}")
    assert probe_status != 401
    assert invoked[0]["requestContext"]["authorizer"]["jwt"]["claims"]["email"] == email
    assert stack.sign_in(email, "A-much-better-one-9")["AuthenticationResult"]["IdToken"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(stack):
    # Given the page's client prevents user-existence errors
    wrong = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
             "AuthParameters": {"USERNAME": RECRUITER.email, "PASSWORD": "Not-the-password-1"}}
    unknown = {**wrong, "AuthParameters": {"USERNAME": "nobody@example.com", "PASSWORD": "Not-the-password-1"}}

    # When each signs in
    answers = [stack.call("InitiateAuth", body) for body in (wrong, unknown)]

    # Then both are Cognito's 400 NotAuthorizedException, word for word
    assert answers[0] == answers[1]
    status, body = answers[0]
    assert status == 400 and body["__type"].endswith("NotAuthorizedException")


def test_an_auth_flow_the_client_does_not_allow_is_refused_as_cognito_refuses_it(stack):
    status, body = stack.call("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": stack.client_id,
                                               "AuthParameters": {"USERNAME": RECRUITER.email, "SRP_A": "abc"}})

    assert status == 400
    assert body["__type"] == "InvalidParameterException"
    assert "USER_SRP_AUTH" in body["message"]


@pytest.mark.parametrize("target", [
    TARGET + "AdminCreateUser",
    TARGET + "ListUsers",
    TARGET + "SignUp",
    "AmazonDynamoDB_20120810.Scan",
    "",
])
def test_any_other_operation_is_a_400_and_reaches_nothing(stack, target):
    # Given a call the page never makes (an admin operation, a sign-up, another service, none)
    users_before = stack.cognito().list_users(UserPoolId=stack.pool_id)["Users"]

    # When it is sent to the page's endpoint
    status, body = stack.call("", {"UserPoolId": stack.pool_id, "Username": "intruder@example.com",
                                   "ClientId": stack.client_id, "Password": "Intruder-pass-1"}, target=target)

    # Then it is refused with 400 and nothing changed
    assert status == 400
    assert body["__type"] == "UnknownOperationException"
    assert stack.cognito().list_users(UserPoolId=stack.pool_id)["Users"] == users_before


@pytest.mark.parametrize("change", [
    {"AuthFlow": ["USER_PASSWORD_AUTH"]},
    {"AuthParameters": None},
    {"AuthParameters": "USERNAME=recruiter@example.com"},
    {"AuthParameters": {"USERNAME": RECRUITER.email}},
    {"AuthParameters": {"USERNAME": ["x"], "PASSWORD": RECRUITER.password}},
    {"AuthFlow": None},
    {"ClientId": 7},
], ids=["flow-a-list", "no-parameters", "parameters-a-string", "no-password", "username-a-list", "no-flow",
        "client-a-number"])
def test_an_initiate_auth_cognito_would_refuse_is_its_400_invalid_parameter_not_a_server_error(stack, change):
    # Given the page's sign-in call with one member missing or of the wrong JSON type
    body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
            "AuthParameters": {"USERNAME": RECRUITER.email, "PASSWORD": RECRUITER.password}}
    body = {name: value for name, value in {**body, **change}.items() if value is not None}

    # When it is sent to the page's endpoint
    status, answer = stack.call("InitiateAuth", body)

    # Then it is answered as Cognito answers it: 400, InvalidParameterException, in JSON
    assert status == 400
    assert answer["__type"] == "InvalidParameterException" and answer["message"]


@pytest.mark.parametrize("change", [
    {"ChallengeName": ["NEW_PASSWORD_REQUIRED"]},
    {"ChallengeResponses": None},
    {"ChallengeResponses": "NEW_PASSWORD=x"},
    {"ChallengeResponses": {"USERNAME": RECRUITER.email}},
], ids=["name-a-list", "no-responses", "responses-a-string", "no-new-password"])
def test_a_challenge_answer_cognito_would_refuse_is_its_400_invalid_parameter(stack, change):
    body = {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": stack.client_id, "Session": "session",
            "ChallengeResponses": {"USERNAME": RECRUITER.email, "NEW_PASSWORD": "Another-pass-12"}}
    body = {name: value for name, value in {**body, **change}.items() if value is not None}

    status, answer = stack.call("RespondToAuthChallenge", body)

    assert status == 400
    assert answer["__type"] == "InvalidParameterException" and answer["message"]


ODD_VALUES = [None, 0, 1.5, True, "", "text", [], ["x"], {}, {"k": "v"}, {"k": ["v"]}]


@pytest.mark.parametrize("operation", ["InitiateAuth", "RespondToAuthChallenge"])
def test_no_member_of_any_json_type_gets_a_server_error_from_the_endpoint(stack, operation):
    # Given each member of a well-formed call replaced in turn by values of every JSON type
    base = ({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id, "ClientMetadata": {"a": "b"},
             "AuthParameters": {"USERNAME": RECRUITER.email, "PASSWORD": "Wrong-password-1"}}
            if operation == "InitiateAuth" else
            {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": stack.client_id, "Session": "session",
             "ChallengeResponses": {"USERNAME": RECRUITER.email, "NEW_PASSWORD": "Another-pass-12"}})
    answers = []
    for member in base:
        for value in ODD_VALUES:
            answer = request("POST", f"{stack.url}/_local/cognito-idp", body=json.dumps({**base, member: value}).encode(),
                             headers={"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.1"})
            answers.append((member, value, answer.status, answer.headers["content-type"], answer.text))

    # Then every answer is Cognito's JSON, none a 5xx
    assert [a for a in answers if a[2] >= 500] == []
    assert all(a[3] == "application/x-amz-json-1.1" and json.loads(a[4]).get("__type") for a in answers if a[2] != 200)


def test_a_body_that_is_not_json_is_a_400(stack):
    answer = request("POST", f"{stack.url}/_local/cognito-idp", body=b"{not json",
                     headers={"X-Amz-Target": TARGET + "InitiateAuth", "Content-Type": "application/x-amz-json-1.1"})

    assert answer.status == 400
    assert answer.json()["__type"] == "SerializationException"


def test_the_local_sign_in_details_and_the_client_helper_sign_in_each_seeded_user(stack):
    from local.client import sign_in

    details = request("GET", f"{stack.url}/_local/sign-in").json()
    tokens = {user["email"]: sign_in(stack.url, user["email"], user["password"])["IdToken"] for user in details["users"]}

    assert details["client_id"] == stack.client_id and details["user_pool_id"] == stack.pool_id
    assert {email: claims_of(token)["cognito:groups"] for email, token in tokens.items()} == {
        RECRUITER.email: ["recruiters"], ADMIN.email: ["admins"]}
    with pytest.raises(RuntimeError, match="NotAuthorizedException"):
        sign_in(stack.url, RECRUITER.email, "Wrong-password-1")


# ------------------------------------------------------------ `make run` prints sign-ins that work


def test_make_run_prints_the_seeded_sign_ins_and_each_signs_in():
    # Given `python -m local.server` started as `make run` starts it, its start-up lines read
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0", "--quiet"],  # noqa: S603
                               cwd=provision.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C"):
                break
        text = "".join(lines)
        endpoint = re.search(r"firm sign-in\s+(http://\S+/_local/cognito-idp), app client (\S+)", text)
        sign_ins = re.findall(r"firm sign-in\s+(\S+@\S+) / (\S+)\s+\((\w+)\)", text)
        assert endpoint, text

        # When each printed email and password signs in at the printed endpoint, as the page does
        tokens = {group: _initiate(endpoint.group(1), endpoint.group(2), email, password)
                  for email, password, group in sign_ins}
    finally:
        process.terminate()
        process.wait(timeout=10)

    # Then a recruiter and an admin were printed, and each got an ID token naming their group
    assert sorted(tokens) == ["admins", "recruiters"]
    for group, token in tokens.items():
        assert claims_of(token)["cognito:groups"] == [group]


def _initiate(endpoint: str, client_id: str, email: str, password: str) -> str:
    answer = request("POST", endpoint, body=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": password}}).encode(),
        headers={"X-Amz-Target": TARGET + "InitiateAuth", "Content-Type": "application/x-amz-json-1.1"})
    assert answer.status == 200, answer.text
    return answer.json()["AuthenticationResult"]["IdToken"]


# ------------------------------------------------------------ more users locally (README, "More users of the firm, locally")


def readme_local_commands() -> list[list[str]]:
    """The `aws ... cognito-idp` commands of the README's block for moto, each as its words."""
    readme = (provision.ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```sh\n(.*?)```", readme, re.S) if '--endpoint-url "$MOTO"' in b]
    lines = block.replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.startswith("aws ")]


def run_as_boto3(words: list[str], moto_url: str, pool_id: str) -> None:
    """One `aws --endpoint-url "$MOTO" cognito-idp <operation> --option value ...` as the same boto3 call: each
    option the operation's member of that name, list members taking the words up to the next option,
    structures written in the CLI's shorthand (Name=email,Value=...), a flag with no value being true."""
    words = [moto_url if w == "$MOTO" else pool_id if w == "$POOL" else w for w in words]
    assert words[:4] == ["aws", "--endpoint-url", moto_url, "cognito-idp"], words
    client = boto3.client("cognito-idp", region_name=REGION, endpoint_url=moto_url)
    operation = "".join(part.capitalize() for part in words[4].split("-"))
    shape = client.meta.service_model.operation_model(operation).input_shape
    members = {xform_name(name, "-"): name for name in shape.members}
    params: dict[str, Any] = {}
    rest = words[5:]
    while rest:
        option, rest = rest[0], rest[1:]
        assert option.startswith("--"), option
        values = []
        while rest and not rest[0].startswith("--"):
            values.append(rest.pop(0))
        name = members[option[2:]]
        member = shape.members[name]
        if member.type_name == "boolean":
            params[name] = True
        elif member.type_name == "list" and member.member.type_name == "structure":
            params[name] = [dict(pair.split("=", 1) for pair in value.split(",")) for value in values]
        elif member.type_name == "list":
            params[name] = values
        else:
            (params[name],) = values
    getattr(client, xform_name(operation))(**params)


def test_the_readmes_aws_cognito_idp_commands_make_a_user_who_signs_in_on_the_local_stack(stack):
    # Given the README's commands for moto, run as the same calls against this stack's moto and pool
    commands = readme_local_commands()
    for words in commands:
        run_as_boto3(words, stack.moto_url, stack.pool_id)
    created = next(w for words in commands for w in words[words.index("--username") + 1:][:1])
    password = next(w for words in commands if "--password" in words for w in words[words.index("--password") + 1:][:1])
    group = next(w for words in commands if "--group-name" in words for w in words[words.index("--group-name") + 1:][:1])

    # When that user signs in through the page's endpoint
    claims = claims_of(stack.sign_in(created, password)["AuthenticationResult"]["IdToken"])

    # Then they are who the commands said, in the group they said
    assert [words[4] for words in commands] == ["admin-create-user", "admin-set-user-password", "admin-add-user-to-group"]
    assert claims["email"] == created and claims["cognito:groups"] == [group] and claims["name"]


@pytest.mark.parametrize(("spec", "expected"), [
    ("sam.lee@firm.example:Sam-local-1234:recruiters",
     ("sam.lee@firm.example", "Sam Lee", "Sam-local-1234", ("recruiters",))),
    ("alex@firm.example:Pass:with:colons-1A:admins", ("alex@firm.example", "Alex", "Pass:with:colons-1A", ("admins",))),
    ("jo_park@firm.example:Jo-local-12345:recruiters,admins",
     ("jo_park@firm.example", "Jo Park", "Jo-local-12345", ("recruiters", "admins"))),
])
def test_a_user_to_seed_is_email_password_and_groups(spec, expected):
    user = parse_user(spec)

    assert (user.email, user.name, user.password, user.groups) == expected


@pytest.mark.parametrize("spec", ["sam@firm.example", "sam@firm.example:Sam-local-1234", "firm.example:Pw-1234567890:admins",
                                  ":Sam-local-1234:recruiters", "sam@firm.example::recruiters"])
def test_a_user_to_seed_that_is_not_email_password_group_is_refused(spec):
    with pytest.raises(ValueError, match="email:password:group"):
        parse_user(spec)


def _start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """`python -m local.server` as `make run` starts it, with ``args``; its lines up to "Ctrl-C" (or its exit)."""
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0", "--quiet", *args],  # noqa: S603
                               cwd=provision.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Ctrl-C"):
            break
    return process, "".join(lines)


def test_make_run_seeds_the_users_it_is_given_prints_them_and_each_signs_in():
    # Given `make run` with one more user in LOCAL_USERS and one more by --user
    process, text = _start("--user", "alex.morgan@firm.example:Alex-local-1234:admins",
                           env={"LOCAL_USERS": "sam.lee@firm.example:Sam-local-1234:recruiters"})
    try:
        endpoint = re.search(r"firm sign-in\s+(http://\S+/_local/cognito-idp), app client (\S+)", text)
        assert endpoint, text
        sign_ins = re.findall(r"firm sign-in\s+(\S+@\S+) / (\S+)\s+\((\w+)\)", text)

        # When each printed sign-in signs in at the printed endpoint
        claims = {email: claims_of(_initiate(endpoint.group(1), endpoint.group(2), email, password))
                  for email, password, _ in sign_ins}
    finally:
        process.terminate()
        process.wait(timeout=10)

    # Then the seeded recruiter and admin are there, then the two given, each in their group, named from their email
    assert [email for email, _, _ in sign_ins] == [RECRUITER.email, ADMIN.email, "sam.lee@firm.example",
                                                   "alex.morgan@firm.example"]
    assert claims["sam.lee@firm.example"]["cognito:groups"] == ["recruiters"]
    assert claims["alex.morgan@firm.example"]["cognito:groups"] == ["admins"]
    assert claims["alex.morgan@firm.example"]["name"] == "Alex Morgan"
    assert re.search(r"user pool\s+\S+_\S+ on moto", text), text


@pytest.mark.parametrize(("spec", "says"), [
    ("sam@firm.example:Sam-local-1234:managers", "no group managers"),
    ("sam@firm.example:short:recruiters", "sam@firm.example"),
])
def test_a_user_the_pool_refuses_stops_make_run_with_one_line_naming_them(spec, says):
    process, text = _start("--user", spec)
    code = process.wait(timeout=30)

    assert code == 2
    assert text.strip().count("\n") == 0 and text.startswith("error: user ") and says in text, text
