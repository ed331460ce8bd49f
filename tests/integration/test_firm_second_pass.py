"""Issue 19's firm-side findings, through the real API handler on moto: only an ID token signs in, group names
count whole, authorisation comes before any rule of the body, the list takes no empty recruiter and shows the
public submissions to admins, the report names its recruiters, media types are case-insensitive, and a dead
unsubscribe link answers a page."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from local import handlers
from local.apigw import http_event
from local.calls import CallRecorder
from tests.integration.harness import (
    body_part,
    call_api,
    confirmation_tokens,
    emails,
    firm_claims,
    submission,
    submit_confirmed,
    unsubscribe_token_in,
)

UUID = "30fc7927-8a4e-4d5f-9b1c-2f1e7c0d9a11"
RECRUITER = firm_claims("rec-a", name="Priya Natarajan", email="priya@acme-staffing.example")
ADMIN = firm_claims("adm-1", groups="admins")


def enrol(fake_clock, claims=RECRUITER, **kwargs) -> str:
    answer = call_api("POST", "/firm/interviews", body=submission(now=fake_clock(), **kwargs), claims=claims)
    assert answer.status == 202, answer.text
    return answer.json()["id"]


# ---- item 3: only an ID token ------------------------------------------------------------------------------


def access_token_claims(groups: str = "admins recruiters") -> dict[str, str]:
    """What API Gateway passes for Cognito's access token of the same client: no email or name, a UUID username."""
    return {"sub": UUID, "cognito:groups": f"[{groups}]", "token_use": "access", "client_id": "client-1",
            "username": UUID, "scope": "aws.cognito.signin.user.admin",
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local"}


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/firm/me", None),
    ("GET", "/firm/interviews", None),
    ("POST", "/firm/interviews", "submission"),
    ("GET", "/firm/report", None),
])
def test_an_access_token_is_not_signed_in_and_enrols_nobody(aws_env, fake_clock, method, path, body):
    sent = submission(now=fake_clock(), email="someone@example.com") if body == "submission" else body

    answer = call_api(method, path, body=sent, query="from=2026-03-01&to=2026-03-31", claims=access_token_claims())

    assert answer.status == 401, answer.text
    assert UUID not in answer.text


def test_me_never_shows_an_id_as_the_name(aws_env):
    claims = {**firm_claims(UUID, name=UUID, email="priya@acme-staffing.example"), "cognito:username": UUID}

    answer = call_api("GET", "/firm/me", claims=claims)

    assert answer.status == 200
    assert answer.json()["name"] == "priya@acme-staffing.example"
    assert UUID not in answer.json()["name"]


def test_an_enrolment_by_a_user_named_by_an_id_is_signed_with_their_email(aws_env, fake_clock):
    claims = {**firm_claims(UUID, name=UUID, email="priya@acme-staffing.example"), "cognito:username": UUID}

    interview_id = enrol(fake_clock, claims=claims)

    (message,) = emails()
    assert UUID not in body_part(message, "plain") and UUID not in body_part(message, "html")
    assert confirmation_tokens(interview_id)
    view = call_api("GET", f"/firm/interviews/{interview_id}", claims=claims).json()
    assert view["recruiter"] == {"id": UUID, "name": "priya@acme-staffing.example",
                                 "email": "priya@acme-staffing.example"}


# ---- item 4: whole group names -----------------------------------------------------------------------------


@pytest.mark.parametrize("groups", ["sales,admins", '"admins"', "admins]"])
def test_a_punctuated_group_name_grants_no_admin(aws_env, groups):
    claims = {**firm_claims("rec-z"), "cognito:groups": f"[recruiters {groups}]"}

    me = call_api("GET", "/firm/me", claims=claims)
    report = call_api("GET", "/firm/report", query="from=2026-03-01&to=2026-03-31", claims=claims)

    assert me.status == 200 and me.json()["is_admin"] is False
    assert report.status == 403


@pytest.mark.parametrize("groups", ["[sales,admins]", '["admins"]', "[admins]]", "admins"])
def test_a_member_of_only_a_punctuated_group_is_in_neither_group(aws_env, groups):
    claims = {**firm_claims("rec-z"), "cognito:groups": groups}

    assert call_api("GET", "/firm/me", claims=claims).status == 403


# ---- item 7: an empty recruiter ----------------------------------------------------------------------------


@pytest.mark.parametrize("claims", [ADMIN, RECRUITER], ids=["admin", "recruiter"])
def test_an_empty_recruiter_is_a_422_naming_it(aws_env, fake_clock, claims):
    enrol(fake_clock)

    answer = call_api("GET", "/firm/interviews", query="recruiter=", claims=claims)

    assert answer.status == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["recruiter"]


# ---- item 12: the public form's submissions, on the admins' lists ------------------------------------------


def test_an_admin_lists_the_public_forms_submissions_by_query_and_a_recruiter_does_not(aws_env, fake_clock):
    enrolled = enrol(fake_clock)
    fake_clock.set(fake_clock() + timedelta(minutes=1))
    public = call_api("POST", "/interviews", body=submission(now=fake_clock(), email="walk-in@example.com"))
    assert public.status == 202
    public_id = public.json()["id"]

    with CallRecorder() as recorder:
        walk_ins = call_api("GET", "/firm/interviews", query="recruiter=public", claims=ADMIN)
        everyone = call_api("GET", "/firm/interviews", claims=ADMIN)
    mine = call_api("GET", "/firm/interviews", claims=RECRUITER)
    theirs = call_api("GET", "/firm/interviews", query="recruiter=public", claims=RECRUITER)

    assert [i["id"] for i in walk_ins.json()["items"]] == [public_id]
    assert walk_ins.json()["items"][0]["recruiter"] is None
    assert [i["id"] for i in everyone.json()["items"]] == [public_id, enrolled]  # newest first
    assert [i["id"] for i in mine.json()["items"]] == [enrolled]
    assert theirs.status == 403
    queries = [c for c in recorder.product_calls() if c.operation == "Query"]
    assert [c.params["IndexName"] for c in queries] == ["ByRecruiter", "ByFirm"]
    assert not [op for op in recorder.operations() if op.endswith((":Scan", ":GetItem", ":BatchGetItem"))]


def test_the_public_list_pages_with_its_own_cursor(aws_env, fake_clock):
    ids = []
    for number in range(3):
        fake_clock.set(fake_clock() + timedelta(minutes=1))
        answer = call_api("POST", "/interviews", body=submission(now=fake_clock(), email=f"walk-in{number}@example.com"))
        ids.append(answer.json()["id"])

    first = call_api("GET", "/firm/interviews", query="recruiter=public&limit=2", claims=ADMIN).json()
    rest = call_api("GET", "/firm/interviews", query=f"recruiter=public&limit=2&cursor={first['next_cursor']}",
                    claims=ADMIN).json()
    elsewhere = call_api("GET", "/firm/interviews", query=f"limit=2&cursor={first['next_cursor']}", claims=ADMIN)

    assert [i["id"] for i in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None
    assert elsewhere.status == 422 and elsewhere.json()["errors"][0]["field"] == "cursor"


# ---- item 9: one media-type rule --------------------------------------------------------------------------


def with_content_type(method: str, path: str, body: object, content_type: str | None, token: str | None = None):
    """One request whose Content-Type is exactly ``content_type`` (None: no such header at all)."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    answer = handlers.invoke("api", http_event(method, path, headers=headers, body=json.dumps(body)))
    return answer["statusCode"], json.loads(answer.get("body") or "{}")


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; Charset=UTF-8", "application/JSON",
                                          " application/json ; charset=utf-8", None])
def test_json_is_json_whatever_the_case_of_its_media_type_and_a_body_without_one_is_json(aws_env, fake_clock,
                                                                                         content_type):
    status, body = with_content_type("POST", "/interviews", submission(now=fake_clock()), content_type)

    assert status == 202, body


@pytest.mark.parametrize("content_type", ["text/plain", "application/json-patch+json", "application/jsonx",
                                          "APPLICATION/XML", "text/json"])
def test_any_other_media_type_is_a_415_and_stores_nothing(aws_env, fake_clock, content_type):
    status, body = with_content_type("POST", "/interviews", submission(now=fake_clock()), content_type)

    assert status == 415, body
    assert not [item for item in boto3.client("dynamodb").scan(TableName=aws_env.table_name)["Items"]
                if item["pk"]["S"].startswith("INTERVIEW#")]


def test_the_rule_is_the_same_on_a_route_with_a_token(aws_env, fake_clock):
    created = submit_confirmed(submission(now=fake_clock(), channels=("email",)))
    decision = {"outcome": "not_selected"}

    refused = with_content_type("POST", f"/interviews/{created['id']}/decision", decision, "TEXT/PLAIN",
                                created["manage_token"])
    upper = with_content_type("POST", f"/interviews/{created['id']}/decision", decision, "APPLICATION/JSON",
                              created["manage_token"])

    assert refused[0] == 415
    assert upper[0] == 200 and upper[1]["decision"]["outcome"] == "not_selected"


# ---- item 13: the report's recruiters by name and email -----------------------------------------------------


def test_the_report_names_each_recruiter_and_one_with_nothing_kept_by_id_only(aws_env, fake_clock):
    enrol(fake_clock, channels=("email",))
    enrol(fake_clock, channels=("email",), email="second@example.com")
    gone = enrol(fake_clock, claims=firm_claims("rec-gone"), channels=("email",), email="third@example.com")
    enrol(fake_clock, claims=firm_claims("rec-formula", name="=HYPERLINK(1)"), channels=("email",),
          email="fourth@example.com")
    boto3.client("dynamodb").delete_item(TableName=aws_env.table_name, Key={"pk": {"S": f"INTERVIEW#{gone}"}})
    day = fake_clock().date().isoformat()

    body = call_api("GET", "/firm/report", query=f"from={day}&to={day}", claims=ADMIN).json()
    csv_lines = call_api("GET", "/firm/report", query=f"from={day}&to={day}", claims=ADMIN,
                         headers={"accept": "text/csv"}).text.splitlines()

    assert body["enrolled"]["by_recruiter"] == [  # most first, then by name
        {"name": "Priya Natarajan", "email": "priya@acme-staffing.example", "enrolled": 2, "id": "rec-a"},
        {"name": None, "email": None, "enrolled": 1, "id": "rec-gone"},  # none of theirs kept: by id only
        {"name": "=HYPERLINK(1)", "email": "rec-formula@acme-staffing.example", "enrolled": 1, "id": "rec-formula"},
    ]
    assert csv_lines[0] == "metric,step,channel,reason,recruiter,recruiter_name,recruiter_email,count"
    assert "enrolled,,,by_recruiter,rec-a,Priya Natarajan,priya@acme-staffing.example,2" in csv_lines
    assert "enrolled,,,by_recruiter,rec-gone,,,1" in csv_lines
    assert "enrolled,,,by_recruiter,rec-formula,'=HYPERLINK(1),rec-formula@acme-staffing.example,1" in csv_lines


# ---- item 23: a dead unsubscribe link answers a page --------------------------------------------------------


def assert_the_link_gone_page(answer) -> None:
    assert answer.status == 404, answer.text
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>This link no longer works</h1>" in answer.text
    assert '<header><p class="firm">Acme Staffing</p></header>' in answer.text  # the site's layout
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "interview not found" not in answer.text and not answer.text.startswith("{")


def test_an_erased_interviews_unsubscribe_link_answers_a_page_in_a_browser(aws_env, fake_clock):
    created = submit_confirmed(submission(now=fake_clock(), channels=("email",)))
    token = created["unsubscribe_token"]
    assert call_api("DELETE", f"/interviews/{created['id']}", token=created["manage_token"]).status == 204

    opened = call_api("GET", "/unsubscribe", query=f"token={token}", headers={"accept": "text/html"})
    pressed = call_api("POST", "/unsubscribe", query=f"token={token}", raw="List-Unsubscribe=One-Click",
                       headers={"accept": "text/html,application/xhtml+xml",
                                "content-type": "application/x-www-form-urlencoded"})
    one_click = call_api("POST", "/unsubscribe", query=f"token={token}", raw="List-Unsubscribe=One-Click",
                         headers={"content-type": "application/x-www-form-urlencoded"})

    assert_the_link_gone_page(opened)
    assert_the_link_gone_page(pressed)
    assert one_click.status == 404 and one_click.json()["message"]  # a mail client's one-click: JSON, as before


def test_an_expired_interviews_unsubscribe_link_answers_the_same_page(aws_env, fake_clock):
    submitted = call_api("POST", "/interviews", body=submission(now=fake_clock(), channels=("email",)))
    assert submitted.status == 202
    token = unsubscribe_token_in(emails()[-1])
    fake_clock.set(fake_clock() + timedelta(hours=73))  # never confirmed: expired after 72 hours

    assert_the_link_gone_page(call_api("GET", "/unsubscribe", query=f"token={token}"))


@pytest.mark.parametrize("query", ["", "token=", "token=" + "a" * 200, "token=abc", "token=0123456789ab.forged"])
def test_a_cut_or_forged_unsubscribe_link_answers_the_same_page(aws_env, query):
    assert_the_link_gone_page(call_api("GET", "/unsubscribe", query=query))
