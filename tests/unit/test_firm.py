"""The firm's side through the fakes: who the claims say is calling, the list's cursor and filters, the
decision's correction, and the recruiter's email, whose failure never fails the candidate's request."""

from __future__ import annotations

import base64
import json
from copy import deepcopy
from dataclasses import replace

import pytest

from followup.api.commands import RecordDecision
from followup.domain import listing, transitions
from followup.domain.errors import Conflict, Forbidden, InterviewNotFound, InvalidFields, Unauthorized
from followup.domain.identity import FirmUser, firm_user, groups_of
from followup.domain.listing import ListQuery
from followup.domain.models import Person
from followup.usecases import alerts
from followup.usecases.firm_service import FirmService
from tests.unit.builders import SETTINGS, SUBMISSION, World

RECRUITER = FirmUser(sub="rec-a", email="priya@acme.example", name="Priya Natarajan", groups=frozenset({"recruiters"}))
OTHER = FirmUser(sub="rec-b", email="b@acme.example", name="B", groups=frozenset({"recruiters"}))
ADMIN = FirmUser(sub="adm", email="adm@acme.example", name="Ada", groups=frozenset({"admins"}))
OFFER = RecordDecision(outcome="offer", supervisor=Person(name="Marcus Chen"))
NOT_SELECTED = RecordDecision(outcome="not_selected")


def event_with(claims: dict | None) -> dict:
    return {"requestContext": {"authorizer": {"jwt": {"claims": claims}}} if claims is not None else {}}


# ---- identity ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "groups"), [
    ("[recruiters]", {"recruiters"}),
    ("[admins recruiters]", {"admins", "recruiters"}),
    (["admins", "recruiters"], {"admins", "recruiters"}),
    ("[]", set()),
    (None, set()),
    # whole names only: what a punctuated group name is, it stays (none of these is "admins")
    ("[sales,admins]", {"sales,admins"}),
    ('["admins"]', {'"admins"'}),  # one group named "admins" with its quotes, as the HTTP API writes it
    ("[admins]]", {"admins]"}),
    ("[[admins]", {"[admins"}),
    ('["admins","staff"]', {'"admins","staff"'}),  # JSON text is no list: one (odd) name
])
def test_the_groups_claim_is_read_as_the_http_api_passes_it_or_as_a_list(claim, groups):
    assert groups_of(claim) == groups


@pytest.mark.parametrize("claim", [
    "admins", "admins recruiters", "[admins", "admins]", "[admins  recruiters]", "[ admins]", "[admins ]",
    "[admins\trecruiters]", ["admins", 1], ["admins", ""], ["admins", "a b"], {"admins"}, 7, {"admins": True},
])
def test_a_malformed_groups_claim_grants_nothing(claim):
    assert groups_of(claim) == set()
    with pytest.raises(Forbidden):
        firm_user(event_with({"sub": "s-1", "token_use": "id", "cognito:groups": claim}))


@pytest.mark.parametrize("claim", ["[sales,admins]", '["admins"]', "[admins]]", '[recruiters "admins"]'])
def test_a_punctuated_group_name_is_not_the_admins_group(claim):
    user = firm_user(event_with({"sub": "s-1", "token_use": "id", "email": "a@acme.example",
                                 "cognito:groups": f"{claim[:-1]} recruiters]"}))

    assert not user.is_admin and user.groups >= {"recruiters"}


@pytest.mark.parametrize("token_use", ["access", "", None, "ID", "id ", ["id"]])
def test_any_token_but_an_id_token_is_not_signed_in(token_use):
    claims = {"sub": "30fc7927-8a4e-4d5f-9b1c-2f1e7c0d9a11", "cognito:groups": "[admins recruiters]",
              "client_id": "abc", "username": "30fc7927-8a4e-4d5f-9b1c-2f1e7c0d9a11"}
    if token_use is not None:
        claims["token_use"] = token_use

    with pytest.raises(Unauthorized):
        firm_user(event_with(claims))


@pytest.mark.parametrize(("claims", "name"), [
    ({"name": "Ann  Lee"}, "Ann Lee"),
    ({}, "a@acme.example"),  # no name: the email, not the username
    ({"name": "30fc7927-8a4e-4d5f-9b1c-2f1e7c0d9a11"}, "a@acme.example"),
    ({"name": "30FC79278A4E4D5F9B1C2F1E7C0D9A11"}, "a@acme.example"),
    ({"name": "jdoe", "cognito:username": "jdoe"}, "a@acme.example"),
    ({"name": "s-1"}, "a@acme.example"),
])
def test_the_name_is_never_an_id(claims, name):
    user = firm_user(event_with({"sub": "s-1", "token_use": "id", "email": "a@acme.example",
                                 "cognito:username": "30fc7927-8a4e-4d5f-9b1c-2f1e7c0d9a11",
                                 "cognito:groups": "[recruiters]", **claims}))

    assert user.name == name


def test_the_user_is_read_from_the_authorizers_claims():
    user = firm_user(event_with({"sub": "s-1", "email": "a@acme.example", "name": "Ann Lee", "token_use": "id",
                                 "cognito:groups": "[admins recruiters]"}))

    assert user == FirmUser(sub="s-1", email="a@acme.example", name="Ann Lee", groups=frozenset({"admins", "recruiters"}))
    assert user.is_admin and not RECRUITER.is_admin


def test_no_claims_is_unauthorized_and_neither_group_forbidden():
    with pytest.raises(Unauthorized):
        firm_user(event_with(None))
    with pytest.raises(Unauthorized):
        firm_user(event_with({"email": "a@acme.example", "cognito:groups": "[admins]"}))  # no sub
    with pytest.raises(Forbidden):
        firm_user(event_with({"sub": "s-1", "token_use": "id", "cognito:groups": "[staff]"}))
    with pytest.raises(Forbidden):
        firm_user(event_with({"sub": "s-1", "token_use": "id"}))


# ---- the list's cursor ---------------------------------------------------------------------------------


def test_a_cursor_round_trips_and_is_refused_on_another_list_or_tampered():
    query = ListQuery(recruiter="rec-a")
    position = listing.Position("0123456789ab", "rec-a", "2026-03-10T19:00:00.000000Z#0123456789ab")
    cursor = listing.encode_cursor(position)

    assert listing.decode_cursor(cursor, query) == position
    for other in (ListQuery(recruiter="rec-b"), ListQuery()):
        with pytest.raises(InvalidFields) as refused:
            listing.decode_cursor(cursor, other)
        assert refused.value.fields[0][0] == "cursor"
    tampered = [
        base64.urlsafe_b64encode(json.dumps(v).encode()).decode()
        for v in (["../x", "rec-a", "k#../x"], ["0123456789ab", "rec-a", "k#other"], {"a": 1}, [1, 2, 3], "abc")
    ]
    for bad in ("", "%%%", "A" * 600, *tampered):
        with pytest.raises(InvalidFields):
            listing.decode_cursor(bad, query)


def test_the_sort_key_orders_by_the_moment_of_enrolment_across_time_zones():
    world = World()
    a = FirmService(world.service).enrol(RECRUITER, SUBMISSION)
    world.clock.advance(seconds=1)
    tokyo = SUBMISSION.model_copy(update={"candidate": replace(
        SUBMISSION.candidate, time_zone="Asia/Tokyo", email="t@example.com", phone=None), "channels": ["email"],
        "sms_consent": False})
    b = FirmService(world.service).enrol(RECRUITER, tokyo)

    keys = [listing.created_key(world.store.interviews[i["id"]]) for i in (a, b)]
    assert keys[0] < keys[1]  # Tokyo's local clock reads later in the day, yet sorts by the instant


# ---- the firm's actions through the fakes --------------------------------------------------------------


def enrolled_confirmed(world: World) -> tuple[str, str]:
    answer = FirmService(world.service).enrol(RECRUITER, SUBMISSION)
    token = world.confirmation_tokens()["email"]
    world.service.confirm(answer["id"], token)
    world.senders.emails.clear()
    world.senders.sms.clear()
    return answer["id"], token


def test_a_recruiter_acts_only_on_their_own_and_an_admin_on_any():
    world = World()
    firm = FirmService(world.service)
    interview_id, _ = enrolled_confirmed(world)

    with pytest.raises(InterviewNotFound):
        firm.get(OTHER, interview_id)
    with pytest.raises(InterviewNotFound):
        firm.decide(OTHER, interview_id, OFFER)
    with pytest.raises(Forbidden):
        firm.list(RECRUITER, ListQuery(recruiter="rec-b"))
    assert firm.get(ADMIN, interview_id).id == interview_id
    assert world.store.interviews[interview_id].decision is None
    assert [i.id for i in firm.list(RECRUITER, ListQuery()).items] == [interview_id]
    assert firm.list(OTHER, ListQuery()).items == []


def test_a_correction_follows_the_cards_state():
    world = World()
    interview_id, token = enrolled_confirmed(world)
    stored = world.store.interviews[interview_id]

    with pytest.raises(Conflict):
        transitions.correct_decision(stored, OFFER)  # nothing to correct yet
    decided = world.service.decide(interview_id, token, OFFER)
    corrected = transitions.correct_decision(decided, NOT_SELECTED).interview
    assert (corrected.decision.outcome, corrected.decision.supervisor) == ("not_selected", None)
    assert corrected.decision.decided_at == decided.decision.decided_at
    assert decided.decision.outcome == "offer"  # the transition copies
    for status in ("sending", "sent", "failed"):
        gone = deepcopy(decided)
        gone.follow_ups["decision_thank_you"].status = status
        with pytest.raises(Conflict):
            transitions.correct_decision(gone, NOT_SELECTED)


def test_the_recruiters_email_failing_does_not_fail_the_candidates_decision(monkeypatch):
    world = World()
    interview_id, token = enrolled_confirmed(world)
    waits: list[float] = []
    monkeypatch.setattr(alerts, "wait", waits.append)
    world.senders.failures["email"] = alerts.ATTEMPTS  # refused every time

    decided = world.service.decide(interview_id, token, OFFER)

    assert decided.status == "decided"
    assert world.store.interviews[interview_id].decision is not None
    assert world.senders.emails == [] and len(waits) == alerts.ATTEMPTS - 1


def test_a_refused_alert_is_tried_again_and_goes_once(monkeypatch):
    world = World()
    interview_id, token = enrolled_confirmed(world)
    monkeypatch.setattr(alerts, "wait", lambda seconds: None)
    world.senders.failures["email"] = 1

    world.service.decide(interview_id, token, NOT_SELECTED)

    (email,) = world.senders.emails
    assert email.to == "priya@acme.example" and email.unsubscribe_url == ""
    assert "Jordan Rivera recorded a decision for the Analyst interview at Globex: not selected." in email.text
    assert alerts.firm_link(SETTINGS.base_url, interview_id) in email.text


def test_the_recruiter_is_not_emailed_for_their_own_actions():
    world = World()
    firm = FirmService(world.service)
    interview_id, _ = enrolled_confirmed(world)

    firm.decide(RECRUITER, interview_id, OFFER)
    firm.correct_decision(RECRUITER, interview_id, NOT_SELECTED)

    assert world.senders.emails == []
    assert world.store.interviews[interview_id].decision.outcome == "not_selected"


def test_the_confirmation_says_who_enrolled_the_candidate_and_a_public_one_does_not():
    import dataclasses
    from datetime import date

    from followup.domain import messages

    ctx = messages.MessageContext(firm_name="Acme Staffing", candidate_name="Jordan Rivera", company="Globex",
                                  role="Analyst", interviewer_name="Dana Whitfield", interviewer_title=None,
                                  interview_date=date(2026, 3, 10), manage_url="https://x.example/manage/1?token=1.a",
                                  unsubscribe_url="https://x.example/unsubscribe?token=1.b")

    enrolled = messages.render_confirmation(dataclasses.replace(ctx, branding=messages.Branding(signer="Priya  Natarajan")))
    public = messages.render_confirmation(ctx)

    assert ("Priya Natarajan at Acme Staffing enrolled you for reminders of the follow-ups after your interview "
            "for the Analyst position at Globex on Tuesday, March 10.") in enrolled.text
    assert "Priya Natarajan at Acme Staffing enrolled you" in enrolled.html
    assert "enrolled you" not in public.text and "We were asked to remind you" in public.text
