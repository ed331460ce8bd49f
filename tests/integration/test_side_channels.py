"""Nothing private in side channels: a whole lifecycle leaves no name, email, phone or token in the logs, the
metrics (EMF lines) or the X-Ray trace segments, with the X-Ray SDK tracing every handler and AWS call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("side-channels")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "AWS_XRAY", "_X_AMZN"))}
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.integration.side_channels_run", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    secrets = json.loads((out / "secrets.json").read_text())
    segments = json.loads((out / "segments.json").read_text())
    return {"stdout": done.stdout, "segments": segments, "secrets": secrets}


def private_values(secrets: dict) -> list[str]:
    return [secrets["name"], secrets["email"], secrets["phone"], secrets["phone"].lstrip("+"), *secrets["tokens"]]


def test_the_run_handled_personal_data_and_tokens_and_recorded_every_channel(run):
    # Given a lifecycle that really sent messages carrying tokens, and traced, logged and counted it
    stdout, segments = run["stdout"], "\n".join(run["segments"])
    assert run["secrets"]["messages_sent"] >= 6 and len(run["secrets"]["tokens"]) >= 2
    assert '"level":"INFO"' in stdout and "CloudWatchMetrics" in stdout
    assert "## lambda_handler" in segments and '"namespace": "aws"' in segments


@pytest.mark.parametrize("channel", ["logs and metrics", "trace segments"])
def test_no_name_email_phone_or_token_reaches_a_side_channel(run, channel):
    recorded = run["stdout"] if channel == "logs and metrics" else "\n".join(run["segments"])

    leaked = [value for value in private_values(run["secrets"]) if value in recorded]

    assert leaked == []
