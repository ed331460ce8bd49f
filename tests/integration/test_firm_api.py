"""The firm's routes other than the list, through the real API handler on moto: who may act on what,
enrolment, the recruiter's actions, the decision's correction by either side, and the recruiter's email."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from local import environment
from tests.integration.harness import (
    BASE_URL,
    body_part,
    call_api,
    clear_outbox,
    confirmation_tokens,
    emails,
    firm_claims,
    runner,
    schedules,
    submission,
    submit_confirmed,
)

RECRUITER = firm_claims("rec-a", name="Priya Natarajan", email="priya@acme-staffing.example")
OTHER = firm_claims("rec-b")
ADMIN = firm_claims("adm-1", groups="admins")
OFFER = {"outcome": "offer", "hiring_manager": {"name": "Dana Whitfield"}, "supervisor": {"name": "Marcus Chen"}}


def enrol(fake_clock, claims=RECRUITER, **kwargs) -> str:
    answer = call_api("POST", "/firm/interviews", body=submission(now=fake_clock(), **kwargs), claims=claims)
    assert answer.status == 202, answer.text
    return answer.json()["id"]


def enrolled_and_confirmed(fake_clock) -> tuple[str, str]:
    interview_id = enrol(fake_clock, channels=("email",))
    token = confirmation_tokens(interview_id)["email"]
    assert call_api("POST", f"/interviews/{interview_id}/confirm", token=token).status == 200
    return interview_id, token


def stored_interviews(resources) -> int:
    items = boto3.client("dynamodb").scan(TableName=resources.table_name)["Items"]  # the test's own read
    return sum(1 for item in items if item["pk"]["S"].startswith("INTERVIEW#"))


# ---- who may ---------------------------------------------------------------------------------------


def test_me_says_who_is_signed_in(aws_env):
    answer = call_api("GET", "/firm/me", claims=ADMIN)

    assert answer.status == 200
    assert answer.json() == {"sub": "adm-1", "name": "Recruiter adm-1", "email": "adm-1@acme-staffing.example",
                             "groups": ["admins"], "is_admin": True}


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/firm/me", None),
    ("GET", "/firm/interviews", None),
    ("POST", "/firm/interviews", {"not": "checked before the sign-in"}),
    ("GET", "/firm/interviews/{id}", None),
    ("POST", "/firm/interviews/{id}/decision", {"outcome": "nope"}),
    ("POST", "/firm/interviews/{id}/cancel", None),
])
def test_no_claims_is_401_and_a_user_in_neither_group_403_before_anything_else(aws_env, fake_clock, method, path,
                                                                                body):
    interview_id = enrol(fake_clock)
    path = path.format(id=interview_id)

    anonymous = call_api(method, path, body=body)
    outsider = call_api(method, path, body=body, claims=firm_claims("someone", groups="staff"))

    assert (anonymous.status, outsider.status) == (401, 403)
    assert call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER).json()["status"] == (
        "awaiting_confirmation")


@pytest.mark.parametrize(("method", "suffix", "body"), [
    ("GET", "", None),
    ("POST", "/decision", OFFER),
    ("PUT", "/decision", OFFER),
    ("POST", "/decision", {"outcome": "nope"}),  # a bad body on another's interview: 404 all the same
    ("POST", "/follow-ups/check_in/done", None),
    ("POST", "/cancel", None),
])
def test_another_recruiters_interview_is_404_like_an_unknown_one_and_unchanged(aws_env, fake_clock, method, suffix,
                                                                                body):
    interview_id, _ = enrolled_and_confirmed(fake_clock)

    theirs = call_api(method, f"/firm/interviews/{interview_id}{suffix}", body=body, claims=OTHER)
    unknown = call_api(method, f"/firm/interviews/0123456789ab{suffix}", body=body, claims=RECRUITER)

    assert (theirs.status, unknown.status) == (404, 404)
    assert theirs.json() == unknown.json()
    mine = call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER).json()
    assert (mine["status"], mine["decision"]) == ("active", None)


def test_an_admin_sees_any_interview_and_a_recruiter_their_own(aws_env, fake_clock):
    interview_id = enrol(fake_clock)
    public = call_api("POST", "/interviews", body=submission(now=fake_clock(), email="walk-in@example.com"))

    mine = call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER)
    admins = call_api("GET", f"/firm/interviews/{interview_id}", claims=ADMIN)
    walk_in = call_api("GET", f"/firm/interviews/{public.json()['id']}", claims=ADMIN)

    assert (mine.status, admins.status, walk_in.status) == (200, 200, 200)
    assert mine.json()["recruiter"] == {"id": "rec-a", "name": "Priya Natarajan", "email": "priya@acme-staffing.example"}
    assert walk_in.json()["recruiter"] is None
    assert call_api("GET", f"/firm/interviews/{public.json()['id']}", claims=RECRUITER).status == 404


# ---- enrol -----------------------------------------------------------------------------------------


def test_an_enrolment_sends_a_confirmation_that_names_the_recruiter_and_the_interview(aws_env, fake_clock):
    interview_id = enrol(fake_clock)

    (message,) = emails()
    text = body_part(message, "plain")
    assert "Priya Natarajan at Acme Staffing enrolled you" in text
    assert "Senior Data Analyst position at Globex Corporation" in text
    assert f"/manage/{interview_id}?token=" in text
    view = call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER).json()
    assert view["status"] == "awaiting_confirmation" and view["created_at"]


def test_an_enrolment_is_not_held_to_the_per_address_limit_but_to_the_destinations(aws_env, fake_clock, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "1")
    environment.refresh()

    statuses = [call_api("POST", "/firm/interviews", claims=RECRUITER, source_ip="203.0.113.9",
                         body=submission(now=fake_clock(), channels=("email",), email=f"c{n}@example.com")).status
                for n in range(4)]
    repeated = [call_api("POST", "/firm/interviews", claims=RECRUITER,
                         body=submission(now=fake_clock(), channels=("email",), email="same@example.com")).status
                for _ in range(4)]

    assert statuses == [202, 202, 202, 202]
    assert repeated == [202, 202, 202, 429]


def test_an_invalid_enrolment_is_422_naming_the_field_and_stores_nothing(aws_env, fake_clock):
    body = submission(now=fake_clock())
    body["candidate"]["time_zone"] = "Mars/Olympus"

    answer = call_api("POST", "/firm/interviews", body=body, claims=RECRUITER)

    assert answer.status == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["candidate.time_zone"]
    assert stored_interviews(aws_env) == 0 and emails() == []


# ---- act -------------------------------------------------------------------------------------------


def test_the_recruiter_records_an_outcome_by_the_candidates_rules(aws_env, fake_clock):
    waiting = enrol(fake_clock, email="waiting@example.com")
    interview_id, _ = enrolled_and_confirmed(fake_clock)

    early = call_api("POST", f"/firm/interviews/{waiting}/decision", body=OFFER, claims=RECRUITER)
    no_supervisor = call_api("POST", f"/firm/interviews/{interview_id}/decision", body={"outcome": "offer"},
                             claims=RECRUITER)
    decided = call_api("POST", f"/firm/interviews/{interview_id}/decision", body=OFFER, claims=RECRUITER)
    again = call_api("POST", f"/firm/interviews/{interview_id}/decision", body=OFFER, claims=RECRUITER)

    assert (early.status, no_supervisor.status, decided.status, again.status) == (409, 422, 200, 409)
    assert decided.json()["decision"]["outcome"] == "offer"
    steps = {f["step"]: f["status"] for f in decided.json()["follow_ups"]}
    assert steps == {"thank_you_note": "cancelled", "check_in": "cancelled", "decision_thank_you": "scheduled"}
    assert sorted(schedules(aws_env)) == [f"{interview_id}-decision_thank_you"]


def test_a_correction_is_allowed_until_the_card_went_out_then_409_for_either_side(aws_env, fake_clock):
    interview_id, token = enrolled_and_confirmed(fake_clock)
    assert call_api("POST", f"/interviews/{interview_id}/decision", token=token, body=OFFER).status == 200

    by_recruiter = call_api("PUT", f"/firm/interviews/{interview_id}/decision", body={"outcome": "not_selected"},
                            claims=RECRUITER)
    by_candidate = call_api("PUT", f"/interviews/{interview_id}/decision", token=token, body=OFFER)
    runner(aws_env, set_time=fake_clock.set).fire_due(fake_clock() + timedelta(days=3))
    late_recruiter = call_api("PUT", f"/firm/interviews/{interview_id}/decision", body=OFFER, claims=RECRUITER)
    late_candidate = call_api("PUT", f"/interviews/{interview_id}/decision", token=token,
                              body={"outcome": "not_selected"})

    assert (by_recruiter.status, by_candidate.status) == (200, 200)
    assert by_recruiter.json()["decision"]["outcome"] == "not_selected"
    assert by_candidate.json()["decision"]["supervisor"] == {"name": "Marcus Chen"}
    assert (late_recruiter.status, late_candidate.status) == (409, 409)
    final = call_api("GET", f"/firm/interviews/{interview_id}", claims=RECRUITER).json()
    assert final["decision"]["outcome"] == "offer"
    card = next(f for f in final["follow_ups"] if f["step"] == "decision_thank_you")
    assert card["status"] == "sent" and card["deliveries"]["email"]["status"] == "sent"


def test_a_correction_before_any_decision_is_409_and_a_bad_one_422(aws_env, fake_clock):
    interview_id, token = enrolled_and_confirmed(fake_clock)

    before = call_api("PUT", f"/interviews/{interview_id}/decision", token=token, body=OFFER)
    call_api("POST", f"/interviews/{interview_id}/decision", token=token, body=OFFER)
    invalid = call_api("PUT", f"/interviews/{interview_id}/decision", token=token,
                       body={"outcome": "not_selected", "supervisor": {"name": "M. Chen"}})

    assert (before.status, invalid.status) == (409, 422)
    assert [e["field"] for e in invalid.json()["errors"]] == ["supervisor"]


def test_the_recruiter_is_emailed_when_the_candidate_records_or_corrects_a_decision(aws_env, fake_clock):
    interview_id, token = enrolled_and_confirmed(fake_clock)
    clear_outbox()

    call_api("POST", f"/interviews/{interview_id}/decision", token=token, body=OFFER)
    call_api("PUT", f"/interviews/{interview_id}/decision", token=token, body={"outcome": "not_selected"})
    assert len(emails()) == 1  # the correction within the hour after the first alert goes when the hour is up
    runner(aws_env, set_time=fake_clock.set).fire_due(fake_clock() + timedelta(hours=1))
    call_api("PUT", f"/firm/interviews/{interview_id}/decision", body=OFFER, claims=RECRUITER)  # their own: no email

    recorded, corrected = emails()
    assert [m["To"] for m in (recorded, corrected)] == ["priya@acme-staffing.example"] * 2
    text = body_part(recorded, "plain")
    assert "Hi Priya Natarajan," in text
    assert "Jordan Rivera recorded a decision for the Senior Data Analyst interview at Globex Corporation: an offer." in text
    assert f"{BASE_URL}/firm/#{interview_id}" in text
    assert f'href="{BASE_URL}/firm/#{interview_id}"' in body_part(recorded, "html")
    assert "corrected the decision" in body_part(corrected, "plain") and "not selected" in body_part(corrected, "plain")
    assert recorded["List-Unsubscribe"] is None  # a message to the firm's own people
    assert "token=" not in text


def test_a_public_candidates_decision_emails_nobody(aws_env, fake_clock):
    created = submit_confirmed(submission(now=fake_clock(), channels=("email",)))
    clear_outbox()

    decided = call_api("POST", f"/interviews/{created['id']}/decision", token=created["manage_token"], body=OFFER)

    assert decided.status == 200
    assert emails() == []


def test_marking_done_and_cancelling_for_the_candidate(aws_env, fake_clock):
    interview_id, _ = enrolled_and_confirmed(fake_clock)

    done = call_api("POST", f"/firm/interviews/{interview_id}/follow-ups/thank_you_note/done", claims=RECRUITER)
    cancelled = call_api("POST", f"/firm/interviews/{interview_id}/cancel", claims=RECRUITER)
    again = call_api("POST", f"/firm/interviews/{interview_id}/cancel", claims=ADMIN)

    assert done.status == 200
    assert {f["step"]: f["status"] for f in done.json()["follow_ups"]}["thank_you_note"] == "done"
    assert (cancelled.status, again.status) == (200, 200)
    assert cancelled.json()["status"] == "cancelled"
    assert {f["step"]: f["status"] for f in cancelled.json()["follow_ups"]} == {
        "thank_you_note": "done", "check_in": "cancelled"}
    assert schedules(aws_env) == {}
    listed = call_api("GET", "/firm/interviews", claims=RECRUITER).json()["items"]
    assert [(i["id"], i["status"]) for i in listed] == [(interview_id, "cancelled")]


# ---- the contract ----------------------------------------------------------------------------------


def test_openapi_lists_every_firm_route_with_its_security_scheme(aws_env):
    document = call_api("GET", "/openapi.json").json()

    firm = {f"{method.upper()} {path}": operation for path, operations in document["paths"].items()
            if path.startswith("/firm/") for method, operation in operations.items()}
    assert set(firm) >= {
        "GET /firm/me", "GET /firm/interviews", "POST /firm/interviews", "POST /firm/interviews:import",
        "GET /firm/interviews/{interview_id}", "POST /firm/interviews/{interview_id}/decision",
        "PUT /firm/interviews/{interview_id}/decision", "POST /firm/interviews/{interview_id}/follow-ups/{step}/done",
        "POST /firm/interviews/{interview_id}/cancel",
    }
    assert all(operation["security"] == [{"firm_jwt": []}] for operation in firm.values())
    assert all({"401", "403"} <= set(operation["responses"]) for operation in firm.values())
    assert document["components"]["securitySchemes"]["firm_jwt"]["scheme"] == "bearer"
    assert document["paths"]["/interviews/{interview_id}/decision"]["put"]["security"] == [{"manage_token": []}]
