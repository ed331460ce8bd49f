"""Tracing as deployed: Lambda's own by default (no X-Ray SDK in the layer), and never personal data in a trace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A child with the X-Ray SDK made unimportable, as in the default layer, and Lambda's variables set.
WITHOUT_SDK = """
import json, sys
sys.modules["aws_xray_sdk"] = None  # what the default layer has: no SDK, so any import of it fails
from followup.runtime.observability import tracer

@tracer.capture_lambda_handler
def handler(event, context):
    return {"echo": event["name"]}

answer = handler({"name": "Jordan Rivera"}, None)
print(json.dumps({"answer": answer, "sdk_imported": any(m.startswith("aws_xray_sdk.") for m in sys.modules)}))
"""


def _child(source: str, **env: str) -> dict[str, Any]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "LAMBDA_", "AWS_SAM"))}
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", source], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_lambda_deployed_without_the_sdk_layer_runs_its_traced_handlers_without_importing_the_sdk(template_env):
    # Given a Lambda environment as the template deploys it by default (no SDK layer)
    # When the observability module is imported and a traced handler runs
    outcome = _child(WITHOUT_SDK, LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED=template_env)

    # Then the handler answers and nothing of the SDK was imported
    assert outcome == {"answer": {"echo": "Jordan Rivera"}, "sdk_imported": False}


class RecordingProvider:
    """A tracing provider that keeps every annotation and metadata a Tracer gives it."""

    def __init__(self) -> None:
        self.recorded: list[tuple[str, Any]] = []

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any):
        yield self

    def put_annotation(self, key: str, value: Any) -> None:
        self.recorded.append((key, value))

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        self.recorded.append((key, value))

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        self.recorded.append(("exception", str(exception)))

    def patch(self, modules: Any) -> None: ...
    def patch_all(self) -> None: ...


def test_the_tracer_records_neither_a_handlers_response_nor_an_errors_message_even_when_the_environment_asks(
    monkeypatch,
):
    # Given the service's Tracer on a provider that records everything, and an environment asking for capture
    from followup.runtime.observability import PrivateTracer

    monkeypatch.setenv("POWERTOOLS_TRACER_CAPTURE_RESPONSE", "true")
    monkeypatch.setenv("POWERTOOLS_TRACER_CAPTURE_ERROR", "true")
    provider = RecordingProvider()
    tracer = PrivateTracer(service="interview-follow-up", disabled=False, auto_patch=False, provider=provider)

    @tracer.capture_lambda_handler
    def answers(event, context):
        return {"email": "jordan.rivera@example.com"}

    @tracer.capture_method
    def fails():
        raise ValueError("+14155550123 is not reachable")

    # When a handler answers personal data and a method fails with it in its message
    answers({}, None)
    with pytest.raises(ValueError):
        fails()

    # Then the provider got annotations (cold start, service) but neither value
    recorded = json.dumps(provider.recorded, default=str)
    assert "ColdStart" in recorded
    assert "jordan.rivera@example.com" not in recorded
    assert "+14155550123" not in recorded


@pytest.fixture
def template_env() -> str:
    """POWERTOOLS_TRACE_DISABLED as template.yaml deploys it with its parameters' defaults."""
    from cfnlint.decode import cfn_yaml

    template = cfn_yaml.load(str(ROOT / "template.yaml"))
    condition = template["Conditions"]["XRaySdkOn"]["Fn::Equals"]
    sdk_on = template["Parameters"][condition[0]["Ref"]]["Default"] == condition[1]
    value = template["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_TRACE_DISABLED"]["Fn::If"]
    assert value[0] == "XRaySdkOn"
    return value[1] if sdk_on else value[2]
