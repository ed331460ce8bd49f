"""The AWS calls of one interview's whole life, counted exactly, phase by phase.

Given an interview submitted through the API handler, confirmed from its messages, and driven through
every phase (each step firing, an offer, the decision card, a delete), when every call of every botocore
client in the process is recorded (``local.calls.CallRecorder``, whatever the service), then the product
makes exactly the calls below in each phase, none of them a Scan, its Queries of the table each of one
interview's key (a read for a token), no batch read (the writes check the opt-out list themselves), and nothing of
any other service.
Each lifecycle runs once per module. `python -m bench.calls` prints the same counts as a table,
and bench/cost.py prices the ones it measures.
"""

from __future__ import annotations

import pytest

from followup.domain.models import STEPS
from tests.integration.harness import (
    PHASES,
    Clock,
    call_api,
    emails,
    provisioned_account,
    run_lifecycle,
    runner,
    schedules,
    sms,
)

# A delivery: GetItem; TransactWriteItems (the claim and the email's intent, with the condition that neither
# destination is on the firm-wide opt-out list: no read of it first); SendEmail; CheckIfPhoneNumberIsOptedOut;
# TransactWriteItems (the email's result and the SMS's intent, with the report's count of the email sent);
# Publish; TransactWriteItems (the SMS's result and the end, with its count). Every send right after the write
# of its intent costs no extra call: each intent, each check and each count rides on a write made anyway.
DELIVERY = {
    "dynamodb:GetItem": 1,
    "dynamodb:TransactWriteItems": 3,
    "sesv2:SendEmail": 1,
    "sns:CheckIfPhoneNumberIsOptedOut": 1,
    "sns:Publish": 1,
}
EMAIL_DELIVERY = {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 2, "sesv2:SendEmail": 1}
EXPECTED = {
    # TransactWriteItems: the interview, its idempotency record (whose condition finds a retry: no read first),
    # the condition that neither destination is on the firm-wide opt-out list (its reason returned if one is),
    # the client's submissions-per-hour use and each destination's confirmations-per-day use (conditional
    # updates: one refused, nothing is written), and the report's counts of the enrolment and of each
    # confirmation sent (one that does not go is taken back)
    "submit": {"dynamodb:TransactWriteItems": 1, "sesv2:SendEmail": 1, "sns:CheckIfPhoneNumberIsOptedOut": 1,
               "sns:Publish": 1},
    # Per channel confirmed: the interview read for the token (a Query of its key) and written (with the count
    # of a destination confirmed, and the duplicate pointer, conditional: it is read only when it names another
    # interview); the first one schedules both nudges
    "confirm": {"dynamodb:Query": 2, "dynamodb:TransactWriteItems": 2, "scheduler:CreateSchedule": 2},
    "thank_you_note": DELIVERY,
    "check_in": DELIVERY,
    # the interview read for the token, the decision written with the count of its outcome
    "decision": {"dynamodb:Query": 1, "dynamodb:TransactWriteItems": 1, "scheduler:CreateSchedule": 1},
    "decision_thank_you": DELIVERY,
    "delete": {"dynamodb:Query": 1, "dynamodb:TransactWriteItems": 1},
}
EXPECTED_EMAIL_ONLY = {
    **EXPECTED,
    "submit": {"dynamodb:TransactWriteItems": 1, "sesv2:SendEmail": 1},
    "confirm": {"dynamodb:Query": 1, "dynamodb:TransactWriteItems": 1, "scheduler:CreateSchedule": 2},
    **dict.fromkeys(STEPS, EMAIL_DELIVERY),
}


def _lifecycle(channels: tuple[str, ...]):
    clock = Clock()
    with provisioned_account(clock) as resources:
        lifecycle = run_lifecycle(runner(resources, set_time=clock.set), clock, channels=channels, api=call_api)
        outbox = (len(emails()), len(sms()), schedules(resources))
    return lifecycle, outbox


@pytest.fixture(scope="module")
def both_channels():
    return _lifecycle(("email", "sms"))


@pytest.fixture(scope="module")
def email_only():
    return _lifecycle(("email",))


def test_each_phase_of_an_interview_makes_exactly_its_expected_aws_calls(both_channels):
    lifecycle, _ = both_channels

    assert list(lifecycle.per_phase()) == list(PHASES)
    assert lifecycle.per_phase() == EXPECTED


def test_an_email_only_interview_makes_no_sms_calls_and_one_write_less_per_step(email_only):
    lifecycle, _ = email_only

    assert lifecycle.per_phase() == EXPECTED_EMAIL_ONLY


def test_no_phase_scans_and_every_query_or_batch_reads_by_key(both_channels, email_only):
    calls = [call for lifecycle, _ in (both_channels, email_only) for call in lifecycle.calls.product_calls()]

    assert calls and not [call for call in calls if call.operation == "Scan"]
    queried = {(c.params["KeyConditionExpression"], c.params["ExpressionAttributeValues"][":pk"]["S"].split("#")[0])
               for c in calls if c.operation == "Query"}
    batched = {key["pk"]["S"].split("#")[0] for c in calls if c.operation == "BatchGetItem"
               for request in c.params["RequestItems"].values() for key in request["Keys"]}
    assert (queried, batched) == ({("pk = :pk", "INTERVIEW")}, set())  # the opt-out list: checked by the writes


def test_every_call_the_product_makes_comes_from_an_adapter(both_channels):
    lifecycle, _ = both_channels
    callers = {call.caller for call in lifecycle.calls.product_calls()}

    assert callers and all("adapters" in caller.parts for caller in callers), sorted(map(str, callers))


def test_the_lifecycle_sends_one_confirmation_and_one_nudge_per_step_on_each_channel_and_leaves_no_schedule(
        both_channels):
    _, (sent_emails, sent_sms, left) = both_channels

    assert (sent_emails, sent_sms) == (1 + len(STEPS), 1 + len(STEPS))
    assert left == {}
