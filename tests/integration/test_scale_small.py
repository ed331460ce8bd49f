"""`make bench`'s scale scenario, small: 40 interviews over 30 simulated days, every nudge exactly once.

Given 40 interviews in five zones (Lord Howe's half-hour DST among them), with every channel choice,
late and future interview times and a decision on every fourth, submitted through the API handler,
when the scheduler fires everything that falls due a day at a time for 30 days, then every follow-up
due before its decision (or any, without one) is sent unless skipped, each candidate got exactly one
email and one SMS per sent follow-up on their channels, and the outbox holds exactly the messages the
product recorded, each once. The expected figures come from the plans and the views (scenario.verify),
never typed here. No timing is asserted: `python -m bench.scale` measures that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.integration import scenario as scale
from tests.integration.harness import Clock, call_api, provisioned_account, runner

INTERVIEWS = 40


class InProcess:
    """The scenario's driver over the real handlers on mock_aws, with the test's clock."""

    def __init__(self, resources: Any, fake_clock: Any) -> None:
        self.runner = runner(resources, set_time=fake_clock.set)
        self.clock = fake_clock

    def now(self) -> datetime:
        return self.clock()

    def api(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        answer = call_api(method, path, body=body, token=token, headers=headers)
        return answer.status, answer.json() if answer.text else None

    def advance(self, delta: timedelta) -> list[str]:
        target = self.clock() + delta
        fired = self.runner.fire_due(target)
        self.clock.set(target)
        return [invocation.name for invocation in fired]


@pytest.fixture(scope="module")
def result():
    clock = Clock()
    # Every submission comes from one address here: the per-client limit is raised as a firm would for an office.
    # SMS goes to every zone's country here: the firm's list is a parameter, and US,CA by default.
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 100_000,
                                                "SmsCountries": ",".join(scale.SMS_COUNTRIES)}) as resources:
        return scale.run(INTERVIEWS, InProcess(resources, clock))


def test_the_scenario_mixes_every_zone_and_every_channel_choice(fake_clock):
    plans = [scale.plan(index, fake_clock()) for index in range(INTERVIEWS)]

    assert {p.body["candidate"]["time_zone"] for p in plans} == set(scale.ZONES)
    assert {tuple(p.body["channels"]) for p in plans} == set(scale.CHANNELS)
    assert sum(1 for p in plans if p.decision) == INTERVIEWS // 4  # every fourth


def test_every_expected_nudge_goes_out_exactly_once_and_nothing_else(result):
    assert result["problems"] == []
    assert result["nudges"] == result["expected_nudges"]
    assert (result["emails"], result["sms"]) == (result["expected_emails"], result["expected_sms"])
    assert result["emails"] > 0 and result["sms"] > 0


def test_every_schedule_that_fired_sent_its_follow_up(result):
    assert result["schedules_fired"] == result["follow_ups_sent"] > 0
