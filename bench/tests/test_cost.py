"""The cost model's arithmetic (bench/cost.py) on a small lifecycle given here, worked out from its rules.

The model reads a measured lifecycle (``bench.calls.measure()``: calls per phase, the stored item's size
after each phase, the bytes of logs and metric lines, the metric series) and prices a month of it; these
tests give it a two-phase lifecycle whose units follow from DynamoDB's rules (a write: a unit per KB of
the item; a consistent read: a unit per 4 KB; a transaction: twice its items' units).
"""

from __future__ import annotations

import json
import math

import pytest

from bench import cost

SUBMIT = {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1, "scheduler:CreateSchedule": 1}
STEP = {"dynamodb:GetItem": 1, "dynamodb:PutItem": 3, "sesv2:SendEmail": 1, "sns:Publish": 1}
SERIES = [
    ["FollowUpScheduled", [["service", "s"], ["step", "check_in"]]],
    ["FollowUpSent", [["channel", "email"], ["service", "s"], ["step", "check_in"]]],
    ["FollowUpSent", [["channel", "sms"], ["service", "s"], ["step", "check_in"]]],
]


def measured(step_item_bytes: int = 1500) -> cost.Measured:
    return cost.Measured.of(
        {
            "per_phase": {"submit": SUBMIT, "check_in": STEP},
            "item_bytes": {"submit": 900, "check_in": step_item_bytes},
            "log_bytes": {"submit": 1000, "check_in": 1500},
            "metric_series": SERIES,
        }
    )


def test_a_failure_series_is_counted_for_each_sent_series_it_would_mirror():
    # Given three series seen, two of them FollowUpSent: FollowUpFailed has the same dimensions
    assert measured().metric_series == len(SERIES) + 2


def test_writes_are_billed_by_the_size_of_the_item_after_each_phase():
    used = cost.usage(1, measured(1500), alarms=1)

    # 1,500 bytes: 2 units a write, 3 writes; the transaction writes the 900-byte item and the
    # idempotency record, each twice
    assert used.write_units == 3 * 2 + 2 * (1 + cost.IDEMPOTENCY_RECORD_UNITS)
    assert used.read_units == 2
    assert (used.emails, used.sms_parts, used.scheduler_invocations) == (1, 1, 1)
    assert (used.http_requests, used.lambda_requests) == (1, 2)


def test_a_bigger_item_costs_more_write_units_per_write():
    small, big = (cost.usage(1, measured(size), alarms=1) for size in (1500, 2100))

    assert big.write_units - small.write_units == STEP["dynamodb:PutItem"]


def test_lambda_seconds_and_logs_follow_the_invocations_and_the_measured_bytes():
    used = cost.usage(10, measured(), alarms=1)

    seconds = cost.invocation_seconds(cost.API_INVOCATION_S) + cost.invocation_seconds(cost.STEP_INVOCATION_S)
    assert used.lambda_gb_seconds == pytest.approx(10 * seconds * cost.template_memory_gb())
    assert used.log_gb == pytest.approx((10 * 2500 + 20 * cost.LOG_BYTES_PER_INVOCATION) / 1e9)


def test_the_poll_design_queries_every_minute_reads_only_due_items_and_writes_its_index_too():
    evented, polled = (cost.usage(100, measured(), poll=poll, alarms=1) for poll in (False, True))

    # The step's GetItem is gone (the Query returned the item); each Query costs half a unit, each due
    # item half a unit per 4 KB; the step's three writes and the transaction go to the index again
    assert polled.read_units == 100 * 1 + cost.POLLS_PER_MONTH * 0.5 + 100 * 0.5
    assert polled.write_units == evented.write_units + 100 * (3 * 2 + 1 * 1)
    assert polled.scheduler_invocations == 0
    assert polled.lambda_requests == 100 + cost.POLLS_PER_MONTH


def test_metrics_and_alarms_are_a_monthly_fixed_cost_whatever_the_number_of_candidates():
    few, many = (cost.bill(cost.usage(n, measured(), alarms=1)) for n in (1, 100_000))

    assert few["CloudWatch custom metrics"] == many["CloudWatch custom metrics"] == 5 * cost.CLOUDWATCH_METRIC_MONTH
    assert few["CloudWatch alarms"] == cost.CLOUDWATCH_ALARM_MONTH


def test_the_alarms_priced_are_the_templates():
    from local import provision

    alarms = [r for r in provision.template()["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert cost.usage(1, measured()).alarms == len(alarms) > 0


def test_the_free_tiers_take_off_ten_metrics_and_ten_alarms_at_most():
    used = cost.usage(1, measured(), alarms=12)

    free = cost.free_tier(used)
    lambda_and_scheduler = (
        used.lambda_requests * cost.LAMBDA_REQUEST
        + used.lambda_gb_seconds * cost.LAMBDA_ARM64_GB_SECOND
        + used.scheduler_invocations * cost.SCHEDULER_INVOCATION
    )
    assert free == pytest.approx(
        lambda_and_scheduler + 5 * cost.CLOUDWATCH_METRIC_MONTH + 10 * cost.CLOUDWATCH_ALARM_MONTH
    )


def test_the_command_prints_the_table_for_the_number_of_candidates_given(tmp_path, capsys):
    # Given a measured run saved as bench.calls writes it
    run = {"per_phase": {"submit": SUBMIT, "check_in": STEP}, "item_bytes": {"submit": 900, "check_in": 1500},
           "log_bytes": {"submit": 1000}, "metric_series": SERIES}
    saved = tmp_path / "calls.json"
    saved.write_text(json.dumps({"email+sms": run, "email": run}))

    # When the command prices it for 5,000 candidates
    assert cost.main(["5000", "--calls", str(saved)]) == 0

    # Then the table says so, with the total of the bill it computes
    out = capsys.readouterr().out
    total = sum(cost.bill(cost.usage(5000, cost.Measured.of(run), sms_parts=cost.sms_parts_of("en"))).values())
    assert "for 5,000 candidates" in out
    assert f"| **total** | **{total:,.2f}** |" in out
    assert math.isfinite(total) and total > 0


def test_the_command_refuses_a_number_of_candidates_that_is_not_a_whole_number(capsys):
    assert cost.main(["lots"]) == 2
    assert "whole number" in capsys.readouterr().err


def test_an_sms_is_billed_by_the_segments_its_language_really_uses():
    # Given each language's lifecycle texts, measured
    english, spanish = cost.sms_parts_of("en"), cost.sms_parts_of("es")

    # Then each is between one and two segments a text (none longer: tests/unit/test_messages_sms.py), and the
    # bill follows the segments: a month of Spanish texts costs what its segments cost
    assert 1 <= english <= 2 and 1 <= spanish <= 2
    en, es = (cost.usage(100, measured(), alarms=1, sms_parts=parts) for parts in (english, spanish))
    assert es.sms_parts / en.sms_parts == pytest.approx(spanish / english)
    assert cost.column_usages(100, {"email": measured(), "email+sms": measured()})[
        "ours, email + SMS in Spanish"].sms_parts == pytest.approx(100 * spanish)
