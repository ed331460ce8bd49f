"""Shared fixtures: a moto account provisioned from template.yaml, a controllable clock, the real handlers."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.session
import pytest

from local import environment
from local.moto_speedups import moto_transactions_copy_the_item_index

# Every new boto3 Session (each test's, the product's after each reset) reads botocore's JSON service models
# afresh: a third of an in-process test's time. One loader per test process reads each file once: the same data.
botocore.session.create_loader = functools.cache(botocore.session.create_loader)

# Before the product is imported: fake credentials, no endpoint (moto runs in-process), off-Lambda settings.
environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})

from moto import mock_aws  # noqa: E402

from followup.domain import clock  # noqa: E402
from local import provision  # noqa: E402
from tests.fakes import FakeClock  # noqa: E402

BASE_URL = "https://followup.example.com"
FIRM = "Acme Staffing"


@pytest.fixture
def fake_clock() -> Iterator[FakeClock]:
    fake = FakeClock(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))  # 15:00 in New York, the interview day
    clock.use_clock(fake)
    yield fake
    clock.use_system_clock()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, fake_clock: FakeClock) -> Iterator[provision.LocalResources]:
    """A fresh moto account with the template's resources, and the functions' environment pointing at it."""
    # The local stack's moto speed-up (a transaction's rollback copy of the table's index, not of every item).
    with mock_aws(), moto_transactions_copy_the_item_index():
        environment.refresh()  # clients made inside moto
        resources = provision.provision(boto3.session.Session(), sender_email="followups@acme-staffing.example")
        for name, value in environment.functions_environment(resources, firm_name=FIRM,
                                                             public_base_url=BASE_URL).items():
            monkeypatch.setenv(name, value)
        environment.refresh()
        yield resources
        environment.refresh()


def load_event(name: str) -> Any:
    return json.loads((provision.ROOT / "events" / name).read_text())


# Modules whose wider fixtures are cheap (a moto account in-process, under a second) and whose tests are
# independent of each other: their tests are spread over the workers, each worker setting the fixture up once.
SPREAD_OVER_WORKERS = {"tests.integration.test_fault_injection"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the mark
def pytest_configure(config: pytest.Config) -> None:
    """The compiled catalogues, as `make test` builds them, when pytest is run by itself: each .mo older than its
    .po is compiled again (by the controller only, before any worker starts)."""
    if not hasattr(config, "workerinput"):
        from local.catalogues import compile_all

        compile_all()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` runs ``--dist loadgroup``: every test goes to whichever worker is free, except the tests of a
    module with a module- or session-scoped fixture (a local stack, a browser, a provisioned account), which
    stay together on one worker so that fixture is set up once (what ``--dist loadscope`` did for every module).
    One slow module no longer holds a worker while the other runs out of work."""
    for item in items:
        module = getattr(item, "module", None)
        if module is None or module.__name__ in SPREAD_OVER_WORKERS:
            continue
        definitions = getattr(item, "_fixtureinfo", None)
        wide = definitions is not None and any(
            fixture.scope != "function"
            for name in item.fixturenames for fixture in definitions.name2fixturedefs.get(name, ())
        )
        if wide:
            item.add_marker(pytest.mark.xdist_group(module.__name__))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fault-injection suite's figures (scenarios, duplicates, sends after a cancel), when it ran."""
    for name in ("tests.integration.test_fault_injection", "tests.integration.test_fault_injection_feedback",
                 "tests.integration.test_fault_injection_replies"):
        suite = sys.modules.get(name)
        if suite is not None and suite.TALLY.scenarios:
            terminalreporter.write_line(suite.TALLY.summary())
