"""The outbox: every email (SES) and SMS (SNS) moto recorded, stamped with the simulated time it went out, each
with the message id SES or SNS answered the send with (moto's ``RawMessage.id``, the key of SNS's ``sms_messages``).

moto keeps its sent messages in its backends (``ses_backends``, ``sns_backends``), which only an in-process
moto (the local stack's ``ThreadedMotoServer``, or ``mock_aws``) can read: this module is the one place
that reads moto's internals.
"""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from typing import Any

from local.clock import iso


class Outbox:
    """Every email and SMS moto recorded, oldest first, each with the simulated time it was sent.

    moto keeps no send time, so each message is stamped when the stack first sees it: right after the
    handler invocation that sent it (``stamp`` with the clock's time at that invocation).
    """

    def __init__(self, account: str, region: str) -> None:
        self.account = account
        self.region = region
        self._email_stamps: list[str] = []
        self._sms_stamps: list[str] = []

    def _ses(self) -> Any:
        from moto.ses.models import ses_backends

        return ses_backends[self.account][self.region]

    def _sns(self) -> Any:
        from moto.sns.models import sns_backends

        return sns_backends[self.account][self.region]

    def stamp(self, at: datetime) -> int:
        """Stamp every message not stamped yet with ``at``; returns how many were new."""
        emails, sms = list(self._ses().sent_messages), list(self._sns().sms_messages)
        new = max(0, len(emails) - len(self._email_stamps)) + max(0, len(sms) - len(self._sms_stamps))
        self._email_stamps += [iso(at)] * (len(emails) - len(self._email_stamps))
        self._sms_stamps += [iso(at)] * (len(sms) - len(self._sms_stamps))
        return new

    def emails(self) -> list[dict[str, Any]]:
        sent = list(self._ses().sent_messages)
        return [email_view(message, stamp) for message, stamp in zip(sent, self._email_stamps, strict=False)]

    def sms(self) -> list[dict[str, Any]]:
        sent = list(self._sns().sms_messages.items())
        return [
            {"to": phone, "message": text, "sent_at": stamp, "message_id": message_id}
            for (message_id, (phone, text)), stamp in zip(sent, self._sms_stamps, strict=False)
        ]

    def read(self) -> dict[str, list[dict[str, Any]]]:
        return {"emails": self.emails(), "sms": self.sms()}


def email_view(message: Any, sent_at: str) -> dict[str, Any]:
    """One message moto kept, as the console shows it: addresses, subject, both parts and every header."""
    raw = getattr(message, "raw_data", None)
    if raw is None:  # not a raw send (the service sends raw MIME only): show what moto kept
        destinations = getattr(message, "destinations", None)
        to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
        return {"to": ", ".join(to), "from": str(getattr(message, "source", "")),
                "subject": str(getattr(message, "subject", "")), "text": str(getattr(message, "body", "")),
                "html": "", "headers": {}, "sent_at": sent_at, "message_id": str(message.id)}
    parsed = email.message_from_string(raw, policy=email.policy.default)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    return {
        "to": str(parsed.get("To", "")),
        "from": str(parsed.get("From", "")),
        "subject": str(parsed.get("Subject", "")),
        "text": text_part.get_content().replace("\r\n", "\n") if text_part is not None else "",
        "html": html_part.get_content().replace("\r\n", "\n") if html_part is not None else "",
        "headers": {name: str(value) for name, value in parsed.items()},
        "sent_at": sent_at,
        "message_id": str(message.id),
    }
