"""``POST /interviews/{id}/confirmations``: a chosen channel not confirmed yet gets a fresh confirmation, through the
real API handler on moto (issue 19, item 22).

The candidate confirmed by email, lost the text (or never got one: texts chosen by an edit while the phone stayed
the same), and asks for a new one from their page. It goes only to a chosen, unconfirmed channel, its link is bound to
that channel's address now, and it counts against the destination's confirmations and the client's hour.
"""

from __future__ import annotations

import json

import pytest

from local import environment
from tests.integration.harness import (
    MANAGE_LINK,
    call_api,
    clear_outbox,
    emails,
    sms,
    submission,
    submit_confirmed,
)

PHONE = "+14155550123"


def both_confirmed_by_email() -> dict:
    """An interview by email and text, confirmed from the email only; the outbox emptied after."""
    created = submit_confirmed(submission(channels=("email", "sms"), phone=PHONE), channels=("email",))
    clear_outbox()
    return created


def resend(created: dict, channel: object = "sms", *, token: str | None = None, **call) -> object:
    return call_api("POST", f"/interviews/{created['id']}/confirmations", token=token or created["tokens"]["email"],
                    body={"channel": channel}, **call)


def texted_tokens(interview_id: str) -> list[str]:
    return [m.group(2) for _, text in sms() for m in MANAGE_LINK.finditer(text) if m.group(1) == interview_id]


def test_the_text_is_sent_again_and_its_new_link_confirms_texts(aws_env):
    # Given an interview confirmed by email, its texts waiting for the link texted at submission
    created = both_confirmed_by_email()

    # When the candidate asks, from the email's link, for the text again
    answer = resend(created)

    # Then a new confirmation went to the phone (masked in the answer), with a link of its own
    assert answer.status == 202, answer.text
    assert answer.json() == {"channel": "sms", "destination": "+1•••••••0123"}
    assert [to for to, _ in sms()] == [PHONE]
    assert emails() == []
    [fresh] = texted_tokens(created["id"])
    assert fresh not in created["tokens"].values()
    # And that link confirms texts; the first text's link still works too (the address is the same)
    confirmed = call_api("POST", f"/interviews/{created['id']}/confirm", token=fresh)
    assert confirmed.status == 200, confirmed.text
    assert sorted(confirmed.json()["verified_channels"]) == ["email", "sms"]
    assert call_api("GET", f"/interviews/{created['id']}", token=created["tokens"]["sms"]).status == 200


def test_an_email_not_confirmed_yet_is_sent_again_from_the_texts_link(aws_env):
    created = submit_confirmed(submission(channels=("email", "sms"), phone=PHONE), channels=("sms",))
    clear_outbox()

    answer = resend(created, "email", token=created["tokens"]["sms"])

    assert answer.status == 202, answer.text
    assert answer.json() == {"channel": "email", "destination": "j•••@example.com"}
    assert [m["To"] for m in emails()] == ["jordan.rivera@example.com"]
    assert emails()[0]["Subject"].startswith("Confirm")
    assert sms() == []


def test_texts_chosen_by_an_edit_with_the_phone_already_there_can_be_sent_their_first_confirmation(aws_env):
    # Given an interview by email, with the phone number given but texts not chosen
    body = submission(channels=("email",))
    body["candidate"]["phone"] = PHONE
    created = submit_confirmed(body, channels=("email",))
    clear_outbox()

    # When texts are chosen by an edit: the phone is no new destination, so the edit sends nothing
    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"channels": ["email", "sms"], "sms_consent": True})
    assert edited.status == 200, edited.text
    assert edited.json()["verified_channels"] == ["email"] and sms() == []

    # Then the page's button sends it one, whose link confirms texts
    answer = resend(created)
    assert answer.status == 202, answer.text
    [fresh] = texted_tokens(created["id"])
    confirmed = call_api("POST", f"/interviews/{created['id']}/confirm", token=fresh)
    assert sorted(confirmed.json()["verified_channels"]) == ["email", "sms"]


@pytest.mark.parametrize(("body", "channel"), [
    ("confirmed", "email"),  # already confirmed
    ("email only", "sms"),  # not chosen
])
def test_a_channel_already_confirmed_or_not_chosen_is_409_naming_the_channel_and_nothing_is_sent(aws_env, body,
                                                                                                  channel):
    channels = ("email",) if body == "email only" else ("email", "sms")
    created = submit_confirmed(submission(channels=channels, phone=PHONE), channels=("email",))
    clear_outbox()

    answer = resend(created, channel)

    assert answer.status == 409, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["channel"]
    assert emails() == [] and sms() == []


def test_a_cancelled_interview_is_409(aws_env):
    created = both_confirmed_by_email()
    assert call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}").status == 200

    answer = resend(created)

    assert answer.status == 409, answer.text
    assert sms() == []


def test_past_the_destinations_daily_confirmations_it_is_429_with_retry_after_and_nothing_is_sent(aws_env):
    # Given the first text (one of the three a number may get a day)
    created = both_confirmed_by_email()

    # When the candidate asks again and again
    answers = [resend(created) for _ in range(4)]

    # Then two more went, then 429 naming the phone, with when to try again; no more texts, no new link stored
    assert [a.status for a in answers] == [202, 202, 429, 429]
    assert int(answers[2].headers["Retry-After"]) > 0
    assert [e["field"] for e in answers[2].json()["errors"]] == ["candidate.phone"]
    assert len(sms()) == 2


def test_each_resend_counts_against_the_clients_hour(aws_env, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "2")
    environment.refresh()
    created = both_confirmed_by_email()  # one of the client's two

    answers = [resend(created) for _ in range(2)]
    elsewhere = resend(created, source_ip="198.51.100.99")

    assert [a.status for a in answers] + [elsewhere.status] == [202, 429, 202]
    assert int(answers[1].headers["Retry-After"]) > 0
    assert len(sms()) == 2


@pytest.mark.parametrize(("token", "body", "status"), [
    (None, {"channel": "sms"}, 401),
    ("wrong", {"channel": "sms"}, 404),
    ("wrong", {"channel": "fax"}, 404),  # the token first, whatever the body
    ("wrong", "not json", 404),
])
def test_without_a_valid_token_nothing_is_said_about_the_body(aws_env, token, body, status):
    created = both_confirmed_by_email()
    bearer = None if token is None else f"{created['id']}.not-the-secret"

    answer = call_api("POST", f"/interviews/{created['id']}/confirmations", token=bearer,
                      raw=body if isinstance(body, str) else json.dumps(body))

    assert answer.status == status, answer.text
    assert sms() == [] and emails() == []


@pytest.mark.parametrize(("raw", "status", "field"), [
    ('{"channel": "fax"}', 422, "channel"),
    ("{}", 422, "channel"),
    ('{"channel": "sms", "to": "+12025550143"}', 422, "to"),
    ('{"channel": ["sms"]}', 422, "channel"),
    ("{", 400, None),
    ("", 422, "body"),
])
def test_bad_input_is_4xx_naming_the_field_and_nothing_is_sent(aws_env, raw, status, field):
    created = both_confirmed_by_email()

    answer = call_api("POST", f"/interviews/{created['id']}/confirmations", token=created["tokens"]["email"], raw=raw)

    assert answer.status == status, answer.text
    if field:
        assert field in [e["field"] for e in answer.json()["errors"]]
    assert sms() == [] and emails() == []


def test_the_route_is_in_the_openapi_document_with_its_body_and_answers(aws_env):
    document = call_api("GET", "/openapi.json").json()

    operation = document["paths"]["/interviews/{interview_id}/confirmations"]["post"]

    assert {"202", "401", "404", "409", "422", "429"} <= set(operation["responses"])
    assert operation["security"] == [{"manage_token": []}]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    channel = document["components"]["schemas"][ref]["properties"]["channel"]
    assert channel["enum"] == ["email", "sms"]


def test_nothing_personal_or_secret_is_logged(aws_env, capsys, caplog):
    created = both_confirmed_by_email()
    capsys.readouterr()
    caplog.clear()

    assert resend(created).status == 202
    [fresh] = texted_tokens(created["id"])

    captured = capsys.readouterr()
    logged = captured.out + captured.err + "".join(str(vars(record)) for record in caplog.records)
    assert "confirmation sent again" in logged
    for secret in (PHONE, "4155550123", "jordan.rivera@example.com", fresh, created["tokens"]["email"]):
        assert secret not in logged
