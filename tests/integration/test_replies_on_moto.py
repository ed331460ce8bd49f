"""Texts back, through the real feedback handler on moto: a DONE reply, a STOP, a receipt, each with the AWS calls it
makes (a limit or an opt-out taken by the write itself), and nothing personal in what it logs; an SNS record or a
log batch that is not one is acknowledged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from followup.adapters.store import InterviewStore
from followup.domain.models import STEPS
from followup.runtime.config import get_settings
from local import handlers
from local.calls import CallRecorder
from tests.integration.harness import (
    START,
    Clock,
    call_api,
    clear_outbox,
    provisioned_account,
    sample_submission,
    submit_confirmed,
)
from tests.sms_feedback import inbound, log_batch, receipt

THANK_YOU_NOTE, CHECK_IN, _ = STEPS


@pytest.fixture(scope="module")
def account() -> Iterator[Clock]:
    clock = Clock()
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 100_000,
                                                "ConfirmationsPerDayPerDestination": 100_000}):
        yield clock


def texted(clock: Clock, phone: str) -> dict:
    """A fresh interview to ``phone`` whose thank-you note went out by email and SMS; its id, token, message id."""
    clock.set(START)
    body = sample_submission()
    body["candidate"]["phone"] = phone
    confirmed = submit_confirmed(body)
    clear_outbox()
    due = next(f["due_at"] for f in confirmed["view"]["follow_ups"] if f["step"] == THANK_YOU_NOTE)
    clock.set(datetime.fromisoformat(due))
    handlers.invoke(THANK_YOU_NOTE, {"interview_id": confirmed["id"], "step": THANK_YOU_NOTE, "version": 1})
    [message_id] = sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages
    return {"id": confirmed["id"], "token": confirmed["manage_token"], "message_id": message_id}


def feedback(event: dict) -> tuple[object, list[str]]:
    """The handler's answer, and the product's AWS calls it made."""
    with CallRecorder() as recorder:
        answer = handlers.invoke("feedback", event)
    return answer, [call.name for call in recorder.calls if call.caller is not None]


def view(sent: dict) -> dict:
    return call_api("GET", f"/interviews/{sent['id']}", token=sent["token"]).json()


def test_done_marks_the_step_done_once_in_four_calls_and_its_second_delivery_in_two(account, capsys, caplog):
    sent = texted(account, "+14155550181")

    answer, calls = feedback(inbound("+14155550181", "Done, mailed it!", inbound_id="in-1", previous=sent["message_id"]))
    again, calls_again = feedback(inbound("+14155550181", "Done, mailed it!", inbound_id="in-1",
                                          previous=sent["message_id"]))

    assert (answer, again) == ({"result": ["done"]}, {"result": ["duplicate"]})
    # the pointer, the interview, the write (with its counts), the one confirming text
    assert calls == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems", "sns:Publish"]
    assert calls_again == ["dynamodb:GetItem", "dynamodb:GetItem"]
    step = view(sent)["follow_ups"][0]
    assert (step["status"], step["done_by"]) == ("done", "reply")
    nudge, (phone, text) = sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values()  # one answer only
    assert phone == "+14155550181" and "marked done" in text and "marked done" not in nudge[1]
    captured = capsys.readouterr()
    logged = captured.out + captured.err + "".join(str(vars(record)) for record in caplog.records)
    assert "reply applied" in logged and "4155550181" not in logged and "mailed it" not in logged


def test_stop_stops_the_texts_and_the_next_nudge_emails_only(account):
    sent = texted(account, "+14155550182")

    answer, calls = feedback(inbound("+14155550182", "stop", inbound_id="in-2"))

    assert answer == {"result": ["stopped"]}
    # the number's latest, its interview, the interview's write that also puts the number on the opt-out list
    assert calls == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems"]
    check_in = view(sent)["follow_ups"][1]
    assert check_in["deliveries"]["sms"] == {"status": "skipped", "reason": "stop", "at": None, "delivered_at": None}
    body = sample_submission()
    body["candidate"]["phone"] = "+14155550182"
    refused = call_api("POST", "/interviews", body=body)  # the firm's list holds the number now
    assert refused.status == 422 and "candidate.phone" in refused.text


def test_a_text_gets_one_answer_a_day_taken_by_the_write_that_records_it(account):
    sent = texted(account, "+14155550185")

    first, calls = feedback(inbound("+14155550185", "who is this?", inbound_id="in-5", previous=sent["message_id"]))
    second, calls_second = feedback(inbound("+14155550185", "hello?", inbound_id="in-6", previous=sent["message_id"]))

    assert (first, second) == ({"result": ["answered"]}, {"result": ["recorded"]})
    # the pointer, the interview, the write that takes the day's answer with it, the answer
    assert calls == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems", "sns:Publish"]
    # the day's answer taken: that write is refused whole (nothing recorded, nothing counted) and the reply is
    # written without it
    assert calls_second == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems",
                            "dynamodb:TransactWriteItems"]
    stored = InterviewStore(get_settings().table_name).load(sent["id"])
    assert [r.inbound_id for r in stored.replies] == ["in-5", "in-6"]  # each recorded once
    texts = [text for _, text in sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values()]
    assert len(texts) == 2 and f"/manage/{sent['id']}?token=" in texts[1]  # the nudge, then one answer: the page


def test_a_receipt_marks_the_text_delivered_in_three_calls_and_a_failure_by_its_class(account):
    sent = texted(account, "+14155550183")

    answer, calls = feedback(log_batch(receipt(sent["message_id"], "SUCCESS", destination="+14155550183")))

    assert answer == {"result": {"delivered": 1}}
    assert calls == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems"]
    sms = view(sent)["follow_ups"][0]["deliveries"]["sms"]
    assert (sms["status"], sms["delivered_at"]) == ("delivered", "2026-03-13T14:00:07.112000+00:00")
    other = texted(account, "+14155550184")
    failed, _ = feedback(log_batch(receipt(other["message_id"], "FAILURE", response="Phone is currently unreachable"),
                                   failures=True))
    assert failed == {"result": {"failed:unreachable": 1}}
    assert view(other)["follow_ups"][1]["deliveries"]["sms"]["reason"] == "unreachable"


@pytest.mark.parametrize("event", [
    {"Records": []},
    {"Records": [{"EventSource": "aws:sqs"}]},
    {"Records": [{"Sns": {"Message": "{\"originationNumber\": 5}"}}]},
    {"awslogs": {"data": "not base64 gzip"}},
    {"awslogs": {}},
    log_batch({"notification": "none"}),
])
def test_an_sns_record_or_a_log_batch_that_is_not_one_is_acknowledged_and_changes_nothing(account, event):
    answer, calls = feedback(event)

    assert answer == {"result": "malformed"}
    assert [c for c in calls if c != "dynamodb:GetItem"] == []
