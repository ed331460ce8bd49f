"""The firm's sign-in on the local stack: moto's Cognito, set up as template.yaml declares it, and a proxy
that answers the browser's Cognito calls as Cognito would.

- ``provision_sign_in``: the user pool, its app client and its groups, each created with the template's own
  properties (``FirmUserPool``, ``FirmUserPoolClient``, every ``AWS::Cognito::UserPoolGroup``), passed to
  the API under the names the API takes (botocore's model says which), so the password policy, the
  admin-only sign-up, the auth flows and the attributes the ID token carries are the deployed ones.
- ``seed_users``: one recruiter and one admin with permanent passwords (``SEEDED``), local only, printed by
  ``make run``, and any more it is given (``parse_user``: ``email:password:group``, ``make run``'s
  ``LOCAL_USERS`` and ``python -m local.server --user``);
- ``CognitoProxy``: ``POST /_local/cognito-idp`` (local/web.py) forwards ``InitiateAuth`` and
  ``RespondToAuthChallenge`` (JSON 1.1, ``X-Amz-Target``) to moto's server and answers with its status and
  JSON, ``__type`` errors included; any other operation is a 400. Two client settings moto does not enforce
  are enforced here: an auth flow the client does not allow is refused as Cognito refuses it, and with
  ``PreventUserExistenceErrors: ENABLED`` an unknown user is answered as a wrong password. A call Cognito
  would refuse before acting on it (a member of the wrong JSON type for botocore's model of the operation, a
  required member missing, an auth flow without its parameters) is Cognito's 400 ``InvalidParameterException``
  here too, never handed to moto, whose answer to it is an HTML 500; anything else moto fails on is a JSON 500.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

POOL = "FirmUserPool"
CLIENT = "FirmUserPoolClient"
GROUP_TYPE = "AWS::Cognito::UserPoolGroup"
SERVICE = "AWSCognitoIdentityProviderService"
FORWARDED = frozenset({"InitiateAuth", "RespondToAuthChallenge"})
JSON_11 = "application/x-amz-json-1.1"
# CloudFormation property -> API parameter, where the two differ.
RENAMED = {"UserPoolName": "PoolName"}
# Set from the local stack's own names, never copied from the template.
OWN = {"PoolName", "UserPoolId", "ClientName"}
# What Cognito requires of each auth flow and challenge the page uses ("Missing required parameter USERNAME").
AUTH_PARAMETERS = {"USER_PASSWORD_AUTH": ("USERNAME", "PASSWORD"), "REFRESH_TOKEN_AUTH": ("REFRESH_TOKEN",),
                   "REFRESH_TOKEN": ("REFRESH_TOKEN",)}
CHALLENGE_RESPONSES = {"NEW_PASSWORD_REQUIRED": ("USERNAME", "NEW_PASSWORD")}
# botocore's shape types -> the JSON types that carry them
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,), "map": (dict,), "list": (list,), "string": (str,), "blob": (str,), "boolean": (bool,),
    "integer": (int,), "long": (int,), "float": (int, float), "double": (int, float), "timestamp": (int, float, str),
}


class UserRefused(ValueError):
    """A user to seed that the pool cannot take."""


@dataclass(frozen=True)
class SeededUser:
    email: str
    name: str
    password: str  # local only: moto holds it, `make run` prints it
    groups: tuple[str, ...]


SEEDED: tuple[SeededUser, ...] = (
    SeededUser("recruiter@example.com", "Riley Recruiter", "Recruiter-local-1", ("recruiters",)),
    SeededUser("admin@example.com", "Avery Admin", "Admin-local-12", ("admins",)),
)


def parse_user(spec: str) -> SeededUser:
    """``email:password:group[,group]`` as a user to seed; the password may hold colons, and the name is the
    email's local part in words (``alex.morgan@firm.example``: Alex Morgan)."""
    email, _, rest = spec.strip().partition(":")
    password, _, groups = rest.rpartition(":")
    names = tuple(group.strip() for group in groups.split(",") if group.strip())
    if email.count("@") != 1 or not email.partition("@")[0] or not email.partition("@")[2] or not password or not names:
        raise ValueError(f"{spec!r} is not email:password:group (e.g. alex@firm.example:Alex-local-123:recruiters)")
    words = email.partition("@")[0].replace("_", ".").replace("-", ".").replace("+", ".").split(".")
    return SeededUser(email, " ".join(word.capitalize() for word in words if word) or email, password, names)


@dataclass(frozen=True)
class SignIn:
    """What ``provision_sign_in`` made: ``!Ref FirmUserPool``, ``!Ref FirmUserPoolClient``, the groups."""

    user_pool_id: str
    client_id: str
    groups: dict[str, str]  # logical id -> group name (what !Ref of a UserPoolGroup answers)
    client_settings: dict[str, Any]  # the app client as created (ExplicitAuthFlows, PreventUserExistenceErrors...)


def _properties(template: Mapping[str, Any], logical_id: str) -> dict[str, Any]:
    return dict(template["Resources"][logical_id].get("Properties") or {})


def api_arguments(client: Any, operation: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """``properties`` (CloudFormation's names) as ``operation``'s parameters: renamed where the names differ,
    and only the parameters the API takes (tags, for one, are not), except the ones this module sets."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    arguments = {RENAMED.get(name, name): value for name, value in properties.items()}
    return {name: value for name, value in arguments.items() if name in members and name not in OWN}


def provision_sign_in(session: Any, template: Mapping[str, Any], *, prefix: str, region: str) -> SignIn:
    """The template's user pool, app client and groups, created on moto through ``session``."""
    cognito = session.client("cognito-idp", region_name=region)
    pool_id = cognito.create_user_pool(
        PoolName=f"{prefix}-firm", **api_arguments(cognito, "CreateUserPool", _properties(template, POOL))
    )["UserPool"]["Id"]
    client_properties = _properties(template, CLIENT)
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=str(client_properties.get("ClientName") or "firm-page"),
        **api_arguments(cognito, "CreateUserPoolClient", client_properties),
    )["UserPoolClient"]
    groups: dict[str, str] = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != GROUP_TYPE:
            continue
        properties = _properties(template, logical_id)
        if properties.get("UserPoolId") != {"Ref": POOL}:
            continue
        cognito.create_group(UserPoolId=pool_id, **api_arguments(cognito, "CreateGroup", properties))
        groups[logical_id] = properties["GroupName"]
    return SignIn(pool_id, created["ClientId"], groups, created)


def seed_users(session: Any, sign_in: SignIn, *, region: str, users: tuple[SeededUser, ...] = SEEDED) -> None:
    """Each of ``users`` created by an admin (as the README's Deploy says), its password made permanent. A user
    the pool cannot take (a group it does not have, an email twice, a password its policy refuses) is a
    ``UserRefused`` naming them."""
    from botocore.exceptions import ClientError

    cognito = session.client("cognito-idp", region_name=region)
    emails = [user.email.lower() for user in users]
    for user in users:
        unknown = sorted(set(user.groups) - set(sign_in.groups.values()))
        if unknown:
            raise UserRefused(f"{user.email}: no group {', '.join(unknown)} in the pool "
                             f"(its groups: {', '.join(sorted(sign_in.groups.values()))})")
        if emails.count(user.email.lower()) > 1:
            raise UserRefused(f"{user.email}: given twice")
    for user in users:
        try:
            _create(cognito, sign_in, user)
        except ClientError as refused:
            raise UserRefused(f"{user.email}: {refused.response['Error'].get('Message') or refused}") from refused


def _create(cognito: Any, sign_in: SignIn, user: SeededUser) -> None:
    cognito.admin_create_user(
        UserPoolId=sign_in.user_pool_id,
        Username=user.email,
        UserAttributes=[{"Name": "email", "Value": user.email}, {"Name": "email_verified", "Value": "true"},
                        {"Name": "name", "Value": user.name}],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(UserPoolId=sign_in.user_pool_id, Username=user.email,
                                    Password=user.password, Permanent=True)
    for group in user.groups:
        cognito.admin_add_user_to_group(UserPoolId=sign_in.user_pool_id, Username=user.email, GroupName=group)


@cache
def _input_shape(operation: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("cognito-idp").operation_model(operation).input_shape


def _type_problems(value: Any, shape: Any, name: str) -> list[str]:
    """Where ``value`` is not what botocore's ``shape`` says (its JSON types, its required members)."""
    expected = JSON_TYPES.get(shape.type_name, (object,))
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        return [f"{name} must be a {shape.type_name}"]
    if shape.type_name == "structure":
        prefix = f"{name}." if name else ""
        missing = [f"Missing required parameter {prefix}{member}" for member in shape.required_members
                   if value.get(member) is None]
        return missing + [problem for member, item in value.items() if member in shape.members and item is not None
                          for problem in _type_problems(item, shape.members[member], f"{prefix}{member}")]
    if shape.type_name == "map":
        return [problem for key, item in value.items()
                for problem in _type_problems(item, shape.value, f"{name}.{key}")]
    if shape.type_name == "list":
        return [problem for index, item in enumerate(value)
                for problem in _type_problems(item, shape.member, f"{name}[{index}]")]
    return []


def _required(values: Any, names: tuple[str, ...]) -> list[str]:
    given = values if isinstance(values, dict) else {}
    return [f"Missing required parameter {name}" for name in names if not given.get(name)]


def invalid_parameters(operation: str, request: Mapping[str, Any]) -> list[str]:
    """Why Cognito refuses ``request`` before acting on it (an ``InvalidParameterException``); empty if it would not."""
    problems = _type_problems(dict(request), _input_shape(operation), "")
    if problems:
        return problems
    if operation == "InitiateAuth":
        return _required(request.get("AuthParameters"), AUTH_PARAMETERS.get(request["AuthFlow"], ()))
    if operation == "RespondToAuthChallenge":
        return _required(request.get("ChallengeResponses"), CHALLENGE_RESPONSES.get(request["ChallengeName"], ()))
    return []


def error(status: int, kind: str, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """An answer as Cognito writes its errors: ``{"__type": ..., "message": ...}``."""
    return status, [("Content-Type", JSON_11)], json.dumps({"__type": kind, "message": message}).encode()


class CognitoProxy:
    """Cognito's public sign-in endpoint, locally: two operations forwarded to moto's server."""

    def __init__(self, moto_url: str, sign_in: SignIn, *, timeout: float = 10) -> None:
        self.moto_url = moto_url.rstrip("/")
        self.sign_in = sign_in
        self.timeout = timeout

    def allowed_flows(self) -> set[str]:
        """The AuthFlow values InitiateAuth takes from this client (``ALLOW_X`` allows ``X``)."""
        allowed = {flow.removeprefix("ALLOW_") for flow in self.sign_in.client_settings.get("ExplicitAuthFlows", [])}
        if "REFRESH_TOKEN_AUTH" in allowed:
            allowed.add("REFRESH_TOKEN")  # Cognito's older name for the same flow
        return allowed

    def forward(self, headers: Mapping[str, str], body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        """One Cognito JSON 1.1 call: ``headers`` lower-case, ``body`` as the browser sent it."""
        target = headers.get("x-amz-target", "")
        service, _, operation = target.partition(".")
        if service != SERVICE or operation not in FORWARDED:
            return error(400, "UnknownOperationException",
                         "the local stack answers only InitiateAuth and RespondToAuthChallenge")
        try:
            request = json.loads(body or b"{}")
        except (UnicodeDecodeError, ValueError):
            return error(400, "SerializationException", "the body is not JSON")
        if not isinstance(request, dict):
            return error(400, "SerializationException", "the body is not a JSON object")
        if request.get("ClientId") == self.sign_in.client_id and operation == "InitiateAuth":
            flow = request.get("AuthFlow")
            if isinstance(flow, str) and flow not in self.allowed_flows():
                return error(400, "InvalidParameterException", f"{flow} flow not enabled for this client")
        problems = invalid_parameters(operation, request)
        if problems:
            return error(400, "InvalidParameterException", "; ".join(problems))
        status, payload = self._moto(target, json.dumps(request).encode())
        if status >= 500 or not _error_type(payload) and status != 200:
            return error(500, "InternalErrorException", "the local Cognito (moto) failed on this call")
        if (status == 400 and self.sign_in.client_settings.get("PreventUserExistenceErrors") == "ENABLED"
                and _error_type(payload) == "UserNotFoundException"):
            return error(400, "NotAuthorizedException", "Incorrect username or password.")
        return status, [("Content-Type", JSON_11)], payload

    def _moto(self, target: str, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - moto on loopback
            f"{self.moto_url}/", data=body, method="POST",
            headers={"X-Amz-Target": target, "Content-Type": JSON_11},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return answer.status, answer.read()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read()

    def jwks(self) -> dict[str, Any]:
        """The pool's JSON Web Key Set, where moto's server publishes it (as Cognito does, under the issuer)."""
        url = f"{self.moto_url}/{self.sign_in.user_pool_id}/.well-known/jwks.json"
        with urllib.request.urlopen(url, timeout=self.timeout) as answer:  # noqa: S310 - moto on loopback
            return json.loads(answer.read())


def _error_type(payload: bytes) -> str:
    try:
        kind = json.loads(payload).get("__type", "")
    except (ValueError, AttributeError):
        return ""
    return str(kind).rpartition("#")[2]
