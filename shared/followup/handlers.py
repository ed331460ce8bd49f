"""The step Lambdas' and the feedback Lambda's entry points: the deployed adapters wired to one delivery, or to
one event of what became of a message.

``functions/<step>/app.py`` is one line: ``lambda_handler = step_handler("<step>")``. Kept apart from the
API's modules: a step Lambda loads no request model and no field library (cold start).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from followup.adapters.notify import AwsSenders
from followup.adapters.store import InterviewStore
from followup.domain import clock
from followup.domain.errors import InvalidPayload
from followup.domain.models import Step
from followup.runtime import coldstart
from followup.runtime.config import Settings, get_settings
from followup.runtime.observability import logger, tracer
from followup.usecases import alerts
from followup.usecases.delivery import Deliverer

if TYPE_CHECKING:
    from followup.usecases.feedback import Feedback
    from followup.usecases.replies import Replies

def deliverer_for(settings: Settings) -> Deliverer:
    """The delivery as deployed: DynamoDB, SES and SNS, and the system clock."""
    return Deliverer(settings, InterviewStore(settings.table_name), AwsSenders(settings.ses_configuration_set), clock.now)


def step_handler(step: Step) -> Callable[[dict, Any], dict]:
    """The Lambda entry point of one step: powertools context, tracing and metrics around one delivery.

    In SnapStart's init, the libraries and data its messages load are loaded now (``followup.runtime.snapshot``)."""
    if coldstart.snapshotting():
        from followup.runtime import snapshot

        snapshot.load_for_step(get_settings())

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler
    def lambda_handler(event: dict, context: Any) -> dict:
        if alerts.is_due_alert(event):  # a recruiter's coalesced alert: its schedule invokes decision_thank_you's function
            settings = get_settings()
            senders = AwsSenders(settings.ses_configuration_set)
            return {"result": alerts.deliver_due(event, InterviewStore(settings.table_name), senders, settings, clock.now)}
        delivered = deliverer_for(get_settings()).deliver(event, expected_step=step)
        return {"result": delivered.result, "channels": delivered.channels}

    return lambda_handler


def feedback_for(settings: Settings) -> Feedback:
    """The feedback as deployed: DynamoDB and the system clock. Imported here, not at the module's top: a step
    function loads this module too, and nothing of hearing back."""
    from followup.usecases.feedback import Feedback

    return Feedback(settings, InterviewStore(settings.table_name), clock.now)


def replies_for(settings: Settings) -> Replies:
    """The SMS replies and receipts as deployed: DynamoDB, SES (a reply forwarded), SNS (an answer), the clock."""
    from followup.usecases.replies import Replies

    return Replies(settings, InterviewStore(settings.table_name), AwsSenders(settings.ses_configuration_set),
                   clock.now)


def feedback_handler() -> Callable[[dict, Any], dict]:
    """The feedback Lambda's entry point: what becomes of a message, in one of three shapes: an EventBridge event
    of SES's (``source: aws.ses``), an SNS record of the inbound-texts topic (a reply), or a CloudWatch Logs batch
    of SNS's SMS delivery-status logs (receipts).

    A malformed event is logged by its id only and acknowledged: retrying it would fail the same way. A store
    fault, or an event ahead of its send's record (``FeedbackEarly``), raises: Lambda tries it again."""

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler
    def lambda_handler(event: dict, context: Any) -> dict:
        event_id = event.get("id") if isinstance(event, dict) else None
        try:
            if not isinstance(event, dict):
                raise InvalidPayload("the event is not an object")
            if event.get("source") == "aws.ses":
                return {"result": feedback_for(get_settings()).email_event(event.get("detail"))}
            if "Records" in event:
                return {"result": [replies_for(get_settings()).inbound(_sns_message(record))
                                   for record in _listed(event["Records"])]}
            if "awslogs" in event:
                return {"result": replies_for(get_settings()).receipts(_log_events(event["awslogs"]))}
            raise InvalidPayload("not an SES event, an inbound text or a delivery-status log")
        except InvalidPayload as exc:
            logger.warning("feedback event malformed", extra={"event_id": str(event_id)[:64], "error": str(exc)})
            return {"result": "malformed"}

    return lambda_handler


def _listed(value: object) -> list:
    if not isinstance(value, list) or not value:
        raise InvalidPayload("the event holds no records")
    return value


def _sns_message(record: object) -> object:
    if not isinstance(record, dict) or not isinstance(record.get("Sns"), dict):
        raise InvalidPayload("the record is not an SNS notification")
    return record["Sns"].get("Message")


def _log_events(awslogs: object) -> object:
    """The log events of a CloudWatch Logs subscription's batch (base64 of gzip of JSON)."""
    import base64
    import binascii
    import gzip
    import json
    import zlib

    try:
        data = json.loads(gzip.decompress(base64.b64decode(awslogs["data"], validate=True)))  # type: ignore[index]
    except (KeyError, TypeError, ValueError, binascii.Error, OSError, EOFError, zlib.error):
        raise InvalidPayload("the log data is not a subscription's batch") from None
    if not isinstance(data, dict) or data.get("messageType") != "DATA_MESSAGE":
        raise InvalidPayload("the log data is not a data message")
    return data.get("logEvents")
