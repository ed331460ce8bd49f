"""The local stack's HTTP front: ``/_local/`` is the dev console and its JSON endpoints, every other path
becomes an API Gateway HTTP API v2 event for the real ``functions/api`` handler.

It reads everything through the stack its server carries (``server.stack``, set by ``local/stack.py``), which
does what ``Stack`` says; it never imports ``local/stack.py``.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

from local.advance import AdvanceError, is_form, read_advance
from local.bodies import FieldError, read_feedback, read_inbound, read_receipts, read_status
from local.clock import iso
from local.console import CONSOLE_HEADERS, EMAIL_HEADERS, answered, email_document, render_console, style_sheet

MAX_REQUEST_BYTES = 1024 * 1024  # the API itself refuses bodies over 16 KiB with 413; this guards the server

Answer = tuple[int, list[tuple[str, str]], bytes]
_EMAIL_PATH = re.compile(r"/_local/outbox/emails/(\d{1,6})\.html")


@dataclass(frozen=True)
class ApiAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Stack(Protocol):
    """What the front needs of the stack behind it (``local.stack.EmbeddedStack``)."""

    quiet: bool
    firm_name: str

    def call_api(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> ApiAnswer: ...
    def sign_in_call(self, headers: dict[str, str], body: bytes) -> ApiAnswer: ...
    def sign_in_details(self) -> dict[str, Any]: ...
    def log(self, line: str) -> None: ...
    def now(self) -> datetime: ...
    def advance(self, delta: timedelta) -> tuple[datetime, list[str]]: ...
    def schedules(self) -> list[dict[str, Any]]: ...
    def read_outbox(self) -> dict[str, list[dict[str, Any]]]: ...
    def dead_letters(self) -> int: ...
    def ses_feedback(self, message_id: str, kind: str) -> tuple[int, dict[str, Any]]: ...
    def sms_inbound(self, number: str, body: str, reply_to: str | None) -> tuple[int, dict[str, Any]]: ...
    def sms_status(self, message_id: str, status: str, provider_response: str | None) -> tuple[int, dict[str, Any]]: ...
    def set_sms_receipts(self, mode: str) -> str: ...
    def inbound_texts(self) -> list[dict[str, Any]]: ...
    def sms_heard(self) -> dict[str, list[dict[str, Any]]]: ...

    @property
    def sms_receipts(self) -> str: ...


def field_answer(exc: FieldError) -> Answer:
    return json_answer(400, {"message": str(exc), "field": exc.field})


def loopback_host(host: str | None) -> bool:
    """``127.0.0.1``, ``localhost`` or ``[::1]`` (any port, any loopback address): the console's only names.

    A page on another site that rebinds its own name to this machine (DNS rebinding) sends its own name
    as Host, so it cannot read the outbox and the tokens in it."""
    name = (host or "").strip().lower()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name.rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def feedback_note(status: int, answer: dict[str, Any]) -> str:
    """One line for the console about a bounce or complaint made with its buttons."""
    if status != 200:
        return str(answer.get("message", status))
    handled = ", ".join(map(answered, answer.get("handled_by", []))) or "no rule matched it"
    return f"{answer['detail_type']} of {answer['message_id']}: {handled}"


def inbound_note(heard: dict[str, Any]) -> str:
    """One line for the console about a reply sent with its reply box."""
    handled = ", ".join(map(answered, heard.get("handled_by", []))) or "no function is subscribed to the topic"
    return f"Text {heard['inbound_message_id']} ({heard['message_keyword']}): {handled}"


def json_answer(status: int, data: Any) -> Answer:
    return status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], json.dumps(data).encode()


class LocalRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "interview-follow-up-local"

    def version_string(self) -> str:
        return self.server_version

    @property
    def stack(self) -> Stack:
        return self.server.stack  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET  # noqa: N815

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, ...) reaches the API too, which answers 405 with Allow on a known
        # path (http.server itself would answer 501, as if the server were broken).
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        try:
            if (url.path == "/_local" or url.path.startswith("/_local/")) and not loopback_host(self.headers.get("Host")):
                status, headers, payload = json_answer(421, {"message": "the dev console answers only to "
                                                                        "127.0.0.1, localhost or [::1]"})
            elif url.path == "/_local" or url.path.startswith("/_local/"):
                status, headers, payload = self._local(url.path, url.query, body)
            else:
                answer = self.stack.call_api(self.command, url.path, url.query, self._headers(), body)
                status, headers, payload = answer.status, answer.headers, answer.body
        except Exception as exc:  # noqa: BLE001 - one broken request must not take the server down
            self.stack.log(f"{self.command} {url.path}: {type(exc).__name__}: {exc}")
            status, headers, payload = json_answer(500, {"message": "the local stack failed on this request"})
        self._send(status, headers, payload)

    def _headers(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            merged[key] = f"{merged[key]},{value}" if key in merged else value
        return merged

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._send(411, [("Content-Type", "application/json"), ("Connection", "close")],
                       b'{"message":"send a Content-Length"}')
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._send(413, [("Content-Type", "application/json"), ("Connection", "close")],
                       b'{"message":"the body is too large"}')
            return None
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        if not self.stack.quiet:
            sys.stderr.write(f"[http] {self.command} {self.path.split('?', 1)[0]} {args[1] if len(args) > 1 else ''}\n")

    # ---- /_local/ --------------------------------------------------------------------------

    def _local(self, path: str, query: str, body: bytes) -> Answer:
        method = "GET" if self.command == "HEAD" else self.command
        routes = {
            "/_local/": {"GET": self._console},
            "/_local/console.css": {"GET": lambda q, b: (200, [("Content-Type", "text/css; charset=utf-8"),
                                                             ("X-Content-Type-Options", "nosniff")], style_sheet())},
            "/_local/clock": {"GET": self._clock, "POST": self._advance},
            "/_local/schedules": {"GET": lambda q, b: json_answer(200, self.stack.schedules())},
            "/_local/outbox": {"GET": lambda q, b: json_answer(200, self.stack.read_outbox())},
            # SES's event of a sent email (a permanent bounce, a complaint), through the template's rule
            "/_local/ses/feedback": {"POST": self._ses_feedback},
            # a candidate's text to the firm's number, through the template's inbound topic; the texts heard
            "/_local/sms/inbound": {"GET": lambda q, b: json_answer(200, self.stack.inbound_texts()),
                                    "POST": self._sms_inbound},
            # SNS's delivery receipt of a sent text, through the template's subscription filter
            "/_local/sms/status": {"POST": self._sms_status},
            # the console's switch: a receipt for every text sent from now on (off, success, a failure's class)
            "/_local/sms/receipts": {"GET": lambda q, b: json_answer(200, {"mode": self.stack.sms_receipts}),
                                     "POST": self._sms_receipts},
            # Cognito's sign-in endpoint, locally (COGNITO_IDP_ENDPOINT): InitiateAuth, RespondToAuthChallenge
            "/_local/cognito-idp": {"POST": self._cognito},
            # where and as whom to sign in locally: the endpoint, the pool, the app client, the seeded users
            "/_local/sign-in": {"GET": lambda q, b: json_answer(200, self.stack.sign_in_details())},
        }
        if path == "/_local":
            return 308, [("Location", "/_local/")], b""
        email = _EMAIL_PATH.fullmatch(path)
        if email and method == "GET":
            return self._email(int(email.group(1)))
        if path not in routes:
            return json_answer(404, {"message": f"no {path} in the local stack; see /_local/"})
        handler = routes[path].get(method)
        if handler is None:
            status, headers, payload = json_answer(405, {"message": f"{self.command} is not allowed on {path}"})
            return status, [*headers, ("Allow", ", ".join(routes[path]))], payload
        return handler(query, body)

    def _cognito(self, query: str, body: bytes) -> Answer:
        answer = self.stack.sign_in_call(self._headers(), body)
        return answer.status, answer.headers, answer.body

    def _clock(self, query: str, body: bytes) -> Answer:
        return json_answer(200, {"now": iso(self.stack.now())})

    def _advance(self, query: str, body: bytes) -> Answer:
        content_type = self.headers.get("Content-Type")
        try:
            delta = read_advance(content_type, body)
        except AdvanceError as exc:
            return json_answer(400, {"message": str(exc)})
        now, fired = self.stack.advance(delta)
        if is_form(content_type, body):  # the console's buttons: back to the console, saying what fired
            return 303, [("Location", "/_local/?" + urlencode({"fired": ",".join(fired) or "-"}))], b""
        return json_answer(200, {"now": iso(now), "fired": fired})

    def _ses_feedback(self, query: str, body: bytes) -> Answer:
        content_type = self.headers.get("Content-Type")
        try:
            message_id, kind = read_feedback(content_type, body)
        except ValueError as exc:
            return json_answer(400, {"message": str(exc)})
        status, answer = self.stack.ses_feedback(message_id, kind)
        if is_form(content_type, body):  # the console's buttons: back to the console, saying what happened
            return 303, [("Location", "/_local/?" + urlencode({"feedback": feedback_note(status, answer)}))], b""
        return json_answer(status, answer)

    def _back_to_console(self, note: str) -> Answer:
        return 303, [("Location", "/_local/?" + urlencode({"texts": note}))], b""

    def _sms_inbound(self, query: str, body: bytes) -> Answer:
        content_type = self.headers.get("Content-Type")
        try:
            number, text, reply_to = read_inbound(content_type, body)
        except FieldError as exc:
            return field_answer(exc)
        status, answer = self.stack.sms_inbound(number, text, reply_to)
        if is_form(content_type, body):  # the console's reply box: back to the console, saying what happened
            heard = next((t for t in reversed(self.stack.inbound_texts())
                          if t["inbound_message_id"] == answer.get("inbound_message_id")), None)
            return self._back_to_console(inbound_note(heard) if status == 200 and heard else str(answer["message"]))
        return json_answer(status, answer)

    def _sms_status(self, query: str, body: bytes) -> Answer:
        try:
            message_id, status, response = read_status(self.headers.get("Content-Type"), body)
        except FieldError as exc:
            return field_answer(exc)
        return json_answer(*self.stack.sms_status(message_id, status, response))

    def _sms_receipts(self, query: str, body: bytes) -> Answer:
        content_type = self.headers.get("Content-Type")
        try:
            mode = read_receipts(content_type, body)
        except FieldError as exc:
            return field_answer(exc)
        self.stack.set_sms_receipts(mode)
        if is_form(content_type, body):
            return self._back_to_console(f"SMS delivery receipts: {mode}")
        return json_answer(200, {"mode": mode})

    def _email(self, index: int) -> Answer:
        emails = self.stack.read_outbox()["emails"]
        if index >= len(emails):
            return json_answer(404, {"message": f"the outbox has {len(emails)} emails"})
        return 200, [("Content-Type", "text/html; charset=utf-8"), *EMAIL_HEADERS.items()], \
            email_document(emails[index]).encode()

    def _console(self, query: str, body: bytes) -> Answer:
        fired = parse_qs(query).get("fired", [""])[-1]
        page = render_console(
            feedback=parse_qs(query).get("feedback", [""])[-1][:500] or None,
            texts_note=parse_qs(query).get("texts", [""])[-1][:500] or None,
            sms_receipts=self.stack.sms_receipts,
            sms_heard=self.stack.sms_heard(),
            inbound=self.stack.inbound_texts(),
            now=self.stack.now(),
            schedules=self.stack.schedules(),
            outbox=self.stack.read_outbox(),
            dead_letters=self.stack.dead_letters(),
            firm_name=self.stack.firm_name,
            fired=None if not fired else [] if fired == "-" else fired.split(","),
        )
        return 200, [("Content-Type", "text/html; charset=utf-8"), *CONSOLE_HEADERS.items()], page.encode()
