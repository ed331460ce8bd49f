"""The AWS calls of each kind of event the feedback function hears, each on a fresh interview whose thank-you note
went out by email and SMS: SES's events, SNS's delivery receipts, and the candidate's replies.

Shared by ``tests/integration/test_hearing_calls.py`` (which asserts them exactly) and ``python -m bench.events``
(which prints them in bench/results.md). A call "applies" the event unless it is a message the event makes the
product send (an answer, a forward): those are counted apart, since the issue's budget is the applying's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import count
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from followup.domain.models import STEPS
from local import handlers
from local.calls import CallRecorder
from tests.integration.harness import (
    START,
    Clock,
    call_api,
    clear_outbox,
    confirmation_tokens,
    firm_claims,
    provisioned_account,
    sample_submission,
    submit_confirmed,
)
from tests.ses_feedback import envelope, record_of
from tests.sms_feedback import inbound, log_batch, receipt

THANK_YOU_NOTE = STEPS[0]
REGION = "us-east-1"
SENDS = ("sesv2:SendEmail", "sns:Publish")  # a message the event makes the product send
APPLY_GOAL = 3  # calls to apply one event (issue 21)
EVENT_AT = "2026-03-13T14:02:05.000Z"
RECRUITER = firm_claims("rec-calls", name="Priya Natarajan", email="priya@acme-staffing.example")


@contextmanager
def account() -> Iterator[Clock]:
    clock = Clock()
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 100_000,
                                                "ConfirmationsPerDayPerDestination": 100_000}):
        yield clock


class Nudged:
    """Fresh interviews whose thank-you note went out on both channels, each to its own address and number."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.numbers = count(200)

    def __call__(self, *, enrolled: bool = False) -> dict[str, Any]:
        n = next(self.numbers)
        self.clock.set(START)
        body = sample_submission()
        body["candidate"].update(email=f"calls{n}@example.com", phone=f"+1415555{n:04d}")
        if enrolled:
            interview_id = call_api("POST", "/firm/interviews", body=body, claims=RECRUITER).json()["id"]
            for token in confirmation_tokens(interview_id).values():
                call_api("POST", f"/interviews/{interview_id}/confirm", token=token)
            view = call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER).json()
        else:
            confirmed = submit_confirmed(body)
            interview_id, view = confirmed["id"], confirmed["view"]
        clear_outbox(REGION)
        sms_before = set(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages)
        due = next(f["due_at"] for f in view["follow_ups"] if f["step"] == THANK_YOU_NOTE)
        self.clock.set(datetime.fromisoformat(due))
        handlers.invoke(THANK_YOU_NOTE, {"interview_id": interview_id, "step": THANK_YOU_NOTE, "version": 1})
        (email,) = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
        (sms_id,) = set(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages) - sms_before
        return {"id": interview_id, "email": body["candidate"]["email"], "phone": body["candidate"]["phone"],
                "email_id": email.id, "sms_id": sms_id}


def ses(event_type: str, **options: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def event(sent: dict[str, Any]) -> dict[str, Any]:
        tags = {"interview": sent["id"], "kind": THANK_YOU_NOTE, "channel": "email"}
        return envelope(record_of(sent["email"], sent["email_id"], tags, event_type, EVENT_AT, **options))
    return event


def reply(body: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def event(sent: dict[str, Any]) -> dict[str, Any]:
        return inbound(sent["phone"], body, inbound_id=f"in-{sent['id']}", previous=sent["sms_id"])
    return event


def sms_receipt(status: str, **options: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def event(sent: dict[str, Any]) -> dict[str, Any]:
        return log_batch(receipt(sent["sms_id"], status, destination=sent["phone"], **options),
                         failures=status != "SUCCESS")
    return event


# kind -> (the event, on an interview a recruiter enrolled?)
EVENTS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], bool]] = {
    "SES delivery": (ses("Delivery"), False),
    "SES permanent bounce": (ses("Bounce"), False),
    "SES transient bounce": (ses("Bounce", bounce_type="Transient", sub_type="MailboxFull"), False),
    "SES complaint": (ses("Complaint"), False),
    "SES delivery delay": (ses("DeliveryDelay"), False),
    "SES reject": (ses("Reject"), False),
    "SMS receipt, delivered": (sms_receipt("SUCCESS"), False),
    "SMS receipt, unreachable": (sms_receipt("FAILURE", response="Phone is currently unreachable"), False),
    "reply DONE": (reply("Done, mailed it!"), False),
    "reply STOP": (reply("STOP"), False),
    "reply START": (reply("start"), False),
    "reply text, public (answered)": (reply("who is this?"), False),
    "reply text, enrolled (forwarded)": (reply("Mailed it, thanks!"), True),
}


def measure() -> dict[str, dict[str, Any]]:
    """Each event kind once, and again (its second delivery): the product's calls, applying and sending."""
    results: dict[str, dict[str, Any]] = {}
    with account() as clock:
        nudged = Nudged(clock)
        for kind, (make, enrolled) in EVENTS.items():
            event = make(nudged(enrolled=enrolled))
            first, again = (_calls(event) for _ in range(2))
            results[kind] = {
                "apply": [c for c in first if c not in SENDS],
                "sends": [c for c in first if c in SENDS],
                "again": again,
            }
    return results


def _calls(event: dict[str, Any]) -> list[str]:
    with CallRecorder() as recorder:
        handlers.invoke("feedback", event)
    return [call.name for call in recorder.calls if call.caller is not None]
