"""Plumbing shared by the bench parts: a moto server process, the functions' environment on it, payloads,
and the recording and replay of the AWS calls a handler makes (its floor).

Nothing here imports boto3 at module level, and of the product only its step names: child processes import
what they measure.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup.models import STEPS
from local import environment

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FIRM = "Acme Staffing"
BASE_URL = "https://followup.example.com"
SENDER = "followups@acme-staffing.example"
REGION = environment.REGION
FUNCTIONS = ("api", *STEPS)
SERVICES = ("dynamodb", "scheduler", "sesv2", "sns")


# ---- the machine ---------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    packages = []
    for name in ("boto3", "moto", "aws-lambda-powertools", "pydantic"):
        try:
            packages.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "packages": ", ".join(packages),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


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


def submission(**choices: Any) -> dict[str, Any]:
    """The web form's body, for an interview two hours ago unless told (``tests.integration.forms``')."""
    from tests.integration.forms import submission as form_body

    return form_body(**choices)


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

    from followup.models import STEPS
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


# ---- recording a handler's AWS calls, and replaying them with boto3 (the floor) ------------------


@dataclass
class ParamRecorder:
    """Every call of the product's cached clients with its parameters, through botocore's hooks."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def _on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        from botocore import xform_name

        self.calls.append(
            {
                "service": model.service_model.service_name,
                "method": xform_name(model.name),
                "operation": model.name,
                "params": copy.deepcopy(params),
            }
        )

    @contextmanager
    def recording(self) -> Iterator[ParamRecorder]:
        from followup.adapters import aws

        # Each service's clients: the retried one, and the one-try one the sends go through.
        clients = [aws.client(service, retried=retried) for service in SERVICES for retried in (True, False)]
        for made in clients:
            made.meta.events.register("before-parameter-build", self._on_call, unique_id=f"bench-{id(self)}")
        try:
            yield self
        finally:
            for made in clients:
                made.meta.events.unregister("before-parameter-build", unique_id=f"bench-{id(self)}")


def substitute(value: Any, mapping: dict[str, str]) -> Any:
    """``value`` with each key of ``mapping`` replaced by its value, in strings and bytes, recursively."""
    if isinstance(value, str):
        for old, new in mapping.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, bytes):
        for old, new in mapping.items():
            value = value.replace(old.encode(), new.encode())
        return value
    if isinstance(value, dict):
        return {substitute(k, mapping): substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [substitute(v, mapping) for v in value]
    return value


def to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def write_script(calls: list[dict[str, Any]], path: Path) -> Path:
    path.write_text(json.dumps(to_json([{k: c[k] for k in ("service", "method", "params")} for c in calls])))
    return path


def replay(calls: list[dict[str, Any]], clients: dict[str, Any]) -> None:
    """Make ``calls`` with ``clients`` (service -> boto3 client), in order."""
    for call in calls:
        getattr(clients[call["service"]], call["method"])(**call["params"])


def operations(calls: list[dict[str, Any]]) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in calls]


def run_child(args: list[str], env: dict[str, str], *, timeout: float = 120) -> tuple[float, dict[str, Any]]:
    """Run ``python -P <args>`` with ``env``; answers its wall time (spawn to exit) and the JSON it printed on
    stderr's last line. Its stdout (the handlers' logs and metrics, CloudWatch's on Lambda) goes nowhere."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, "-P", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{args} failed ({done.returncode}):\n" + "\n".join(lines[-30:]))
    return wall, json.loads(lines[-1])


def lambda_runtime(function: str) -> dict[str, str]:
    """The variables Lambda's python runtime always sets that change what the code does at init.

    With ``LAMBDA_TASK_ROOT`` the X-Ray SDK (imported by powertools' Tracer) takes its Lambda path, a local
    sampler; without it, it builds a centralized sampler that creates two botocore X-Ray clients at import,
    ~100 ms no deployed function pays.
    """
    from local import provision

    memory = provision.template().get("Globals", {}).get("Function", {}).get("MemorySize", 128)
    return {
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_LAMBDA_FUNCTION_NAME": f"interview-follow-up-{function}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",  # a plain cold start (SnapStart's init says snap-start)
    }


def child_environment(env: dict[str, str], function: str) -> dict[str, str]:
    """A clean environment for a child: PATH and locale from ours, then the function's own, as on Lambda."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    }
    return {**keep, **env, **lambda_runtime(function)}
