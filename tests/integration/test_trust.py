"""Who may cause a message, through the real handlers on moto, asserting on what moto recorded.

Each test here failed before the confirmation step: a submission used to schedule the nudges to whatever
destination it named, answer a manage token to whoever sent it, and that token (also in every message's
unsubscribe link) did everything, for ever.
"""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from local import environment
from local.calls import CallRecorder
from tests.conftest import load_event
from tests.integration.harness import (
    body_part,
    call_api,
    clear_outbox,
    confirmation_tokens,
    emails,
    runner,
    schedules,
    sms,
    submit_confirmed,
)

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])
STRANGER = {"email": "stranger@example.net", "phone": "+12025550143"}


def stored_interviews(resources) -> list[dict]:
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=resources.table_name)["Items"]
    return [item for item in items if item["pk"]["S"].startswith("INTERVIEW#")]


def fire(resources, fake_clock, delta: timedelta):
    target = fake_clock() + delta
    fired = runner(resources, set_time=fake_clock.set).fire_due(target)
    fake_clock.set(target)
    return fired


# ---- the open relay --------------------------------------------------------------------------------

def test_a_submission_for_a_stranger_sends_one_confirmation_per_destination_and_nothing_else(aws_env, fake_clock):
    # Given a submission naming a stranger's email and phone, for an interview 60 hours ago
    body = {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], **STRANGER},
            "company": "Globex Payroll Department",
            "interview_at": (fake_clock() - timedelta(hours=60)).isoformat()}
    answer = call_api("POST", "/interviews", body=body)

    # When a week passes and nobody confirms
    fire(aws_env, fake_clock, timedelta(days=7))

    # Then the stranger got exactly one confirmation email and one confirmation SMS, and nothing else
    assert answer.status == 202
    assert [m["To"] for m in emails()] == [STRANGER["email"]]
    assert emails()[0]["Subject"].startswith("Confirm")
    assert [to for to, _ in sms()] == [STRANGER["phone"]]
    assert sms()[0][1].startswith("Confirm") and sms()[0][1].endswith(" - Acme Staffing. Reply STOP to opt out")
    assert schedules(aws_env) == {}
    # and the interview, never confirmed, is gone for every reader once its 72 hours passed
    token = confirmation_tokens(answer.json()["id"])["email"]
    assert call_api("GET", f"/interviews/{answer.json()['id']}", token=token).status == 404


def test_the_submitter_gets_masked_destinations_and_never_a_token(aws_env):
    answer = call_api("POST", "/interviews", body=SUBMISSION)

    assert answer.status == 202
    assert answer.json() == {"id": answer.json()["id"], "status": "awaiting_confirmation", "confirmations_sent_to": [
        {"channel": "email", "destination": "j•••@example.com"},
        {"channel": "sms", "destination": "+1•••••••0123"},
    ]}
    tokens = confirmation_tokens(answer.json()["id"])
    assert tokens and not any(token in answer.text for token in tokens.values())


def test_before_confirming_the_link_reads_the_interview_with_its_follow_ups_planned(aws_env):
    interview_id = call_api("POST", "/interviews", body=SUBMISSION).json()["id"]
    token = confirmation_tokens(interview_id)["email"]

    view = call_api("GET", f"/interviews/{interview_id}", token=token).json()

    assert (view["status"], view["verified_channels"]) == ("awaiting_confirmation", [])
    assert [f["status"] for f in view["follow_ups"]] == ["planned", "planned"]
    assert schedules(aws_env) == {}


def test_confirming_by_email_verifies_the_email_only_and_the_sms_is_skipped_as_unverified(aws_env, fake_clock):
    # Given an interview confirmed from its email only
    created = submit_confirmed(SUBMISSION, channels=("email",))
    clear_outbox()

    # When the thank-you note falls due
    fire(aws_env, fake_clock, timedelta(days=3))

    # Then the email went, and the SMS is skipped as unverified
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["verified_channels"] == ["email"]
    deliveries = view["follow_ups"][0]["deliveries"]
    assert (deliveries["email"]["status"], deliveries["sms"]) == (
        "sent", {"status": "skipped", "reason": "unverified", "at": deliveries["sms"]["at"],
                  "delivered_at": None})
    assert (len(emails()), len(sms())) == (1, 0)


def test_confirming_again_answers_200_and_changes_nothing(aws_env):
    created = submit_confirmed(SUBMISSION, channels=("email",))
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"INTERVIEW#{created['id']}"}}
    before = table.get_item(TableName=aws_env.table_name, Key=key)["Item"]

    again = call_api("POST", f"/interviews/{created['id']}/confirm", token=created["tokens"]["email"])

    assert again.status == 200 and again.json() == created["view"]
    assert table.get_item(TableName=aws_env.table_name, Key=key)["Item"] == before


def test_a_number_that_opted_out_gets_no_confirmation_and_the_answer_does_not_tell(aws_env):
    opted_out = {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "phone": "+14155550199"}}  # moto: opted out

    answer = call_api("POST", "/interviews", body=opted_out)

    assert answer.status == 202
    assert [c["channel"] for c in answer.json()["confirmations_sent_to"]] == ["email", "sms"]
    assert sms() == [] and len(emails()) == 1


def test_confirming_a_duplicate_replaces_the_older_interview_without_a_scan(aws_env):
    # Given an interview confirmed, then the same one submitted again (same destination, company and day)
    older = submit_confirmed(SUBMISSION, channels=("email",))
    recorder = CallRecorder().attach()
    try:
        newer = submit_confirmed(SUBMISSION, channels=("email",))
    finally:
        recorder.detach()

    # Then the older is cancelled with its schedules deleted, and only the newer's nudges wait
    view = call_api("GET", f"/interviews/{older['id']}", token=older["manage_token"]).json()
    assert view["status"] == "cancelled"
    assert sorted(schedules(aws_env)) == [f"{newer['id']}-check_in", f"{newer['id']}-thank_you_note"]
    assert not [op for op in recorder.operations() if op.endswith(":Scan")]
    assert {c.params["ExpressionAttributeValues"][":pk"]["S"] for c in recorder.product_calls()
            if c.operation == "Query"} == {f"INTERVIEW#{newer['id']}"}  # the one key its token reads, nothing wider


# ---- SMS countries and number types --------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "+19005550123",  # premium rate
    "+18005550123",  # toll free
    "+447400123456",  # a UK mobile: not in SMS_COUNTRIES (US,CA by default)
])
def test_sms_to_a_number_outside_the_firms_countries_or_not_mobile_is_a_422_and_nothing_is_stored(aws_env, phone):
    body = {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "phone": phone}}

    answer = call_api("POST", "/interviews", body=body)

    assert answer.status == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["candidate.phone"]
    assert stored_interviews(aws_env) == [] and sms() == [] and emails() == []


def test_an_edit_to_a_premium_rate_number_is_a_422_and_changes_nothing(aws_env):
    created = submit_confirmed(SUBMISSION)
    before = stored_interviews(aws_env)

    answer = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"candidate": {"phone": "+19005550123"}})

    assert answer.status == 422 and [e["field"] for e in answer.json()["errors"]] == ["candidate.phone"]
    assert stored_interviews(aws_env) == before


def test_the_firms_list_of_countries_is_a_setting(aws_env, monkeypatch):
    monkeypatch.setenv("SMS_COUNTRIES", "GB")
    environment.refresh()
    body = {**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "phone": "+447400123456"}}

    assert call_api("POST", "/interviews", body=body).status == 202


# ---- tokens: each kind does its job only ---------------------------------------------------------

def test_the_unsubscribe_token_does_nothing_but_unsubscribe(aws_env):
    created = submit_confirmed(SUBMISSION)
    path = f"/interviews/{created['id']}"
    token = created["unsubscribe_token"]

    answers = [
        call_api("GET", path, token=token).status,
        call_api("PATCH", path, token=token, body={"role": "Spy"}).status,
        call_api("POST", f"{path}/confirm", token=token).status,
        call_api("DELETE", path, token=token).status,
    ]

    assert answers == [404, 404, 404, 404]
    assert call_api("GET", path, token=created["manage_token"]).json()["status"] == "active"


def test_a_manage_token_cannot_unsubscribe_through_the_unsubscribe_link(aws_env):
    created = submit_confirmed(SUBMISSION)

    answer = call_api("POST", "/unsubscribe", query=f"token={created['manage_token']}")

    assert answer.status == 404
    assert call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()["status"] == "active"


def test_a_manage_token_31_days_old_is_404(aws_env, fake_clock):
    created = submit_confirmed(SUBMISSION)
    path = f"/interviews/{created['id']}"
    fake_clock.advance(days=29)
    assert call_api("GET", path, token=created["manage_token"]).status == 200

    fake_clock.advance(days=2)

    assert call_api("GET", path, token=created["manage_token"]).status == 404


def test_each_nudge_carries_a_manage_link_of_its_own_channel_and_an_unsubscribe_only_link(aws_env, fake_clock):
    created = submit_confirmed(SUBMISSION)
    clear_outbox()
    fire(aws_env, fake_clock, timedelta(days=3))
    [email] = emails()
    unsubscribe = email["List-Unsubscribe"].split("token=")[1].rstrip(">")
    manage = body_part(email, "plain").split("/manage/")[1].split("token=")[1].split()[0]

    assert call_api("GET", f"/interviews/{created['id']}", token=unsubscribe).status == 404
    assert call_api("POST", "/unsubscribe", query=f"token={manage}").status == 404
    assert call_api("GET", f"/interviews/{created['id']}", token=manage).status == 200


def test_the_openapi_document_tells_the_confirmation_step_the_limits_and_the_unsubscribe_routes(aws_env):
    document = call_api("GET", "/openapi.json").json()
    paths = document["paths"]

    submit = paths["/interviews"]["post"]["responses"]
    assert {"202", "422", "429"} <= set(submit) and "201" not in submit
    assert "confirmations_sent_to" in json.dumps(document["components"]["schemas"]["SubmittedInterviewView"])
    assert paths["/interviews/{interview_id}/confirm"]["post"]["security"] == [{"manage_token": []}]
    assert "changes nothing" in paths["/unsubscribe"]["get"]["summary"]
    assert "RFC 8058" in paths["/unsubscribe"]["post"]["summary"]


def test_a_new_email_in_an_edit_is_sent_its_own_confirmation_which_verifies_it_again(aws_env, fake_clock):
    # Given a confirmed interview, its outbox emptied
    created = submit_confirmed(SUBMISSION)
    clear_outbox()

    # When the candidate changes the email address on their page
    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"candidate": {"email": "jordan.new@example.com"}})

    # Then only the new address got a message: a confirmation whose link verifies the email again
    assert edited.status == 200, edited.text
    assert "email" not in edited.json()["verified_channels"]
    assert [m["To"] for m in emails()] == ["jordan.new@example.com"] and sms() == []
    token = confirmation_tokens(created["id"])["email"]
    confirmed = call_api("POST", f"/interviews/{created['id']}/confirm", token=token)
    assert confirmed.status == 200 and "email" in confirmed.json()["verified_channels"]
