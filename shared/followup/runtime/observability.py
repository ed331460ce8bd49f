"""The one Logger and Tracer of the service, and its metrics (powertools).

Logs carry ids, steps, channels and statuses, never names, emails or phone numbers. Each metric is
flushed as its own EMF record (``count``) because each carries its own step/channel dimensions.

Tracing. The template deploys Lambda's own active tracing (``Tracing: Active``): Lambda records each
invocation's segments (init, invocation, overhead) without any code in the function. The X-Ray SDK,
which adds a subsegment per handler and per AWS call, is an option (template parameter ``XRaySdk``):
it needs botocore, so it comes in a layer of its own with the boto3 it is locked with, and costs
cold start (bench/results.md counts it).
By default that layer is absent and ``POWERTOOLS_TRACE_DISABLED`` is true, and the Tracer below gets
a provider that records nothing and imports nothing (``config.tracing_enabled``).

Either way the Tracer never records a handler's response or an error's body as trace metadata: both
can hold personal data, and traces must not (``capture_response`` and ``capture_error`` default to
off here, whatever the environment says).
"""

from __future__ import annotations

import numbers
from collections.abc import AsyncGenerator, Generator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from followup.runtime.config import tracing_enabled

SERVICE = "interview-follow-up"
NAMESPACE = "InterviewFollowUp"


class _Untraced(BaseSegment):
    def close(self, end_time: int | None = None) -> None: ...
    def add_subsegment(self, subsegment: Any) -> None: ...
    def remove_subsegment(self, subsegment: Any) -> None: ...
    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None: ...


class UntracedProvider(BaseProvider):
    """A tracing provider that records nothing, for runs outside Lambda."""

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        yield _Untraced()

    @asynccontextmanager
    async def in_subsegment_async(self, name: str | None = None, **kwargs: Any) -> AsyncGenerator[BaseSegment, None]:
        yield _Untraced()

    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def patch(self, modules: Sequence[str]) -> None: ...
    def patch_all(self) -> None: ...


class PrivateTracer(Tracer):
    """powertools' Tracer whose decorators record no response and no error body unless a call asks."""

    def capture_lambda_handler(self, lambda_handler: Any = None, capture_response: bool | None = False,
                               capture_error: bool | None = False) -> Any:
        return super().capture_lambda_handler(
            lambda_handler, capture_response=capture_response, capture_error=capture_error
        )

    def capture_method(self, method: Any = None, capture_response: bool | None = False,
                       capture_error: bool | None = False) -> Any:
        return super().capture_method(method, capture_response=capture_response, capture_error=capture_error)


def build_tracer() -> Tracer:
    """The X-Ray SDK's Tracer where it traces; elsewhere one that records nothing and never imports the SDK.

    ``disabled=False`` with our own provider, not ``disabled=True``: powertools' disabling goes through
    the SDK's global config, an import of the SDK, absent from the default layer.
    """
    if tracing_enabled():
        return PrivateTracer(service=SERVICE)
    return PrivateTracer(service=SERVICE, disabled=False, auto_patch=False, provider=UntracedProvider())


logger = Logger(service=SERVICE)
tracer = build_tracer()


def count(name: str, *, step: str, channel: str | None = None) -> None:
    """One metric data point with its own `step` (and `channel`) dimensions."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="step", value=step)
        if channel:
            metric.add_dimension(name="channel", value=channel)
