"""The AWS calls of one interview's whole life, counted exactly, phase by phase.

Given an interview submitted through the API handler and driven through every phase (each step firing,
an offer, the decision card, a delete), when botocore's hooks count every call the product makes, then
each phase makes exactly the calls below, none of them a Scan or a Query, and the cost model
(bench/calls.py's CALLS_PER_PHASE and CALLS_PER_PHASE_EMAIL_ONLY, priced by bench/cost.py) uses these
same counts. `python -m bench.calls` prints them as a table.
"""

from __future__ import annotations

import pytest

from bench.calls import CALLS_PER_PHASE, CALLS_PER_PHASE_EMAIL_ONLY, PHASES, run_lifecycle
from tests.integration.harness import call_api, emails, runner, schedules, sms

DELIVERY = {
    "dynamodb:GetItem": 1,
    "dynamodb:PutItem": 3,
    "sesv2:SendEmail": 1,
    "sns:CheckIfPhoneNumberIsOptedOut": 1,
    "sns:Publish": 1,
}
EMAIL_DELIVERY = {"dynamodb:GetItem": 1, "dynamodb:PutItem": 2, "sesv2:SendEmail": 1}
EXPECTED = {
    "submit": {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1, "scheduler:CreateSchedule": 2},
    "thank_you_note": DELIVERY,
    "check_in": DELIVERY,
    "decision": {"dynamodb:GetItem": 1, "dynamodb:PutItem": 1, "scheduler:CreateSchedule": 1},
    "decision_thank_you": DELIVERY,
    "delete": {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1},
}

EXPECTED_EMAIL_ONLY = {
    **EXPECTED,
    "thank_you_note": EMAIL_DELIVERY,
    "check_in": EMAIL_DELIVERY,
    "decision_thank_you": EMAIL_DELIVERY,
}


@pytest.fixture
def lifecycle(aws_env, fake_clock):
    return run_lifecycle(
        runner(aws_env, set_time=fake_clock.set), fake_clock, table=aws_env.table_name, api=call_api
    )


def test_each_phase_of_an_interview_makes_exactly_its_expected_aws_calls(lifecycle):
    assert list(lifecycle.per_phase()) == list(PHASES)
    assert lifecycle.per_phase() == EXPECTED


def test_an_email_only_interview_makes_no_sms_calls_and_one_write_less_per_step(aws_env, fake_clock):
    email_only = run_lifecycle(
        runner(aws_env, set_time=fake_clock.set),
        fake_clock,
        table=aws_env.table_name,
        channels=("email",),
        api=call_api,
    )

    assert email_only.per_phase() == EXPECTED_EMAIL_ONLY


def test_a_whole_interview_makes_30_aws_calls(lifecycle):
    assert sum(sum(counts.values()) for counts in lifecycle.per_phase().values()) == 30


def test_no_phase_scans_or_queries_the_table(lifecycle):
    operations = {op for counts in lifecycle.per_phase().values() for op in counts}

    assert not [op for op in operations if op.endswith((":Scan", ":Query", ":BatchGetItem"))]


def test_the_lifecycle_delivers_three_emails_and_three_sms_and_leaves_no_schedule(aws_env, lifecycle):
    assert len(emails()) == 3 and len(sms()) == 3
    assert schedules(aws_env) == {}


def test_the_cost_model_prices_the_counts_this_test_asserts():
    assert CALLS_PER_PHASE == EXPECTED
    assert CALLS_PER_PHASE_EMAIL_ONLY == EXPECTED_EMAIL_ONLY
