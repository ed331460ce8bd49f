"""The firm's page at /firm/ in a real browser (Playwright driving Debian's chromium) against a local stack in a
subprocess: its sign-in goes through /_local/cognito-idp to moto's Cognito as it goes to Cognito deployed, with
the recruiter and the admin the local stack seeds; the API checks their ID tokens as the JWT authorizer would.

The browser runs in New York; the stack's clock starts on Tuesday 10 March 2026 at 15:00 there, an hour after
the interview the recruiter enrols.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from local.client import request, spawn
from local.client import sign_in as local_sign_in

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("chromium missing: apt-get install -y chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.e2e.browser_parts import ADMIN, RECRUITER, chromium, confirmation_link, sign_in  # noqa: E402

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
CANDIDATE = "jordan.rivera@example.com"
ENROLMENT = {
    "candidate": {"name": "Ana Lima", "email": "ana.lima@example.com", "time_zone": "America/Chicago"},
    "channels": ["email"], "company": "Initech", "role": "Platform Engineer", "interviewer": {"name": "Bill Lumbergh"},
    "expected_decision_days": 1,
}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with spawn(start=START) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # A phone's width: the page must work at 375 px
    context = browser.new_context(locale="en-US", timezone_id="America/New_York", accept_downloads=True,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def advance(base_url: str, days: int) -> list[str]:
    return request("POST", f"{base_url}/_local/clock", body={"advance_days": days}).json()["fired"]


def confirm_as_the_candidate(base_url: str, interview_id: str, email: str = CANDIDATE) -> None:
    """What the candidate's "Confirm" does, with the token of the link in their confirmation email."""
    link = confirmation_link(base_url, email)
    assert f"/manage/{interview_id}?" in link
    token = link.split("token=")[1]
    confirmed = request("POST", f"{base_url}/interviews/{interview_id}/confirm",
                        headers={"Authorization": f"Bearer {token}"})
    assert confirmed.status == 200, confirmed.text


def csv_rows(text: str) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_wrong_password_is_said_in_words_and_keeps_the_page_signed_out(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/firm/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()

    sign_in(page, RECRUITER.email, RECRUITER.password + "x")

    expect(page.locator("#signin-error")).to_have_text("Wrong email or password.")
    expect(page.locator("#app")).to_be_hidden()
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert page.evaluate("sessionStorage.length") == 0


def test_a_recruiter_enrols_a_candidate_follows_every_nudge_on_the_list_and_records_an_offer(
    page: Page, base_url: str
) -> None:
    # The recruiter signs in: the ID token is kept for the tab only, and the list is theirs
    page.goto(f"{base_url}/firm/")
    sign_in(page, RECRUITER.email, RECRUITER.password)
    expect(page.locator("#who-name")).to_have_text(RECRUITER.name)
    expect(page.get_by_role("heading", name="Interviews")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('firm.idToken').split('.').length") == 3
    assert page.evaluate("localStorage.length") == 0

    # Enrols a candidate with the public form's fields
    page.get_by_role("button", name="Enrol a candidate").click()
    page.get_by_label("Candidate's name").fill("Jordan Rivera")
    page.get_by_label("Candidate's email").fill(CANDIDATE)
    page.get_by_label("Candidate's time zone").select_option("America/New_York")
    page.get_by_label("Company").fill("Globex Corporation")
    page.get_by_label("Role").fill("Senior Data Analyst")
    page.get_by_label("Interviewer's name").fill("Dana Whitfield")
    page.get_by_label("Date and time of the interview").fill("2026-03-10T14:00")
    page.get_by_role("button", name="Enrol and send the confirmation").click()

    # The list shows it awaiting the candidate's confirmation, each step's email waiting for it
    expect(page.locator("#status")).to_have_text(
        "Enrolled Jordan Rivera: a confirmation went to email j•••@example.com.")
    card = page.locator("#interviews li.card").filter(has_text="Jordan Rivera")
    expect(card).to_have_count(1)
    expect(card.locator(".status")).to_have_text("Awaiting confirmation")
    expect(card.locator("li[data-step=thank_you_note]")).to_have_text(
        "Thank-you card: Due Mar 12, 2026, 9:00 AM once the candidate confirms. Email awaiting confirmation")
    interview = card.get_attribute("data-id")
    assert interview

    # The candidate confirms from the email; the list shows the nudges scheduled
    confirm_as_the_candidate(base_url, interview)
    page.get_by_role("button", name="Interviews").click()
    expect(card.locator(".status")).to_have_text("Active")
    expect(card.locator("li[data-step=thank_you_note]")).to_have_text(
        "Thank-you card: Scheduled for Mar 12, 2026, 9:00 AM")

    # Time passes: the thank-you note, then the check-in go out, and the list says when each was delivered
    assert f"{interview}-thank_you_note" in advance(base_url, 3)
    page.get_by_role("button", name="Interviews").click()
    expect(card.locator("li[data-step=thank_you_note]")).to_have_text(
        "Thank-you card: Sent. Email delivered Mar 12, 2026, 9:00 AM")
    expect(card.locator("li[data-step=check_in]")).to_have_attribute("data-status", "scheduled")
    assert f"{interview}-check_in" in advance(base_url, 7)
    page.get_by_role("button", name="Interviews").click()
    expect(card.locator("li[data-step=check_in]")).to_have_text("Check-in: Sent. Email delivered Mar 20, 2026, 9:00 AM")

    # The recruiter hears of the offer first and records it on the interview's page, with the keyboard
    card.get_by_role("button", name="Jordan Rivera").click()
    expect(page.get_by_role("heading", name="Jordan Rivera: Senior Data Analyst at Globex Corporation")).to_be_focused()
    page.get_by_label("Offer", exact=True).check()
    expect(page.get_by_label("Hiring manager's name")).to_have_value("Dana Whitfield")  # the interviewer
    page.get_by_label("Supervisor's name").fill("Sam Okafor")
    page.get_by_label("Supervisor's name").press("Enter")

    expect(page.locator("#status")).to_have_text("Outcome recorded.")
    expect(page.locator("#detail-decision")).to_contain_text("Offer, recorded")
    expect(page.locator("#detail-decision")).to_contain_text("Hiring manager: Dana Whitfield; supervisor: Sam Okafor.")
    expect(page.locator("#detail-steps li[data-step=decision_thank_you]")).to_have_attribute("data-status", "scheduled")
    expect(page.get_by_role("button", name="Correct the outcome")).to_be_visible()
    pending = [s["name"] for s in request("GET", f"{base_url}/_local/schedules").json() if s["name"].startswith(interview)]
    assert pending == [f"{interview}-decision_thank_you"]

    # Signing out forgets the token
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_focused()
    assert page.evaluate("sessionStorage.length") == 0

    # The admin sees everyone's interviews, by whom
    sign_in(page, ADMIN.email, ADMIN.password)
    expect(page.locator("#who-name")).to_have_text(f"{ADMIN.name} (admin)")
    expect(card.locator(".by")).to_have_text(f" · by {RECRUITER.name}")
    expect(card.locator(".status")).to_have_text("Decided: offer")


def test_an_admin_downloads_the_months_csv_counting_what_happened(page: Page, base_url: str) -> None:
    # Given a month in which the recruiter enrolled a candidate who confirmed, got two nudges and an offer
    # (interviewed two hours before the stack's clock, which the test before may have moved within March)
    now = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"])
    interview_at = (now - timedelta(hours=2)).astimezone(ZoneInfo("America/Chicago")).replace(tzinfo=None)
    token = local_sign_in(base_url, RECRUITER.email, RECRUITER.password)["IdToken"]
    enrolled = request("POST", f"{base_url}/firm/interviews", body={**ENROLMENT, "interview_at": interview_at.isoformat()},
                       headers={"Authorization": f"Bearer {token}"})
    assert enrolled.status == 202, enrolled.text
    interview = enrolled.json()["id"]
    confirm_as_the_candidate(base_url, interview, ENROLMENT["candidate"]["email"])
    fired = advance(base_url, 7)
    assert {f"{interview}-thank_you_note", f"{interview}-check_in"} <= set(fired)
    assert datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"]).month == 3
    decided = request("POST", f"{base_url}/firm/interviews/{interview}/decision", headers={
        "Authorization": f"Bearer {token}"}, body={"outcome": "offer", "hiring_manager": {"name": "Bill Lumbergh"},
                                                   "supervisor": {"name": "Joanna Park"}})
    assert decided.status == 200, decided.text

    # When the admin asks the page for that month's CSV
    page.goto(f"{base_url}/firm/")
    sign_in(page, ADMIN.email, ADMIN.password)
    page.get_by_role("button", name="Report").click()
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()

    # Then the file counts this month's events (and any other test's of the same stack: at least these)
    assert download.value.suggested_filename == "report-2026-03-01-to-2026-03-31.csv"
    rows = csv_rows(Path(download.value.path()).read_text(encoding="utf-8"))
    assert list(rows[0]) == ["metric", "step", "channel", "reason", "recruiter", "recruiter_name", "recruiter_email",
                             "count"]
    counted: dict[tuple[str, str, str], int] = {}
    for r in rows:
        key = (r["metric"], r["step"], r["channel"])
        counted[key] = counted.get(key, 0) + int(r["count"])
    assert counted[("enrolled", "", "")] >= 1
    assert counted[("confirmation_sent", "", "email")] >= 1
    assert counted[("destination_confirmed", "", "email")] >= 1
    assert counted[("nudge_sent", "thank_you_note", "email")] >= 1
    assert counted[("nudge_sent", "check_in", "email")] >= 1
    assert counted[("offer", "", "")] >= 1
    enrolled_by = [r for r in rows if r["metric"] == "enrolled"]
    assert enrolled_by and all(r["recruiter"] for r in enrolled_by)  # each enrolled by a recruiter, by sub
    assert {(r["recruiter_name"], r["recruiter_email"]) for r in enrolled_by} == {(RECRUITER.name, RECRUITER.email)}
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert ENROLMENT["candidate"]["email"] not in text and ENROLMENT["candidate"]["name"] not in text  # no candidate

    # And the same report is shown on the page
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report-output dl").first).to_be_visible()
    expect(page.locator("#report-output dl table").first).to_contain_text(RECRUITER.email)  # by name and email, not id
    expect(page.locator("#status")).to_have_text("Report from 2026-03-01 to 2026-03-31 shown.")


def test_a_recruiter_cannot_open_the_report(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/firm/")
    sign_in(page, RECRUITER.email, RECRUITER.password)
    expect(page.locator("#who-name")).to_have_text(RECRUITER.name)

    expect(page.get_by_role("button", name="Report")).to_be_hidden()
    answer = page.evaluate("""async () => {
        const r = await fetch("/firm/report?from=2026-03-01&to=2026-03-31",
            {headers: {Authorization: "Bearer " + sessionStorage.getItem("firm.idToken")}});
        return r.status;
    }""")
    assert answer == 403


def test_a_recruiter_imports_a_csv_sees_every_rows_result_and_cancels_an_imported_interview(
    page: Page, base_url: str
) -> None:
    # Given a file with one good row and one with a bad email address
    now = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"])
    interview_at = (now - timedelta(hours=3)).astimezone(ZoneInfo("Europe/Lisbon")).replace(tzinfo=None).isoformat()
    csv_file = (
        "candidate_name,email,time_zone,channels,company,role,interviewer_name,interview_at\r\n"
        f"Mia Chen,mia.chen@example.com,Europe/Lisbon,email,Hooli,Designer,Gavin Belson,{interview_at}\r\n"
        f"Lee Park,not-an-address,Europe/Lisbon,email,Hooli,Designer,Gavin Belson,{interview_at}\r\n"
    )
    page.goto(f"{base_url}/firm/")
    sign_in(page, RECRUITER.email, RECRUITER.password)
    expect(page.locator("#who-name")).to_have_text(RECRUITER.name)

    # When the recruiter imports it
    page.get_by_role("button", name="Import a CSV").click()
    page.get_by_label("The CSV file").set_input_files(
        files=[{"name": "interviews.csv", "mimeType": "text/csv", "buffer": csv_file.encode()}])
    page.get_by_role("button", name="Import", exact=True).click()

    # Then every row is answered: the good one created, the bad one refused by its column
    expect(page.get_by_role("heading", name="1 created, 1 refused.")).to_be_focused()
    expect(page.locator("#import-rows tr[data-status=refused] td").first).to_have_text("3")
    expect(page.locator("#import-rows tr[data-status=refused] td.refused")).to_contain_text("Refused (email: ")

    # And once the candidate confirmed, the imported interview opens, and cancelling it stops its nudges but keeps
    # it on the list
    interview_id = re.search(r"/manage/(\w+)\?", confirmation_link(base_url, "mia.chen@example.com")).group(1)
    confirm_as_the_candidate(base_url, interview_id, "mia.chen@example.com")
    assert [s for s in request("GET", f"{base_url}/_local/schedules").json() if s["name"].startswith(interview_id)]
    page.get_by_role("button", name="Created: open it").click()
    expect(page.get_by_role("heading", name="Mia Chen: Designer at Hooli")).to_be_focused()
    expect(page.locator("#detail-facts")).to_contain_text("Email (confirmed)")
    page.get_by_role("button", name="Cancel this interview...").click()
    expect(page.get_by_role("button", name="No, keep them")).to_be_focused()
    page.get_by_role("button", name="Yes, cancel every pending nudge").click()

    expect(page.locator("#status")).to_have_text("Cancelled: no further nudge goes out.")
    expect(page.locator("#detail-facts")).to_contain_text("Cancelled")
    expect(page.locator("#decision-form")).to_be_hidden()
    assert not [s for s in request("GET", f"{base_url}/_local/schedules").json() if s["name"].startswith(interview_id)]
    page.get_by_role("button", name="Back to the list").click()
    expect(page.locator("#interviews li.card").filter(has_text="Mia Chen").locator(".status")).to_have_text("Cancelled")


def test_the_alerts_link_opens_its_interview_after_sign_in_and_on_reload(page: Page, base_url: str) -> None:
    # Given an interview the recruiter enrolled, and the link their alert about it carries (<base>/firm/#<id>)
    from followup.usecases.alerts import firm_link

    now = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"])
    interview_at = (now - timedelta(hours=2)).astimezone(ZoneInfo("America/Chicago")).replace(tzinfo=None)
    token = local_sign_in(base_url, RECRUITER.email, RECRUITER.password)["IdToken"]
    enrolment = {**ENROLMENT, "candidate": {**ENROLMENT["candidate"], "name": "Noor Haddad",
                                            "email": "noor.haddad@example.com"},
                 "interview_at": interview_at.isoformat()}
    enrolled = request("POST", f"{base_url}/firm/interviews", body=enrolment,
                       headers={"Authorization": f"Bearer {token}"})
    assert enrolled.status == 202, enrolled.text
    interview = enrolled.json()["id"]
    link = firm_link(base_url, interview)
    assert link == f"{base_url}/firm/#{interview}"

    # When the recruiter follows it, signed out, and signs in
    page.goto(link)
    sign_in(page, RECRUITER.email, RECRUITER.password)

    # Then that interview is open, not the list
    heading = page.get_by_role("heading", name="Noor Haddad: Platform Engineer at Initech")
    expect(heading).to_be_focused()
    expect(page.locator("#list-view")).to_be_hidden()
    expect(page.locator("#status")).to_have_text(f"Signed in as {RECRUITER.name}. Showing the interview the link named.")

    # And a reload keeps it open; back to the list, the address names no interview
    page.reload()
    expect(heading).to_be_visible()
    page.get_by_role("button", name="Back to the list").click()
    expect(page.locator("#list-view")).to_be_visible()
    assert page.url == f"{base_url}/firm/"

    # And another interview's address, signed in, opens that one; an unknown one says so and shows the list
    page.goto(f"{base_url}/firm/#{interview}")
    expect(heading).to_be_visible()
    page.goto(f"{base_url}/firm/#0123456789ab")
    expect(page.locator("#status")).to_have_text("Not found: it may belong to another recruiter.")
    expect(page.locator("#list-view")).to_be_visible()
    assert page.url == f"{base_url}/firm/"


def test_an_admin_finds_a_submission_from_the_public_form_under_its_own_filter(page: Page, base_url: str) -> None:
    # Given an interview submitted on the public form, by nobody of the firm
    now = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"])
    interview_at = (now - timedelta(hours=2)).astimezone(ZoneInfo("America/Chicago")).replace(tzinfo=None)
    body = {**ENROLMENT, "candidate": {**ENROLMENT["candidate"], "name": "Pat Public", "email": "pat.public@example.com"},
            "interview_at": interview_at.isoformat()}
    assert request("POST", f"{base_url}/interviews", body=body).status == 202
    # and one the recruiter enrolled, which the filter must leave out
    token = local_sign_in(base_url, RECRUITER.email, RECRUITER.password)["IdToken"]
    enrolled = {**body, "candidate": {**body["candidate"], "name": "Rae Enrolled", "email": "rae@example.com"}}
    assert request("POST", f"{base_url}/firm/interviews", body=enrolled,
                   headers={"Authorization": f"Bearer {token}"}).status == 202

    # When the admin shows the public form's interviews
    page.goto(f"{base_url}/firm/")
    sign_in(page, ADMIN.email, ADMIN.password)
    cards = page.locator("#interviews li.card")
    expect(cards.filter(has_text="Rae Enrolled")).to_have_count(1)  # everyone's list, loaded at sign-in
    page.locator("#filter-recruiter").select_option("public")
    page.locator("#filters").get_by_role("button", name="Show").click()

    # Then it is listed, and nothing a recruiter enrolled is
    expect(cards.filter(has_text="Rae Enrolled")).to_have_count(0)
    expect(cards.filter(has_text="Pat Public")).to_have_count(1)
    expect(cards.locator(".by")).to_have_count(0)
