"""No 5xx, whatever a client sends: schemathesis over /openapi.json of the local stack, anonymous and with a
live manage token, then over the firm's routes signed in as a recruiter and as an admin (ID tokens from the
local Cognito, checked by the local JWT authorizer); bounded here, ``make fuzz`` runs more examples."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from local.client import spawn
from tests.e2e.fuzz import SETTINGS, all_specs, fuzz_together

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 3
WHO = ["anonymous", "with a live token", "signed in as a recruiter", "signed in as an admin"]


@pytest.fixture(scope="module")
def runs():
    with spawn(start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC), settings=SETTINGS) as base_url:
        yield fuzz_together(base_url, all_specs(base_url), max_examples=MAX_EXAMPLES, seed=8)


@pytest.mark.parametrize("index", range(len(WHO)), ids=WHO)
def test_schemathesis_finds_no_server_error(runs, index):
    run = runs[index]

    assert run.who == WHO[index]
    assert run.generated > 100, run.output[-3000:]
    assert run.returncode == 0, run.output[-6000:]
