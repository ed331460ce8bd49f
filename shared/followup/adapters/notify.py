"""SES v2 and SNS adapters: an email with text and HTML parts and unsubscribe headers; an SMS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectionClosedError, ReadTimeoutError

from followup.adapters.aws import client
from followup.ports import Email, SendFailed, SendUnconfirmed

# RFC 5322's own line limit: a long List-Unsubscribe URL must stay a plain URL, not an encoded word. Every part
# 7-bit safe (``cte_type="7bit"``): a body with a letter outside ASCII ("María José") goes quoted-printable, a header
# as an RFC 2047 encoded word, as SES recommends for non-ASCII content; 8-bit bodies are mangled on some mail paths.
MIME_POLICY = policy.SMTP.clone(max_line_length=998, cte_type="7bit")


def build_mime(email: Email) -> bytes:
    message = EmailMessage(policy=MIME_POLICY)
    message["From"] = formataddr((email.sender_name, email.sender))
    message["To"] = email.to
    message["Subject"] = email.subject
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Message-ID"] = make_msgid(domain=email.sender.rsplit("@", 1)[-1])
    if email.unsubscribe_url:
        # RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text, cte=_transfer_encoding(email.text))
    message.add_alternative(email.html, subtype="html", cte=_transfer_encoding(email.html))
    if email.language:  # after the parts: set_content clears every Content-* header it finds
        message["Content-Language"] = email.language  # its HTML part says it too: <html lang="...">
    return message.as_bytes()


def _transfer_encoding(body: str) -> str:
    """7bit for an ASCII body, else quoted-printable: the accents of a Spanish text, or a name, stay readable in the
    raw message, where base64 would hide them."""
    return "7bit" if body.isascii() else "quoted-printable"


def _ses() -> Any:
    return client("sesv2", retried=False)


def _sns() -> Any:
    # One SNS client for the opt-out check and the send (a client costs ~10 ms of a cold start): one try per
    # call, so a send is never repeated by botocore; a throttled check is a SendFailed, retried by Lambda.
    return client("sns", retried=False)


@contextmanager
def _as_send_failed() -> Iterator[None]:
    """An AWS error becomes ``SendFailed`` with its code only (the message of an AWS error can echo data), or
    ``SendUnconfirmed`` when the request went out and its answer was lost: it may have been sent."""
    try:
        yield
    except (ReadTimeoutError, ConnectionClosedError) as exc:
        raise SendUnconfirmed(type(exc).__name__) from exc
    except ClientError as exc:
        raise SendFailed(str(exc.response.get("Error", {}).get("Code", "ClientError"))) from exc
    except BotoCoreError as exc:
        raise SendFailed(type(exc).__name__) from exc


class AwsSenders:
    """The ``followup.ports.Senders`` on SES v2 (email) and SNS (SMS). Every email names ``configuration_set``
    (when there is one) and carries the email's tags, so that SES publishes what becomes of it with them."""

    def __init__(self, configuration_set: str = "") -> None:
        self.configuration_set = configuration_set

    def send_email(self, email: Email) -> str:
        """Send as raw MIME; returns the message id.

        SES v2's ``Simple`` content does take custom headers (``Headers``), but moto drops them, and keeps
        only the HTML part when both are given; raw MIME keeps every header and part on both, so the local
        stack and the tests see the message exactly as it is sent.
        """
        feedback: dict[str, Any] = {}
        if self.configuration_set:
            feedback["ConfigurationSetName"] = self.configuration_set
        if email.tags:
            feedback["EmailTags"] = [{"Name": name, "Value": value} for name, value in email.tags]
        with _as_send_failed():
            answer = _ses().send_email(
                FromEmailAddress=email.sender,
                Destination={"ToAddresses": [email.to]},
                Content={"Raw": {"Data": build_mime(email)}},
                **feedback,
            )
        return str(answer["MessageId"])

    def phone_opted_out(self, phone: str) -> bool:
        with _as_send_failed():
            answer = _sns().check_if_phone_number_is_opted_out(phoneNumber=phone)
        return bool(answer["isOptedOut"])

    def send_sms(self, phone: str, text: str) -> str:
        with _as_send_failed():
            answer = _sns().publish(
                PhoneNumber=phone,
                Message=text,
                MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
            )
        return str(answer["MessageId"])
