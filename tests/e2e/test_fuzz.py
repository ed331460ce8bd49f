"""No 5xx, whatever a client sends: schemathesis over /openapi.json of the local stack, anonymous and with a
live manage token (bounded here; ``make fuzz`` runs more examples)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from local.client import spawn
from tests.e2e.fuzz import SETTINGS, fuzz, live_token, recruiter_token

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 3


@pytest.fixture(scope="module")
def runs():
    with spawn(start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC), settings=SETTINGS) as base_url:
        yield [fuzz(base_url, max_examples=MAX_EXAMPLES, token=token, seed=8) for token in (None, live_token(base_url))]


@pytest.mark.parametrize("index", [0, 1], ids=["anonymous", "with a live token"])
def test_schemathesis_finds_no_server_error(runs, index):
    run = runs[index]

    assert run.generated > 100, run.output[-3000:]
    assert run.returncode == 0, run.output[-6000:]


@pytest.fixture(scope="module")
def firm_run():
    """The /firm/ routes signed in as a seeded recruiter (an ID token from moto's pool, checked by the local
    JWT authorizer): the stack runs in this process, which knows its app client."""
    from local.client import request
    from local.stack import EmbeddedStack

    with pytest.MonkeyPatch.context() as patch:
        for name, value in SETTINGS.items():
            patch.setenv(name, value)
        with EmbeddedStack(port=0, quiet=True, start=datetime(2026, 3, 10, 19, 0, tzinfo=UTC)) as running:
            try:
                token = recruiter_token(running.base_url, running._resources.sign_in.client_id)
                yield fuzz(running.base_url, max_examples=MAX_EXAMPLES, token=token, seed=8)
            finally:
                request("POST", f"{running.moto_url}/moto-api/reset")  # the next in-process stack starts afresh


def test_schemathesis_finds_no_server_error_signed_in_as_a_recruiter(firm_run):
    assert firm_run.generated > 100, firm_run.output[-3000:]
    assert firm_run.returncode == 0, firm_run.output[-6000:]
