"""What the ``/_local/`` endpoints that make AWS speak take: the body of a bounce or complaint
(``POST /_local/ses/feedback``), of a candidate's text (``/_local/sms/inbound``), of a delivery receipt
(``/_local/sms/status``) and of the console's receipts switch (``/_local/sms/receipts``), each from a form (the
console's) or JSON, or an error naming the field to fix."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from local.advance import is_form

FEEDBACK_KINDS = ("bounce", "complaint")


def read_feedback(content_type: str | None, body: bytes) -> tuple[str, str]:
    """``{"message_id": ..., "type": "bounce"|"complaint"}`` from a form (the console's buttons) or JSON; a
    ``ValueError`` saying what to send otherwise."""
    usage = 'send {"message_id": "<an outbox email\'s message_id>", "type": "bounce" or "complaint"}'
    try:
        fields = _parsed(content_type, body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(usage) from None
    if not isinstance(fields, dict) or set(fields) != {"message_id", "type"}:
        raise ValueError(usage)
    message_id, kind = fields["message_id"], fields["type"]
    if not isinstance(message_id, str) or not message_id.strip() or kind not in FEEDBACK_KINDS:
        raise ValueError(usage)
    return message_id.strip(), kind


E164 = re.compile(r"\+[1-9][0-9]{1,14}")
MAX_TEXT = 1600  # the longest text AWS End User Messaging takes (10 segments of GSM-7)
STATUSES = ("SUCCESS", "FAILURE")


class FieldError(ValueError):
    """A bad field of a ``/_local/sms/`` body: its name and what to send."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _fields(content_type: str | None, body: bytes, allowed: tuple[str, ...]) -> dict[str, Any]:
    """A form's fields (the console's) or a JSON object; a ``FieldError`` for anything else or an unknown field."""
    try:
        fields = _parsed(content_type, body)
    except (ValueError, UnicodeDecodeError):
        raise FieldError("body", "send a JSON object") from None
    if not isinstance(fields, dict):
        raise FieldError("body", "send a JSON object")
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise FieldError(unknown[0], f"not a field; send {', '.join(allowed)}")
    return fields


def _parsed(content_type: str | None, body: bytes) -> Any:
    """A form's fields (the console's; a blank one kept as "") or the JSON sent; ``ValueError`` if neither."""
    if is_form(content_type, body):
        return {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    return json.loads(body or b"{}")


def read_inbound(content_type: str | None, body: bytes) -> tuple[str, str, str | None]:
    """``{"from": "+1...", "body": "...", "reply_to": "<message_id>"?}``: the candidate's number (E.164), the text,
    and the SMS it answers; a ``FieldError`` naming the bad field."""
    fields = _fields(content_type, body, ("from", "body", "reply_to"))
    number, text, reply_to = fields.get("from"), fields.get("body"), fields.get("reply_to")
    if not isinstance(number, str) or not E164.fullmatch(number):
        raise FieldError("from", "the candidate's number in E.164, such as +14155550123")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise FieldError("body", f"the text, 1 to {MAX_TEXT} characters")
    if reply_to in (None, ""):
        reply_to = None
    elif not isinstance(reply_to, str) or len(reply_to) > 100:
        raise FieldError("reply_to", "an outbox SMS's message_id, or leave it out")
    return number, text, reply_to


def read_status(content_type: str | None, body: bytes) -> tuple[str, str, str | None]:
    """``{"message_id": ..., "status": "SUCCESS"|"FAILURE", "provider_response": ...?}``; a ``FieldError``."""
    fields = _fields(content_type, body, ("message_id", "status", "provider_response"))
    message_id, status, response = fields.get("message_id"), fields.get("status"), fields.get("provider_response")
    if not isinstance(message_id, str) or not message_id.strip():
        raise FieldError("message_id", "an outbox SMS's message_id")
    if status not in STATUSES:
        raise FieldError("status", '"SUCCESS" or "FAILURE"')
    if response in (None, ""):
        response = None
    elif not isinstance(response, str) or len(response) > 200:
        raise FieldError("provider_response", "SNS's providerResponse text, up to 200 characters, or leave it out")
    return message_id.strip(), status, response


def read_receipts(content_type: str | None, body: bytes) -> str:
    """``{"mode": "off"|"success"|<a failure's class>}``; a ``FieldError``."""
    from local.texts import RECEIPT_MODES

    mode = _fields(content_type, body, ("mode",)).get("mode")
    if mode not in RECEIPT_MODES:
        raise FieldError("mode", f"one of {', '.join(RECEIPT_MODES)}")
    return str(mode)
