"""The firm's CSV import, through the real API handler on moto: every row answered, created or refused
with its errors by column; a refused row stores and sends nothing; a file that cannot be read is refused
whole, and nothing of it is stored."""

from __future__ import annotations

import sys

import boto3
import pytest

from local import environment, provision
from tests.integration.harness import call_api, emails, firm_claims, sms

RECRUITER = firm_claims("rec-a", name="Priya Natarajan")
HEADER = ("candidate_name,email,phone,time_zone,channels,sms_consent,company,role,interviewer_name,"
          "interviewer_title,interview_at,expected_decision_days")
WHEN = "2026-03-10T10:00:00"  # the morning of the test clock's day, in the candidate's zone


def row(name="Sam Lee", email="sam@example.com", phone="", zone="America/New_York", channels="email", consent="",
        company="Initech", role="Analyst", interviewer="Dana Whitfield", title="", at=WHEN, days="") -> str:
    return ",".join((name, email, phone, zone, channels, consent, company, role, interviewer, title, at, days))


def send(text: str | bytes, content_type: str = "text/csv", claims=RECRUITER):
    return call_api("POST", "/firm/interviews:import", raw=text, headers={"content-type": content_type}, claims=claims)


def stored(resources) -> list[dict]:
    items = boto3.client("dynamodb").scan(TableName=resources.table_name)["Items"]  # the test's own read
    return [item for item in items if item["pk"]["S"].startswith("INTERVIEW#")]


def test_good_rows_are_created_and_bad_ones_refused_by_column_each_answered(aws_env):
    # Given a file of good rows and rows each wrong in its own way
    lines = [
        HEADER,
        row(),
        row(name="Ana Ruiz", email="ana@example.com", zone="Mars/Olympus", days="90"),
        row(name="", email="x@example.com"),  # a required cell left empty
        row(name="Lee Park", email="", channels="email sms", consent="yes"),  # no address, no phone, consent not a boolean
        "",  # a blank row: skipped, still counted
        row(name="Kim Ode", email="kim@example.com", phone="+14155550188", channels="Email; SMS", consent="TRUE",
            title="Head of Data", days="10"),
        row(name="Bo Li", email="bo@example.com", at="next tuesday"),
    ]

    # When it is imported
    answer = send("\r\n".join(lines) + "\r\n")

    # Then every row is answered, numbered as a spreadsheet numbers it, errors named by their column
    assert answer.status == 200, answer.text
    result = answer.json()
    assert (result["created"], result["refused"]) == (2, 4)
    outcome = {r["row"]: r for r in result["rows"]}
    assert sorted(outcome) == [2, 3, 4, 5, 7, 8]
    assert outcome[2]["status"] == outcome[7]["status"] == "created"
    assert {e["column"] for e in outcome[3]["errors"]} == {"time_zone", "expected_decision_days"}
    assert [e["column"] for e in outcome[4]["errors"]] == ["candidate_name"]
    assert [e["column"] for e in outcome[5]["errors"]] == ["sms_consent"]  # the form's types before its rules
    assert [e["column"] for e in outcome[8]["errors"]] == ["interview_at"]
    assert all(r["id"] is None for r in result["rows"] if r["status"] == "refused")

    # and only the created rows are stored and sent their confirmations, under the recruiter
    ids = {outcome[2]["id"], outcome[7]["id"]}
    assert {item["pk"]["S"].removeprefix("INTERVIEW#") for item in stored(aws_env)} == ids
    assert sorted(m["To"] for m in emails()) == ["kim@example.com", "sam@example.com"]
    assert [to for to, _ in sms()] == ["+14155550188"]
    listed = call_api("GET", "/firm/interviews", claims=RECRUITER).json()["items"]
    assert {i["id"] for i in listed} == ids
    kim = call_api("GET", f"/firm/interviews/{outcome[7]['id']}", claims=RECRUITER).json()
    assert (kim["channels"], kim["sms_consent"], kim["expected_decision_days"]) == (["email", "sms"], True, 10)
    assert kim["interviewer"] == {"name": "Dana Whitfield", "title": "Head of Data"}


def test_a_cross_field_rule_and_a_country_refuse_their_row_by_column(aws_env):
    answer = send("\n".join([
        HEADER,
        row(email="", channels="email"),  # email chosen, no address
        row(email="uk@example.com", phone="+447700900123", channels="sms", consent="true"),  # not an SMS country
        row(email="ok@example.com", phone="+14155550123", channels="sms", consent="false"),
    ]))

    rows = answer.json()["rows"]
    assert [r["status"] for r in rows] == ["refused"] * 3
    assert [[e["column"] for e in r["errors"]] for r in rows] == [["email"], ["phone"], ["sms_consent"]]
    assert stored(aws_env) == [] and emails() == [] and sms() == []


def test_the_daily_confirmations_limit_refuses_the_row_past_it_and_nothing_of_it_is_kept(aws_env, monkeypatch):
    monkeypatch.setenv("CONFIRMATIONS_PER_DAY_PER_DESTINATION", "2")
    environment.refresh()

    answer = send("\n".join([HEADER, row(), row(company="Globex"), row(company="Hooli"), row(email="other@example.com")]))

    rows = answer.json()["rows"]
    assert [r["status"] for r in rows] == ["created", "created", "refused", "created"]
    assert [e["column"] for e in rows[2]["errors"]] == ["email"]
    assert "too many confirmation messages" in rows[2]["errors"][0]["message"]
    assert len(stored(aws_env)) == 3
    assert [m["To"] for m in emails()] == ["sam@example.com", "sam@example.com", "other@example.com"]


@pytest.mark.parametrize(("text", "status", "fields"), [
    ("", 422, ["file"]),
    ("  \r\n \n", 422, ["file"]),
    (HEADER + "\n", 422, ["file"]),  # a header and no row
    ("candidate_name,email,channels,company,role,interviewer_name\nSam,sam@example.com,email,Initech,Analyst,Dana\n",
     422, ["time_zone", "interview_at"]),
    (HEADER + ",favourite_colour\n" + row() + ",blue\n", 422, ["favourite_colour"]),
    (HEADER.replace("phone", "email") + "\n" + row() + "\n", 422, ["email"]),  # a column twice
])
def test_a_file_that_is_not_the_imports_is_refused_whole_naming_what_is_wrong(aws_env, text, status, fields):
    answer = send(text)

    assert answer.status == status, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == fields
    assert stored(aws_env) == [] and emails() == []


def test_more_than_500_rows_is_413_and_nothing_is_created(aws_env):
    text = "\n".join([HEADER, *(row(email=f"c{n}@example.com") for n in range(501))])

    answer = send(text)

    assert answer.status == 413
    assert "500" in answer.json()["message"]
    assert stored(aws_env) == [] and emails() == []


def test_bytes_that_are_not_utf8_are_400_and_another_content_type_415(aws_env):
    latin1 = (HEADER + "\n" + row(name="José Núñez") + "\n").encode("latin-1")

    not_text = send(latin1)
    as_json = send(HEADER + "\n" + row() + "\n", content_type="application/json")

    assert (not_text.status, as_json.status) == (400, 415)
    assert stored(aws_env) == []


def test_a_utf8_file_with_a_byte_order_mark_and_quoted_cells_imports(aws_env):
    text = "\ufeff" + HEADER + "\n" + row(name='"Núñez, José"', company='"Initech, Inc."') + "\n"

    answer = send(text.encode("utf-8"))

    assert answer.status == 200, answer.text
    (created,) = answer.json()["rows"]
    view = call_api("GET", f"/firm/interviews/{created['id']}", claims=RECRUITER).json()
    assert (view["candidate"]["name"], view["company"]) == ("Núñez, José", "Initech, Inc.")


def test_the_import_needs_a_member_of_the_firm(aws_env):
    text = HEADER + "\n" + row() + "\n"

    assert send(text, claims=None).status == 401
    assert send(text, claims=firm_claims("x", groups="staff")).status == 403
    assert stored(aws_env) == []


# ---- each row once, each request bounded ------------------------------------------------------------


def interview_ids(resources) -> set[str]:
    return {item["pk"]["S"].removeprefix("INTERVIEW#") for item in stored(resources)}


def test_the_same_file_sent_again_gets_the_first_answer_and_creates_and_sends_nothing(aws_env):
    text = "\n".join([HEADER, row(), row(name="Ana Ruiz", email="ana@example.com"), row(email="")])
    first = send(text)
    created, sent = interview_ids(aws_env), len(emails())

    again = send(text)

    assert (first.status, again.status) == (200, 200)
    assert again.json() == first.json() and first.json()["status"] == "complete"
    assert interview_ids(aws_env) == created and len(created) == 2 and len(emails()) == sent == 2


def test_a_row_imported_before_in_another_file_answers_its_interview_and_a_changed_one_is_refused(aws_env):
    first = send("\n".join([HEADER, row(), row(name="Ana Ruiz", email="ana@example.com")])).json()["rows"]

    second = send("\n".join([HEADER, row(name="Bo Li", email="bo@example.com"), row(),
                             row(name="Ana Ruiz", email="ANA@example.com", role="Lead Analyst")])).json()["rows"]

    assert [r["status"] for r in second] == ["created", "created", "refused"]
    assert second[1]["id"] == first[0]["id"]  # the same interview, not a twin
    assert "already imported with other details" in second[2]["errors"][0]["message"]
    assert len(interview_ids(aws_env)) == 3
    assert sorted(m["To"] for m in emails()) == ["ana@example.com", "bo@example.com", "sam@example.com"]


def test_a_row_repeating_an_earlier_row_of_the_file_is_refused_naming_it(aws_env):
    rows = send("\n".join([HEADER, row(), row(name="Sam Lee Jr", email="SAM@example.com")])).json()["rows"]

    assert [r["status"] for r in rows] == ["created", "refused"]
    assert "the same interview as row 2" in rows[1]["errors"][0]["message"]


def test_a_file_longer_than_a_request_is_answered_partial_and_goes_on_where_it_stopped(aws_env, monkeypatch):
    sys.path.append(str(provision.ROOT / "functions" / "api"))  # where the API handler imports it from
    import firm_import

    monkeypatch.setattr(firm_import, "BUDGET", 0.0)  # each request answers one row, then stops
    text = "\n".join([HEADER, *(row(name=f"Cand {n}", email=f"c{n}@example.com") for n in range(4))])

    answers = [send(text) for _ in range(5)]

    assert [a.status for a in answers] == [202, 202, 202, 200, 200]
    assert [len(a.json()["rows"]) for a in answers] == [1, 2, 3, 4, 4]
    assert [a.json()["status"] for a in answers] == ["partial"] * 3 + ["complete"] * 2
    assert {a.json()["total"] for a in answers} == {4}
    assert len(interview_ids(aws_env)) == 4 and len(emails()) == 4


def test_a_row_that_met_an_aws_fault_is_tried_again_when_the_file_is_sent_again(aws_env, monkeypatch):
    from followup.usecases.firm_service import FirmService

    enrol, failures = FirmService.enrol, iter([True])

    def flaky(self, *args, **kwargs):
        if next(failures, False):
            raise RuntimeError("ProvisionedThroughputExceededException")
        return enrol(self, *args, **kwargs)

    monkeypatch.setattr(FirmService, "enrol", flaky)
    text = "\n".join([HEADER, row(), row(name="Ana Ruiz", email="ana@example.com")])

    first, again = send(text).json()["rows"], send(text).json()["rows"]

    assert [r["status"] for r in first] == ["refused", "created"]
    assert "retry" not in first[0] and "import the file again" in first[0]["errors"][0]["message"]
    assert [r["status"] for r in again] == ["created", "created"] and again[1]["id"] == first[1]["id"]
    assert len(interview_ids(aws_env)) == 2 and len(emails()) == 2


def test_a_language_column_sets_each_candidates_language_by_code_or_name_and_refuses_another(aws_env):
    # Given rows in Spanish by name and by code (one with a region from its locale), English, the default, and Klingon
    lines = ["candidate_name,email,time_zone,locale,language,channels,company,role,interviewer_name,interview_at",
             f"Ana Ruiz,ana@example.com,America/Chicago,,Español,email,Initech,Analyst,Dana Whitfield,{WHEN}",
             f"Luis Soto,luis@example.com,America/Mexico_City,en-MX,ES,email,Initech,Analyst,Dana Whitfield,{WHEN}",
             f"Sam Lee,sam@example.com,America/New_York,,english,email,Initech,Analyst,Dana Whitfield,{WHEN}",
             f"Kim Ode,kim@example.com,America/New_York,,,email,Initech,Analyst,Dana Whitfield,{WHEN}",
             f"Bo Li,bo@example.com,America/New_York,,Klingon,email,Initech,Analyst,Dana Whitfield,{WHEN}"]

    # When the file is imported
    result = send("\n".join(lines)).json()

    # Then each created interview speaks its language, in its locale's region or the firm's, and the list says so
    rows = result["rows"]
    assert [r["status"] for r in rows] == ["created"] * 4 + ["refused"]
    assert [e["column"] for e in rows[4]["errors"]] == ["language"]
    views = [call_api("GET", f"/firm/interviews/{r['id']}", claims=RECRUITER).json() for r in rows[:4]]
    assert [(v["display"]["language"], v["display"]["locale"]) for v in views] == [
        ("es", "es-US"), ("es", "es-MX"), ("en", "en-US"), ("en", "en-US")]
    # and the Spanish candidate's confirmation is in Spanish
    (ana,) = [m for m in emails() if m["To"] == "ana@example.com"]
    assert ana["Content-Language"] == "es"
    assert stored(aws_env) and len(stored(aws_env)) == 4
