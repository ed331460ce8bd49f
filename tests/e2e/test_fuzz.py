"""No 5xx, whatever a client sends: schemathesis over /openapi.json of the local stack, anonymous and with a
live manage token (bounded here; ``make fuzz`` runs more examples)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from local.client import spawn
from tests.e2e.fuzz import SETTINGS, fuzz, live_token

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 5


@pytest.fixture(scope="module")
def runs():
    with spawn(start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC), settings=SETTINGS) as base_url:
        yield [fuzz(base_url, max_examples=MAX_EXAMPLES, token=token, seed=8) for token in (None, live_token(base_url))]


@pytest.mark.parametrize("index", [0, 1], ids=["anonymous", "with a live token"])
def test_schemathesis_finds_no_server_error(runs, index):
    run = runs[index]

    assert run.generated > 100, run.output[-3000:]
    assert run.returncode == 0, run.output[-6000:]
