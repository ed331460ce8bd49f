"""What the local stack hears back, as AWS would tell it: SES's events of each email sent (``local/feedback.py``)
and End User Messaging's and SNS's of each text (``local/texts.py``), handed to the functions the template
subscribes, in the request that caused them. ``EmbeddedStack`` (``local/stack.py``) takes these from this mixin:
it holds the lock, the clock, the outbox and the dead-letter queue they use."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, suppress
from datetime import datetime
from typing import Any

from local import environment


class HearingBack:
    """The hearing-back half of ``EmbeddedStack``: its recorders of what was sent, the SES and texts emulators,
    and the ``/_local/`` endpoints and console switch that drive them."""

    lock: Any
    clock: Any
    outbox: Any
    _sqs: Any
    _handler_output: Any
    log: Any
    read_outbox: Any
    sms_receipts: str

    def _record_sends(self, started: ExitStack) -> None:
        """Every SES send and SMS of the process from now on, stamped with the simulated time (a botocore hook)."""
        from local.sends import SendRecorder, TextRecorder

        self._sends = started.enter_context(SendRecorder(self.clock.now))
        self._texts_sent = started.enter_context(TextRecorder(self.clock.now))

    def _start_hearing(self, session: Any, scope: Any, *, account: str) -> None:
        """The emulators, from the template's own destination, rules, topic and subscription filters."""
        from local import provision
        from local.feedback import FeedbackEmulator
        from local.texts import TextsEmulator

        self._feedback = FeedbackEmulator.from_template(
            provision.template(), scope, invoke=self._invoke_function, now=self.clock.now, account=account,
            region=environment.REGION, dead_letter=self._dead_letter, log=self.log,
        )
        self._texts = TextsEmulator.from_template(
            provision.template(), scope, invoke=self._invoke_function, now=self.clock.now, account=account,
            region=environment.REGION, dead_letter=self._dead_letter, log=self.log,
            publish=self._publisher(session), write_log=self._log_writer(session),
        )

    def hearing_functions(self) -> list[str]:
        """The functions the template has hear back (to load before the first request)."""
        return [*self._feedback.functions(), *self._texts.functions()]

    def _invoke_function(self, code: str, event: dict[str, Any]) -> Any:
        """functions/<code>'s handler with ``event``, as an EventBridge rule invokes it. Callers hold the lock."""
        from local import handlers

        with self._handler_output():
            return handlers.invoke(code, event)

    @staticmethod
    def _publisher(session: Any) -> Callable[[str, str], str]:
        """SNS Publish to a topic on moto (which keeps it and runs no subscription): the message id it answers."""
        sns = session.client("sns", region_name=environment.REGION)
        return lambda topic_arn, message: str(sns.publish(TopicArn=topic_arn, Message=message)["MessageId"])

    @staticmethod
    def _log_writer(session: Any) -> Callable[[str, str, int, str], None]:
        """One log event written to moto's CloudWatch Logs, its group and stream created first as SNS does."""
        logs = session.client("logs", region_name=environment.REGION)

        def write(group: str, stream: str, timestamp: int, message: str) -> None:
            for create in (lambda: logs.create_log_group(logGroupName=group),
                           lambda: logs.create_log_stream(logGroupName=group, logStreamName=stream)):
                with suppress(logs.exceptions.ResourceAlreadyExistsException):
                    create()
            logs.put_log_events(logGroupName=group, logStreamName=stream,
                                logEvents=[{"timestamp": timestamp, "message": message}])

        return write

    def _hear_back(self) -> None:
        """SES's events of the emails sent since the last time, to the rules that take them; with the console's
        receipts switch on, SNS's delivery receipt of each text sent since, to the log subscriptions that take it.
        Callers hold the lock. It never fails the invocation that sent them: both are delivered asynchronously.
        A function that sends while hearing back (a DONE's confirming text) is heard back in turn."""
        from local.texts import PROVIDER_RESPONSES

        for _ in range(4):
            emails, texts = self._sends.take_new(), self._texts_sent.take_new()
            if not emails and not texts:
                return
            try:
                self._feedback.hear_back(emails)
            except Exception as exc:  # noqa: BLE001 - a broken emulation must not fail the request that sent the email
                self.log(f"SES feedback: {type(exc).__name__}: {exc}")
            mode = self.sms_receipts
            for text in texts if mode != "off" else ():
                try:
                    self._texts.receipt(text, "SUCCESS" if mode == "success" else "FAILURE", PROVIDER_RESPONSES[mode])
                except Exception as exc:  # noqa: BLE001 - as above
                    self.log(f"SMS receipt: {type(exc).__name__}: {exc}")
            self.outbox.stamp(self.clock.now())  # type: ignore[union-attr]

    def _dead_letter(self, queue_arn: str, event: dict[str, Any], error: str) -> None:
        """Lambda's asynchronous invocation gave up on ``event``: it goes to the function's dead-letter queue."""
        import json

        url = self._sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
        self._sqs.send_message(QueueUrl=url, MessageBody=json.dumps(event), MessageAttributes={
            "ErrorMessage": {"DataType": "String", "StringValue": error[:256]},
            "RequestID": {"DataType": "String", "StringValue": str(event.get("id", ""))},
        })

    def sms_heard(self) -> dict[str, list[dict[str, Any]]]:
        """What came back of each text sent (its receipts, the replies naming it), by message id, for the console
        (the outbox's SMS fields stay as documented)."""
        with self.lock:
            return {text["message_id"]: self._texts.heard(text["message_id"]) for text in self.outbox.sms()}  # type: ignore[union-attr]

    def ses_feedback(self, message_id: str, kind: str) -> tuple[int, dict[str, Any]]:
        """SES's event ``kind`` (``bounce``: permanent; ``complaint``) of a sent email, through the template's
        destination and rule, as the mailbox simulator would make it: the status and the answer for
        ``POST /_local/ses/feedback``."""
        with self.lock:
            send = self._sends.find(message_id)
            if send is None:
                return 404, {"message": f"no email with message id {message_id} was sent through SES here"}
            entry = self._feedback.force(send, kind)
        if entry is None:
            return 409, {"message": f"that email named no configuration set whose event destination publishes "
                                    f"{kind}s to EventBridge: SES would make no such event"}
        handled = entry["handled_by"]
        return 200, {"message_id": message_id, "type": kind, **entry,
                     "result": handled[0].get("result") if handled else None}

    def sms_inbound(self, number: str, body: str, reply_to: str | None) -> tuple[int, dict[str, Any]]:
        """A text from ``number`` to the firm's number, as AWS End User Messaging publishes it to the template's
        inbound topic, its subscribers run now: the status and the answer for ``POST /_local/sms/inbound``."""
        with self.lock:
            if reply_to is not None and not self._in_outbox(reply_to):
                return 400, {"message": "reply_to: no SMS with that message id in the outbox", "field": "reply_to"}
            with self._handler_output():
                entry = self._texts.inbound(number, body, reply_to)
                self.outbox.stamp(self.clock.now())  # type: ignore[union-attr]
                self._hear_back()
        if entry is None:
            return 409, {"message": "the template has no InboundTextsTopic: AWS would publish the text nowhere"}
        return 200, {"inbound_message_id": entry["inbound_message_id"]}

    def sms_status(self, message_id: str, status: str, provider_response: str | None) -> tuple[int, dict[str, Any]]:
        """SNS's delivery-status log record of an outbox SMS, through the template's subscription filters: the
        status and the answer for ``POST /_local/sms/status``."""
        from local.sends import TextSend
        from local.texts import PROVIDER_RESPONSES

        with self.lock:
            text = next((t for t in self.read_outbox()["sms"] if t["message_id"] == message_id), None)
            if text is None:
                return 404, {"message": f"no SMS with message id {message_id} in the outbox"}
            send = self._texts_sent.find(message_id) or TextSend(
                message_id, text["to"], "Transactional", datetime.fromisoformat(text["sent_at"]))
            response = provider_response or PROVIDER_RESPONSES["success" if status == "SUCCESS" else "unknown"]
            with self._handler_output():
                entry = self._texts.receipt(send, status, response)
                self._hear_back()
        handled = entry["handled_by"]
        return 200, {"message_id": message_id, **entry, "result": handled[0].get("result") if handled else None}

    def set_sms_receipts(self, mode: str) -> str:
        """The console's switch: each text sent from now on gets a receipt of ``mode`` (or none: ``off``)."""
        with self.lock:
            self.sms_receipts = mode
            return mode

    def inbound_texts(self) -> list[dict[str, Any]]:
        with self.lock:
            return self._texts.inbound_texts()

    def _in_outbox(self, message_id: str) -> bool:
        return any(t["message_id"] == message_id for t in self.outbox.sms())  # type: ignore[union-attr]
