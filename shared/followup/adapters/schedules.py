"""EventBridge Scheduler adapter: one one-time schedule per follow-up.

Name ``<interview id>-<step>`` in the stack's group; ``at(<local wall time>)`` with the candidate's
zone as ``ScheduleExpressionTimezone``; ``ActionAfterCompletion: DELETE``, so EventBridge Scheduler
deletes it once it has fired (the service deletes only the ones a change cancels); retried, then
dead-lettered. The payload carries ids and a version only, never personal data.

The recruiter's coalesced alert (``followup.usecases.alerts``) is one more such schedule, ``<interview id>-recruiter_alert``,
in UTC, invoking the ``decision_thank_you`` function (which may send from the firm's sender).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from followup.adapters.aws import client
from followup.domain.models import ALERT_SCHEDULE, ALERT_TARGET_STEP
from followup.domain.policy import at_expression
from followup.runtime.config import SchedulerSettings, Settings

RETRY_POLICY = {"MaximumRetryAttempts": 20, "MaximumEventAgeInSeconds": 86400}


def schedule_name(interview_id: str, step: str) -> str:
    return f"{interview_id}-{step}"


def schedule_payload(interview_id: str, step: str, version: int) -> str:
    return json.dumps({"interview_id": interview_id, "step": step, "version": version}, sort_keys=True)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class FollowUpScheduler:
    """The ``followup.ports.Scheduler`` on EventBridge Scheduler."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def settings(self) -> SchedulerSettings:
        # Read on first use: a request that schedules nothing does not need the scheduler's environment.
        return self._settings.require_scheduler()

    @property
    def _api(self) -> Any:
        return client("scheduler")

    def _definition(self, interview_id: str, step: str, version: int, due_at: datetime) -> dict[str, Any]:
        return {
            "Name": schedule_name(interview_id, step),
            "GroupName": self.settings.group_name,
            "ScheduleExpression": at_expression(due_at),
            "ScheduleExpressionTimezone": str(due_at.tzinfo),
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "State": "ENABLED",
            "Target": {
                "Arn": self.settings.target_arns[ALERT_TARGET_STEP if step == ALERT_SCHEDULE else step],
                "RoleArn": self.settings.role_arn,
                "Input": schedule_payload(interview_id, step, version),
                "RetryPolicy": RETRY_POLICY,
                "DeadLetterConfig": {"Arn": self.settings.dead_letter_arn},
            },
        }

    def put(self, interview_id: str, step: str, version: int, due_at: datetime) -> None:
        """Create the follow-up's schedule, or move an existing one to the new time and version."""
        definition = self._definition(interview_id, step, version, due_at)
        try:
            self._api.create_schedule(ClientToken=f"{definition['Name']}-v{version}", **definition)
        except ClientError as exc:
            if _code(exc) != "ConflictException":
                raise
            self._api.update_schedule(**definition)

    def delete(self, interview_id: str, step: str) -> None:
        """Delete the follow-up's schedule; one already gone (fired, or deleted before) is fine."""
        try:
            self._api.delete_schedule(Name=schedule_name(interview_id, step), GroupName=self.settings.group_name)
        except ClientError as exc:
            if _code(exc) != "ResourceNotFoundException":
                raise
