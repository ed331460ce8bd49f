"""The cost model's arithmetic (bench/cost.py), against values worked out by hand from its constants.

Per candidate with SMS: 3 API requests and 3 step invocations; 6 consistent GetItems (1 RRU each);
13 PutItems (2 WRU each) and 2 two-item transactions (8 WRU each) = 42 WRU; 3 emails, 3 SMS, 3
schedules fired. Billed seconds: 3 x (0.15 + 0.5) + 3 x (0.35 + 0.5) = 4.5 s at 0.25 GB = 1.125 GB-s.
"""

from __future__ import annotations

import pytest

from bench import cost


def test_one_candidate_with_sms_uses_six_invocations_six_read_units_and_36_write_units():
    used = cost.usage(1, sms=True)

    assert (used.http_requests, used.lambda_requests, used.scheduler_invocations) == (3, 6, 3)
    assert (used.read_units, used.write_units) == (6, 36)
    assert (used.emails, used.sms_parts) == (3, 3)
    assert used.lambda_gb_seconds == pytest.approx(1.125)


def test_an_email_only_candidate_writes_six_units_less_and_sends_no_sms():
    used = cost.usage(1, sms=False)

    assert (used.write_units, used.sms_parts, used.emails) == (30, 0, 3)


def test_a_thousand_candidates_with_sms_cost_17_78_dollars_a_month_nearly_all_of_it_sms():
    bill = cost.bill(cost.usage(1000, sms=True))

    assert bill["SMS (US, before carrier fees)"] == pytest.approx(17.43)
    assert bill["SES email"] == pytest.approx(0.30)
    assert bill["DynamoDB writes"] == pytest.approx(0.0225)  # 36,000 WRU at $0.625 a million
    assert bill["DynamoDB reads"] == pytest.approx(0.00075)
    assert bill["EventBridge Scheduler"] == pytest.approx(0.003)
    assert bill["Lambda duration (arm64)"] == pytest.approx(0.015000075)
    assert bill["CloudWatch Logs ingestion"] == pytest.approx(0.00415)
    assert sum(bill.values()) == pytest.approx(17.78125, abs=1e-5)


def test_a_thousand_candidates_by_email_only_cost_35_cents_a_month():
    assert sum(cost.bill(cost.usage(1000, sms=False)).values()) == pytest.approx(0.3475, abs=1e-5)


def test_the_poll_design_reads_every_resident_item_every_minute():
    # 1,000 x 104/30 resident interviews x 2 KB = 6,933.3 KB: 1,734 blocks of 4 KB at half a unit,
    # 43,200 times.
    used = cost.usage(1000, sms=True, poll=True)

    assert used.read_units == 867 * 43_200 + 6_000
    assert used.lambda_requests == 3_000 + 43_200
    assert used.scheduler_invocations == 0
    assert cost.bill(used)["DynamoDB reads"] == pytest.approx(4.68255)


def test_the_free_tiers_cover_the_lambda_and_scheduler_lines_of_a_thousand_candidates():
    used = cost.usage(1000, sms=True)

    assert cost.free_tier(used) == pytest.approx(0.0012 + 0.015000075 + 0.003)


def test_the_command_prints_the_table_for_the_number_of_candidates_given(capsys):
    assert cost.main(["5000"]) == 0

    out = capsys.readouterr().out
    assert "for 5,000 candidates" in out
    assert "| **total** | **1.74** | **88.91** |" in out


def test_the_command_refuses_a_number_of_candidates_that_is_not_a_whole_number(capsys):
    assert cost.main(["lots"]) == 2
    assert "whole number" in capsys.readouterr().err
