"""Fault injection: every AWS call of a delivery failing once, and a cancel arriving just before each one.

Given a follow-up due with email and SMS (and email only, SMS only), the AWS calls of its delivery are
recorded once, with nothing injected. Then, for each call of that list, a fresh interview's delivery runs
through the real step handler on moto with:
- that call failing once: a ``ClientError`` (``ThrottlingException``, ``InternalServerError``), or for a
  write, the write landing but its answer lost (a read timeout); then Lambda's retries run as they would
  (up to 2, one and three minutes after the first attempt);
- a cancel through the real API handler just before that call: unsubscribe (``POST /unsubscribe``), a
  decision, marking the step done, or ``DELETE``.

Then each channel went out at most once (counted in moto's SES and SNS backends), and the report's counters
moved by exactly what went out: each message sent counted once (``nudge_sent``), whatever failed or was
retried, plus the cancel's own count (an opt-out, an outcome). The one count a fault can lose, never double:
a message sent (or in flight) when the interview is erased, before its result was recorded: there is no
interview left to record it on, and the count rides on that record. After a fault, exactly
once, and the follow-up ends ``sent``. After a cancel, no send started after the cancel answered, and the
follow-up ends as the cancel left it, with a record of every message that went out.

A send starts at its intent: the conditional write that records its channel in flight, with no AWS call
between that write and the send. A cancel that lands in that gap finds the channel in flight: it goes and is
recorded on the cancelled follow-up (counted "in flight at the cancel"). Any send after another call that
followed the cancel is a send after a cancel. The figures are printed at the end of the run
(``tests/conftest.py``'s ``pytest_terminal_summary``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from followup.domain.models import STEPS
from followup.usecases.delivery import BACKOFF_BASE
from local import handlers
from local.engine import LAMBDA_ASYNC_RETRIES, RETRY_DELAYS
from tests.integration.fault_parts import LOST_ANSWER, Injector, count_delta, counted
from tests.integration.harness import (
    START,
    Clock,
    call_api,
    clear_outbox,
    provisioned_account,
    sample_submission,
    submit_confirmed,
)

STEP = STEPS[0]  # the thank-you note: the first nudge, cancelled by every kind of cancel
REGION = "us-east-1"
SEND = {"sesv2:SendEmail": "email", "sns:Publish": "sms"}
FAULTS = ("ThrottlingException", "InternalServerError")
CANCELS: dict[str, tuple[Callable[[str, dict[str, str]], Any], int, str]] = {
    # name -> (the API call with the candidate's tokens, its status, what the follow-up ends as)
    "unsubscribe": (
        lambda id_, tokens: call_api("POST", "/unsubscribe", query=f"token={tokens['unsubscribe']}"), 200, "cancelled"
    ),
    "decision": (
        lambda id_, tokens: call_api("POST", f"/interviews/{id_}/decision", token=tokens["manage"],
                                     body={"outcome": "not_selected"}),
        200,
        "cancelled",
    ),
    "done": (
        lambda id_, tokens: call_api("POST", f"/interviews/{id_}/follow-ups/{STEP}/done", token=tokens["manage"]),
        200,
        "done",
    ),
    "delete": (lambda id_, tokens: call_api("DELETE", f"/interviews/{id_}", token=tokens["manage"]), 204, "erased"),
}
CHANNEL_SETS = {"email+sms": ("email", "sms"), "email": ("email",), "sms": ("sms",)}
# What a clean delivery calls, in order: the interview, the firm-wide opt-outs of its destinations (one batch),
# then every send right after the write that records its intent. A write that records a result also adds the
# report's counts, in one transaction with it.
# The claim (with the first intent) is a transaction: it checks the firm's opt-out list itself, so there is no read
# of it first (one happens only when the claim finds an address on the list).
EXPECTED_CALLS = {
    "email+sms": ["dynamodb:GetItem", "dynamodb:TransactWriteItems", "sesv2:SendEmail",
                  "sns:CheckIfPhoneNumberIsOptedOut", "dynamodb:TransactWriteItems", "sns:Publish",
                  "dynamodb:TransactWriteItems"],
    "email": ["dynamodb:GetItem", "dynamodb:TransactWriteItems", "sesv2:SendEmail", "dynamodb:TransactWriteItems"],
    "sms": ["dynamodb:GetItem", "sns:CheckIfPhoneNumberIsOptedOut", "dynamodb:TransactWriteItems", "sns:Publish",
            "dynamodb:TransactWriteItems"],
}
WRITES = ("dynamodb:PutItem", "dynamodb:TransactWriteItems")  # a delivery's writes of the interview


@dataclass
class Tally:
    """What every scenario of the module found, printed at the end of the run."""

    scenarios: int = 0
    faults: int = 0
    cancels: int = 0
    duplicates: int = 0
    sends_after_a_cancel: int = 0
    in_flight_at_a_cancel: int = 0
    miscounts: int = 0  # scenarios whose report counts differ from what went out
    uncounted_at_an_erase: int = 0  # messages sent but not yet recorded when the interview was erased
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"fault injection: {self.scenarios} scenarios ({self.faults} faults, {self.cancels} cancels), "
            f"{self.duplicates} duplicates, {self.sends_after_a_cancel} sends after a cancel "
            f"({self.in_flight_at_a_cancel} already in flight at the cancel, each recorded), "
            f"{self.miscounts} report miscounts ({self.uncounted_at_an_erase} sent, unrecorded at an erase: uncounted)"
        )


TALLY = Tally()


@dataclass
class Stack:
    clock: Clock
    injector: Injector
    waits: list[float]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    clock = Clock()
    waits: list[float] = []
    # Every scenario submits from one address to one destination: their limits are lifted.
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 100_000,
                                                "ConfirmationsPerDayPerDestination": 100_000}), \
            pytest.MonkeyPatch.context() as patch, Injector() as injector:
        patch.setattr("followup.usecases.delivery.wait", waits.append)  # the write backoff, recorded instead of slept
        yield Stack(clock, injector, waits)


def sent_counts() -> tuple[int, int]:
    ses = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    return len(ses.sent_messages), len(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages)


def check_counts(where: str, delta: dict[str, int], expected: dict[str, int]) -> None:
    expected = {metric: n for metric, n in expected.items() if n}
    if delta != expected:
        TALLY.miscounts += 1
        TALLY.problems.append(f"{where}: the report counted {delta}, expected {expected}")


def stored_follow_up(interview_id: str) -> dict[str, Any] | None:
    item = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": f"INTERVIEW#{interview_id}"}}, ConsistentRead=True
    ).get("Item")
    return TypeDeserializer().deserialize(item["follow_ups"])[STEP] if item else None


def submit(stack: Stack, channels: tuple[str, ...]) -> tuple[str, dict[str, str], datetime]:
    """A fresh interview, submitted and confirmed as the candidate would (the clock back at the interview day);
    its id, the candidate's tokens (``manage``, and ``unsubscribe`` where an email brought one) and the note's
    due time. The confirmations are forgotten: only the nudges are counted."""
    stack.clock.set(START)
    body = sample_submission()
    body.update(channels=list(channels), sms_consent="sms" in channels)
    confirmed = submit_confirmed(body)
    clear_outbox(REGION)
    tokens = {"manage": confirmed["manage_token"]}
    if confirmed.get("unsubscribe_token"):
        tokens["unsubscribe"] = confirmed["unsubscribe_token"]
    due = next(f["due_at"] for f in confirmed["view"]["follow_ups"] if f["step"] == STEP)
    return confirmed["id"], tokens, datetime.fromisoformat(due)


def deliver_as_lambda(stack: Stack, interview_id: str, due: datetime, between: Callable[[], None] | None = None) -> None:
    """The schedule fires at ``due``; Lambda retries a failed invocation, one and three minutes later
    (``between``, if given, runs before the first retry)."""
    payload = {"interview_id": interview_id, "step": STEP, "version": 1}
    stack.injector.active = True
    try:
        for attempt in range(1 + LAMBDA_ASYNC_RETRIES):
            stack.clock.set(due + sum(RETRY_DELAYS[:attempt], timedelta()))
            if attempt == 1 and between is not None:
                stack.injector.active = False
                between()
                stack.injector.cancelled_at = len(stack.injector.calls) - 1  # every later call is after it
                stack.injector.active = True
            try:
                handlers.invoke(STEP, payload)
            except Exception:  # noqa: BLE001, S112 - Lambda treats any error as a failed invocation, and retries
                continue
            return
    finally:
        stack.injector.active = False


def delivery_calls(stack: Stack, channels: tuple[str, ...]) -> list[str]:
    interview_id, _, due = submit(stack, channels)
    stack.injector.reset()
    deliver_as_lambda(stack, interview_id, due)
    return list(stack.injector.calls)


def run_fault(stack: Stack, name: str, channels: tuple[str, ...], at: int, fault: str) -> None:
    interview_id, _, due = submit(stack, channels)
    before, counts_before = sent_counts(), counted()
    stack.injector.reset(at, fault)
    deliver_as_lambda(stack, interview_id, due)
    sent = dict(zip(("email", "sms"), (after - b for after, b in zip(sent_counts(), before, strict=True)), strict=True))
    where = f"{name}: {stack.injector.calls[at]} #{at} {fault}"
    TALLY.scenarios += 1
    TALLY.faults += 1
    TALLY.duplicates += sum(1 for n in sent.values() if n > 1)
    follow_up = stored_follow_up(interview_id) or {}
    if [sent[c] for c in channels] != [1] * len(channels) or any(sent[c] for c in ("email", "sms") if c not in channels):
        TALLY.problems.append(f"{where}: sent {sent}, expected each of {channels} exactly once")
    recorded = {c: d["status"] for c, d in follow_up.get("deliveries", {}).items()}
    if follow_up.get("status") != "sent" or recorded != dict.fromkeys(channels, "sent"):
        TALLY.problems.append(f"{where}: ended {follow_up.get('status')} with {recorded}")
    unconfirmed = [c for c, d in follow_up.get("deliveries", {}).items() if d.get("reason") == "unconfirmed"]
    check_counts(where, count_delta(counts_before), {
        **{f"nudge_sent#{STEP}#{c}": sent[c] for c in ("email", "sms")},
        **{f"nudge_unconfirmed#{STEP}#{c}": 1 for c in unconfirmed},
    })


def run_cancel(stack: Stack, name: str, channels: tuple[str, ...], at: int, cancel: str, *,
               after_failing: bool = False) -> None:
    """``cancel`` just before call ``at``; or, ``after_failing``, that call failing and the cancel arriving
    before Lambda's retry."""
    interview_id, tokens, due = submit(stack, channels)
    if cancel == "unsubscribe" and "unsubscribe" not in tokens:
        return  # an SMS-only candidate has no unsubscribe link: STOP, the carrier's opt-out, is theirs
    before, counts_before = sent_counts(), counted()
    request, status, ends = CANCELS[cancel]
    answers: list[int] = []

    def cancelling() -> None:
        answers.append(request(interview_id, tokens).status)

    if after_failing:
        stack.injector.reset(at, FAULTS[0])
        deliver_as_lambda(stack, interview_id, due, between=cancelling)
        where = f"{name}: {EXPECTED_CALLS[name][at]} #{at} failed, then {cancel} before the retry"
    else:
        stack.injector.reset(at, cancelling)
        deliver_as_lambda(stack, interview_id, due)
        where = f"{name}: {cancel} before {EXPECTED_CALLS[name][at]} #{at}"
    calls, cancelled_at = stack.injector.calls, stack.injector.cancelled_at
    sent = dict(zip(("email", "sms"), (after - b for after, b in zip(sent_counts(), before, strict=True)), strict=True))
    TALLY.scenarios += 1
    TALLY.cancels += 1
    TALLY.duplicates += sum(1 for n in sent.values() if n > 1)
    if answers != [status] or cancelled_at is None:
        TALLY.problems.append(f"{where}: the cancel answered {answers}")
        return
    sends = [(i, call) for i, call in enumerate(calls) if call in SEND]
    after = [(i, call) for i, call in sends if i > cancelled_at]
    in_flight = [(i, call) for i, call in sends if i == cancelled_at]
    TALLY.sends_after_a_cancel += len(after)
    TALLY.in_flight_at_a_cancel += len(in_flight)
    if after:
        TALLY.problems.append(f"{where}: sent after the cancel: {after}")
    if in_flight and calls[cancelled_at - 1] not in WRITES:
        TALLY.problems.append(f"{where}: a send in flight without its intent written just before: {calls}")
    follow_up = stored_follow_up(interview_id)
    delta = count_delta(counts_before)
    own = {"unsubscribe": {"cancelled#unsubscribed": 1}, "decision": {"outcome#not_selected": 1}}.get(cancel, {})
    if ends == "erased":
        # What went out was counted when its result was recorded; one in flight at the erase never is.
        uncounted = {f"nudge_sent#{STEP}#{c}": sent[c] - delta.get(f"nudge_sent#{STEP}#{c}", 0) for c in ("email", "sms")}
        TALLY.uncounted_at_an_erase += sum(uncounted.values())
        check_counts(where, delta, {m: sent[m.rsplit("#", 1)[1]] - n for m, n in uncounted.items()})
        # Unrecorded at the erase: a send made before it (or in flight at it) with no write of the delivery between
        # (the calls before the cancel: up to cancelled_at, that one included when the cancel came between invocations)
        landed = cancelled_at + 1 if after_failing else cancelled_at
        unrecorded = [i for i, _ in sends if i <= cancelled_at and not (after_failing and i == at)  # that one failed
                      and not any(c in WRITES for c in calls[i + 1:landed])]
        if any(n < 0 for n in uncounted.values()) or sum(uncounted.values()) != len(unrecorded):
            TALLY.miscounts += 1
            TALLY.problems.append(f"{where}: uncounted {uncounted}, {len(unrecorded)} unrecorded at the erase")
        if follow_up is not None:
            TALLY.problems.append(f"{where}: the interview is still stored")
        return
    unconfirmed = [c for c, d in (follow_up or {}).get("deliveries", {}).items() if d.get("reason") == "unconfirmed"]
    check_counts(where, delta, {**own, **{f"nudge_sent#{STEP}#{c}": sent[c] for c in ("email", "sms")},
                                **{f"nudge_unconfirmed#{STEP}#{c}": 1 for c in unconfirmed}})
    recorded = {c: d["status"] for c, d in (follow_up or {}).get("deliveries", {}).items()}
    went = {c for c in ("email", "sms") if sent[c]}
    if (follow_up or {}).get("status") != ends or {c for c, s in recorded.items() if s == "sent"} != went:
        TALLY.problems.append(f"{where}: ended {(follow_up or {}).get('status')} with {recorded}; sent {sent}")


# ---- the tests ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def calls_of(stack) -> dict[str, list[str]]:
    return {name: delivery_calls(stack, channels) for name, channels in CHANNEL_SETS.items()}


def test_a_clean_delivery_makes_its_calls_with_each_send_right_after_the_write_of_its_intent(calls_of):
    assert calls_of == EXPECTED_CALLS


@pytest.mark.parametrize("name", CHANNEL_SETS)
def test_any_one_call_of_a_delivery_failing_once_still_sends_each_channel_exactly_once(stack, calls_of, name):
    problems = len(TALLY.problems)
    for at, call in enumerate(calls_of[name]):
        for fault in (*FAULTS, *((LOST_ANSWER,) if call in WRITES else ())):
            run_fault(stack, name, CHANNEL_SETS[name], at, fault)

    assert TALLY.problems[problems:] == []


@pytest.mark.parametrize("name", CHANNEL_SETS)
def test_a_cancel_before_any_call_of_a_delivery_stops_every_send_that_had_not_started(stack, calls_of, name):
    problems = len(TALLY.problems)
    for at in range(len(calls_of[name])):
        for cancel in CANCELS:
            run_cancel(stack, name, CHANNEL_SETS[name], at, cancel)

    assert TALLY.problems[problems:] == []


@pytest.mark.parametrize("name", CHANNEL_SETS)
def test_a_cancel_between_a_failed_send_and_lambdas_retry_stops_the_retry(stack, calls_of, name):
    problems = len(TALLY.problems)
    for at, call in enumerate(calls_of[name]):
        if call in SEND or call == "sns:CheckIfPhoneNumberIsOptedOut":
            for cancel in CANCELS:
                run_cancel(stack, name, CHANNEL_SETS[name], at, cancel, after_failing=True)

    assert TALLY.problems[problems:] == []


def test_the_store_faults_were_retried_after_a_bounded_backoff(stack, calls_of):
    for at, call in enumerate(calls_of["email+sms"]):
        if call in WRITES:
            stack.waits.clear()
            run_fault(stack, "email+sms", CHANNEL_SETS["email+sms"], at, FAULTS[0])
            assert len(stack.waits) == 1 and 0 <= stack.waits[0] <= BACKOFF_BASE, (at, stack.waits)
