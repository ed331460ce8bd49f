"""The page's Cognito endpoint on the local stack (/_local/cognito-idp): the flows the app client allows, the
answers Cognito would give to what it refuses, never a server error.
"""

from __future__ import annotations

import json

import pytest

from local.client import request
from tests.e2e.sign_in_parts import (  # noqa: F401 - the fixture stack_fixture
    ADMIN,
    RECRUITER,
    TARGET,
    claims_of,
    stack_fixture,
)

pytestmark = pytest.mark.e2e

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


