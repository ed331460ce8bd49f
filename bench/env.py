"""Plumbing shared by the bench parts: a moto server process, the functions' environment on it, payloads and
stored interviews to deliver. Beside it: ``bench/machine.py`` (what the numbers were measured on),
``bench/replay.py`` (the recording and replay of the AWS calls a handler makes: its floor) and
``bench/children.py`` (a measured program in a child process, with Lambda's runtime variables).

Nothing here imports boto3 at module level, and of the product only its step names: child processes import
what they measure.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.replay import substitute
from followup.domain.models import STEPS
from local import environment

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FIRM = "Acme Staffing"
BASE_URL = "https://followup.example.com"
SENDER = "followups@acme-staffing.example"
REGION = environment.REGION
FUNCTIONS = ("api", *STEPS, "feedback")  # feedback: SES's event of a permanent bounce, its costliest


# ---- timing, and where the handlers' output goes -------------------------------------------------


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


@contextmanager
def stdout_to(fd: int) -> Iterator[None]:
    """Point file descriptor 1 (the logs and metric lines of handlers this process runs) at ``fd`` while inside."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(fd, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@contextmanager
def quiet_stdout() -> Iterator[None]:
    """Send file descriptor 1 to /dev/null while inside."""
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        with stdout_to(sink):
            yield
    finally:
        os.close(sink)


# ---- a moto server in its own process ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoProcess:
    """moto's server on a free loopback port, in a process of its own (a core of its own), its
    transactions made O(1) (``bench/moto_server.py``)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> MotoProcess:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter, no shell
            [sys.executable, "-m", "bench.moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1):  # noqa: S310 - loopback http
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("moto server exited at start") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server not ready on {self.url} after {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> MotoProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


UNLIMITED = {"SubmissionsPerHourPerClient": 10**9, "ConfirmationsPerDayPerDestination": 10**9}


def provision_on(endpoint: str) -> dict[str, str]:
    """Provision the template's resources on the moto server at ``endpoint``; answers the functions'
    environment there (what a child process needs, AWS endpoint and credentials included), and points this
    process at it. Tracing is off (``environment.OUTSIDE_LAMBDA``): the X-Ray SDK is not measured."""
    import boto3

    from local import provision

    aws = {**environment.aws_environment(endpoint), **environment.OUTSIDE_LAMBDA}
    environment.use(aws)
    resources = provision.provision(boto3.session.Session(), sender_email=SENDER, region=REGION)
    env = {
        **aws,
        # The limits lifted: every timed submission comes from one address to one destination. Each is still
        # counted (its UpdateItem is made and timed), it just never trips.
        **environment.functions_environment(resources, firm_name=FIRM, public_base_url=BASE_URL,
                                            parameters=UNLIMITED),
        "BENCH_DEAD_LETTER_URL": resources.dead_letter_url,
    }
    environment.use(env)
    return env


# ---- payloads ------------------------------------------------------------------------------------


# The candidate's locale of every interview the bench submits: the firm's default (None), or one whose language
# loads its catalogue and Babel data too (``python -m bench.coldstart --locale es-US``).
LOCALE: str | None = None


def submission(**choices: Any) -> dict[str, Any]:
    """The web form's body, for an interview two hours ago unless told (``tests.integration.forms``'), in
    ``LOCALE`` when one is set."""
    from tests.integration.forms import submission as form_body

    body = form_body(**choices)
    if LOCALE:
        body["candidate"]["locale"] = LOCALE
    return body


def submit_event(body: dict[str, Any], idempotency_key: str | None = None) -> dict[str, Any]:
    """POST /interviews as API Gateway sends it, with the web form's Idempotency-Key."""
    from local.apigw import http_event

    headers = {"content-type": "application/json", "accept": "application/json"}
    headers["idempotency-key"] = idempotency_key or str(uuid.uuid4())
    return http_event("POST", "/interviews", headers=headers, body=json.dumps(body))


def api_event(
    method: str, path: str, *, token: str | None = None, body: Any = None, query: str = ""
) -> dict[str, Any]:
    from local.apigw import http_event

    headers = {"accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if body is not None:
        headers["content-type"] = "application/json"
    return http_event(
        method, path, query=query, headers=headers, body=json.dumps(body) if body is not None else None
    )


def step_event(interview_id: str, step: str, version: int) -> dict[str, Any]:
    return {"interview_id": interview_id, "step": step, "version": version}


# ---- stored interviews, cloned under fresh ids ---------------------------------------------------


def new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class InterviewTemplate:
    """A stored interview item ready for one step's delivery, cloned under a fresh id for every run."""

    item: dict[str, Any]
    interview_id: str
    step: str
    version: int

    def clone(self, interview_id: str) -> dict[str, Any]:
        return substitute(self.item, {self.interview_id: interview_id})

    def seed(self, dynamodb: Any, table: str, interview_id: str | None = None) -> str:
        fresh = interview_id or new_id()
        dynamodb.put_item(TableName=table, Item=self.clone(fresh))
        return fresh


def interview_ready_for(
    step: str, invoke: Callable[[str, dict[str, Any]], Any], dynamodb: Any, table: str
) -> InterviewTemplate:
    """Submit, confirm from the confirmation email (and, for the decision card, decide) one interview through
    the API handler; its stored item."""
    import email

    from followup.domain.models import STEPS
    from local.calls import CallRecorder
    from tests.integration.harness import MANAGE_LINK

    # The confirmations go to the moto server: their tokens are read off the calls that sent them.
    recorder = CallRecorder().attach()
    try:
        created = invoke("api", submit_event(submission(channels=("email", "sms"))))
    finally:
        recorder.detach()
    assert created["statusCode"] == 202, created
    view = json.loads(created["body"])
    tokens: dict[str, str] = {}
    for call in recorder.calls:
        if call.name == "sesv2:SendEmail":
            message = email.message_from_bytes(call.params["Content"]["Raw"]["Data"])
            text = next(part.get_payload(decode=True).decode() for part in message.walk()
                        if part.get_content_type() == "text/plain")
            tokens.update(("email", m.group(2)) for m in MANAGE_LINK.finditer(text) if m.group(1) == view["id"])
        elif call.name == "sns:Publish":
            tokens.update(("sms", m.group(2)) for m in MANAGE_LINK.finditer(call.params["Message"])
                          if m.group(1) == view["id"])
    for token in tokens.values():
        confirmed = invoke("api", api_event("POST", f"/interviews/{view['id']}/confirm", token=token))
        assert confirmed["statusCode"] == 200, confirmed
    view["manage_token"] = tokens["email"]
    if step == STEPS[-1]:  # the decision card
        decided = invoke(
            "api",
            api_event(
                "POST",
                f"/interviews/{view['id']}/decision",
                token=view["manage_token"],
                body={"outcome": "offer", "supervisor": {"name": "Marcus Chen"}},
            ),
        )
        assert decided["statusCode"] == 200, decided
    item = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": f"INTERVIEW#{view['id']}"}}, ConsistentRead=True
    )["Item"]
    follow_up = item["follow_ups"]["M"][step]["M"]
    assert follow_up["status"]["S"] == "scheduled", follow_up
    return InterviewTemplate(
        item=item, interview_id=view["id"], step=step, version=int(follow_up["version"]["N"])
    )
