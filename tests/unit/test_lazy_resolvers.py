"""The api loads powertools' HTTP API resolver alone (cold start), and the package still offers the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from local import handlers
handlers.handler("api")
loaded = sorted(m for m in ("asyncio", "aws_lambda_powertools.event_handler.appsync",
                "aws_lambda_powertools.event_handler.bedrock_agent") if m in sys.modules)
from aws_lambda_powertools.event_handler import AppSyncResolver, APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver as direct
print(json.dumps({"loaded_by_api": loaded, "later": AppSyncResolver.__module__,
                  "same_resolver": APIGatewayHttpResolver is direct}))
"""


def probe() -> dict:
    done = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_api_does_not_load_the_resolvers_it_does_not_use_and_they_are_still_there_when_asked() -> None:
    seen = probe()
    assert seen["loaded_by_api"] == []
    assert seen["later"] == "aws_lambda_powertools.event_handler.appsync"
    assert seen["same_resolver"] is True
