"""Fault injection for texts back: replies and delivery receipts through the real feedback handler on moto,
duplicated, in every order, failing at each AWS call, for erased interviews, and malformed.

Given an interview whose thank-you note was texted, its receipts come at least once and in any order, and so may
the candidate's replies (SNS delivers at least once). Each scenario's end state is one (the text's delivery, the
texts stopped or not, the step done or not), each thing counted once, and no answer texted twice ("extra sends").
A DONE whose every AWS call fails once in turn (a throttle, or a write or send whose answer is lost) is tried again
as Lambda does and ends done once, answered once; after its write's answer is lost, the retry finds the reply
recorded and answers nothing more (at most once).
An event for an erased interview changes nothing and creates nothing. The figures are printed at the end of the run
(``tests/conftest.py``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from followup.domain.models import STEPS
from local import handlers
from tests.integration.fault_parts import (
    LOST_ANSWER,
    Stack,
    Tally,
    count_delta,
    counted,
    feedback_stack,
    invoke_as_lambda,
    stored,
)
from tests.integration.harness import (
    START,
    call_api,
    clear_outbox,
    latest_manage_tokens,
    sample_submission,
    submit_confirmed,
)
from tests.sms_feedback import inbound, log_batch, receipt

THANK_YOU_NOTE = STEPS[0]
REGION = "us-east-1"
NUMBERS = itertools.count(1001)
BLOCKED = "Phone carrier has blocked this message"


@dataclass(frozen=True)
class Expected:
    sms: str  # the thank-you note's SMS delivery at the end
    stopped: str | None
    done: bool
    counts: dict[str, int]
    answers: int = 0  # texts the function sent back


RECEIPTS: dict[str, tuple[tuple[str, ...], Expected]] = {
    "delivered": (("SUCCESS", "SUCCESS"), Expected("delivered", None, False, {"delivered#thank_you_note#sms": 1})),
    "blocked": (("FAILURE",), Expected("failed", "blocked", False, {"stopped#sms#blocked": 1})),
}
# The first receipt is final: the other never moves it (in the order given, each twice).
ORDERED = {
    "a failure after a delivery": (("SUCCESS", "FAILURE"),
                                   Expected("delivered", None, False, {"delivered#thank_you_note#sms": 1})),
    "a delivery after a failure": (("FAILURE", "SUCCESS"), Expected("failed", "blocked", False,
                                                                    {"stopped#sms#blocked": 1})),
}
REPLIES = {
    "done thrice": (("DONE",) * 3, Expected("sent", None, True, {"replied#sms#done": 1}, answers=1)),
    "stop twice": (("STOP",) * 2, Expected("sent", "stop", False, {"replied#sms#stop": 1, "stopped#sms#stop": 1})),
    "done then stop": (("DONE", "STOP"), Expected("sent", "stop", True, {"replied#sms#done": 1, "replied#sms#stop": 1,
                                                                         "stopped#sms#stop": 1}, answers=1)),
    # Done, but never answered: the number said STOP
    "stop then done": (("STOP", "DONE"), Expected("sent", "stop", True, {"replied#sms#stop": 1, "replied#sms#done": 1,
                                                                         "stopped#sms#stop": 1})),
}


TALLY = Tally("texts back")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with feedback_stack() as stack, pytest.MonkeyPatch.context() as patch:
        patch.setattr("followup.usecases.replies.wait", lambda seconds: None)  # the send's backoff, not slept
        yield stack


def texted(stack: Stack) -> tuple[str, str, str]:
    """A fresh interview on its own number whose thank-you note was texted: its id, number and SMS message id."""
    stack.clock.set(START)
    body = sample_submission()
    body["candidate"]["phone"] = f"+1415555{next(NUMBERS):04d}"
    confirmed = submit_confirmed(body)
    clear_outbox(REGION)
    due = next(f["due_at"] for f in confirmed["view"]["follow_ups"] if f["step"] == THANK_YOU_NOTE)
    stack.clock.set(datetime.fromisoformat(due))
    handlers.invoke(THANK_YOU_NOTE, {"interview_id": confirmed["id"], "step": THANK_YOU_NOTE, "version": 1})
    [message_id] = sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages
    return confirmed["id"], body["candidate"]["phone"], message_id


def answers_sent() -> int:
    return len(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages) - 1  # the nudge itself


def check(where: str, interview_id: str, expected: Expected, delta: dict[str, int], *, answers: int | None = None) -> None:
    interview = stored(interview_id) or {}
    note = interview.get("follow_ups", {}).get(THANK_YOU_NOTE, {})
    state = (note.get("deliveries", {}).get("sms", {}).get("status"), (interview.get("stopped") or {}).get("sms"),
             note.get("status") == "done" and note.get("done_by") == "reply")
    if state != (expected.sms, expected.stopped, expected.done):
        TALLY.wrong_states += 1
        TALLY.problems.append(f"{where}: ended {state}, expected {expected}")
    wanted = {m: n for m, n in expected.counts.items() if n}
    if {m: n for m, n in delta.items() if not m.startswith(("nudge_", "confirm"))} != wanted:
        TALLY.miscounts += 1
        TALLY.problems.append(f"{where}: counted {delta}, expected {wanted}")
    sent, allowed = answers_sent(), expected.answers if answers is None else answers
    if sent > allowed:
        TALLY.extra_sends += sent - allowed
        TALLY.problems.append(f"{where}: {sent} answers texted, at most {allowed}")


@pytest.mark.parametrize("name", [*RECEIPTS, *ORDERED])
def test_receipts_twice_each_in_every_order_end_in_one_state_counted_once(stack, name):
    statuses, expected = RECEIPTS[name] if name in RECEIPTS else ORDERED[name]
    orders = itertools.permutations(statuses) if name in RECEIPTS else [statuses]
    for order in orders:
        TALLY.scenarios += 1
        interview_id, number, message_id = texted(stack)
        before = counted()
        for status in (s for s in order for _ in range(2)):
            response = BLOCKED if status == "FAILURE" else "Message has been accepted by phone carrier"
            invoke_as_lambda(stack, log_batch(receipt(message_id, status, destination=number, response=response),
                                              failures=status == "FAILURE"))
        check(f"{name} {order}", interview_id, expected, count_delta(before))
    assert TALLY.problems == []


@pytest.mark.parametrize("name", REPLIES)
def test_replies_delivered_again_apply_once_and_answer_once(stack, name):
    bodies, expected = REPLIES[name]
    TALLY.scenarios += 1
    interview_id, number, message_id = texted(stack)
    before = counted()
    ids = {body: f"in-{TALLY.scenarios}-{body}" for body in bodies}  # the same text delivered again keeps its id
    for body in bodies:
        invoke_as_lambda(stack, inbound(number, body, inbound_id=ids[body], previous=message_id))
    check(name, interview_id, expected, count_delta(before))
    assert TALLY.problems == []


@pytest.mark.parametrize("fault", ["ThrottlingException", LOST_ANSWER])
def test_a_done_whose_every_call_fails_once_in_turn_is_done_once_and_answered_at_most_once(stack, fault):
    expected = REPLIES["done thrice"][1]
    interview_id, number, message_id = texted(stack)
    stack.injector.reset()
    invoke_as_lambda(stack, inbound(number, "done", inbound_id="clean", previous=message_id))
    calls = list(stack.injector.calls)
    assert calls == ["dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:TransactWriteItems", "sns:Publish"]
    for at, call in enumerate(calls):
        if fault == LOST_ANSWER and call == "dynamodb:GetItem":
            continue
        TALLY.scenarios += 1
        interview_id, number, message_id = texted(stack)
        before = counted()
        stack.injector.reset(at, fault)
        invoke_as_lambda(stack, inbound(number, "done", inbound_id=f"fault-{at}", previous=message_id))
        check(f"done, {call} {fault}", interview_id, expected, count_delta(before))
        # A throttled answer is tried again and a lost one went; after a write whose answer was lost, the retry finds
        # the reply recorded and answers nothing more (at most once, as every message of the product).
        if answers_sent() != (0 if (fault, call) == (LOST_ANSWER, "dynamodb:TransactWriteItems") else 1):
            TALLY.problems.append(f"done, {call} {fault}: {answers_sent()} answers")
    assert TALLY.problems == []


def test_texts_back_for_an_erased_interview_change_nothing_and_create_nothing(stack):
    for event in ("DONE", "STOP", "SUCCESS"):
        TALLY.scenarios += 1
        interview_id, number, message_id = texted(stack)
        token = latest_manage_tokens(REGION)[interview_id]["email"]
        assert call_api("DELETE", f"/interviews/{interview_id}", token=token).status == 204
        created = boto3.client("dynamodb", region_name=REGION).scan(TableName=os.environ["TABLE_NAME"])["Count"]
        answer = invoke_as_lambda(stack, log_batch(receipt(message_id, "SUCCESS")) if event == "SUCCESS"
                                  else inbound(number, event, inbound_id=f"erased-{event}", previous=message_id))
        after = boto3.client("dynamodb", region_name=REGION).scan(TableName=os.environ["TABLE_NAME"])["Count"]
        if stored(interview_id) is not None or after > created or answers_sent() != 0:
            TALLY.created_for_erased += 1
            TALLY.problems.append(f"erased, {event}: {answer}, items {created} -> {after}")
    assert TALLY.problems == []
