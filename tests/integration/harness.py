"""Drive the real handlers like API Gateway and the scheduler would, and read what moto recorded."""

from __future__ import annotations

import email
import json
from dataclasses import dataclass
from email.message import Message
from typing import Any

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from local import handlers
from local.apigw import http_event
from local.engine import ScheduleRunner
from local.provision import LocalResources


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def call_api(method: str, path: str, *, body: Any = None, token: str | None = None, query: str = "",
             headers: dict[str, str] | None = None, raw: str | None = None) -> ApiResponse:
    sent = dict(headers or {})
    if token is not None:
        sent["authorization"] = f"Bearer {token}"
    payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if payload is not None:
        sent.setdefault("content-type", "application/json")
    answer = handlers.invoke("api", http_event(method, path, query=query, headers=sent, body=payload))
    return ApiResponse(answer["statusCode"], dict(answer.get("headers") or {}), answer.get("body") or "")


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
