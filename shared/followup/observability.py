"""The one Logger and Tracer of the service, and its metrics (powertools).

Logs carry ids, steps, channels and statuses, never names, emails or phone numbers. Each metric is
flushed as its own EMF record (``count``) because each carries its own step/channel dimensions.
"""

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

SERVICE = "interview-follow-up"
NAMESPACE = "InterviewFollowUp"

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)


def count(name: str, *, step: str, channel: str | None = None) -> None:
    """One metric data point with its own `step` (and `channel`) dimensions."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="step", value=step)
        if channel:
            metric.add_dimension(name="channel", value=channel)
