"""template.yaml's sign-in: the firm's user pool, its app client and groups, the HTTP API's JWT authorizer on
the /firm/... JSON routes, and the same pool on moto (local/cognito.py)."""

from __future__ import annotations

import copy
import re
from typing import Any

import boto3
import pytest

from local.authorizer import Route, match, routes

POOL, CLIENT, AUTHORIZER = "FirmUserPool", "FirmUserPoolClient", "FirmAuthorizer"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method"}
# The page's HTML holds no data: its routes (with and without the slash) are the /firm routes without the authorizer.
FIRM_PAGES = {"GET /firm/", "GET /firm"}


def pool(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"][POOL]


def client(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"][CLIENT]["Properties"]


def authorizer(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]["HttpApi"]["Properties"]["Auth"]["Authorizers"][AUTHORIZER]


# ------------------------------------------------------------ the pool, the client, the groups


def test_only_an_admin_creates_users_nobody_signs_up(template):
    properties = pool(template)["Properties"]

    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties["UsernameAttributes"] == ["email"]


def test_passwords_are_twelve_characters_or_more_of_every_kind(template):
    policy = pool(template)["Properties"]["Policies"]["PasswordPolicy"]

    assert policy["MinimumLength"] >= 12
    assert all(policy[kind] is True for kind in
               ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"))
    assert policy["TemporaryPasswordValidityDays"] <= 7


def test_the_pool_survives_a_stack_deletion_and_a_replacement(template):
    resource = pool(template)

    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    assert resource["Properties"]["DeletionProtection"] == "ACTIVE"


def test_the_pages_client_is_public_signs_in_by_password_and_hides_who_has_an_account(template):
    properties = client(template)

    assert properties["UserPoolId"] == {"Ref": POOL}
    assert properties["GenerateSecret"] is False  # it runs in the browser: a secret there is no secret
    assert sorted(properties["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    assert properties["PreventUserExistenceErrors"] == "ENABLED"


def test_an_id_token_lasts_an_hour_at_most_and_carries_who_signed_in(template):
    properties = client(template)
    minutes = {"minutes": 1, "hours": 60, "days": 1440}[properties["TokenValidityUnits"]["IdToken"]]

    assert properties["IdTokenValidity"] * minutes <= 60
    assert {"email", "name"} <= set(properties["ReadAttributes"])


def test_a_signed_in_user_cannot_write_their_own_name_or_email_only_an_admin_can(template):
    # Given the page's app client (a user's access token may call UpdateUserAttributes on its behalf)
    properties = client(template)
    write = properties.get("WriteAttributes")

    # Then it lists what a user may write (Cognito reads an absent or empty list as "every standard
    # attribute"), never who they are nor whether their address is verified, and only what the client reads
    assert write, "no WriteAttributes: every standard attribute, name and email included, is writable by its user"
    assert not {"name", "email", "email_verified", "phone_number", "phone_number_verified"} & set(write)
    assert set(write) <= set(properties["ReadAttributes"])


def test_the_groups_are_recruiters_and_admins_of_the_firms_pool(template):
    groups = {r["Properties"]["GroupName"]: r["Properties"] for r in template["Resources"].values()
              if r["Type"] == "AWS::Cognito::UserPoolGroup"}

    assert sorted(groups) == ["admins", "recruiters"]
    assert all(g["UserPoolId"] == {"Ref": POOL} for g in groups.values())


# ------------------------------------------------------------ the authorizer


def test_the_authorizer_trusts_the_firms_pool_for_the_pages_client_by_the_authorization_header(template):
    spec = authorizer(template)
    issuer = spec["JwtConfiguration"]["issuer"]["Fn::Sub"]

    assert spec["IdentitySource"] == "$request.header.Authorization"
    assert issuer == "https://cognito-idp.${AWS::Region}.amazonaws.com/${FirmUserPool}"
    assert spec["JwtConfiguration"]["audience"] == [{"Ref": CLIENT}]


def test_the_transform_gives_the_http_api_the_jwt_authorizer(transformed_template):
    (api,) = [r for r in transformed_template["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    scheme = api["Properties"]["Body"]["components"]["securitySchemes"][AUTHORIZER]["x-amazon-apigateway-authorizer"]

    assert scheme["type"] == "jwt"
    assert scheme["identitySource"] == "$request.header.Authorization"
    assert scheme["jwtConfiguration"]["audience"] == [{"Ref": CLIENT}]


def firm_route_problems(template: dict[str, Any]) -> list[str]:
    """Every /firm/ JSON route must name FirmAuthorizer in its event, and its path in the API body must be
    secured by it (SAM copies the event's Auth into the body); the page's route must name none."""
    problems = []
    body = template["Resources"]["HttpApi"]["Properties"]["DefinitionBody"]["paths"]
    for route in routes(template):
        if not route.path.startswith("/firm"):
            continue
        wanted = None if route.key in FIRM_PAGES else AUTHORIZER
        if route.authorizer != wanted:
            problems.append(f"{route.key}: its event names {route.authorizer}, not {wanted}")
        operation = body.get(route.path, {}).get(route.method.lower(), {})
        secured = [name for requirement in operation.get("security", []) for name in requirement]
        if wanted and secured not in ([], [AUTHORIZER]):
            problems.append(f"{route.key}: the API body secures it with {secured}")
    return problems


def test_every_firm_json_route_is_behind_the_authorizer_and_the_page_is_not(template):
    assert firm_route_problems(template) == []


@pytest.mark.parametrize(("auth", "expected"), [
    (None, ["GET /firm/interviews: its event names None, not FirmAuthorizer"]),
    ({"Authorizer": "NONE"}, ["GET /firm/interviews: its event names None, not FirmAuthorizer"]),
    ({"Authorizer": AUTHORIZER}, []),
])
def test_a_firm_route_added_without_the_authorizer_is_caught(template, auth, expected):
    changed = copy.deepcopy(template)
    event = {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": "GET", "Path": "/firm/interviews"}}
    if auth is not None:
        event["Properties"]["Auth"] = auth
    changed["Resources"]["ApiFunction"]["Properties"]["Events"]["ListFirmInterviews"] = event

    assert firm_route_problems(changed) == expected


def test_the_transformed_api_secures_every_firm_json_route_with_the_authorizer(transformed_template):
    # Given the HTTP API as deployed (SAM copies each event's Auth into the body's operations)
    (api,) = [r for r in transformed_template["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    operations = {f"{method.upper()} {path}": operation
                  for path, methods in api["Properties"]["Body"]["paths"].items()
                  for method, operation in methods.items() if method in HTTP_METHODS}

    # When the /firm/ routes' security is read
    secured = {key: op.get("security") for key, op in operations.items() if key.split(" ")[1].startswith("/firm")}

    # Then each JSON route requires FirmAuthorizer, and no route outside /firm/ does
    assert all(security == [{AUTHORIZER: []}] for key, security in secured.items() if key not in FIRM_PAGES), secured
    assert not [key for key, op in operations.items() if op.get("security") and key not in secured]


def test_the_api_function_is_told_the_pool_the_client_and_the_sign_in_endpoint(template, function_environment):
    env = function_environment(template, "ApiFunction")

    assert env["USER_POOL_ID"] == {"Ref": POOL}
    assert env["USER_POOL_CLIENT_ID"] == {"Ref": CLIENT}
    assert env["COGNITO_IDP_ENDPOINT"] == {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/"}
    assert {o["Value"].get("Ref") for o in template["Outputs"].values()} >= {POOL, CLIENT}


# ------------------------------------------------------------ route matching as API Gateway matches


ROUTES = [Route("GET", "/firm/interviews", "A"), Route("GET", "/firm/interviews/{id}", "A"),
          Route("POST", "/firm/interviews/{id}/decision", "A"), Route("GET", "/firm/", None),
          Route("GET", "/static/{name}", None), Route("ANY", "/files/{proxy+}", "A"), Route("GET", "/files/a", None)]


@pytest.mark.parametrize(("method", "path", "key"), [
    ("GET", "/firm/interviews", "GET /firm/interviews"),
    ("GET", "/firm/interviews/abc", "GET /firm/interviews/{id}"),
    ("POST", "/firm/interviews/abc/decision", "POST /firm/interviews/{id}/decision"),
    ("PUT", "/firm/interviews/abc/decision", None),
    ("GET", "/firm/interviews/abc/extra", None),
    ("GET", "/firm/", "GET /firm/"),
    ("GET", "/files/a", "GET /files/a"),
    ("GET", "/files/a/b", "ANY /files/{proxy+}"),
    ("DELETE", "/files/a", "ANY /files/{proxy+}"),
])
def test_a_request_is_matched_to_the_route_api_gateway_would_pick(method, path, key):
    found = match(ROUTES, method, path)

    assert (found.key if found else None) == key


# ------------------------------------------------------------ the same pool on moto


def test_moto_holds_the_templates_pool_client_and_groups(aws_env, template):
    cognito = boto3.client("cognito-idp", region_name=aws_env.region)
    described = cognito.describe_user_pool(UserPoolId=aws_env.sign_in.user_pool_id)["UserPool"]
    app = cognito.describe_user_pool_client(UserPoolId=aws_env.sign_in.user_pool_id,
                                            ClientId=aws_env.sign_in.client_id)["UserPoolClient"]
    groups = cognito.list_groups(UserPoolId=aws_env.sign_in.user_pool_id)["Groups"]

    assert described["Policies"] == pool(template)["Properties"]["Policies"]
    assert described["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert app["ExplicitAuthFlows"] == client(template)["ExplicitAuthFlows"]
    assert app["PreventUserExistenceErrors"] == "ENABLED"
    assert "ClientSecret" not in app
    assert sorted(g["GroupName"] for g in groups) == ["admins", "recruiters"]


def test_moto_refuses_a_password_the_templates_policy_refuses(aws_env):
    cognito = boto3.client("cognito-idp", region_name=aws_env.region)
    cognito.admin_create_user(UserPoolId=aws_env.sign_in.user_pool_id, Username="a@example.com",
                              MessageAction="SUPPRESS")

    with pytest.raises(cognito.exceptions.InvalidPasswordException):
        cognito.admin_set_user_password(UserPoolId=aws_env.sign_in.user_pool_id, Username="a@example.com",
                                        Password="Short-1a", Permanent=True)


def test_the_local_sign_in_endpoint_replaces_only_the_cognito_endpoint(aws_env):
    import os

    assert os.environ["COGNITO_IDP_ENDPOINT"].endswith("/_local/cognito-idp")
    assert os.environ["USER_POOL_ID"] == aws_env.sign_in.user_pool_id
    assert re.fullmatch(r"[a-z0-9]+", os.environ["USER_POOL_CLIENT_ID"])


def test_claims_reach_the_event_as_http_api_writes_them():
    from local.authorizer import authorizer_context

    context = authorizer_context({"sub": "abc", "cognito:groups": ["admins", "recruiters"], "exp": 1795653411,
                                  "email_verified": True, "email": "a@example.com"})

    assert context == {"jwt": {"claims": {"sub": "abc", "cognito:groups": "[admins recruiters]", "exp": "1795653411",
                                          "email_verified": "true", "email": "a@example.com"}, "scopes": None}}
