"""A 422 says what to enter, in words a candidate reads, for every field at once; never pydantic's wording."""

from __future__ import annotations

import json

import boto3
import pytest

from followup.domain.form_errors import CONSENT_NEEDED, DAYS, EMAIL_NEEDED, PHONE_NEEDED
from tests.conftest import load_event
from tests.integration.harness import call_api

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])
VALIDATOR_WORDING = ("Input should", "Value error", "value is not a valid", "Field required", "E.164", "String should")


def candidate(**changes):
    values = {**SUBMISSION["candidate"], **changes}
    return {k: v for k, v in values.items() if v is not None}


def errors_of(answer) -> dict[str, str]:
    assert answer.status == 422, answer.text
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


def stored(resources) -> list[dict]:
    return boto3.client("dynamodb", region_name="us-east-1").scan(TableName=resources.table_name)["Items"]


def test_a_missing_email_is_reported_together_with_the_other_errors(aws_env):
    body = {**SUBMISSION, "channels": ["email"], "candidate": candidate(email=None, time_zone="Mars/Olympus"),
            "expected_decision_days": 61, "role": ""}

    errors = errors_of(call_api("POST", "/interviews", body=body))

    assert errors == {
        "candidate.email": EMAIL_NEEDED,
        "candidate.time_zone": "Choose your time zone, like America/New_York",
        "expected_decision_days": DAYS,
        "role": "Enter the job you interviewed for",
    }
    assert stored(aws_env) == []


def test_texts_without_a_phone_or_consent_say_what_to_do(aws_env):
    body = {**SUBMISSION, "channels": ["sms"], "sms_consent": False, "candidate": candidate(phone=None),
            "company": "x" * 201}

    errors = errors_of(call_api("POST", "/interviews", body=body))

    assert errors == {
        "candidate.phone": PHONE_NEEDED,
        "sms_consent": CONSENT_NEEDED,
        "company": "The company's name must be 200 characters or fewer",
    }


def test_the_cross_field_rules_alone_are_plain_words_too(aws_env):
    body = {**SUBMISSION, "channels": ["email"], "candidate": candidate(email=None)}

    assert errors_of(call_api("POST", "/interviews", body=body)) == {"candidate.email": EMAIL_NEEDED}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"expected_decision_days": 0}, "expected_decision_days", DAYS),
        ({"expected_decision_days": "7"}, "expected_decision_days", DAYS),
        ({"candidate": candidate(email="not-an-address")}, "candidate.email",
         "Enter your email address, like jordan@example.com"),
        ({"candidate": candidate(phone="12")}, "candidate.phone", "Enter a phone number we can text, like (415) 555-0123"),
        ({"candidate": candidate(locale="xx-QQ")}, "candidate.locale", "Choose a language and region we know, like en-US"),
        ({"candidate": candidate(name=None)}, "candidate.name", "Enter your name"),
        ({"interview_at": "next tuesday"}, "interview_at",
         "Enter the date and time of your interview, like 2026-03-10T14:00"),
        ({"channels": []}, "channels", "Choose email, text messages, or both"),
        ({"sms_consent": "yes"}, "sms_consent",
         "Tick the box (true) to agree to text messages, or leave it out (false)"),
    ],
)
def test_each_field_error_is_in_plain_words(aws_env, change, field, message):
    errors = errors_of(call_api("POST", "/interviews", body={**SUBMISSION, **change}))

    assert errors[field] == message
    assert not any(word in text for text in errors.values() for word in VALIDATOR_WORDING)
    assert stored(aws_env) == []


def test_a_national_number_is_read_with_the_country_of_the_time_zone(aws_env):
    body = {**SUBMISSION, "candidate": candidate(phone="(415) 555-0123")}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 202, answer.text
    assert [item["candidate"]["M"]["phone"]["S"] for item in stored(aws_env) if "candidate" in item] == ["+14155550123"]


def test_a_known_locale_is_kept_in_its_canonical_form(aws_env):
    body = {**SUBMISSION, "candidate": candidate(locale="en_gb", preferred_name="Jo")}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 202, answer.text
    saved = [item["candidate"]["M"] for item in stored(aws_env) if "candidate" in item]
    assert [(c["locale"]["S"], c["preferred_name"]["S"]) for c in saved] == [("en-GB", "Jo")]


def test_an_edit_changes_the_locale_and_the_name_they_go_by_and_refuses_an_unknown_locale(aws_env):
    from tests.integration.harness import submit_confirmed

    created = submit_confirmed(SUBMISSION)
    path, token = f"/interviews/{created['id']}", created["manage_token"]

    refused = call_api("PATCH", path, token=token, body={"candidate": {"locale": "xx-QQ"}})
    edited = call_api("PATCH", path, token=token, body={"candidate": {"locale": "en-GB", "preferred_name": "Jojo"}})

    assert errors_of(refused) == {"candidate.locale": "Choose a language and region we know, like en-US"}
    assert edited.status == 200, edited.text
    view = edited.json()
    assert (view["candidate"]["locale"], view["candidate"]["preferred_name"]) == ("en-GB", "Jojo")
    call = next(d for f in view["follow_ups"] if f["guide"] for d in f["guide"]["drafts"] if d["id"] == "check_in-call")
    assert call["text"].startswith("Hello Dana, this is Jojo. I interviewed with you on Tuesday 10 March for")


def test_a_spanish_speakers_errors_are_in_spanish_by_their_locale_or_their_pages_language(aws_env):
    # Given a Spanish submission missing its email and role, and the same from an English one on a Spanish page
    body = {**SUBMISSION, "channels": ["email"], "candidate": candidate(email=None, locale="es-US"), "role": ""}
    english = {**body, "candidate": candidate(email=None, locale="en-US")}

    # When each is sent (the second with the page's Accept-Language, which its own locale overrides)
    spanish = errors_of(call_api("POST", "/interviews", body=body))
    by_locale = errors_of(call_api("POST", "/interviews", body=english, headers={"accept-language": "es"}))
    no_locale = {**body, "candidate": candidate(email=None, locale=None)}
    by_page = errors_of(call_api("POST", "/interviews", body=no_locale, headers={"accept-language": "es-MX,en;q=0.5"}))

    # Then the Spanish words a candidate reads, field by field; English where the body says English
    assert spanish["role"] == by_page["role"] == "Escriba el puesto para el que tuvo la entrevista"
    assert spanish["candidate.email"] == "Escriba su dirección de correo electrónico, o elija solo mensajes de texto"
    assert by_locale["role"] == "Enter the job you interviewed for"
    unknown = {**body, "candidate": candidate(email=None, locale="xx-QQ")}  # a locale we cannot read: the page's
    assert errors_of(call_api("POST", "/interviews", body=unknown, headers={"accept-language": "es"}))["role"] == \
        "Escriba el puesto para el que tuvo la entrevista"
    assert not any(word in message for message in spanish.values() for word in VALIDATOR_WORDING)
    assert stored(aws_env) == []


def test_a_domain_error_is_said_in_the_pages_language(aws_env):
    unknown = call_api("GET", "/interviews/0123456789ab", token="0123456789ab.AAAAAAAAAAAAAAAAAAAAAA",
                       headers={"accept-language": "es-US"})

    assert unknown.status == 404 and unknown.json()["message"] == "no encontramos la entrevista"
