"""The recruiter's alerts of a candidate's decision on moto, through the real API and step handlers and the
schedule engine: a candidate flooding corrections reaches their recruiter at most once an hour, with the latest
state; a correction that changes nothing writes, alerts and counts nothing; and on both decision routes a wrong
token (or another recruiter) gets 404 before a cross-field 422."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from followup.usecases import alerts
from tests.integration.harness import (
    body_part,
    call_api,
    clear_outbox,
    confirmation_tokens,
    emails,
    firm_claims,
    runner,
    schedules,
    submission,
)

RECRUITER = firm_claims("rec-a", name="Priya Natarajan", email="priya@acme-staffing.example")
OTHER = firm_claims("rec-b")
ADMIN = firm_claims("adm-1", groups="admins")
OFFER = {"outcome": "offer", "supervisor": {"name": "Marcus Chen"}}
NOT_SELECTED = {"outcome": "not_selected"}
NO_SUPERVISOR = {"outcome": "offer"}  # an offer names the supervisor: 422 naming supervisor.name, for those allowed


def decided_two_hours_ago(fake_clock) -> tuple[str, str]:
    """An interview the recruiter enrolled, confirmed and decided (not selected) by the candidate two hours ago
    (its first alert went then); its decision card is due the next morning."""
    enrolled = call_api("POST", "/firm/interviews", body=submission(now=fake_clock(), channels=("email",)),
                        claims=RECRUITER)
    interview_id = enrolled.json()["id"]
    token = confirmation_tokens(interview_id)["email"]
    assert call_api("POST", f"/interviews/{interview_id}/confirm", token=token).status == 200
    assert call_api("POST", f"/interviews/{interview_id}/decision", token=token, body=NOT_SELECTED).status == 200
    fake_clock.set(fake_clock() + timedelta(hours=2))
    clear_outbox()
    return interview_id, token


def recruiter_alerts() -> list[str]:
    """The news line of each email moto sent to the recruiter, in order."""
    return [body_part(m, "plain").replace("\r\n", "\n").split("\n\n")[1] for m in emails()
            if m["To"] == "priya@acme-staffing.example"]


def corrections(fake_clock) -> int:
    day = fake_clock().date().isoformat()
    report = call_api("GET", "/firm/report", query=f"from={day}&to={day}", claims=ADMIN)
    assert report.status == 200, report.text
    return report.json()["corrections"]


def test_31_corrections_within_an_hour_reach_the_recruiter_once_at_once_and_once_at_the_hour(aws_env, fake_clock):
    interview_id, token = decided_two_hours_ago(fake_clock)
    first = fake_clock()

    for n in range(31):
        answer = call_api("PUT", f"/interviews/{interview_id}/decision", token=token,
                          body=OFFER if n % 2 == 0 else NOT_SELECTED)
        assert answer.status == 200, answer.text
        fake_clock.set(fake_clock() + timedelta(seconds=100))  # 31 in 52 minutes

    assert recruiter_alerts() == [
        "Jordan Rivera corrected the decision for the Senior Data Analyst interview at Globex Corporation: an offer."]
    (name,) = [n for n in schedules(aws_env) if n.endswith(alerts.SCHEDULE)]
    schedule = schedules(aws_env)[name]
    assert name == f"{interview_id}-recruiter_alert"
    assert schedule["ScheduleExpression"] == f"at({(first + alerts.INTERVAL).strftime('%Y-%m-%dT%H:%M:%S')})"
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert schedule["Target"]["Arn"] == f"{aws_env.function_arns['decision_thank_you']}:live"
    assert set(json.loads(schedule["Target"]["Input"])) == {"interview_id", "step", "version"}  # ids, no personal data

    fired = runner(aws_env, set_time=fake_clock.set).fire_due(first + alerts.INTERVAL)

    assert [(i.name, i.result, i.error) for i in fired] == [(name, {"result": "sent"}, None)]
    assert recruiter_alerts()[1:] == [  # the 31st correction was an offer: the latest state, once
        "Jordan Rivera corrected the decision for the Senior Data Analyst interview at Globex Corporation: an offer."]
    assert corrections(fake_clock) == 31
    assert not [n for n in schedules(aws_env) if n.endswith(alerts.SCHEDULE)]


def test_identical_corrections_write_nothing_alert_nobody_and_count_no_correction(aws_env, fake_clock):
    interview_id, token = decided_two_hours_ago(fake_clock)
    assert call_api("PUT", f"/interviews/{interview_id}/decision", token=token, body=OFFER).status == 200
    stored = boto3.client("dynamodb").get_item(TableName=aws_env.table_name,
                                               Key={"pk": {"S": f"INTERVIEW#{interview_id}"}})["Item"]
    before = (recruiter_alerts(), corrections(fake_clock), schedules(aws_env).keys())

    for _ in range(31):
        fake_clock.set(fake_clock() + timedelta(minutes=1))
        same = call_api("PUT", f"/interviews/{interview_id}/decision", token=token, body=OFFER)
        firm_same = call_api("PUT", f"/firm/interviews/{interview_id}/decision", body=OFFER, claims=RECRUITER)
        assert (same.status, firm_same.status) == (200, 200)

    assert (recruiter_alerts(), corrections(fake_clock), schedules(aws_env).keys()) == before
    assert len(recruiter_alerts()) == 1 and corrections(fake_clock) == 1
    assert boto3.client("dynamodb").get_item(TableName=aws_env.table_name,
                                             Key={"pk": {"S": f"INTERVIEW#{interview_id}"}})["Item"] == stored


# ---- item 6: 404 before a cross-field 422 ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_wrong_token_with_an_offer_and_no_supervisor_is_404_on_the_candidates_route(aws_env, fake_clock, method):
    interview_id, token = decided_two_hours_ago(fake_clock)

    wrong = call_api(method, f"/interviews/{interview_id}/decision", token=f"{interview_id}.not-the-secret",
                     body=NO_SUPERVISOR)
    unknown = call_api(method, "/interviews/0123456789ab/decision", token="0123456789ab.secret", body=NO_SUPERVISOR)
    right = call_api(method, f"/interviews/{interview_id}/decision", token=token, body=NO_SUPERVISOR)

    assert (wrong.status, unknown.status) == (404, 404)
    assert wrong.json() == unknown.json() and "supervisor" not in wrong.text
    assert right.status == 422 and [e["field"] for e in right.json()["errors"]] == ["supervisor.name"]


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_another_recruiter_with_an_offer_and_no_supervisor_is_404_on_the_firms_route(aws_env, fake_clock, method):
    interview_id, _ = decided_two_hours_ago(fake_clock)

    theirs = call_api(method, f"/firm/interviews/{interview_id}/decision", body=NO_SUPERVISOR, claims=OTHER)
    unknown = call_api(method, "/firm/interviews/0123456789ab/decision", body=NO_SUPERVISOR, claims=RECRUITER)
    mine = call_api(method, f"/firm/interviews/{interview_id}/decision", body=NO_SUPERVISOR, claims=RECRUITER)

    assert (theirs.status, unknown.status) == (404, 404)
    assert theirs.json() == unknown.json()
    assert mine.status == 422 and [e["field"] for e in mine.json()["errors"]] == ["supervisor.name"]
