"""In SnapStart's init, each function loads what its first request would (``followup.snapshot``); otherwise not.

Each function is loaded in a child process as Lambda loads it, with the variable Lambda's runtime sets for the
init it snapshots, and reports which of the lazily loaded libraries are in memory and whether any AWS client
was made (none may be: the init writes and sends nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from followup.models import STEPS

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("email_validator", "phonenumbers", "babel.dates", "holidays")

LOAD = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from followup.adapters import aws
from followup.locales import _long_day_pattern
print(json.dumps({"loaded": [name for name in sys.argv[2:] if name in sys.modules],
                  "clients": aws._client.cache_info().currsize, "day_patterns": _long_day_pattern.cache_info().currsize}))
"""


def _load(function: str, initialization: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAMBDA_", "AWS_LAMBDA_"))}
    env.update(LAMBDA_TASK_ROOT=str(ROOT / "functions" / function), POWERTOOLS_TRACE_DISABLED="true",
               TABLE_NAME="interviews", FIRM_NAME="Acme Staffing", SENDER_EMAIL="nudges@example.com",
               PUBLIC_BASE_URL="https://followup.example.com", DEFAULT_LOCALE="en-GB")
    if initialization:
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = initialization
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", LOAD, str(ROOT / "functions" / function / "app.py"), *LAZY],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_apis_snapshotted_init_loads_what_a_first_submission_needs_and_calls_no_aws():
    seen = _load("api", "snap-start")

    assert seen == {"loaded": list(LAZY), "clients": 0, "day_patterns": 1}


@pytest.mark.parametrize("step", STEPS)
def test_a_steps_snapshotted_init_loads_what_its_messages_need_and_calls_no_aws(step):
    seen = _load(step, "snap-start")

    assert seen == {"loaded": ["phonenumbers", "babel.dates"], "clients": 0, "day_patterns": 1}


@pytest.mark.parametrize("function", ["api", *STEPS])
@pytest.mark.parametrize("initialization", [None, "on-demand", "provisioned-concurrency"])
def test_any_other_init_leaves_them_to_the_first_request_that_needs_them(function, initialization):
    seen = _load(function, initialization)

    assert seen == {"loaded": [], "clients": 0, "day_patterns": 0}
