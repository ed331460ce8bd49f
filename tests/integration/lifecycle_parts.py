"""What the lifecycle tests share (test_lifecycle*.py): the sample submission, submitting it, firing a step."""

from __future__ import annotations

import json
from datetime import timedelta

from local import handlers
from tests.conftest import load_event
from tests.integration.harness import (
    clear_outbox,
    runner,
    submit_confirmed,
)

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def submit(body: dict | None = None, **headers: str):
    """Submitted and confirmed on each channel; the outbox then holds nothing, so each test counts the nudges.
    Answers the view the confirmation gave, with the tokens the confirmation messages carried."""
    done = submit_confirmed(body or SUBMISSION, headers=headers)
    clear_outbox()
    return {**done["view"], **{key: done[key] for key in ("tokens", "manage_token", "unsubscribe_token")}}


def fire(resources, fake_clock, *, days: float):
    return runner(resources, set_time=fake_clock.set).fire_due(fake_clock() + timedelta(days=days))


def fire_payload(step: str, interview_id: str, version: int = 1):
    return handlers.invoke(step, {"interview_id": interview_id, "step": step, "version": version})


