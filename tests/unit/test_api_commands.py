"""The API maps each validated request to a domain command, and each domain error to one status."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from followup.api.requests import DecisionRequest, InterviewSubmission, InterviewUpdate
from followup.domain import errors
from followup.usecases.submission import fingerprint

ROOT = Path(__file__).resolve().parents[2]
BODY = json.loads(json.loads((ROOT / "events" / "submit_interview.json").read_text())["body"])


@pytest.fixture(scope="module")
def api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_app_under_test", ROOT / "functions" / "api" / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_submissions_fingerprint_is_the_same_from_the_command_as_from_the_request(api):
    # Idempotency records written before the service took commands hold the request's digest.
    request = InterviewSubmission.model_validate({**BODY, "channels": ["sms", "email"]})

    command = api.submit_command(request)

    # The fields added since (preferred_name, locale) count only when given.
    earlier = request.model_dump_json(exclude={"candidate": {"preferred_name", "locale"}})
    assert fingerprint(command) == hashlib.sha256(earlier.encode()).hexdigest()
    given = InterviewSubmission.model_validate({**BODY, "candidate": {**BODY["candidate"], "locale": "en-GB"}})
    with_locale = given.model_dump_json(exclude={"candidate": {"preferred_name"}})
    assert '"locale":"en-GB"' in with_locale
    assert fingerprint(api.submit_command(given)) == hashlib.sha256(with_locale.encode()).hexdigest()
    assert command.channels == ["email", "sms"]


def test_an_edit_names_the_fields_given_and_only_the_candidates_fields_given(api):
    patch = InterviewUpdate.model_validate({"role": "Lead", "candidate": {"phone": "+44 20 7946 0958", "email": None}})

    command = api.edit_command(patch)

    assert command.given == {"role", "candidate"}
    assert command.candidate == {"phone": "+442079460958", "email": None}
    assert (command.role, command.company, command.interview_at) == ("Lead", None, None)


def test_a_decision_keeps_its_people(api):
    request = DecisionRequest.model_validate({"outcome": "offer", "supervisor": {"name": "Marcus Chen"}})

    command = api.decision_command(request)

    assert (command.outcome, command.hiring_manager, command.supervisor.name) == ("offer", None, "Marcus Chen")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.InvalidFields(), 422),
        (errors.IdempotencyKeyReused(), 422),
        (errors.Unauthorized(), 401),
        (errors.InterviewNotFound(), 404),
        (errors.Conflict(), 409),
        (errors.AlreadyDecided(), 409),
        (errors.ConcurrentModification(), 409),
        (errors.FollowUpError(), 500),
    ],
)
def test_each_domain_error_answers_its_status_with_its_message_and_fields(api, error, status):
    error.fields = [("company", "is wrong")]

    answer = api.domain_error(error)

    assert answer.status_code == status
    assert json.loads(answer.body) == {"message": error.message, "errors": [{"field": "company", "message": "is wrong"}]}
