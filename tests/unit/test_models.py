"""Validation of what the API accepts: field rules in the models, cross-field rules in check_contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from followup.errors import InvalidFields
from followup.requests import CandidateIn, InterviewSubmission, InterviewUpdate
from followup.tokens import MANAGE_TOKEN_LIFETIME, grant_for, interview_id_of, mint
from followup.transitions import check_contact

VALID = {
    "candidate": {"name": "Jordan Rivera", "email": "jordan@example.com", "phone": "+44 20 7946 0958",
                  "time_zone": "Europe/London"},
    "channels": ["sms", "email"],
    "sms_consent": True,
    "company": "Globex",
    "role": "Analyst",
    "interviewer": {"name": "Dana Whitfield"},
    "interview_at": "2026-03-10T14:00:00",
}


def locations(exc: ValidationError) -> list[tuple]:
    return [e["loc"] for e in exc.errors()]


def test_a_phone_number_is_normalised_to_e164():
    submission = InterviewSubmission.model_validate(VALID)

    assert submission.candidate.phone == "+442079460958"


def test_channels_are_kept_sorted_and_expected_days_default_to_seven():
    submission = InterviewSubmission.model_validate(VALID)

    assert submission.channels == ["email", "sms"]
    assert submission.expected_decision_days == 7


def test_an_interview_time_without_offset_stays_naive_for_the_service_to_place_in_the_candidates_zone():
    submission = InterviewSubmission.model_validate(VALID)

    assert submission.interview_at == datetime(2026, 3, 10, 14, 0)


@pytest.mark.parametrize("zone", ["Mars/Base", "posixrules", "Europe/Lond0n", "../../etc/passwd", ""])
def test_a_time_zone_must_be_an_iana_name(zone):
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "J", "time_zone": zone})

    assert locations(caught.value) == [("time_zone",)]


@pytest.mark.parametrize("phone", ["020 7946 0958", "+1 555", "+999123456789", "phone"])
def test_a_phone_must_be_a_valid_international_number(phone):
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "J", "phone": phone, "time_zone": "UTC"})

    assert locations(caught.value) == [("phone",)]


def test_unknown_fields_are_refused_at_every_level():
    body = {**VALID, "candidate": {**VALID["candidate"], "age": 30}, "source": "web"}

    with pytest.raises(ValidationError) as caught:
        InterviewSubmission.model_validate(body)

    assert sorted(locations(caught.value)) == [("candidate", "age"), ("source",)]


def test_an_edit_may_leave_fields_out_but_not_null_them():
    assert InterviewUpdate.model_validate({}).model_fields_set == set()

    with pytest.raises(ValidationError) as caught:
        InterviewUpdate.model_validate({"company": None})

    assert locations(caught.value) == [("company",)]


def test_cross_field_rules_name_each_missing_contact_and_the_consent():
    submission = InterviewSubmission.model_validate(
        {**VALID, "candidate": {"name": "J", "time_zone": "UTC"}, "sms_consent": False}
    )

    with pytest.raises(InvalidFields) as caught:
        check_contact(submission.candidate, submission.channels, submission.sms_consent)

    assert [f for f, _ in caught.value.fields] == ["candidate.email", "candidate.phone", "sms_consent"]


def test_a_token_names_its_interview_and_holds_only_its_own_grant():
    now = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    token, grant = mint("abc123def456", "manage", now, "email")
    _, other = mint("abc123def456", "unsubscribe", now)

    assert interview_id_of(token) == "abc123def456"
    assert grant_for([other, grant], token, "manage", now) == grant
    assert grant_for([other, grant], token + "x", "manage", now) is None
    assert grant_for([], token, "manage", now) is None


def test_a_token_of_one_kind_does_not_pass_for_the_other():
    now = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    manage, manage_grant = mint("abc123def456", "manage", now, "sms")
    unsubscribe, unsubscribe_grant = mint("abc123def456", "unsubscribe", now)
    grants = [manage_grant, unsubscribe_grant]

    assert grant_for(grants, manage, "unsubscribe", now) is None
    assert grant_for(grants, unsubscribe, "manage", now) is None


def test_a_manage_token_expires_thirty_days_after_it_was_issued():
    issued = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    token, grant = mint("abc123def456", "manage", issued, "email")

    assert grant_for([grant], token, "manage", issued + MANAGE_TOKEN_LIFETIME - timedelta(seconds=1)) == grant
    assert grant_for([grant], token, "manage", issued + MANAGE_TOKEN_LIFETIME) is None
