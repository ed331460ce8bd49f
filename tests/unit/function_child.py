"""A function loaded as Lambda loads it, in a child process: ``functions/<name>/app.py`` by its path, in a
sandbox's environment (the runtime's ``LAMBDA_TASK_ROOT``, valid settings, no X-Ray SDK).

A probe script includes ``LOAD_APP`` where the function is to be loaded (``module`` is then its app) and
prints, as its last line, JSON of what it saw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

LOAD_APP = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""

# Settings every function accepts, so that a probe gets past them.
SETTINGS = {"TABLE_NAME": "interviews", "FIRM_NAME": "Acme Staffing", "SENDER_EMAIL": "nudges@example.com",
            "PUBLIC_BASE_URL": "https://followup.example.com"}


def run_function(function: str, probe: str, *args: str, in_lambda: bool = True,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """What ``probe`` printed, run with ``functions/<function>/app.py`` and ``args`` as its arguments;
    ``in_lambda=False``: outside a sandbox (no ``LAMBDA_TASK_ROOT``); ``env`` adds to the environment."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("LAMBDA_", "AWS_LAMBDA_"))}
    if in_lambda:
        child_env["LAMBDA_TASK_ROOT"] = str(ROOT / "functions" / function)
    child_env.update(POWERTOOLS_TRACE_DISABLED="true", **SETTINGS, **(env or {}))
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe, str(ROOT / "functions" / function / "app.py"), *args],
        env=child_env, cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
