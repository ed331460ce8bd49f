"""The one Logger, Tracer and Metrics of the service (powertools).

Logs carry ids, steps, channels and statuses, never names, emails or phone numbers.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

SERVICE = "interview-follow-up"
NAMESPACE = "InterviewFollowUp"

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)


def count(name: str, *, step: str, channel: str | None = None) -> None:
    """One metric data point with its own `step` (and `channel`) dimensions."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="step", value=step)
        if channel:
            metric.add_dimension(name="channel", value=channel)
