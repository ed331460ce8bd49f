"""The whole lifecycle through the real handlers, asserting on what moto recorded: the submission, then the
decision, marking done, unsubscribing and deleting (the delivery: test_lifecycle_delivery.py).

Given an interview submitted through the API Lambda (a real-shaped HTTP API v2 event), when its
schedules fire through the step Lambdas, then exactly the right emails and SMS go out, once.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta

import boto3

from followup.runtime.observability import logger
from tests.integration.harness import (
    body_part,
    call_api,
    emails,
    schedules,
    sms,
)
from tests.integration.lifecycle_parts import (
    SUBMISSION,
    fire,
    fire_payload,
    submit,
)

# ---- submission -----------------------------------------------------------------------------

def test_a_submission_creates_one_schedule_per_follow_up_at_the_nudge_hour_in_the_candidates_zone(aws_env):
    created = submit()

    found = schedules(aws_env)

    assert sorted(found) == [f"{created['id']}-check_in", f"{created['id']}-thank_you_note"]
    card = found[f"{created['id']}-thank_you_note"]
    assert card["ScheduleExpression"] == "at(2026-03-12T09:00:00)"
    assert card["ScheduleExpressionTimezone"] == "America/New_York"
    assert card["ActionAfterCompletion"] == "DELETE"
    assert card["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert card["Target"]["Arn"] == aws_env.function_arns["thank_you_note"] + ":live"  # the alias SnapStart runs on
    assert card["Target"]["DeadLetterConfig"]["Arn"] == aws_env.dead_letter_arn
    assert card["Target"]["RetryPolicy"]["MaximumRetryAttempts"] > 0
    # 2026-03-10 + 7 days + 3 days grace = Friday 2026-03-20
    assert found[f"{created['id']}-check_in"]["ScheduleExpression"] == "at(2026-03-20T09:00:00)"


def test_a_schedule_payload_carries_ids_and_a_version_only(aws_env):
    created = submit()

    payloads = [json.loads(s["Target"]["Input"]) for s in schedules(aws_env).values()]

    assert payloads == [
        {"interview_id": created["id"], "step": step, "version": 1} for step in ("check_in", "thank_you_note")
    ]
    raw = json.dumps([s["Target"] for s in schedules(aws_env).values()])
    for personal in ("Jordan", "jordan.rivera@example.com", "+14155550123", "Dana"):
        assert personal not in raw


def test_the_confirmed_view_has_the_follow_ups_with_local_offsets_and_both_channels_verified(aws_env):
    created = submit()

    assert (created["status"], created["verified_channels"]) == ("active", ["email", "sms"])
    assert created["interview_at"] == "2026-03-10T14:00:00-04:00"
    assert [{k: v for k, v in f.items() if k != "guide"} for f in created["follow_ups"]] == [
        {"step": "thank_you_note", "due_at": "2026-03-12T09:00:00-04:00", "status": "scheduled", "deliveries": {},
         "done_by": None},
        {"step": "check_in", "due_at": "2026-03-20T09:00:00-04:00", "status": "scheduled", "deliveries": {},
         "done_by": None},
    ]


def test_a_retried_submission_with_the_same_idempotency_key_returns_the_first_result_and_sends_nothing(aws_env):
    first = call_api("POST", "/interviews", body=SUBMISSION, headers={"Idempotency-Key": "retry-me-1"})

    second = call_api("POST", "/interviews", body=SUBMISSION, headers={"Idempotency-Key": "retry-me-1"})

    assert (second.status, second.json()) == (202, first.json())
    assert (len(emails()), len(sms())) == (1, 1)  # the first submission's confirmations, not twice


def test_an_idempotency_key_reused_with_another_body_is_refused_and_creates_nothing(aws_env):
    submit(**{"Idempotency-Key": "retry-me-2"})
    other = {**SUBMISSION, "role": "Data Engineer"}

    answer = call_api("POST", "/interviews", body=other, headers={"Idempotency-Key": "retry-me-2"})

    assert answer.status == 422
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"
    assert len(schedules(aws_env)) == 2


def test_a_late_submission_skips_the_thank_you_card_after_its_window(aws_env, fake_clock):
    fake_clock.set(datetime(2026, 3, 16, 15, 0, tzinfo=UTC))  # six days after the interview

    created = submit()

    assert [(f["step"], f["status"]) for f in created["follow_ups"]] == [
        ("thank_you_note", "skipped"),
        ("check_in", "scheduled"),
    ]
    assert sorted(schedules(aws_env)) == [f"{created['id']}-check_in"]


# ---- decision, done, unsubscribe, delete ----------------------------------------------------

def test_a_decision_before_check_in_cancels_it_and_schedules_the_decision_card_with_both_names(aws_env, fake_clock):
    created = submit()
    fire(aws_env, fake_clock, days=3)  # the thank-you card goes out on day 2
    fake_clock.set(datetime(2026, 3, 15, 16, 30, tzinfo=UTC))  # Sunday 12:30 in New York

    decided = call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
                       body={"outcome": "offer", "hiring_manager": {"name": "Priya Natarajan"},
                             "supervisor": {"name": "Marcus Chen"}})

    assert decided.status == 200
    view = decided.json()
    assert view["status"] == "decided"
    assert view["decision"]["outcome"] == "offer"
    assert [(f["step"], f["status"], f["due_at"]) for f in view["follow_ups"]] == [
        ("thank_you_note", "sent", "2026-03-12T09:00:00-04:00"),
        ("check_in", "cancelled", "2026-03-20T09:00:00-04:00"),
        ("decision_thank_you", "scheduled", "2026-03-16T09:00:00-04:00"),
    ]
    found = schedules(aws_env)
    assert sorted(found) == [f"{created['id']}-decision_thank_you"]
    assert found[f"{created['id']}-decision_thank_you"]["ScheduleExpression"] == "at(2026-03-16T09:00:00)"

    fired = fire(aws_env, fake_clock, days=30)

    assert [i.name for i in fired] == [f"{created['id']}-decision_thank_you"]
    card = emails()[-1]
    text = body_part(card, "plain")
    assert "Priya Natarajan" in text and "Marcus Chen" in text
    assert len(emails()) == 2 and len(sms()) == 2  # the thank-you card and the decision card; no check-in


def test_the_cancelled_check_in_payload_does_nothing_after_a_decision(aws_env, fake_clock):
    created = submit()
    call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
             body={"outcome": "not_selected"})

    result = fire_payload("check_in", created["id"], version=1)

    assert result["result"] == "stale"
    assert emails() == []


def test_a_not_selected_decision_defaults_the_hiring_manager_to_the_interviewer(aws_env, fake_clock):
    created = submit()

    decided = call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
                       body={"outcome": "not_selected"}).json()
    fire(aws_env, fake_clock, days=2)

    assert decided["decision"]["hiring_manager"] == {"name": "Dana Whitfield"}
    assert [f["status"] for f in decided["follow_ups"]] == ["cancelled", "cancelled", "scheduled"]
    [card] = emails()
    assert "Dana Whitfield" in body_part(card, "plain")


def test_a_second_decision_is_a_conflict_and_changes_nothing(aws_env):
    created = submit()
    path = f"/interviews/{created['id']}/decision"
    call_api("POST", path, token=created["manage_token"], body={"outcome": "not_selected"})
    before = schedules(aws_env)

    again = call_api("POST", path, token=created["manage_token"],
                     body={"outcome": "offer", "supervisor": {"name": "Marcus Chen"}})

    assert again.status == 409
    assert schedules(aws_env).keys() == before.keys()
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["decision"]["outcome"] == "not_selected"


def test_marking_a_step_done_cancels_its_nudge(aws_env, fake_clock):
    created = submit()

    done = call_api("POST", f"/interviews/{created['id']}/follow-ups/thank_you_note/done",
                    token=created["manage_token"])
    fire(aws_env, fake_clock, days=3)

    assert done.status == 200
    assert done.json()["follow_ups"][0]["status"] == "done"
    assert sorted(schedules(aws_env)) == [f"{created['id']}-check_in"]
    assert emails() == [] and sms() == []


def test_the_one_click_unsubscribe_cancels_every_pending_follow_up_and_answers_no_personal_data(aws_env, fake_clock):
    created = submit()

    answer = call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}",
                      headers={"content-type": "application/x-www-form-urlencoded"}, raw="List-Unsubscribe=One-Click")
    fire(aws_env, fake_clock, days=30)

    assert (answer.status, answer.json()) == (200, {"status": "unsubscribed"})
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert (view["status"], [f["status"] for f in view["follow_ups"]]) == ("cancelled", ["cancelled", "cancelled"])
    assert schedules(aws_env) == {}
    assert emails() == [] and sms() == []


def test_opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(aws_env):
    created = submit()

    answer = call_api("GET", "/unsubscribe", query=f"token={created['unsubscribe_token']}",
                      headers={"accept": "text/html"})

    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert f'action="/unsubscribe?token={created["unsubscribe_token"]}"' in answer.text
    for personal in ("Jordan", "jordan.rivera@example.com", "Globex", "Senior Data Analyst"):
        assert personal not in answer.text
    assert sorted(schedules(aws_env)) == [f"{created['id']}-check_in", f"{created['id']}-thank_you_note"]
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["status"] == "active"


def test_a_decision_on_a_cancelled_interview_is_a_conflict(aws_env):
    created = submit()
    call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}")

    answer = call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
                      body={"outcome": "not_selected"})

    assert answer.status == 409
    assert schedules(aws_env) == {}


def test_delete_leaves_no_schedule_and_no_personal_data(aws_env):
    created = submit(**{"Idempotency-Key": "erase-me"})

    answer = call_api("DELETE", f"/interviews/{created['id']}", token=created["manage_token"])

    assert answer.status == 204
    assert schedules(aws_env) == {}
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=aws_env.table_name)["Items"]
    stored = json.dumps(items)
    for personal in ("Jordan Rivera", "jordan.rivera@example.com", "+14155550123", "127.0.0.1", "203.0.113.17"):
        assert personal not in stored
    # What is left are the limits' counters (the client's submissions, each destination's confirmations) and
    # the duplicate pointers: digests only, each expiring by TTL; and the report's counts, kept (no personal data)
    kinds = sorted(":".join(item["pk"]["S"].split("#")[:2 if item["pk"]["S"].startswith("LIMIT") else 1])
                   for item in items if not item["pk"]["S"].startswith("COUNT#"))
    assert kinds == ["DUPLICATE", "DUPLICATE", "LIMIT:confirmations", "LIMIT:confirmations", "LIMIT:submissions"]
    counted = sorted(item["pk"]["S"].split("#", 2)[2] for item in items if item["pk"]["S"].startswith("COUNT#"))
    assert counted == ["confirmation_sent#email", "confirmation_sent#sms", "confirmed#email", "confirmed#sms",
                       "enrolled#public"]
    assert call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).status == 404


def test_personal_data_never_reaches_the_logs(aws_env, fake_clock, capsys):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    created = submit()
    fire(aws_env, fake_clock, days=3)
    call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
             body={"outcome": "offer", "supervisor": {"name": "Marcus Chen"}})
    fire(aws_env, fake_clock, days=3)

    logger.removeHandler(handler)
    logged = capsys.readouterr()

    output = stream.getvalue() + logged.out + logged.err
    assert '"message":"channel delivered"' in output
    assert created["id"] in output  # the logs do speak of the interview, by id
    for personal in ("Jordan", "jordan.rivera@example.com", "+14155550123", "Marcus Chen", created["manage_token"]):
        assert personal not in output


def test_metrics_count_scheduled_and_sent_follow_ups_by_step_and_channel(aws_env, fake_clock, capsys):
    submit()
    fire(aws_env, fake_clock, days=3)

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]

    sent = [(m.get("step"), m.get("channel")) for m in lines if "FollowUpSent" in m]
    scheduled = sorted(m.get("step") for m in lines if "FollowUpScheduled" in m)
    assert sorted(sent) == [("thank_you_note", "email"), ("thank_you_note", "sms")]
    assert scheduled == ["check_in", "thank_you_note"]


def test_a_browser_that_unsubscribes_gets_a_page_saying_it_worked_and_naming_nobody(aws_env):
    created = submit()

    answer = call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}",
                      headers={"accept": "text/html,application/xhtml+xml",
                               "content-type": "application/x-www-form-urlencoded"}, raw="List-Unsubscribe=One-Click")

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "You are unsubscribed" in answer.text
    for personal in ("Jordan", "Globex", "Senior Data Analyst"):
        assert personal not in answer.text
    assert schedules(aws_env) == {}


def test_a_stored_interview_expires_90_days_after_its_last_follow_up(aws_env, fake_clock):
    created = submit()
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"INTERVIEW#{created['id']}"}}

    expires = int(table.get_item(TableName=aws_env.table_name, Key=key)["Item"]["expires_at"]["N"])
    call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"],
             body={"outcome": "not_selected"})
    after_decision = int(table.get_item(TableName=aws_env.table_name, Key=key)["Item"]["expires_at"]["N"])

    check_in = datetime(2026, 3, 20, 13, 0, tzinfo=UTC)  # 09:00 in New York
    decision_card = datetime(2026, 3, 11, 13, 0, tzinfo=UTC)
    assert expires == int((check_in + timedelta(days=90)).timestamp())
    # The cancelled check-in no longer holds the data: the decision card is the last to go out.
    assert after_decision == int((decision_card + timedelta(days=90)).timestamp())
