"""Drive the real handlers like API Gateway and the scheduler would, and read what moto recorded.

Also the one interview's whole lifecycle (``run_lifecycle``) that the call-count tests assert and
``make bench`` (bench/calls.py) measures: the bench imports it from here, never the reverse.
"""

from __future__ import annotations

import email
import json
import math
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from followup.domain import clock as product_clock
from followup.domain.models import STEPS
from local import environment, handlers, provision
from local.apigw import http_event
from local.authorizer import authorizer_context
from local.calls import CallRecorder
from local.engine import ScheduleRunner
from local.moto_speedups import moto_transactions_copy_the_item_index
from local.provision import LocalResources
from tests.integration.forms import sample_submission, submission  # noqa: F401 - offered here too

ROOT = Path(__file__).resolve().parents[2]
FIRM = "Acme Staffing"
BASE_URL = "https://followup.example.com"
SENDER = "followups@acme-staffing.example"
START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 in New York, an hour after the sample interview


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def call_api(method: str, path: str, *, body: Any = None, token: str | None = None, query: str = "",
             headers: dict[str, str] | None = None, raw: str | bytes | None = None, source_ip: str = "127.0.0.1",
             claims: dict[str, str] | None = None) -> ApiResponse:
    """One request through the API handler. ``claims``: what the HTTP API's JWT authorizer passes on for a
    verified ID token (``firm_claims``), as every ``/firm/...`` route gets it deployed."""
    sent = dict(headers or {})
    if token is not None:
        sent["authorization"] = f"Bearer {token}"
    payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if payload is not None:
        sent.setdefault("content-type", "application/json")
    event = http_event(method, path, query=query, headers=sent, body=payload, source_ip=source_ip)
    if claims is not None:
        event["headers"].setdefault("authorization", "Bearer <a verified ID token>")
        event["requestContext"]["authorizer"] = authorizer_context(claims)
    answer = handlers.invoke("api", event)
    return ApiResponse(answer["statusCode"], dict(answer.get("headers") or {}), answer.get("body") or "")


def firm_claims(sub: str, *, groups: str = "recruiters", name: str | None = None,
                email: str | None = None) -> dict[str, str]:
    """The claims of a Cognito ID token as the HTTP API passes them: every one a string, groups as "[a b]"."""
    return {
        "sub": sub,
        "email": email or f"{sub}@acme-staffing.example",
        "name": name or f"Recruiter {sub}",
        "cognito:groups": f"[{groups}]",
        "token_use": "id",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
    }


def runner(resources: LocalResources, set_time=None) -> ScheduleRunner:
    targets = {
        arn: (lambda event, step=step: handlers.invoke(step, event))
        for step, arn in resources.function_arns.items()
    }
    return ScheduleRunner(
        scheduler=boto3.client("scheduler", region_name=resources.region),
        sqs=boto3.client("sqs", region_name=resources.region),
        group=resources.schedule_group,
        dead_letter_url=resources.dead_letter_url,
        targets=targets,
        set_time=set_time,
    )


def schedules(resources: LocalResources) -> dict[str, dict[str, Any]]:
    client = boto3.client("scheduler", region_name=resources.region)
    names = [s["Name"] for s in client.list_schedules(GroupName=resources.schedule_group)["Schedules"]]
    return {name: client.get_schedule(Name=name, GroupName=resources.schedule_group) for name in names}


def emails(region: str = "us-east-1") -> list[Message]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID][region]
    return [email.message_from_string(m.raw_data) for m in backend.sent_messages if hasattr(m, "raw_data")]


def sms(region: str = "us-east-1") -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][region].sms_messages.values())


MANAGE_LINK = re.compile(r"/manage/([0-9a-f]+)\?token=([A-Za-z0-9_.-]+)")
UNSUBSCRIBE_LINK = re.compile(r"/unsubscribe\?token=([A-Za-z0-9_.-]+)")


def confirmation_tokens(interview_id: str, region: str = "us-east-1") -> dict[str, str]:
    """The manage token of the latest confirmation message moto recorded for ``interview_id``, by channel."""
    found: dict[str, str] = {}
    for message in emails(region):
        for match in MANAGE_LINK.finditer(body_part(message, "plain")):
            if match.group(1) == interview_id and message["Subject"].startswith("Confirm"):
                found["email"] = match.group(2)
    for _, text in sms(region):
        for match in MANAGE_LINK.finditer(text):
            if match.group(1) == interview_id:
                found["sms"] = match.group(2)
    return found


def latest_manage_tokens(region: str = "us-east-1") -> dict[str, dict[str, str]]:
    """The manage token of the latest message moto recorded for each interview, by id then channel, read in
    one pass (before any nudge: the confirmations' tokens)."""
    found: dict[str, dict[str, str]] = {}
    for message in emails(region):
        for match in MANAGE_LINK.finditer(body_part(message, "plain")):
            found.setdefault(match.group(1), {})["email"] = match.group(2)
    for _, text in sms(region):
        for match in MANAGE_LINK.finditer(text):
            found.setdefault(match.group(1), {})["sms"] = match.group(2)
    return found


def unsubscribe_token_in(message: Message) -> str:
    match = UNSUBSCRIBE_LINK.search(message["List-Unsubscribe"] or "")
    if match is None:
        raise AssertionError("no unsubscribe link in List-Unsubscribe")
    return match.group(1)


def submit_confirmed(body: Any = None, *, channels: tuple[str, ...] | None = None, headers: dict[str, str] | None = None,
                     api: Callable[..., ApiResponse] | None = None, region: str = "us-east-1",
                     **call: Any) -> dict[str, Any]:
    """Submit as the candidate would, then confirm from each confirmation message moto recorded (or those of
    ``channels``). Answers the 202's body with ``tokens`` (manage token by channel), ``manage_token`` (the
    email's, else the SMS's), ``unsubscribe_token`` (from the email's List-Unsubscribe) and ``view`` (the
    view the last confirmation answered)."""
    api = api or call_api
    submitted = api("POST", "/interviews", body=body if body is not None else sample_submission(),
                    headers=headers, **call)
    if submitted.status != 202:
        raise AssertionError(f"submission: {submitted.status} {submitted.text}")
    answer = submitted.json()
    tokens = confirmation_tokens(answer["id"], region)
    view = None
    for channel in channels or tuple(tokens):
        confirmed = api("POST", f"/interviews/{answer['id']}/confirm", token=tokens[channel])
        if confirmed.status != 200:
            raise AssertionError(f"confirm {channel}: {confirmed.status} {confirmed.text}")
        view = confirmed.json()
    confirmations = [m for m in emails(region) if MANAGE_LINK.search(body_part(m, "plain") or "")
                     and answer["id"] in body_part(m, "plain")]
    unsubscribe = unsubscribe_token_in(confirmations[-1]) if confirmations else None
    return {**answer, "tokens": tokens, "manage_token": tokens.get("email") or tokens.get("sms"),
            "unsubscribe_token": unsubscribe, "view": view}


def clear_outbox(region: str = "us-east-1") -> None:
    """Forget what moto recorded as sent, so a test counts only what comes after (the nudges, not the
    confirmations before them)."""
    ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages.clear()
    sns_backends[DEFAULT_ACCOUNT_ID][region].sms_messages.clear()


def body_part(message: Message, subtype: str) -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def dead_letters(resources: LocalResources) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name=resources.region)
    got = sqs.receive_message(QueueUrl=resources.dead_letter_url, MaxNumberOfMessages=10,
                              MessageAttributeNames=["All"])
    return [json.loads(m["Body"]) for m in got.get("Messages", [])]


# ---- a provisioned account for a whole module ----------------------------------------------------


class Clock:
    """A settable clock for ``followup.domain.clock.use_clock``."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)


@contextmanager
def provisioned_account(fake_clock: Clock, parameters: dict[str, Any] | None = None) -> Iterator[LocalResources]:
    """A moto account (``mock_aws``) with the template's resources, the functions' environment set and
    ``fake_clock`` as the product's clock while inside; everything restored on the way out. For fixtures
    wider than one test (``scope="module"``), where the function-scoped ``aws_env`` cannot be used."""
    product_clock.use_clock(fake_clock)
    try:
        with mock_aws(), moto_transactions_copy_the_item_index():  # the local stack's moto speed-up
            environment.refresh()  # clients made inside moto
            resources = provision.provision(boto3.session.Session(), sender_email=SENDER)
            with environment.applied(environment.functions_environment(resources, firm_name=FIRM, public_base_url=BASE_URL,
                                                                       parameters=parameters)):
                yield resources
    finally:
        environment.refresh()
        product_clock.use_system_clock()


# ---- one interview's whole life ------------------------------------------------------------------

# The submission (with its confirmation messages), the candidate's confirmation, each step firing (the
# decision card after the decision), the delete.
PHASES = ("submit", "confirm", STEPS[0], STEPS[1], "decision", STEPS[2], "delete")
# Which function serves each phase (one invocation each).
FUNCTION_OF_PHASE = {phase: phase if phase in STEPS else "api" for phase in PHASES}


@dataclass
class Lifecycle:
    """What one run of the lifecycle recorded."""

    calls: CallRecorder  # one label per phase
    channels: tuple[str, ...] = ()
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # the stored item after each phase
    interview_id: str = ""

    def per_phase(self) -> dict[str, dict[str, int]]:
        return {phase: dict(sorted(self.calls.operations(phase).items())) for phase in PHASES}


def _expect(condition: bool, what: str, got: Any) -> None:
    if not condition:
        raise AssertionError(f"lifecycle: {what}; got {got!r}")


def run_lifecycle(
    runner: ScheduleRunner,
    clock: Any,
    *,
    table: str | None = None,
    channels: tuple[str, ...] = ("email", "sms"),
    api: Callable[..., ApiResponse] = call_api,
    phase_hook: Callable[[str], Any] | None = None,
) -> Lifecycle:
    """Drive one interview through every phase with the real handlers, recording each phase's AWS calls.

    Each phase is checked as it goes (202, 200, ``sent`` on every channel, 200, 204), so the counts are of a
    lifecycle that worked. ``runner`` fires the provisioned schedules (its own calls, and this function's
    reads of the table, are not the product's: the recorder tells them apart by the calling module);
    ``clock`` is the clock the handlers see (callable, with ``set``); ``channels`` the candidate's choice;
    ``phase_hook(phase)``, if given, a context manager entered around each phase (the bench measures the
    log bytes with it).
    """
    recorder = CallRecorder().attach()
    lifecycle = Lifecycle(calls=recorder, channels=channels)
    body = sample_submission()
    body.update(channels=list(channels), sms_consent="sms" in channels)
    dynamodb = boto3.client("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1"))
    table = table or os.environ["TABLE_NAME"]

    def fire(step: str, days: float) -> None:
        fired = runner.fire_due(clock() + timedelta(days=days))
        _expect([i.name.rsplit("-", 1)[-1] for i in fired] == [step], f"only {step} fires", [i.name for i in fired])
        _expect(
            fired[0].result == {"result": "sent", "channels": dict.fromkeys(channels, "sent")},
            f"{step} sent on {', '.join(channels)}",
            fired[0].result,
        )

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        hook = phase_hook(name) if phase_hook else None
        with recorder.as_function(name):
            if hook is None:
                yield
            else:
                with hook:
                    yield
        if lifecycle.interview_id:
            item = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"INTERVIEW#{lifecycle.interview_id}"}})
            lifecycle.items[name] = item.get("Item", {})

    try:
        with phase("submit"):
            created = api("POST", "/interviews", body=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            _expect(created.status == 202, "the submission is accepted", created.status)
            lifecycle.interview_id = created.json()["id"]
        path = f"/interviews/{lifecycle.interview_id}"
        tokens = confirmation_tokens(lifecycle.interview_id)
        token = tokens[channels[0]]
        with phase("confirm"):
            for channel in channels:  # each destination confirmed from its own message
                confirmed = api("POST", f"{path}/confirm", token=tokens[channel])
                _expect(confirmed.status == 200, f"the candidate confirms by {channel}", confirmed.status)
        with phase(STEPS[0]):
            fire(STEPS[0], days=3)
        with phase(STEPS[1]):
            fire(STEPS[1], days=10)
        clock.set(clock() + timedelta(days=2))
        with phase("decision"):
            decided = api(
                "POST",
                f"{path}/decision",
                token=token,
                body={
                    "outcome": "offer",
                    "hiring_manager": {"name": "Priya Natarajan"},
                    "supervisor": {"name": "Marcus Chen"},
                },
            )
            _expect(decided.status == 200, "the decision is recorded", decided.status)
        with phase(STEPS[2]):
            fire(STEPS[2], days=2)
        with phase("delete"):
            erased = api("DELETE", path, token=token)
            _expect(erased.status == 204, "the interview is deleted", erased.status)
    finally:
        recorder.detach()
    return lifecycle


def item_bytes(value: Any, name: str | None = None) -> int:
    """The size DynamoDB bills for an item (DynamoDB JSON): names and values, per its documented rules."""
    size = len(name.encode()) if name is not None else 0
    if (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)) in ("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS")
    ):
        kind, inner = next(iter(value.items()))
        if kind == "S":
            return size + len(inner.encode())
        if kind == "N":
            digits = len(inner.lstrip("-").replace(".", "").lstrip("0")) or 1
            return size + math.ceil(digits / 2) + 1
        if kind in ("BOOL", "NULL"):
            return size + 1
        if kind == "M":
            return size + 3 + sum(item_bytes(v, k) + 1 for k, v in inner.items())
        if kind == "L":
            return size + 3 + sum(item_bytes(v) + 1 for v in inner)
        return size + sum(len(str(v).encode()) for v in inner)
    return size + sum(item_bytes(v, k) for k, v in value.items())
