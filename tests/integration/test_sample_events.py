"""The sample events of events/ go through their real handlers on any day: each dated now by local.events (what
`python -m local.events <file>` prints for `sam local invoke -e`), against a moto account, on the real clock
(not the suite's fixed one: these must hold on whatever day the suite runs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from followup.domain import clock
from followup.domain.models import STEPS
from local import environment, events, handlers, provision

SENDER = "followups@acme-staffing.example"


@pytest.fixture
def real_clock_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[provision.LocalResources]:
    clock.use_system_clock()
    with mock_aws():
        environment.refresh()
        resources = provision.provision(boto3.session.Session(), sender_email=SENDER)
        for name, value in environment.functions_environment(resources, public_base_url="https://followup.example.com",
                                                             firm_name="Acme Staffing").items():
            monkeypatch.setenv(name, value)
        environment.refresh()
        yield resources
    environment.refresh()


def test_the_sample_submission_dated_today_is_accepted_on_the_real_clock(real_clock_account):
    # Given events/submit_interview.json as `python -m local.events` prints it today
    event = events.dated(events.load("submit_interview.json"))

    # When the API handler takes it, on the real clock
    answer = handlers.invoke("api", event)

    # Then it is accepted: the confirmations are on their way
    assert answer["statusCode"] == 202, answer["body"]
    assert json.loads(answer["body"])["status"] == "awaiting_confirmation"


def test_dating_moves_only_the_dates_to_today_in_the_candidates_zone():
    sample = events.load("submit_interview.json")
    now = datetime(2031, 7, 4, 2, 30, tzinfo=UTC)  # still 3 July in New York

    moved = events.dated(sample, now)

    body, before = json.loads(moved["body"]), json.loads(sample["body"])
    assert body["interview_at"] == "2031-07-03T" + before["interview_at"].partition("T")[2]
    assert {**body, "interview_at": None} == {**before, "interview_at": None}
    assert moved["requestContext"]["timeEpoch"] == int(now.timestamp() * 1000)
    assert moved["requestContext"]["time"] == "04/Jul/2031:02:30:00 +0000"
    assert moved["headers"]["content-length"] == str(len(moved["body"].encode()))
    assert {k: v for k, v in moved.items() if k not in ("body", "requestContext", "headers")} == \
        {k: v for k, v in sample.items() if k not in ("body", "requestContext", "headers")}


def test_the_sample_read_of_an_interview_reaches_the_handler_and_is_answered_as_an_unknown_token(real_clock_account):
    # Given events/get_interview.json (its token is a placeholder) dated today
    answer = handlers.invoke("api", events.dated(events.load("get_interview.json")))

    # Then the handler answers it as any unknown token: 404, JSON, no server error
    assert answer["statusCode"] == 404
    assert json.loads(answer["body"])["message"]


@pytest.mark.parametrize("step", STEPS)
def test_each_sample_schedule_payload_runs_its_step_handler(real_clock_account, step):
    # Given the payload the schedule of that step delivers (its interview is not in this account)
    event = events.dated(events.load(f"schedule_{step}.json"))

    # When the step's handler runs it, Then it returns without raising (a stale or unknown interview sends nothing)
    handlers.invoke(step, event)


def test_the_sample_submission_as_written_is_dated_within_what_the_api_accepts_of_its_day():
    # The file keeps its own date (the suite's fixed clock reads it): within the API's 60 days of it
    sample = json.loads(events.load("submit_interview.json")["body"])
    written = datetime.fromisoformat(sample["interview_at"])
    sent = datetime.fromtimestamp(events.load("submit_interview.json")["requestContext"]["timeEpoch"] / 1000, UTC)

    assert abs(sent.replace(tzinfo=None) - written) < timedelta(days=1)


@pytest.mark.parametrize("sample", ["ses_email_delivered.json", "ses_email_bounced.json", "ses_email_complaint.json"])
def test_each_sample_ses_event_is_read_as_ours_and_applied_to_no_interview_here(real_clock_account, sample):
    # Given SES's event as EventBridge delivers it (its interview is not in this account)
    event = events.load(sample)

    # When the feedback handler runs it
    answer = handlers.invoke("feedback", event)

    # Then it is a well-formed event of ours, about an interview this account does not hold: nothing changes
    assert answer == {"result": "gone"}
    table = boto3.client("dynamodb").scan(TableName=real_clock_account.table_name)
    assert table["Count"] == 0


@pytest.mark.parametrize(("sample", "result"), [
    ("sns_inbound_text_done.json", ["no_interview"]),  # a DONE from a number with no active interview here
    ("logs_sms_delivered.json", {"unknown": 1}),  # a SUCCESS receipt of a text this account never sent
])
def test_each_sample_text_event_is_read_as_ours_and_changes_nothing_here(real_clock_account, sample, result):
    # Given a candidate's text as SNS delivers it, or SNS's delivery receipt as CloudWatch Logs delivers it
    event = events.load(sample)

    # When the feedback handler runs it
    answer = handlers.invoke("feedback", event)

    # Then it is read (not malformed), about nothing this account holds: nothing is written
    assert answer == {"result": result}
    table = boto3.client("dynamodb").scan(TableName=real_clock_account.table_name)
    assert table["Count"] == 0
