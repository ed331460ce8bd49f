"""The one Logger and Tracer of the service, and its metrics (powertools).

Logs carry ids, steps, channels and statuses, never names, emails or phone numbers. Each metric is
flushed as its own EMF record (``count``) because each carries its own step/channel dimensions.

The Tracer uses the X-Ray SDK only where it traces (in Lambda): the SDK builds an X-Ray client as
it is imported (about a quarter of a second of cold start), which a run that does not trace
(tests, `make run`, `make bench` outside Lambda) should not pay for nothing.
"""

from __future__ import annotations

import numbers
from collections.abc import AsyncGenerator, Generator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from followup.config import tracing_enabled

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


logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE) if tracing_enabled() else Tracer(
    service=SERVICE, disabled=True, auto_patch=False, provider=UntracedProvider()
)


def count(name: str, *, step: str, channel: str | None = None) -> None:
    """One metric data point with its own `step` (and `channel`) dimensions."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="step", value=step)
        if channel:
            metric.add_dimension(name="channel", value=channel)
