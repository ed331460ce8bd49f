"""Shared fixtures: a moto account provisioned from template.yaml, a controllable clock, the real handlers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",  # noqa: S105 - moto's fake credentials
    AWS_SESSION_TOKEN="testing",  # noqa: S105
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
    POWERTOOLS_TRACE_DISABLED="true",
    POWERTOOLS_METRICS_NAMESPACE="InterviewFollowUp",
    POWERTOOLS_SERVICE_NAME="interview-follow-up",
    POWERTOOLS_DEV="false",
)
os.environ.pop("AWS_ENDPOINT_URL", None)

from moto import mock_aws  # noqa: E402

from followup import clock  # noqa: E402
from followup.adapters import aws
from followup.config import get_settings  # noqa: E402
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
    with mock_aws():
        aws.reset_clients()
        resources = provision.provision(boto3.session.Session(), sender_email="followups@acme-staffing.example")
        for name, value in resources.environment(firm_name=FIRM, public_base_url=BASE_URL).items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield resources
        aws.reset_clients()
        get_settings.cache_clear()


def load_event(name: str) -> Any:
    return json.loads((provision.ROOT / "events" / name).read_text())
