"""Every email the product sends through SES v2 in this process, as SES received it: the one part of a send
moto drops (its configuration set and its tags) kept beside the message id SES answered.

``SendRecorder`` hooks botocore's ``BaseClient._make_api_call``, which every operation of every client of every
session goes through (as ``local/calls.py`` does), and keeps each successful ``sesv2`` ``SendEmail``:
``ConfigurationSetName``, ``EmailTags``, the destination, the sender and the ``MessageId`` of the answer,
with the simulated time it went out. ``local/feedback.py`` turns them into SES's events. ``TextRecorder`` keeps
each SNS ``Publish`` to a phone number the same way (the message id, the number, the SMS type), for
``local/texts.py``'s delivery receipts.

The hook is one wrapper installed once per process, which calls every attached recorder after the call
answered; detaching a recorder takes the wrapper out only while nothing was installed on top of it since
(a ``local.calls.CallRecorder`` attached later keeps working, and the wrapper under it is a pass-through).
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.utils import getaddresses
from typing import Any, Generic, Self, TypeVar

import botocore.client

Listener = Callable[[Any, str, dict[str, Any], dict[str, Any]], None]

_hook_lock = threading.Lock()
_listeners: list[Listener] = []
_original: Any = None  # botocore's own _make_api_call while the wrapper is installed


@dataclass(frozen=True)
class EmailSend:
    """One ``SendEmail`` as SES took it."""

    message_id: str
    configuration_set: str | None  # ConfigurationSetName, None when the send named none
    tags: tuple[tuple[str, str], ...]  # EmailTags, in order
    destinations: tuple[str, ...]  # the recipients' addresses (To, Cc, Bcc)
    source: str  # FromEmailAddress as given ("Name <address>" or the address)
    headers: tuple[tuple[str, str], ...]  # the raw message's headers, for the event's mail.headers
    sent_at: datetime


def _wrapped_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    answer = _original(client, operation_name, api_params)
    for listener in list(_listeners):
        listener(client, operation_name, api_params, answer)
    return answer


def _listen(listener: Listener) -> None:
    global _original
    with _hook_lock:
        if _original is None:
            _original = botocore.client.BaseClient._make_api_call  # noqa: SLF001
            botocore.client.BaseClient._make_api_call = _wrapped_call  # noqa: SLF001
        _listeners.append(listener)


def _stop_listening(listener: Listener) -> None:
    global _original
    with _hook_lock:
        if listener in _listeners:
            _listeners.remove(listener)
        if not _listeners and botocore.client.BaseClient._make_api_call is _wrapped_call:  # noqa: SLF001
            botocore.client.BaseClient._make_api_call = _original  # noqa: SLF001
            _original = None


def raw_bytes(params: dict[str, Any]) -> bytes:
    """The raw MIME of a SendEmail's ``Content.Raw.Data`` as botocore was given it (bytes, or base64 text)."""
    data = (params.get("Content") or {}).get("Raw", {}).get("Data")
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, str):
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            return data.encode()
    return b""


def email_send(params: dict[str, Any], answer: dict[str, Any], sent_at: datetime) -> EmailSend:
    """What SES keeps of one SendEmail: its parameters and its answer's message id."""
    raw = raw_bytes(params)
    parsed = message_from_bytes(raw) if raw else None
    destination = params.get("Destination") or {}
    listed = [*destination.get("ToAddresses", []), *destination.get("CcAddresses", []),
              *destination.get("BccAddresses", [])]
    if not listed and parsed is not None:  # a raw send without Destination goes to the message's own To, Cc, Bcc
        listed = [str(value) for name in ("To", "Cc", "Bcc") for value in parsed.get_all(name, [])]
    addresses = tuple(address for _, address in getaddresses(listed) if address)
    return EmailSend(
        message_id=str(answer["MessageId"]),
        configuration_set=params.get("ConfigurationSetName") or None,
        tags=tuple((str(tag["Name"]), str(tag["Value"])) for tag in params.get("EmailTags") or []),
        destinations=addresses,
        source=str(params.get("FromEmailAddress") or (parsed.get("From", "") if parsed is not None else "")),
        headers=tuple((name, str(value)) for name, value in parsed.items()) if parsed is not None else (),
        sent_at=sent_at,
    )


Sent = TypeVar("Sent")


class _Recorder(Generic[Sent]):
    """The calls of one kind made in this process while attached (a botocore hook), oldest first, each kept as
    ``_kept`` makes it and stamped by ``now``."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._sends: list[Sent] = []
        self._taken = 0
        self._attached = False

    def _kept(self, client: Any, operation_name: str, params: dict[str, Any], answer: dict[str, Any]) -> Sent | None:
        raise NotImplementedError

    def _record(self, client: Any, operation_name: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        send = self._kept(client, operation_name, params, answer)
        if send is not None:
            with self._lock:
                self._sends.append(send)

    def attach(self) -> Self:
        if not self._attached:
            _listen(self._record)
            self._attached = True
        return self

    def detach(self) -> None:
        if self._attached:
            _stop_listening(self._record)
            self._attached = False

    def __enter__(self) -> Self:
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    def sends(self) -> list[Sent]:
        with self._lock:
            return list(self._sends)

    def take_new(self) -> list[Sent]:
        """The sends not taken yet, oldest first (each is taken once)."""
        with self._lock:
            new, self._taken = self._sends[self._taken:], len(self._sends)
            return new

    def find(self, message_id: str) -> Sent | None:
        with self._lock:
            return next((send for send in self._sends if send.message_id == message_id), None)  # type: ignore[attr-defined]


class SendRecorder(_Recorder["EmailSend"]):
    """The sesv2 SendEmail calls made in this process while attached, oldest first; ``now`` stamps each."""

    def _kept(self, client: Any, operation_name: str, params: dict[str, Any], answer: dict[str, Any]) -> EmailSend | None:
        if operation_name != "SendEmail" or client.meta.service_model.service_name != "sesv2":
            return None
        return email_send(params, answer, self._now())


@dataclass(frozen=True)
class TextSend:
    """One SNS ``Publish`` to a phone number, as SNS took it."""

    message_id: str
    phone: str  # PhoneNumber
    sms_type: str  # the AWS.SNS.SMS.SMSType attribute (SNS's default: Promotional)
    sent_at: datetime


def text_send(params: dict[str, Any], answer: dict[str, Any], sent_at: datetime) -> TextSend:
    attribute = (params.get("MessageAttributes") or {}).get("AWS.SNS.SMS.SMSType") or {}
    return TextSend(message_id=str(answer["MessageId"]), phone=str(params["PhoneNumber"]),
                    sms_type=str(attribute.get("StringValue") or "Promotional"), sent_at=sent_at)


class TextRecorder(_Recorder["TextSend"]):
    """The SNS Publish calls to a phone number made in this process while attached, oldest first (as
    ``SendRecorder`` keeps SES's sends): ``local/texts.py`` gives each its delivery receipt."""

    def _kept(self, client: Any, operation_name: str, params: dict[str, Any], answer: dict[str, Any]) -> TextSend | None:
        if operation_name != "Publish" or client.meta.service_model.service_name != "sns" or not params.get("PhoneNumber"):
            return None
        return text_send(params, answer, self._now())
