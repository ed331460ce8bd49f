"""`make run`'s users of the firm: the seeded sign-ins it prints, the users it is given, and the README's
`aws cognito-idp` commands that make one more on the local stack.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore import xform_name

from local import provision
from local.client import request
from local.cognito import parse_user
from local.environment import REGION
from tests.e2e.sign_in_parts import (  # noqa: F401 - the fixture stack_fixture
    ADMIN,
    RECRUITER,
    TARGET,
    claims_of,
    stack_fixture,
)

pytestmark = pytest.mark.e2e

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
