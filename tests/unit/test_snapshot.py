"""In SnapStart's init, each function loads what its first request would (``followup.runtime.snapshot``); otherwise not.

Each function is loaded in a child process as Lambda loads it, with the variable Lambda's runtime sets for the
init it snapshots, and reports which of the lazily loaded libraries are in memory and whether any AWS client
was made (none may be: the init writes and sends nothing).
"""

from __future__ import annotations

import pytest

from followup.domain.models import STEPS
from tests.unit.function_child import LOAD_APP, run_function

LAZY = ("email_validator", "phonenumbers", "babel.dates", "holidays")

LOAD = LOAD_APP + """
import json
from followup.adapters import aws
from followup.domain.locales import _long_day_pattern
print(json.dumps({"loaded": [name for name in sys.argv[2:] if name in sys.modules],
                  "clients": aws._client.cache_info().currsize, "day_patterns": _long_day_pattern.cache_info().currsize}))
"""


def _names(function: str) -> tuple[str, ...]:
    return (*LAZY, "firm") if function == "api" else LAZY  # the api's firm routes: app.include_firm_routes


def _load(function: str, initialization: str | None) -> dict:
    env = {"DEFAULT_LOCALE": "en-GB"}
    if initialization:
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = initialization
    return run_function(function, LOAD, *_names(function), env=env)


def test_the_apis_snapshotted_init_loads_what_a_first_submission_needs_and_calls_no_aws():
    seen = _load("api", "snap-start")

    assert seen == {"loaded": [*LAZY, "firm"], "clients": 0, "day_patterns": 1}


@pytest.mark.parametrize("step", STEPS)
def test_a_steps_snapshotted_init_loads_what_its_messages_need_and_calls_no_aws(step):
    seen = _load(step, "snap-start")

    assert seen == {"loaded": ["phonenumbers", "babel.dates"], "clients": 0, "day_patterns": 1}


@pytest.mark.parametrize("function", ["api", *STEPS])
@pytest.mark.parametrize("initialization", [None, "on-demand", "provisioned-concurrency"])
def test_any_other_init_leaves_them_to_the_first_request_that_needs_them(function, initialization):
    seen = _load(function, initialization)

    assert seen == {"loaded": [], "clients": 0, "day_patterns": 0}
