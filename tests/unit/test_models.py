"""Validation of what the API accepts: field rules in the models, cross-field rules in check_contact."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from pydantic import ValidationError

from followup.api.requests import CandidateIn, InterviewSubmission, InterviewUpdate
from followup.domain.errors import InvalidFields
from followup.domain.field_rules import check_contact
from followup.domain.tokens import MANAGE_TOKEN_LIFETIME, grant_for, interview_id_of, mint

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


@pytest.mark.parametrize(
    "zone",
    ["UTC", "Etc/UTC", "Etc/GMT+5", "Etc/GMT-14", "GMT", "Factory", "EST5EDT", "CST6CDT", "PST8PDT", "EST", "HST",
     "CET", "WET", "Universal", "Zulu", "posixrules"],
)
def test_a_time_zone_of_no_place_is_refused_with_the_same_words(zone):
    # UTC, fixed offsets, System V rules and tzdata's placeholder: no morning, no public holidays, no place
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "J", "time_zone": zone})

    (problem,) = caught.value.errors()
    assert problem["loc"] == ("time_zone",)
    assert problem["msg"] == "Value error, must be an IANA time zone such as Europe/London"


def _tab_zones(name: str) -> set[str]:
    table = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}


def test_every_zone_of_a_place_is_accepted():
    # Given every zone of tzdata's zone.tab, and of zone1970.tab where it is installed (the layer strips it: its
    # zones are all in zone.tab)
    zones = _tab_zones("zone.tab")
    if resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").is_file():
        assert _tab_zones("zone1970.tab") <= zones
    assert len(zones) > 400

    # Then each is a candidate's zone
    refused = [zone for zone in sorted(zones) if not _accepted(zone)]
    assert refused == []


@pytest.mark.parametrize("alias", ["US/Eastern", "Asia/Calcutta", "America/Buenos_Aires", "Europe/Kiev", "Japan",
                                   "GB", "America/Montreal", "Canada/Newfoundland"])
def test_another_name_of_a_places_zone_is_accepted_and_kept_as_given(alias):
    candidate = CandidateIn.model_validate({"name": "J", "time_zone": alias})

    assert candidate.time_zone == alias


def test_a_zone_of_the_table_is_taken_without_reading_any_compiled_zone(monkeypatch):
    # Given the compiled zones unreadable (what the alias check reads)
    from followup.domain import locales

    monkeypatch.setattr(locales, "_zone_digest", lambda zone: pytest.fail(f"read {zone} for a zone of the table"))

    # Then a zone of zone.tab is accepted on the table alone
    assert CandidateIn.model_validate({"name": "J", "time_zone": "Europe/Lisbon"}).time_zone == "Europe/Lisbon"


def _accepted(zone: str) -> bool:
    try:
        CandidateIn.model_validate({"name": "J", "time_zone": zone})
    except ValidationError:
        return False
    return True


PLACE_ZONE = re.compile(r"const PLACE_ZONE = /(.+)/;")


@pytest.mark.parametrize("script", ["form.js", "firm_forms.js"])
def test_the_forms_offer_only_zones_the_api_accepts(script):
    # Given the rule by which a form keeps a zone of the browser's list (the browsers list "Area/City" names)
    source = resources.files("followup.api").joinpath("static", script).read_text(encoding="utf-8")
    (pattern,) = PLACE_ZONE.findall(source)
    kept = re.compile(pattern.replace("\\/", "/"))

    # When it is applied to every name tzdata knows
    names = resources.files("tzdata").joinpath("zones").read_text().split()
    offered = [name for name in names if kept.match(name)]

    # Then it keeps every zone of a place, and all it keeps are accepted; no "UTC" nor "Etc/..."
    assert _tab_zones("zone.tab") <= set(offered)
    assert [name for name in offered if not _accepted(name)] == []
    assert not {"UTC", "Etc/UTC", "Etc/GMT+5", "Factory"} & set(offered)
    assert '"UTC"' not in re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)  # nor added to the list by hand


@pytest.mark.parametrize("address", ["\uff41lice@example.com", "\u0430lice@example.com", "j\u00f6rg@example.com",
                                     "Alice <\u0430lice@example.com>"])
def test_an_email_address_with_letters_other_than_latin_before_the_at_is_refused_in_plain_words(address):
    # SES delivers to no local part but ASCII
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "J", "email": address, "time_zone": "Europe/London"})

    (problem,) = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("email",), "email_not_ascii")
    assert problem["msg"] == "must have only Latin letters, digits and . _ % + - before the @"


@pytest.mark.parametrize("address", ["Jordan.Rivera@Unregistered-Domain.example", "jordan+jobs@EXAMPLE.com",
                                     "Jordan Rivera <jordan@example.com>", "  jordan@example.com ",
                                     "jordan@b\u00fccher.example", "o'brien@example.co.uk"])
def test_an_ascii_address_normalises_as_pydantic_always_did(address):
    # The submission's JSON is its idempotency fingerprint: the same address must give the same text as before
    from pydantic.networks import validate_email

    candidate = CandidateIn.model_validate({"name": "J", "email": address, "time_zone": "Europe/London"})

    assert candidate.email == validate_email(address)[1]


@pytest.mark.parametrize("phone", ["020 7946 0958", "+1 555", "+999123456789", "phone"])
def test_a_phone_must_be_a_valid_international_number(phone):
    with pytest.raises(ValidationError) as caught:
        CandidateIn.model_validate({"name": "J", "phone": phone, "time_zone": "America/New_York"})

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
        {**VALID, "candidate": {"name": "J", "time_zone": "Europe/London"}, "sms_consent": False}
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
