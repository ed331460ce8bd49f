"""schemathesis over the local stack's /openapi.json, anonymous and with a live manage token: the runs that
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


def fuzz(base_url: str, *, max_examples: int, token: str | None, seed: int | None = None) -> FuzzRun:
    command = [str(Path(sys.executable).with_name("st")), "run", f"{base_url}/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", str(max_examples), "--continue-on-failure",
               "--no-color", "--workers", "1"]
    # A seed makes the run repeatable (the test suite's); without one each run explores anew (make fuzz).
    command += ["--seed", str(seed), "--generation-deterministic"] if seed is not None else ["--generation-database",
                                                                                             "none"]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a cache in its working directory
        done = subprocess.run(command, cwd=scratch, capture_output=True, text=True, check=False,  # noqa: S603
                              timeout=900)
    found = re.search(r"(\d+) generated", done.stdout)
    return FuzzRun("with a live token" if token else "anonymous", done.returncode,
                   int(found.group(1)) if found else 0, done.stdout + done.stderr)


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


def recruiter_token(base_url: str, client_id: str) -> str:
    """A seeded recruiter's ID token, got as the firm's page gets it: InitiateAuth through /_local/cognito-idp."""
    import json

    from local.cognito import SEEDED

    recruiter = next(user for user in SEEDED if "recruiters" in user.groups)
    answer = request("POST", f"{base_url}/_local/cognito-idp", body=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": recruiter.email, "PASSWORD": recruiter.password}}).encode(),
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                 "Content-Type": "application/x-amz-json-1.1"})
    assert answer.status == 200, answer.text
    return answer.json()["AuthenticationResult"]["IdToken"]


def main(max_examples: int) -> int:
    from datetime import UTC, datetime

    with spawn(start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC), settings=SETTINGS) as base_url:
        runs = [fuzz(base_url, max_examples=max_examples, token=token) for token in (None, live_token(base_url))]
    for run in runs:
        print(run.output)
    for run in runs:
        print(f"fuzz {run.who}: {run.generated} requests, {'no server error' if run.returncode == 0 else 'FAILED'}")
    return max(run.returncode for run in runs)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
