"""The whole stack on a laptop: moto on loopback, the template's resources, the real handlers, a simulated clock.

``EmbeddedStack`` is what ``python -m local.server`` (``make run``) and ``python -m local.demo`` run, in one
process; this module wires its parts together:

- a moto server on 127.0.0.1 (a free port); every boto3 client of the process points at it, with the
  functions' environment set as template.yaml sets it (``local/environment.py``);
- the table, schedule group, dead-letter queue, scheduler role and sender identity (``local/provision.py``);
- the firm's sign-in: moto's user pool with a seeded recruiter and admin, ``/_local/cognito-idp`` answering
  the page's Cognito calls (``local/cognito.py``), and the HTTP API's JWT authorizer before every route whose
  template event names one (``local/authorizer.py``): a missing or bad token is a 401, the function not called;
- a simulated clock (``local/clock.py``), installed with ``followup.domain.clock.use_clock`` so every handler acts
  on it. It starts at the real time (or ``start``) and runs at real speed; ``advance`` jumps it, firing
  every schedule that falls due on the way, in time order, through the real step handlers
  (``local/engine.py``: delete after completion, retries, dead-letter queue). A background pump fires
  schedules that fall due as it runs;
- a web server on 127.0.0.1 (``local/ports.py``, ``local/web.py``): every path outside ``/_local/`` becomes
  an API Gateway HTTP API v2 event for the real ``functions/api`` handler; ``/_local/`` is the dev console
  (``local/console.py``) and its JSON endpoints; what was sent is read from moto (``local/outbox.py``). The
  front reads the stack through its server (``http.stack``), as ``local.web.Stack`` says; it never imports this
  module. ``ApiAnswer`` (what ``call_api`` and ``sign_in_call`` answer) is the front's, in ``local/web.py``;
- what SES and EventBridge would tell of each email sent (``local/feedback.py``): every SES v2 ``SendEmail`` is
  recorded with its configuration set and tags (``local/sends.py``); right after the handler invocation that
  sent it (the API call, each schedule fired), SES's events of it (the mailbox simulator's, else a delivery) go,
  as the template's event destination and rule say, to the function the rule invokes, in the same request;
- what AWS End User Messaging and SNS would tell of each text (``local/texts.py``): a candidate's reply
  (``POST /_local/sms/inbound``, the console's reply box) is published to the template's inbound topic and
  handed to its subscribers; a delivery receipt (``POST /_local/sms/status``, or for every text sent while the
  console's receipts switch is on) is written to SNS's delivery-status log group and handed to the template's
  subscription filters on it; both in the same request.

moto and the clock are shared state, so one lock serialises every request, every clock move and the pump.
The stack changes the process's environment and clock: run one per process. Tests start it in a subprocess
with ``local.client.spawn()``, which runs ``python -m local.server`` on a free port.
"""

from __future__ import annotations

import base64
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, redirect_stdout
from datetime import datetime, timedelta
from typing import Any

from local import environment
from local.clock import SimulatedClock
from local.hearing import HearingBack
from local.outbox import Outbox
from local.ports import Server, bind
from local.web import ApiAnswer, LocalRequestHandler

HOST = "127.0.0.1"
DEFAULT_PORT = 3000


class EmbeddedStack(HearingBack):
    """moto + resources + clock + schedule runner + web server, in this process; ``start()``/``stop()``, or ``with``."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        host: str = HOST,
        firm_name: str | None = None,
        start: datetime | None = None,
        quiet: bool = False,
        pump_interval: float = 1.0,
        settings: dict[str, str] | None = None,
        routes: Mapping[str, Any] | None = None,
        users: tuple[Any, ...] = (),
    ) -> None:
        self.requested_port = port
        self._extra_users = tuple(users)  # local.cognito.SeededUser, seeded after the recruiter and the admin
        self._routes = routes  # a template whose routes and authorizers stand before the API (default template.yaml)
        self._settings = settings or {}  # variables that override their template parameters
        self.host = host
        self._firm_name = firm_name or os.environ.get("FIRM_NAME") or None
        self.clock = SimulatedClock(start)
        self.quiet = quiet
        self.pump_interval = pump_interval
        self.lock = threading.RLock()
        self.port = 0
        self.base_url = ""
        self.moto_url = ""
        self.firm_name = ""
        self.outbox: Outbox | None = None
        self._runner: Any = None
        self._sqs: Any = None
        self._resources: Any = None
        self.cognito: Any = None  # local.cognito.CognitoProxy
        self._gate: Any = None  # local.authorizer.Gate
        self._sends: Any = None  # local.sends.SendRecorder
        self._feedback: Any = None  # local.feedback.FeedbackEmulator
        self._texts_sent: Any = None  # local.sends.TextRecorder
        self._texts: Any = None  # local.texts.TextsEmulator
        self.sms_receipts = "off"  # the console's switch: local.texts.RECEIPT_MODES
        self._stop = threading.Event()
        self._exit = ExitStack()

    # ---- life cycle -------------------------------------------------------------------------

    def start(self) -> EmbeddedStack:
        with ExitStack() as started:
            # first: a taken port fails fast, before any set-up
            http = started.enter_context(bind(self.host, self.requested_port, LocalRequestHandler))
            http.stack = self
            self.port = http.server_address[1]
            self.base_url = f"http://{self.host}:{self.port}"
            self._start_aws(started)
            self._serve(started, http)
            self._exit = started.pop_all()
        return self

    def _start_aws(self, started: ExitStack) -> None:
        import boto3
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.server import ThreadedMotoServer

        from followup.domain import clock
        from followup.domain.models import STEPS
        from followup.runtime.config import get_settings
        from local import handlers, provision
        from local.engine import ScheduleRunner
        from local.moto_speedups import moto_transactions_copy_the_item_index

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log: noise here
        started.enter_context(moto_transactions_copy_the_item_index())
        moto = ThreadedMotoServer(ip_address=self.host, port=0, verbose=False)
        moto.start()
        started.callback(moto.stop)
        moto_host, moto_port = moto.get_host_and_port()
        self.moto_url = f"http://{moto_host}:{moto_port}"
        started.enter_context(environment.applied({
            **environment.aws_environment(self.moto_url),
            **environment.OUTSIDE_LAMBDA,
            "POWERTOOLS_METRICS_DISABLED": "true",  # nobody reads CloudWatch metrics locally
        }))

        session = boto3.session.Session()
        self._record_sends(started)
        self._resources = provision.provision(session, region=environment.REGION)
        # A setting's variable in the environment that started the stack overrides its template parameter.
        parameters = environment.parameters_from({**os.environ, **self._settings})
        functions = environment.functions_environment(self._resources, firm_name=self._firm_name,
                                                      public_base_url=self.base_url, parameters=parameters)
        if self.quiet:
            functions["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        started.enter_context(environment.applied(functions))
        scope = environment.local_scope(self._resources, public_base_url=self.base_url, firm_name=self._firm_name,
                                        parameters=parameters)
        self._start_hearing(session, scope, account=DEFAULT_ACCOUNT_ID)
        self.firm_name = get_settings().firm_name
        self._start_sign_in(session)
        clock.use_clock(self.clock.now)
        started.callback(clock.use_system_clock)
        self.outbox = Outbox(DEFAULT_ACCOUNT_ID, environment.REGION)
        self._sqs = session.client("sqs", region_name=environment.REGION)
        self._runner = ScheduleRunner(
            scheduler=session.client("scheduler", region_name=environment.REGION),
            sqs=self._sqs,
            group=self._resources.schedule_group,
            dead_letter_url=self._resources.dead_letter_url,
            targets={arn: self._step(step) for step, arn in self._resources.function_arns.items()},
            set_time=self.clock.set,
            on_invoked=lambda invocation: self.outbox.stamp(self.clock.now()),  # type: ignore[union-attr]
        )
        for function in ("api", *STEPS, *self.hearing_functions()):
            handlers.handler(function)  # load the code now: the first request should not wait for imports

    def _start_sign_in(self, session: Any) -> None:
        from local import cognito, provision
        from local.authorizer import Gate, jwt_authorizers

        sign_in = self._resources.sign_in
        cognito.seed_users(session, sign_in, region=environment.REGION, users=self.seeded_users)
        self.cognito = cognito.CognitoProxy(self.moto_url, sign_in)
        issuer = f"https://cognito-idp.{environment.REGION}.amazonaws.com/{sign_in.user_pool_id}"
        scope = environment.local_scope(self._resources, public_base_url=self.base_url)
        template = self._routes or provision.template()
        self._gate = Gate(template, jwt_authorizers(template, scope, {issuer: self.cognito.jwks()}))

    @property
    def seeded_users(self) -> tuple[Any, ...]:
        """The recruiter and the admin every local stack has, then the users it was given."""
        from local.cognito import SEEDED

        return (*SEEDED, *self._extra_users)

    def sign_in_details(self) -> dict[str, Any]:
        """The local sign-in, for tests and a developer's curl (local only: moto's pool, seeded passwords)."""
        sign_in = self.cognito.sign_in
        return {
            "endpoint": f"{self.base_url}{environment.LOCAL_COGNITO_PATH}",
            "user_pool_id": sign_in.user_pool_id,
            "client_id": sign_in.client_id,
            "users": [{"email": u.email, "password": u.password, "name": u.name, "groups": list(u.groups)}
                      for u in self.seeded_users],
        }

    def sign_in_call(self, headers: dict[str, str], body: bytes) -> ApiAnswer:
        """``POST /_local/cognito-idp``: one Cognito call, forwarded to moto."""
        with self.lock:
            status, headers_out, payload = self.cognito.forward(headers, body)
        return ApiAnswer(status, headers_out, payload)

    def _step(self, step: str) -> Callable[[dict[str, Any]], Any]:
        from local import handlers

        def invoke(event: dict[str, Any]) -> Any:
            at = self.clock.now()
            try:
                with self._handler_output():
                    return handlers.invoke(step, event)
            finally:
                self.outbox.stamp(at)  # type: ignore[union-attr]
                self._hear_back()

        return invoke

    def _serve(self, started: ExitStack, http: Server) -> None:
        threads = [threading.Thread(target=http.serve_forever, name="web", daemon=True),
                   threading.Thread(target=self._pump, name="schedule-pump", daemon=True)]
        for thread in threads:
            thread.start()

        def stop_serving() -> None:
            self._stop.set()
            http.shutdown()
            for thread in threads:
                thread.join(timeout=5)

        started.callback(stop_serving)

    def stop(self) -> None:
        """Stop serving, then undo the set-up in reverse: moto, the environment, the clock, the port."""
        self._exit.close()

    def __enter__(self) -> EmbeddedStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @contextmanager
    def _handler_output(self) -> Iterator[None]:
        """Quiet: what the handlers print (powertools' metric lines) goes nowhere. Callers hold the lock."""
        if not self.quiet:
            yield
            return
        with open(os.devnull, "w") as sink, redirect_stdout(sink):
            yield

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
        """Every email and SMS sent, oldest first; each email with what SES told of it (``feedback``)."""
        with self.lock:
            assert self.outbox is not None
            self.outbox.stamp(self.clock.now())  # anything sent outside a schedule (none today) is stamped now
            sent = self.outbox.read()
            for message in sent["emails"]:
                message["feedback"] = self._feedback.heard(message["message_id"])
            return sent

    def dead_letters(self) -> int:
        with self.lock:
            attributes = self._sqs.get_queue_attributes(
                QueueUrl=self._resources.dead_letter_url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            return sum(int(v) for v in attributes.values())

    def call_api(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> ApiAnswer:
        """One HTTP request through API Gateway's v2 event shape into the real API handler."""
        from local import handlers
        from local.apigw import http_event
        from local.authorizer import UNAUTHORIZED_BODY

        allowed, authorizer = self._gate.check(method, path, headers)
        if not allowed:  # API Gateway's own answer; the function is not invoked
            return ApiAnswer(401, [("Content-Type", "application/json"),
                                   ("www-authenticate", 'Bearer scope="" error="invalid_token"')], UNAUTHORIZED_BODY)
        event = http_event(method, path, query=query, headers=headers, body=body or None)
        if authorizer is not None:
            event["requestContext"]["authorizer"] = authorizer
        with self.lock, self._handler_output():
            answer = handlers.invoke("api", event)
            self.outbox.stamp(self.clock.now())  # type: ignore[union-attr]
            self._hear_back()
        payload = answer.get("body") or ""
        data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
        out = [(name, str(value)) for name, value in (answer.get("headers") or {}).items()]
        out += [("Set-Cookie", cookie) for cookie in answer.get("cookies") or []]
        return ApiAnswer(int(answer.get("statusCode", 500)), out, data)
