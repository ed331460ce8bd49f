"""The lifecycle's delivery through the real handlers, asserting on what moto recorded: when its schedules fire
through the step Lambdas, exactly the right emails and SMS go out, once; retried, edited, opted out, twinned.
"""

from __future__ import annotations

import json

import boto3
import pytest

from followup.adapters import aws
from followup.domain.errors import DeliveryInFlight
from tests.integration.harness import (
    body_part,
    call_api,
    dead_letters,
    emails,
    schedules,
    sms,
)
from tests.integration.lifecycle_parts import (
    SUBMISSION,
    fire,
    fire_payload,
    submit,
)

# ---- delivery -------------------------------------------------------------------------------

def test_firing_the_thank_you_step_sends_one_email_and_one_sms_with_the_card_draft(aws_env, fake_clock):
    created = submit()

    fired = fire(aws_env, fake_clock, days=3)

    assert [i.name for i in fired] == [f"{created['id']}-thank_you_note"]
    [mail] = emails()
    assert mail["To"] == "jordan.rivera@example.com"
    assert mail["From"] == "Acme Staffing <followups@acme-staffing.example>"
    assert "Dana Whitfield" in mail["Subject"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith(f"<https://followup.example.com/unsubscribe?token={created['id']}.")
    text, html = body_part(mail, "plain"), body_part(mail, "html")
    assert "handwritten" in text and "Dear Dana," in text
    assert f"https://followup.example.com/manage/{created['id']}?token=" in text
    assert "Dana Whitfield" in html
    [(phone, message)] = sms()
    assert phone == "+14155550123"
    assert f"/manage/{created['id']}?token=" in message and len(message) <= 160


def test_the_links_in_a_message_open_the_interview(aws_env, fake_clock):
    created = submit()
    fire(aws_env, fake_clock, days=3)
    [(_, message)] = sms()
    # The SMS links to the step's section of the page: the token ends where the fragment starts.
    link = message.split("token=")[1].split()[0]
    token, _, section = link.partition("#")
    assert section == "thank_you_note"

    answer = call_api("GET", f"/interviews/{created['id']}", token=token)

    assert answer.status == 200
    assert answer.json()["follow_ups"][0]["status"] == "sent"


def test_firing_the_same_schedule_twice_sends_nothing_the_second_time(aws_env, fake_clock):
    created = submit()
    fire(aws_env, fake_clock, days=3)

    again = fire_payload("thank_you_note", created["id"])

    assert again == {"result": "not_pending", "channels": {}}
    assert len(emails()) == 1 and len(sms()) == 1


def test_a_payload_for_an_older_version_does_nothing_after_an_edit(aws_env, fake_clock):
    created = submit()
    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"interview_at": "2026-03-11T10:00:00"})
    assert edited.status == 200

    stale = fire_payload("thank_you_note", created["id"], version=1)

    assert stale["result"] == "stale"
    assert emails() == [] and sms() == []


def test_an_edit_moves_the_schedules_and_bumps_their_version(aws_env):
    created = submit()

    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"interview_at": "2026-03-11T10:00:00", "expected_decision_days": 10})

    assert edited.status == 200
    assert [f["due_at"] for f in edited.json()["follow_ups"]] == [
        "2026-03-13T09:00:00-04:00",
        "2026-03-24T09:00:00-04:00",  # 11 + 10 + 3 = Tuesday the 24th
    ]
    found = schedules(aws_env)
    card = found[f"{created['id']}-thank_you_note"]
    assert card["ScheduleExpression"] == "at(2026-03-13T09:00:00)"
    assert json.loads(card["Target"]["Input"])["version"] == 2
    assert found[f"{created['id']}-check_in"]["ScheduleExpression"] == "at(2026-03-24T09:00:00)"


def test_an_edit_leaves_a_sent_follow_up_as_it_is(aws_env, fake_clock):
    created = submit()
    fire(aws_env, fake_clock, days=3)

    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"expected_decision_days": 14})

    statuses = {f["step"]: (f["status"], f["due_at"]) for f in edited.json()["follow_ups"]}
    assert statuses["thank_you_note"] == ("sent", "2026-03-12T09:00:00-04:00")
    assert statuses["check_in"] == ("scheduled", "2026-03-27T09:00:00-04:00")
    assert sorted(schedules(aws_env)) == [f"{created['id']}-check_in"]


def test_dropping_sms_in_an_edit_stops_the_sms_but_not_the_email(aws_env, fake_clock):
    created = submit()
    call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"], body={"channels": ["email"]})

    fire(aws_env, fake_clock, days=3)

    assert len(emails()) == 1 and sms() == []


def test_a_number_that_opted_out_gets_no_sms_and_the_email_still_goes(aws_env, fake_clock):
    created = submit({**SUBMISSION, "candidate": {**SUBMISSION["candidate"], "phone": "+14155550199"}})

    [invocation] = fire(aws_env, fake_clock, days=3)

    assert invocation.result == {"result": "sent", "channels": {"email": "sent", "sms": "skipped"}}
    assert sms() == [] and len(emails()) == 1
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["follow_ups"][0]["status"] == "sent"


def _fail_sms(times: int):
    calls = {"n": 0}

    def refuse(**kwargs):
        from botocore.exceptions import ClientError

        if calls["n"] < times:
            calls["n"] += 1
            raise ClientError({"Error": {"Code": "InternalError", "Message": "boom"}}, "Publish")

    aws.client("sns", retried=False).meta.events.register("before-call.sns.Publish", refuse)  # the sending client
    return calls


def test_a_failed_sms_is_retried_without_sending_the_email_again(aws_env, fake_clock):
    created = submit()
    _fail_sms(times=1)

    [invocation] = fire(aws_env, fake_clock, days=3)

    assert invocation.attempts == 2 and invocation.error is None
    assert len(emails()) == 1 and len(sms()) == 1
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["follow_ups"][0]["status"] == "sent"
    assert dead_letters(aws_env) == []


def test_a_send_that_keeps_failing_ends_failed_in_the_dead_letter_queue(aws_env, fake_clock):
    created = submit()
    _fail_sms(times=99)

    [invocation] = fire(aws_env, fake_clock, days=3)

    assert invocation.attempts == 3 and invocation.error is not None
    assert len(emails()) == 1 and sms() == []
    assert dead_letters(aws_env) == [{"interview_id": created["id"], "step": "thank_you_note", "version": 1}]
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["follow_ups"][0]["status"] == "failed"


def test_a_twin_invocation_during_a_live_delivery_sends_nothing(aws_env, fake_clock):
    created = submit()
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"INTERVIEW#{created['id']}"}}
    item = table.get_item(TableName=aws_env.table_name, Key=key)["Item"]
    lease = int(fake_clock().timestamp()) + 3 * 86400 + 60
    item["follow_ups"]["M"]["thank_you_note"]["M"]["status"] = {"S": "sending"}
    item["follow_ups"]["M"]["thank_you_note"]["M"]["lease_until"] = {"N": str(lease)}
    table.put_item(TableName=aws_env.table_name, Item=item)
    fake_clock.advance(days=2, hours=19)

    with pytest.raises(DeliveryInFlight):  # raised: Lambda tries again once the lease has run out
        fire_payload("thank_you_note", created["id"])

    assert emails() == [] and sms() == []




def test_an_address_on_the_firms_list_is_skipped_by_why_it_was_listed_the_claim_checking_it_itself(aws_env, fake_clock):
    # Given an interview whose email address bounced elsewhere since (the firm's list holds it for 30 days)
    from followup.adapters.store import InterviewStore
    from followup.domain.destinations import address_key
    from local.calls import CallRecorder

    created = submit()
    epoch = int(fake_clock().timestamp())
    InterviewStore(aws_env.table_name).opt_out(address_key("email", SUBMISSION["candidate"]["email"]), "bounced",
                                               epoch + 30 * 86400)
    fake_clock.advance(days=2, hours=19)

    # When its thank-you note is due
    with CallRecorder() as recorder:
        answer = fire_payload("thank_you_note", created["id"])

    # Then the claim (a transaction checking the list) is refused and says why; the claim is made again without
    # the email, and only the text goes: no read of the list at all
    assert answer == {"result": "sent", "channels": {"email": "skipped", "sms": "sent"}}
    assert [c.name for c in recorder.calls if c.caller is not None] == [
        "dynamodb:GetItem", "dynamodb:TransactWriteItems", "sns:CheckIfPhoneNumberIsOptedOut",
        "dynamodb:TransactWriteItems", "sns:Publish", "dynamodb:TransactWriteItems"]
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["follow_ups"][0]["deliveries"]["email"]["reason"] == "bounced"
    assert emails() == [] and len(sms()) == 1
