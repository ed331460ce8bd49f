"""The adapters and the in-memory fakes offer the same ports, so a unit test on fakes tests what deploys."""

from __future__ import annotations

import inspect

import pytest

from followup import ports
from followup.adapters.counters import DynamoCounters
from followup.adapters.notify import AwsSenders
from followup.adapters.schedules import FollowUpScheduler
from followup.adapters.store import InterviewStore
from tests.fakes import FakeCounters, FakeScheduler, FakeSenders, FakeStore
from tests.unit.builders import SETTINGS

PAIRS = [
    (ports.Store, InterviewStore(SETTINGS.table_name), FakeStore()),
    (ports.Scheduler, FollowUpScheduler(SETTINGS), FakeScheduler()),
    (ports.Senders, AwsSenders(), FakeSenders()),
    (ports.Counters, DynamoCounters(SETTINGS.table_name), FakeCounters()),
]


def operations(port: type) -> list[str]:
    return sorted(name for name, _ in inspect.getmembers(port, inspect.isfunction) if not name.startswith("_"))


@pytest.mark.parametrize(("port", "adapter", "fake"), PAIRS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_adapter_and_the_fake_offer_each_operation_of_the_port_with_its_parameters(port, adapter, fake):
    for name in operations(port):
        expected = list(inspect.signature(getattr(port, name)).parameters)[1:]  # without self
        assert list(inspect.signature(getattr(adapter, name)).parameters) == expected, f"adapter {name}"
        assert list(inspect.signature(getattr(fake, name)).parameters) == expected, f"fake {name}"
    assert isinstance(adapter, port) and isinstance(fake, port)
