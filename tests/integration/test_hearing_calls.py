"""Every kind of event the feedback function hears, counted exactly: at most three calls to apply one (the pointer,
the interview, one write that carries whatever else the event changes), the message it sends counted apart, and
its second delivery applying nothing (reads only, or the suppression's idempotent put again)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.hearing_calls import APPLY_GOAL, EVENTS, measure

GET, PUT, WRITE = "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:TransactWriteItems"
EXPECTED = {  # kind -> (applying, sending, second delivery)
    "SES delivery": ([GET, WRITE], [], [GET]),
    # the suppression (30 days from the event's time: the same item again on its second delivery), the interview
    "SES permanent bounce": ([GET, PUT, WRITE], [], [GET, PUT]),
    "SES transient bounce": ([GET, PUT], [], [GET]),  # recorded on the delivery: a write with no counts, a put
    "SES complaint": ([GET, PUT, WRITE], [], [GET, PUT]),
    "SES delivery delay": ([GET, PUT], [], [GET]),
    "SES reject": ([GET, WRITE], [], [GET]),
    "SMS receipt, delivered": ([GET, GET, WRITE], [], [GET, GET]),
    "SMS receipt, unreachable": ([GET, GET, WRITE], [], [GET, GET]),
    "reply DONE": ([GET, GET, WRITE], ["sns:Publish"], [GET, GET]),
    "reply STOP": ([GET, GET, WRITE], [], [GET, GET]),  # the opt-out rides the interview's write
    "reply START": ([GET, GET, WRITE], [], [GET, GET]),
    "reply text, public (answered)": ([GET, GET, WRITE], ["sns:Publish"], [GET, GET]),  # the day's answer, in it
    "reply text, enrolled (forwarded)": ([GET, GET, WRITE], ["sesv2:SendEmail"], [GET, GET]),  # the day's forward
}


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, Any]]:
    return measure()


@pytest.mark.parametrize("kind", list(EVENTS))
def test_each_event_kind_makes_exactly_its_calls_and_at_most_three_to_apply_it(measured, kind):
    applying, sending, again = EXPECTED[kind]

    got = measured[kind]

    assert (got["apply"], got["sends"], got["again"]) == (applying, sending, again)
    assert len(got["apply"]) <= APPLY_GOAL


def test_every_kind_the_bench_reports_is_asserted():
    assert set(EXPECTED) == set(EVENTS)
