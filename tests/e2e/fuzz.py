"""schemathesis over the local stack's /openapi.json, anonymous, with a live manage token, and over the firm's
routes (``/firm/``) signed in as a recruiter and as an admin (ID tokens from the local Cognito): the runs that
``tests/e2e/test_fuzz.py`` (bounded) and ``make fuzz`` (``python -m tests.e2e.fuzz N``, larger) make.

Only the check that matters here: no answer is a server error (5xx), whatever a client sends: generated
bodies, parameters, content types and methods outside the document included.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from local.client import request, spawn
from tests.integration.forms import sample_submission

SUBMISSION = sample_submission()  # events/submit_interview.json's body


@dataclass
class FuzzRun:
    who: str
    returncode: int
    generated: int
    output: str


FIRM_ROUTES = "^/firm/"  # the operations a signed-in member of the firm can reach past the authorizer


@dataclass(frozen=True)
class FuzzSpec:
    """One schemathesis run to make: as whom (a token or none), and which operations (``paths``: a regular
    expression on their paths; None: all)."""

    who: str
    token: str | None = None
    paths: str | None = None


def fuzz_together(base_url: str, specs: list[FuzzSpec], *, max_examples: int, seed: int | None = None) -> list[FuzzRun]:
    """The runs of ``specs`` at once, against the one stack (each its own schemathesis process, so their
    generation shares the machine's cores while the stack answers one request at a time, as it always does)."""
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a cache in its working directory
        started = []
        for n, spec in enumerate(specs):
            folder = Path(scratch) / str(n)
            folder.mkdir()
            started.append(subprocess.Popen(_command(base_url, spec, max_examples, seed), cwd=folder,  # noqa: S603
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        runs = []
        for spec, process in zip(specs, started, strict=True):
            out, err = process.communicate(timeout=900)
            found = re.search(r"(\d+) generated", out)
            runs.append(FuzzRun(spec.who, process.returncode, int(found.group(1)) if found else 0, out + err))
    return runs


def _command(base_url: str, spec: FuzzSpec, max_examples: int, seed: int | None) -> list[str]:
    command = [str(Path(sys.executable).with_name("st")), "run", f"{base_url}/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", str(max_examples), "--continue-on-failure",
               "--no-color", "--workers", "1"]
    if spec.paths:
        command += ["--include-path-regex", spec.paths]
    # A seed makes the run repeatable (the test suite's); without one each run explores anew (make fuzz).
    command += ["--seed", str(seed), "--generation-deterministic"] if seed is not None else ["--generation-database",
                                                                                             "none"]
    if spec.token:
        command += ["--header", f"Authorization: Bearer {spec.token}"]
    return command


# Both limits lifted: the fuzzer submits far more than a candidate would, from one address to one destination.
SETTINGS = {"SUBMISSIONS_PER_HOUR_PER_CLIENT": "1000000", "CONFIRMATIONS_PER_DAY_PER_DESTINATION": "1000000"}
MANAGE_LINK = re.compile(r"/manage/([0-9a-f]+)\?token=([0-9a-f]+\.[A-Za-z0-9_-]+)")


def live_token(base_url: str) -> str:
    """A confirmed interview's manage token, got as the candidate gets it: from the confirmation email."""
    submitted = request("POST", f"{base_url}/interviews", body=SUBMISSION)
    assert submitted.status == 202, submitted.text
    interview_id = submitted.json()["id"]
    emails = request("GET", f"{base_url}/_local/outbox").json()["emails"]
    token = next(match.group(2) for email in reversed(emails) for match in MANAGE_LINK.finditer(email["text"])
                 if match.group(1) == interview_id)
    confirmed = request("POST", f"{base_url}/interviews/{interview_id}/confirm",
                        headers={"Authorization": f"Bearer {token}"})
    assert confirmed.status == 200, confirmed.text
    return token


def firm_token(base_url: str, client_id: str, group: str) -> str:
    """The ID token of a seeded user of ``group``, got as the firm's page gets it: InitiateAuth through
    /_local/cognito-idp."""
    import json

    from local.cognito import SEEDED

    user = next(user for user in SEEDED if group in user.groups)
    answer = request("POST", f"{base_url}/_local/cognito-idp", body=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": user.email, "PASSWORD": user.password}}).encode(),
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                 "Content-Type": "application/x-amz-json-1.1"})
    assert answer.status == 200, answer.text
    return answer.json()["AuthenticationResult"]["IdToken"]


def recruiter_token(base_url: str, client_id: str) -> str:
    """A seeded recruiter's ID token."""
    return firm_token(base_url, client_id, "recruiters")


def admin_token(base_url: str, client_id: str) -> str:
    """A seeded admin's ID token."""
    return firm_token(base_url, client_id, "admins")


def firm_specs(base_url: str, client_id: str) -> list[FuzzSpec]:
    """The firm's routes signed in as a recruiter, then as an admin (who may list anyone's, or read the report).
    Only /firm/: the candidate's routes answer a firm token 401 or 404, and the other runs cover them."""
    return [FuzzSpec(who, get(base_url, client_id), FIRM_ROUTES)
            for who, get in (("signed in as a recruiter", recruiter_token), ("signed in as an admin", admin_token))]


def all_specs(base_url: str) -> list[FuzzSpec]:
    """Every run: anonymous, with a live manage token, and the firm's routes as a recruiter and as an admin."""
    client_id = request("GET", f"{base_url}/_local/sign-in").json()["client_id"]
    return [FuzzSpec("anonymous"), FuzzSpec("with a live token", live_token(base_url)), *firm_specs(base_url, client_id)]


def main(max_examples: int) -> int:
    from datetime import UTC, datetime

    with spawn(start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC), settings=SETTINGS) as base_url:
        runs = fuzz_together(base_url, all_specs(base_url), max_examples=max_examples)
    for run in runs:
        print(run.output)
    for run in runs:
        print(f"fuzz {run.who}: {run.generated} requests, {'no server error' if run.returncode == 0 else 'FAILED'}")
    return max(run.returncode for run in runs)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
