"""Fault injection for hearing back: SES's events through the real feedback handler on moto, duplicated, in every
order, failing at each AWS call, for erased interviews, and malformed.

Given an interview whose thank-you note went out by email (and SMS), its email's events come as EventBridge
delivers them: at least once and in any order. For each scenario, every order of its events (each event also
delivered twice) must end in the one state the scenario names: the email's delivery, the channel stopped or not,
the mailbox suppressed or not, and the report counting each thing once. Then the check-in goes out: no email to
a bounced or complained address ("extra sends"). Each AWS call of a bounce's invocation failing once (a throttle,
or a write whose answer is lost) is tried again as Lambda does and ends the same. An event for an erased
interview changes nothing and creates nothing; a malformed one is acknowledged (never raised, so never retried
in a loop). The figures are printed at the end of the run (``tests/conftest.py``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from followup.domain.destinations import address_key
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
from tests.ses_feedback import envelope, record_of

THANK_YOU_NOTE, CHECK_IN, _ = STEPS
REGION = "us-east-1"
EVENT_AT = "2026-03-13T14:02:05.000Z"
MAILBOXES = itertools.count(1)  # each scenario its own candidate's mailbox


@dataclass(frozen=True)
class Expected:
    status: str  # the thank-you note's email delivery at the end
    stopped: str | None  # the interview's email channel stopped, and why
    suppressed: str | None  # the mailbox's firm-wide suppression, and why
    counts: dict[str, int]  # what the report counted for the events, each once


SCENARIOS: dict[str, tuple[tuple[str, ...], Expected]] = {
    "delivered": (("Delivery",), Expected("delivered", None, None, {"delivered#thank_you_note#email": 1})),
    "delayed then delivered": (("DeliveryDelay", "Delivery"),
                               Expected("delivered", None, None, {"delivered#thank_you_note#email": 1})),
    "bounced": (("Bounce",), Expected("bounced", "bounced", "bounced", {"stopped#email#bounced": 1})),
    "delivered and complained": (("Delivery", "Complaint"),
                                 Expected("complained", "complained", "complained",
                                          {"delivered#thank_you_note#email": 1, "stopped#email#complained": 1})),
    "rejected": (("Reject",), Expected("failed", None, None, {"rejected#thank_you_note#email": 1})),
}
# Events whose order decides the end by the rule "a later event never undoes a final one": delivered twice each,
# in this order only.
ORDERED: dict[str, tuple[tuple[str, ...], Expected]] = {
    "a delivery after a bounce": (("Bounce", "Delivery"), Expected("bounced", "bounced", "bounced",
                                                                  {"stopped#email#bounced": 1})),
    "a bounce after a delivery": (("Delivery", "Bounce"), Expected("delivered", "bounced", "bounced",
                                                                  {"delivered#thank_you_note#email": 1,
                                                                   "stopped#email#bounced": 1})),
    "a delay after a delivery": (("Delivery", "DeliveryDelay"), Expected("delivered", None, None,
                                                                        {"delivered#thank_you_note#email": 1})),
    "a delivery after a rejection": (("Reject", "Delivery"), Expected("failed", None, None,
                                                                     {"rejected#thank_you_note#email": 1})),
}
MALFORMED: dict[str, Any] = {
    "not an object": ["aws.ses"],
    "another source": {"source": "aws.sns", "detail": {}},
    "no detail": {"source": "aws.ses", "id": "x"},
    "no mail": {"source": "aws.ses", "detail": {"eventType": "Bounce"}},
    "an unknown event type": {"source": "aws.ses", "detail": {"eventType": "Open", "mail": {}}},
    "no tags": {"source": "aws.ses", "detail": {"eventType": "Delivery", "mail": {"messageId": "m"}}},
    "tags of another kind": {"source": "aws.ses", "detail": {"eventType": "Delivery", "mail": {
        "messageId": "m", "timestamp": EVENT_AT, "destination": ["a@example.com"],
        "tags": {"interview": ["0a1b2c3d4e5f"], "kind": ["newsletter"], "channel": ["email"]}}}},
    "a bad timestamp": {"source": "aws.ses", "detail": {"eventType": "Delivery", "mail": {
        "messageId": "m", "timestamp": "\x00\ufffe", "destination": ["a@example.com"],
        "tags": {"interview": ["0a1b2c3d4e5f"], "kind": ["check_in"], "channel": ["email"]}}}},
}


TALLY = Tally("hearing back")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with feedback_stack() as stack:
        yield stack


def nudged(stack: Stack) -> tuple[str, str, dict[str, Any]]:
    """A fresh interview (its own mailbox) whose thank-you note went out: its id, the email's message id
    as SES returned it, and the interview as submitted."""
    stack.clock.set(START)
    body = sample_submission()
    body["candidate"]["email"] = f"candidate{next(MAILBOXES)}@example.com"
    confirmed = submit_confirmed(body)
    clear_outbox(REGION)
    due = next(f["due_at"] for f in confirmed["view"]["follow_ups"] if f["step"] == THANK_YOU_NOTE)
    stack.clock.set(datetime.fromisoformat(due))
    handlers.invoke(THANK_YOU_NOTE, {"interview_id": confirmed["id"], "step": THANK_YOU_NOTE, "version": 1})
    (message,) = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    return confirmed["id"], message.id, body


def ses_event(interview_id: str, message_id: str, body: dict[str, Any], event_type: str) -> dict[str, Any]:
    tags = {"interview": interview_id, "kind": THANK_YOU_NOTE, "channel": "email"}
    return envelope(record_of(body["candidate"]["email"], message_id, tags, event_type, EVENT_AT))


def suppression(address: str) -> str | None:
    item = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": f"OPTOUT#{address_key('email', address)}"}},
        ConsistentRead=True).get("Item")
    return item["reason"]["S"] if item else None


def check(where: str, interview_id: str, body: dict[str, Any], expected: Expected, delta: dict[str, int]) -> None:
    interview = stored(interview_id) or {}
    email = interview.get("follow_ups", {}).get(THANK_YOU_NOTE, {}).get("deliveries", {}).get("email", {})
    state = (email.get("status"), (interview.get("stopped") or {}).get("email"), suppression(body["candidate"]["email"]))
    if state != (expected.status, expected.stopped, expected.suppressed):
        TALLY.wrong_states += 1
        TALLY.problems.append(f"{where}: ended {state}, expected {expected}")
    wanted = {metric: n for metric, n in expected.counts.items() if n}
    if {m: n for m, n in delta.items() if not m.startswith(("nudge_", "confirm"))} != wanted:
        TALLY.miscounts += 1
        TALLY.problems.append(f"{where}: counted {delta}, expected {wanted}")


def then_the_check_in(stack: Stack, interview_id: str, where: str, stopped: bool) -> None:
    """The check-in goes out: it emails only an address that neither bounced nor complained."""
    stack.clock.set(START + timedelta(days=14))
    before = len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)
    version = int(stored(interview_id)["follow_ups"][CHECK_IN]["version"])
    handlers.invoke(CHECK_IN, {"interview_id": interview_id, "step": CHECK_IN, "version": version})
    emailed = len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages) - before
    if emailed != (0 if stopped else 1):
        TALLY.extra_sends += max(0, emailed - (0 if stopped else 1))
        TALLY.problems.append(f"{where}: the check-in sent {emailed} emails")


def orders(events: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every order of the events, each event delivered twice (the second right after the first)."""
    return [tuple(e for event in order for e in (event, event)) for order in itertools.permutations(events)]


@pytest.mark.parametrize("name", [*SCENARIOS, *ORDERED])
def test_each_events_duplicated_in_every_order_end_in_one_state_counted_once(stack, name):
    events, expected = SCENARIOS[name] if name in SCENARIOS else ORDERED[name]
    for order in orders(events) if name in SCENARIOS else [tuple(e for event in events for e in (event, event))]:
        TALLY.scenarios += 1
        interview_id, message_id, body = nudged(stack)
        before = counted()
        for event_type in order:
            invoke_as_lambda(stack, ses_event(interview_id, message_id, body, event_type))
        check(f"{name} {order}", interview_id, body, expected, count_delta(before))
        then_the_check_in(stack, interview_id, f"{name} {order}", stopped=expected.stopped is not None)
    assert TALLY.problems == []


@pytest.mark.parametrize("fault", ["ThrottlingException", LOST_ANSWER])
def test_a_bounce_whose_every_call_fails_once_in_turn_still_applies_once(stack, fault):
    expected = SCENARIOS["bounced"][1]
    interview_id, message_id, body = nudged(stack)
    stack.injector.reset()
    invoke_as_lambda(stack, ses_event(interview_id, message_id, body, "Bounce"))
    calls = list(stack.injector.calls)
    assert calls == ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:TransactWriteItems"]  # at most 3 a bounce
    for at, call in enumerate(calls):
        if fault == LOST_ANSWER and call == "dynamodb:GetItem":
            continue  # a read has no answer to lose that matters
        TALLY.scenarios += 1
        interview_id, message_id, body = nudged(stack)
        before = counted()
        stack.injector.reset(at, fault)
        invoke_as_lambda(stack, ses_event(interview_id, message_id, body, "Bounce"))
        check(f"bounce, {call} {fault}", interview_id, body, expected, count_delta(before))
    assert TALLY.problems == []


def test_an_event_for_an_erased_interview_changes_nothing_and_creates_nothing(stack):
    for event_type in ("Delivery", "Bounce", "Complaint"):
        TALLY.scenarios += 1
        interview_id, message_id, body = nudged(stack)
        token = latest_manage_tokens(REGION)[interview_id]["email"]
        assert call_api("DELETE", f"/interviews/{interview_id}", token=token).status == 204
        answer = invoke_as_lambda(stack, ses_event(interview_id, message_id, body, event_type))
        if answer != {"result": "gone"} or stored(interview_id) or suppression(body["candidate"]["email"]):
            TALLY.created_for_erased += 1
            TALLY.problems.append(f"erased, {event_type}: {answer}")
    assert TALLY.problems == []


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_event_is_acknowledged_and_logged_by_its_id_only(stack, name, capsys, caplog):
    TALLY.scenarios += 1
    try:
        answer = handlers.invoke("feedback", MALFORMED[name])
    except Exception as exc:  # noqa: BLE001 - counted: Lambda would retry it
        TALLY.raised_malformed += 1
        TALLY.problems.append(f"malformed, {name}: raised {type(exc).__name__}")
        answer = None
    captured = capsys.readouterr()
    logged = captured.out + captured.err + "".join(str(vars(record)) for record in caplog.records)
    assert answer == {"result": "malformed"}
    assert "feedback event malformed" in logged and "a@example.com" not in logged
    assert TALLY.problems == []
