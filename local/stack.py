"""The whole stack on a laptop: moto on loopback, the template's resources, the real handlers, a simulated clock.

``LocalStack`` is what ``python -m local.server`` (``make run``) and ``python -m local.demo`` run, in one
process:

- a moto server on 127.0.0.1 (a free port); every boto3 client of the process points at it
  (``AWS_ENDPOINT_URL``, fake credentials);
- the table, schedule group, dead-letter queue and sender identity provisioned from ``template.yaml``
  (``local/provision.py``), and the functions' environment set as the template sets it;
- a simulated clock, installed with ``followup.clock.use_clock`` so every handler acts on it. It starts at
  the real time (or ``start``) and runs at real speed; ``advance`` jumps it, firing every schedule that falls
  due on the way, in time order, through the real step handlers (``local/engine.py``: delete after
  completion, retries, dead-letter queue). A background pump fires schedules that fall due as it runs;
- a web server on 127.0.0.1: every path outside ``/_local/`` becomes an API Gateway HTTP API v2 event for
  the real ``functions/api`` handler; ``/_local/`` is the dev console and its JSON endpoints (DESIGN.md,
  "The local stack").

moto and the clock are shared state, so one lock serialises every request, every clock move and the pump.
The stack changes the process's environment and clock: run one per process. Tests start it in a subprocess
with ``spawn()``, which runs ``python -m local.server`` on a free port.
"""

from __future__ import annotations

import email
import email.policy
import errno
import html
import json
import logging
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 3000
DEFAULT_FIRM = "Acme Staffing"
REGION = "us-east-1"
MAX_REQUEST_BYTES = 1024 * 1024  # the API itself refuses bodies over 16 KiB with 413; this guards the server
MAX_ADVANCE = timedelta(days=400)
READY_LINE = re.compile(r"local stack on (http://\S+?)/?$")

CONSOLE_HEADERS: dict[str, str] = {
    # The emails are shown in sandboxed srcdoc frames; their links open in a new tab.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-src 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class PortInUse(OSError):
    """The web server's port is taken; the message is one line for the person who typed `make run`."""


# ---- the simulated clock -----------------------------------------------------------------------


class SimulatedClock:
    """Runs at real speed from ``start``; ``set`` and ``advance`` jump it, never backwards."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._base = (start or datetime.now(UTC)).astimezone(UTC)
        self._since = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._base + timedelta(seconds=time.monotonic() - self._since)

    def set(self, moment: datetime) -> None:
        """Move to ``moment``; a moment already past leaves the clock where it is (time does not run back)."""
        with self._lock:
            current = self._base + timedelta(seconds=time.monotonic() - self._since)
            if moment.astimezone(UTC) > current:
                self._base, self._since = moment.astimezone(UTC), time.monotonic()

    def advance(self, delta: timedelta) -> datetime:
        target = self.now() + delta
        self.set(target)
        return target


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# ---- the outbox: what moto recorded, stamped with the simulated time --------------------------


class Outbox:
    """Every email (SES) and SMS (SNS) moto recorded, oldest first, each with the simulated time it was sent.

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
        return [_email_view(message, stamp) for message, stamp in zip(sent, self._email_stamps, strict=False)]

    def sms(self) -> list[dict[str, Any]]:
        sent = list(self._sns().sms_messages.values())
        return [
            {"to": phone, "message": text, "sent_at": stamp}
            for (phone, text), stamp in zip(sent, self._sms_stamps, strict=False)
        ]

    def read(self) -> dict[str, list[dict[str, Any]]]:
        return {"emails": self.emails(), "sms": self.sms()}


def _email_view(message: Any, sent_at: str) -> dict[str, Any]:
    raw = getattr(message, "raw_data", None)
    if raw is None:  # not a raw send (the service sends raw MIME only): show what moto kept
        destinations = getattr(message, "destinations", None)
        to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
        return {"to": ", ".join(to), "from": str(getattr(message, "source", "")),
                "subject": str(getattr(message, "subject", "")), "text": str(getattr(message, "body", "")),
                "html": "", "headers": {}, "sent_at": sent_at}
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
    }


# ---- the stack ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class LocalStack:
    """moto + resources + clock + schedule runner + web server; ``start()``/``stop()``, or ``with``."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        host: str = HOST,
        firm_name: str | None = None,
        start: datetime | None = None,
        quiet: bool = False,
        pump_interval: float = 1.0,
    ) -> None:
        self.requested_port = port
        self.host = host
        self.firm_name = firm_name or os.environ.get("FIRM_NAME") or DEFAULT_FIRM
        self.clock = SimulatedClock(start)
        self.quiet = quiet
        self.pump_interval = pump_interval
        self.lock = threading.RLock()
        self.port = 0
        self.base_url = ""
        self.moto_url = ""
        self.outbox: Outbox | None = None
        self._http: ThreadingHTTPServer | None = None
        self._moto: Any = None
        self._speedups: Any = None
        self._runner: Any = None
        self._sqs: Any = None
        self._resources: Any = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._saved_env: dict[str, str | None] = {}

    # ---- life cycle -------------------------------------------------------------------------

    def start(self) -> LocalStack:
        self._http = _bind(self.host, self.requested_port)  # first: a taken port fails fast, before any set-up
        self._http.stack = self  # type: ignore[attr-defined]
        self.port = self._http.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        try:
            self._start_aws()
        except BaseException:
            self._http.server_close()
            raise
        self._spawn(self._http.serve_forever, "web")
        self._spawn(self._pump, "schedule-pump")
        return self

    def _start_aws(self) -> None:
        import boto3
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.server import ThreadedMotoServer

        from followup import clock
        from followup.adapters import aws
        from followup.config import get_settings
        from local import handlers, provision
        from local.engine import ScheduleRunner
        from local.moto_speedups import moto_transactions_copy_the_item_index

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log: noise here
        self._speedups = moto_transactions_copy_the_item_index()
        self._speedups.__enter__()
        self._moto = ThreadedMotoServer(ip_address=self.host, port=0, verbose=False)
        self._moto.start()
        moto_host, moto_port = self._moto.get_host_and_port()
        self.moto_url = f"http://{moto_host}:{moto_port}"
        for name in [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL_")] + ["AWS_PROFILE"]:
            self._setenv(name, None)
        self._setenv("AWS_ENDPOINT_URL", self.moto_url)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",  # moto's fake credentials
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "POWERTOOLS_METRICS_DISABLED": "true",  # nobody reads CloudWatch metrics locally
        }.items():
            self._setenv(name, value)
        if self.quiet:
            self._setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
        aws.reset_clients()

        session = boto3.session.Session()
        self._resources = provision.provision(session, region=REGION)
        for name, value in self._resources.environment(firm_name=self.firm_name,
                                                       public_base_url=self.base_url).items():
            self._setenv(name, value)
        get_settings.cache_clear()
        clock.use_clock(self.clock.now)
        self.outbox = Outbox(DEFAULT_ACCOUNT_ID, REGION)
        self._sqs = session.client("sqs", region_name=REGION)

        def target(step: str) -> Any:
            def invoke(event: dict[str, Any]) -> Any:
                at = self.clock.now()
                try:
                    with self._handler_output():
                        return handlers.invoke(step, event)
                finally:
                    self.outbox.stamp(at)  # type: ignore[union-attr]

            return invoke

        self._runner = ScheduleRunner(
            scheduler=session.client("scheduler", region_name=REGION),
            sqs=self._sqs,
            group=self._resources.schedule_group,
            dead_letter_url=self._resources.dead_letter_url,
            targets={arn: target(step) for step, arn in self._resources.function_arns.items()},
            set_time=self.clock.set,
            on_invoked=lambda invocation: self.outbox.stamp(self.clock.now()),  # type: ignore[union-attr]
        )
        for function in ("api", *handlers.STEPS):
            handlers.handler(function)  # load the code now: the first request should not wait for imports

    def stop(self) -> None:
        self._stop.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._moto is not None:
            self._moto.stop()
        if self._speedups is not None:
            self._speedups.__exit__(None, None, None)
        from followup import clock
        from followup.adapters import aws
        from followup.config import get_settings

        clock.use_system_clock()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        aws.reset_clients()
        get_settings.cache_clear()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _setenv(self, name: str, value: str | None) -> None:
        self._saved_env.setdefault(name, os.environ.get(name))
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

    @contextmanager
    def _handler_output(self) -> Iterator[None]:
        """Quiet: what the handlers print (powertools' metric lines) goes nowhere. Callers hold the lock."""
        if not self.quiet:
            yield
            return
        with open(os.devnull, "w") as sink, redirect_stdout(sink):
            yield

    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _pump(self) -> None:
        """Fire what falls due while the clock runs at real speed, as EventBridge Scheduler would."""
        while not self._stop.wait(self.pump_interval):
            try:
                with self.lock:
                    fired = self._runner.fire_due(self.clock.now())
            except Exception as exc:  # noqa: BLE001 - the pump must outlive one bad round
                self.log(f"schedule pump: {type(exc).__name__}: {exc}")
                continue
            for invocation in fired:
                self.log(f"fired {invocation.name}" + (f" (failed: {invocation.error})" if invocation.error else ""))

    def log(self, line: str) -> None:
        if not self.quiet:
            print(f"[local] {line}", file=sys.stderr, flush=True)

    # ---- what the console and the JSON endpoints show ---------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def advance(self, delta: timedelta) -> tuple[datetime, list[str]]:
        """Move the clock by ``delta``, firing in time order every schedule that falls due on the way."""
        with self.lock:
            target = self.clock.now() + delta
            fired = self._runner.fire_due(target)
            self.clock.set(target)
            for invocation in fired:
                self.log(f"fired {invocation.name}" + (f" (failed: {invocation.error})" if invocation.error else ""))
            return self.clock.now(), [invocation.name for invocation in fired]

    def schedules(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {"name": s.name, "due_at": s.due_at.isoformat(), "payload": s.payload}
                for s in self._runner.pending()
            ]

    def read_outbox(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            assert self.outbox is not None
            self.outbox.stamp(self.clock.now())  # anything sent outside a schedule (none today) is stamped now
            return self.outbox.read()

    def dead_letters(self) -> int:
        with self.lock:
            attributes = self._sqs.get_queue_attributes(
                QueueUrl=self._resources.dead_letter_url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            return sum(int(v) for v in attributes.values())

    def call_api(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> ApiAnswer:
        """One HTTP request through API Gateway's v2 event shape into the real API handler."""
        import base64

        from local import handlers
        from local.apigw import http_event

        event = http_event(method, path, query=query, headers=headers, body=body or None)
        with self.lock, self._handler_output():
            answer = handlers.invoke("api", event)
            self.outbox.stamp(self.clock.now())  # type: ignore[union-attr]
        payload = answer.get("body") or ""
        data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
        out = [(name, str(value)) for name, value in (answer.get("headers") or {}).items()]
        out += [("Set-Cookie", cookie) for cookie in answer.get("cookies") or []]
        return ApiAnswer(int(answer.get("statusCode", 500)), out, data)


def _bind(host: str, port: int) -> ThreadingHTTPServer:
    class Server(ThreadingHTTPServer):
        daemon_threads = True

    try:
        return Server((host, port), LocalRequestHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                exc.errno,
                f"port {port} on {host} is already in use: stop what runs there, or choose another port "
                f"(PORT={port + 1} make run)",
            ) from None
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None


# ---- HTTP ----------------------------------------------------------------------------------------


class LocalRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "interview-follow-up-local"

    def version_string(self) -> str:
        return self.server_version

    @property
    def stack(self) -> LocalStack:
        return self.server.stack  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET  # noqa: N815

    def _handle(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        try:
            if url.path == "/_local" or url.path.startswith("/_local/"):
                status, headers, payload = self._local(url.path, url.query, body)
            else:
                answer = self.stack.call_api(self.command, url.path, url.query, self._headers(), body)
                status, headers, payload = answer.status, answer.headers, answer.body
        except Exception as exc:  # noqa: BLE001 - one broken request must not take the server down
            self.stack.log(f"{self.command} {url.path}: {type(exc).__name__}: {exc}")
            status, headers, payload = _json(500, {"message": "the local stack failed on this request"})
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

    def _local(self, path: str, query: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        method = "GET" if self.command == "HEAD" else self.command
        routes = {
            "/_local/": {"GET": self._console},
            "/_local/clock": {"GET": self._clock, "POST": self._advance},
            "/_local/schedules": {"GET": lambda q, b: _json(200, self.stack.schedules())},
            "/_local/outbox": {"GET": lambda q, b: _json(200, self.stack.read_outbox())},
        }
        if path == "/_local":
            return 308, [("Location", "/_local/")], b""
        if path not in routes:
            return _json(404, {"message": f"no {path} in the local stack; see /_local/"})
        handler = routes[path].get(method)
        if handler is None:
            status, headers, payload = _json(405, {"message": f"{self.command} is not allowed on {path}"})
            return status, [*headers, ("Allow", ", ".join(routes[path]))], payload
        return handler(query, body)

    def _clock(self, query: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        return _json(200, {"now": iso(self.stack.now())})

    def _advance(self, query: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        # The console's buttons post a form; `curl -d '{"advance_days": 1}'` sends JSON labelled as a form.
        from_form = (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded") and (
            not body.lstrip().startswith(b"{")
        )
        try:
            if from_form:
                fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            else:
                fields = json.loads(body or b"{}")
            delta = _advance_by(fields)
        except (ValueError, UnicodeDecodeError) as exc:
            return _json(400, {"message": str(exc) if isinstance(exc, AdvanceError) else
                               'send {"advance_days": N} or {"advance_hours": N}'})
        now, fired = self.stack.advance(delta)
        if from_form:  # the console's buttons: back to the console, saying what fired
            return 303, [("Location", "/_local/?" + urlencode({"fired": ",".join(fired) or "-"}))], b""
        return _json(200, {"now": iso(now), "fired": fired})

    def _console(self, query: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        fired = parse_qs(query).get("fired", [""])[-1]
        page = render_console(
            now=self.stack.now(),
            schedules=self.stack.schedules(),
            outbox=self.stack.read_outbox(),
            dead_letters=self.stack.dead_letters(),
            firm_name=self.stack.firm_name,
            fired=None if not fired else [] if fired == "-" else fired.split(","),
        )
        return 200, [("Content-Type", "text/html; charset=utf-8"), *CONSOLE_HEADERS.items()], page.encode()


class AdvanceError(ValueError):
    pass


def _advance_by(fields: Any) -> timedelta:
    if not isinstance(fields, dict):
        raise AdvanceError('send a JSON object: {"advance_days": N} or {"advance_hours": N}')
    given = {k: v for k, v in fields.items() if k in ("advance_days", "advance_hours")}
    unknown = sorted(set(fields) - set(given))
    if len(given) != 1 or unknown:
        raise AdvanceError('send exactly one of "advance_days" or "advance_hours"')
    (name, raw), = given.items()
    try:
        amount = float(raw)
    except (TypeError, ValueError):
        raise AdvanceError(f"{name} must be a number") from None
    if isinstance(raw, bool) or not amount > 0:
        raise AdvanceError(f"{name} must be a number above 0")
    delta = timedelta(days=amount) if name == "advance_days" else timedelta(hours=amount)
    if delta > MAX_ADVANCE:
        raise AdvanceError(f"advance at most {MAX_ADVANCE.days} days at a time")
    return delta


def _json(status: int, data: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], json.dumps(data).encode()


# ---- the dev console page ------------------------------------------------------------------------

_CONSOLE_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d1d1f; }
header { background: #1d2b3a; color: #fff; padding: .6rem 1rem; display: flex; gap: 1.5rem; align-items: baseline;
  flex-wrap: wrap; }
header h1 { font-size: 1.15rem; margin: 0; }
header a { color: #cfe3ff; }
main { padding: 0 1rem 3rem; max-width: 72rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.clock { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; background: #f4f5f7; padding: .75rem 1rem;
  border-radius: 6px; }
.clock output { font-size: 1.2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.clock form { margin: 0; }
button { font: inherit; font-weight: 600; padding: .35rem .9rem; border-radius: 5px; border: 2px solid #0b57d0;
  background: #0b57d0; color: #fff; cursor: pointer; }
:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.fired { margin: .5rem 0; padding: .4rem .8rem; border-left: 4px solid #146c2e; background: #eef7f0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f8; padding: .5rem .75rem; margin: .25rem 0; }
.message { border: 1px solid #ccd; border-radius: 6px; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
.message h3 { margin: .3rem 0; font-size: 1.05rem; }
.meta { color: #4a4a4f; margin: 0 0 .4rem; }
.channel { display: inline-block; font-size: .8rem; font-weight: 700; text-transform: uppercase; padding: 0 .4rem;
  border-radius: 3px; background: #dbe7fb; color: #0a3d8f; margin-right: .4rem; }
.channel.sms { background: #fde8c8; color: #6b3b00; }
iframe { width: 100%; height: 28rem; border: 1px solid #ccd; border-radius: 4px; background: #fff; }
details { margin: .4rem 0; }
summary { cursor: pointer; font-weight: 600; }
.empty { color: #4a4a4f; font-style: italic; }
"""


def render_console(
    *,
    now: datetime,
    schedules: list[dict[str, Any]],
    outbox: dict[str, list[dict[str, Any]]],
    dead_letters: int,
    firm_name: str,
    fired: list[str] | None,
) -> str:
    """The dev console: the clock and its buttons, pending schedules, the outbox newest first. All escaped."""
    from followup.messages import sms_segments

    e = html.escape
    buttons = "".join(
        f'<form method="post" action="/_local/clock"><input type="hidden" name="{field}" value="{amount}">'
        f"<button type=\"submit\">{label}</button></form>"
        for field, amount, label in (
            ("advance_hours", 1, "+1 hour"), ("advance_days", 1, "+1 day"), ("advance_days", 7, "+1 week")
        )
    )
    fired_note = ""
    if fired is not None:
        fired_text = ", ".join(fired) if fired else "nothing fell due"
        fired_note = f'<p class="fired" role="status">Fired: {e(fired_text)}</p>'

    if schedules:
        rows = "".join(
            f"<tr><td><code>{e(s['name'])}</code></td><td><time datetime=\"{e(s['due_at'])}\">{e(s['due_at'])}</time>"
            f"<br><small>{e(iso(datetime.fromisoformat(s['due_at'])))}</small></td>"
            f"<td><code>{e(json.dumps(s['payload'], sort_keys=True))}</code></td></tr>"
            for s in schedules
        )
        schedule_html = (
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Due (candidate's zone, then UTC)</th>"
            f"<th scope=\"col\">Payload</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        schedule_html = '<p class="empty">No pending schedules.</p>'

    entries: list[tuple[str, int, str]] = []
    for index, message in enumerate(outbox["emails"]):
        headers = "".join(f"<tr><th scope=\"row\">{e(k)}</th><td>{e(v)}</td></tr>" for k, v in message["headers"].items())
        # The email as it would arrive: its HTML in a sandboxed frame (no scripts, no same-origin), links in new tabs.
        srcdoc = re.sub(r"(?i)<head>", '<head><base target="_blank">', message["html"], count=1)
        entries.append((message["sent_at"], index, f"""<article class="message" aria-labelledby="email-{index}">
<h3 id="email-{index}"><span class="channel">email</span>{e(message['subject'])}</h3>
<p class="meta">To {e(message['to'])} · from {e(message['from'])} · sent <time datetime="{e(message['sent_at'])}">\
{e(message['sent_at'])}</time></p>
<iframe title="Email: {e(message['subject'])}" sandbox="allow-popups allow-popups-to-escape-sandbox"
 srcdoc="{e(srcdoc, quote=True)}"></iframe>
<details><summary>Headers</summary><table>{headers}</table></details>
<details><summary>Plain-text part</summary><pre>{e(message['text'])}</pre></details>
</article>"""))
    for index, sms in enumerate(outbox["sms"]):
        encoding, parts = sms_segments(sms["message"])
        entries.append((sms["sent_at"], index, f"""<article class="message" aria-labelledby="sms-{index}">
<h3 id="sms-{index}"><span class="channel sms">sms</span>To {e(sms['to'])}</h3>
<p class="meta">Sent <time datetime="{e(sms['sent_at'])}">{e(sms['sent_at'])}</time> · {len(sms['message'])} characters ·
{e(encoding)} · {parts} segment{'s' if parts != 1 else ''}</p>
<pre>{e(sms['message'])}</pre>
</article>"""))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    outbox_html = "\n".join(entry for _, _, entry in entries) or '<p class="empty">Nothing sent yet.</p>'
    count = f"{len(outbox['emails'])} email{'s' if len(outbox['emails']) != 1 else ''}, {len(outbox['sms'])} SMS"

    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Local dev console · {e(firm_name)}</title>
<style>{_CONSOLE_STYLE}</style></head>
<body>
<header><h1>Local dev console · {e(firm_name)}</h1>
<nav aria-label="Local stack"><a href="/">Web form</a> · <a href="/openapi.json">OpenAPI</a> ·
<a href="/_local/">Refresh</a></nav></header>
<main>
<h2 id="clock-heading">Simulated clock</h2>
<section class="clock" aria-labelledby="clock-heading">
<output id="now">{e(iso(now))}</output> {buttons}
</section>
{fired_note}
<p>Moving the clock fires every schedule that falls due, in time order, through the step handlers.
Dead letters: {dead_letters}.</p>
<h2 id="schedules-heading">Pending schedules ({len(schedules)})</h2>
<section aria-labelledby="schedules-heading">{schedule_html}</section>
<h2 id="outbox-heading">Outbox ({count}), newest first</h2>
<section aria-labelledby="outbox-heading">
{outbox_html}
</section>
</main>
</body>
</html>
"""


# ---- for the demo and the tests: a small HTTP client, and a stack in a subprocess ------------------


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def request(method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> HttpAnswer:
    """One HTTP request; a JSON body is encoded; 4xx and 5xx answers are returned, not raised."""
    sent = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            return HttpAnswer(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@contextmanager
def spawn(*, start: datetime | None = None, firm_name: str | None = None, timeout: float = 60) -> Iterator[str]:
    """Run ``python -m local.server`` on a free port in a subprocess; yields its base URL, stops it after."""
    from local.provision import ROOT

    command = [sys.executable, "-m", "local.server", "--port", "0", "--quiet"]
    if start is not None:
        command += ["--start", start.isoformat()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL") and k != "PORT"}
    if firm_name is not None:
        env["FIRM_NAME"] = firm_name
    process = subprocess.Popen(  # noqa: S603 - our own module, no shell
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def drain() -> None:  # keep reading, or a full pipe would block the server
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        url = None
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise RuntimeError("the local stack did not start:\n" + "".join(seen))
            seen.append(line)
            found = READY_LINE.search(line.strip())
            url = found.group(1) if found else None
        yield url.rstrip("/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
