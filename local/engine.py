"""What EventBridge Scheduler and Lambda's async invocation do in AWS, for moto (whose schedules never fire).

``ScheduleRunner.fire_due(until)`` takes every pending schedule of the group whose ``at()`` (in its
``ScheduleExpressionTimezone``) falls at or before ``until``, in time order; for each, it moves the
simulated clock to the due time, deletes the schedule (``ActionAfterCompletion: DELETE``) and
invokes the step handler with the schedule's input, as Lambda would: up to 1 + 2 retries on error,
then the event goes to the dead-letter queue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

LAMBDA_ASYNC_RETRIES = 2
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=2))  # Lambda's async retry back-off, roughly
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def unqualified(function_arn: str) -> str:
    """A Lambda ARN without its version or alias (``…:function:name:live`` -> ``…:function:name``): the
    local stack runs one copy of each function, whichever alias a schedule names."""
    parts = function_arn.split(":")
    return ":".join(parts[:7]) if len(parts) > 7 and parts[5] == "function" else function_arn


@dataclass(frozen=True)
class PendingSchedule:
    name: str
    due_at: datetime  # aware, in the schedule's zone
    payload: dict[str, Any]
    target_arn: str
    action_after_completion: str | None


@dataclass(frozen=True)
class Invocation:
    name: str
    due_at: datetime
    attempts: int
    result: Any
    error: str | None


def due_at(expression: str, zone: str | None) -> datetime:
    match = _AT.match(expression)
    if not match:
        raise ValueError(f"not a one-time schedule expression: {expression!r}")
    wall = datetime.fromisoformat(match.group(1))
    return wall.replace(tzinfo=ZoneInfo(zone or "UTC"))


class ScheduleRunner:
    def __init__(
        self,
        *,
        scheduler: Any,
        sqs: Any,
        group: str,
        dead_letter_url: str,
        targets: dict[str, Callable[[dict[str, Any]], Any]],
        set_time: Callable[[datetime], None] | None = None,
        on_invoked: Callable[[Invocation], None] | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.sqs = sqs
        self.group = group
        self.dead_letter_url = dead_letter_url
        self.targets = targets  # target ARN -> handler(event)
        self.set_time = set_time
        self.on_invoked = on_invoked
        self._details: dict[tuple[str, Any], PendingSchedule] = {}

    def pending(self) -> list[PendingSchedule]:
        """Every schedule of the group, soonest first. A schedule's detail is fetched only when the listing
        shows it new or modified, so a listing of thousands costs its pages, not a GetSchedule each."""
        found: dict[tuple[str, Any], PendingSchedule] = {}
        kwargs: dict[str, Any] = {"GroupName": self.group, "MaxResults": 100}
        while True:
            page = self.scheduler.list_schedules(**kwargs)
            for summary in page.get("Schedules", []):
                key = (summary["Name"], summary.get("LastModificationDate"))
                detail = self._details.get(key) or self._detail(summary["Name"])
                if detail is not None:
                    found[key] = detail
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
        self._details = found
        return sorted(found.values(), key=lambda s: (s.due_at.astimezone(UTC), s.name))

    def _detail(self, name: str) -> PendingSchedule | None:
        try:
            detail = self.scheduler.get_schedule(Name=name, GroupName=self.group)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None  # deleted between the listing and now
            raise
        return PendingSchedule(
            name=detail["Name"],
            due_at=due_at(detail["ScheduleExpression"], detail.get("ScheduleExpressionTimezone")),
            payload=json.loads(detail["Target"].get("Input") or "{}"),
            target_arn=detail["Target"]["Arn"],
            action_after_completion=detail.get("ActionAfterCompletion"),
        )

    def fire_due(self, until: datetime) -> list[Invocation]:
        """Fire, in time order, every schedule due at or before ``until``, a round per listing.

        Within a round nothing changes a schedule: the step functions make no scheduler call (their
        policies grant none). A later round picks up what the API scheduled meanwhile.
        """
        fired: list[Invocation] = []
        while True:
            due = [s for s in self.pending() if s.due_at.astimezone(UTC) <= until.astimezone(UTC)]
            if not due:
                return fired
            fired += [self.fire(schedule) for schedule in due]

    def fire(self, schedule: PendingSchedule) -> Invocation:
        if self.set_time:
            self.set_time(schedule.due_at.astimezone(UTC))
        if schedule.action_after_completion in (None, "DELETE"):
            self.scheduler.delete_schedule(Name=schedule.name, GroupName=self.group)
        handler = self.targets[unqualified(schedule.target_arn)]
        error: str | None = None
        result: Any = None
        attempts = 0
        for attempt in range(1 + LAMBDA_ASYNC_RETRIES):
            attempts = attempt + 1
            if attempt and self.set_time:
                self.set_time(schedule.due_at.astimezone(UTC) + sum(RETRY_DELAYS[:attempt], timedelta()))
            try:
                result = handler(dict(schedule.payload))
            except Exception as exc:  # noqa: BLE001 - Lambda treats any error as a failed invocation
                error = f"{type(exc).__name__}: {exc}"
                continue
            error = None
            break
        if error is not None:
            self.sqs.send_message(
                QueueUrl=self.dead_letter_url,
                MessageBody=json.dumps(schedule.payload),
                MessageAttributes={
                    "ErrorMessage": {"DataType": "String", "StringValue": error[:256]},
                    "ScheduleName": {"DataType": "String", "StringValue": schedule.name},
                },
            )
        invocation = Invocation(schedule.name, schedule.due_at, attempts, result, error)
        if self.on_invoked:
            self.on_invoked(invocation)
        return invocation
