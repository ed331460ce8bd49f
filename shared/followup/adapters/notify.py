"""SES v2 and SNS adapters: an email with text and HTML parts and unsubscribe headers; an SMS."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from followup.adapters.aws import client


@dataclass(frozen=True)
class Email:
    sender: str
    sender_name: str
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str


# RFC 5322's own line limit: a long List-Unsubscribe URL must stay a plain URL, not an encoded word.
MIME_POLICY = policy.SMTP.clone(max_line_length=998)


def build_mime(email: Email) -> bytes:
    message = EmailMessage(policy=MIME_POLICY)
    message["From"] = formataddr((email.sender_name, email.sender))
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain=email.sender.rsplit("@", 1)[-1])
    # RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message.as_bytes()


def send_email(email: Email) -> str:
    """Send through SES v2 as raw MIME (the only form that keeps custom headers); returns the message id."""
    ses: Any = client("sesv2")
    answer = ses.send_email(
        FromEmailAddress=email.sender,
        Destination={"ToAddresses": [email.to]},
        Content={"Raw": {"Data": build_mime(email)}},
    )
    return str(answer["MessageId"])


def phone_opted_out(phone: str) -> bool:
    sns: Any = client("sns")
    return bool(sns.check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"])


def send_sms(phone: str, text: str) -> str:
    sns: Any = client("sns")
    answer = sns.publish(
        PhoneNumber=phone,
        Message=text,
        MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
    )
    return str(answer["MessageId"])
