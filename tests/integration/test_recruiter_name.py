"""A recruiter's name signs their candidates' messages only as plain text: the name comes from the recruiter's
Cognito profile, and a name that reads as a link or a phone number would go out under the firm's sender."""

from __future__ import annotations

import json

import pytest

from tests.conftest import load_event
from tests.integration.harness import body_part, call_api, emails, firm_claims

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])
EMAIL_ONLY = {**SUBMISSION, "channels": ["email"], "sms_consent": False}


@pytest.mark.parametrize("name", [
    "verify payroll at https://evil.example/login",
    "Riley (payroll: evil[.]example)",
    "Call +1 415 555 0100 today",
    "Riley\u202eemaN",
])
def test_a_recruiter_name_that_is_not_plain_text_signs_nothing_and_the_firm_signs_alone(aws_env, name):
    answer = call_api("POST", "/firm/interviews", body=EMAIL_ONLY, claims=firm_claims("rec-1", name=name))

    [message] = emails()
    text = body_part(message, "plain") + body_part(message, "html")
    assert answer.status == 202, answer.text
    assert "evil" not in text and "415 555 0100" not in text and "\u202e" not in text
    assert "We were asked to remind you of" in text


def test_a_plain_recruiter_name_signs_the_confirmation(aws_env):
    call_api("POST", "/firm/interviews", body=EMAIL_ONLY, claims=firm_claims("rec-1", name="Priya  Natarajan"))

    [message] = emails()
    assert "Priya Natarajan at Acme Staffing enrolled you" in " ".join(body_part(message, "plain").split())
