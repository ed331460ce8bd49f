"""What the browser tests share (test_browser*.py, test_firm_page.py): Debian's chromium under Playwright, the
local stack they drive, and the helpers that read its outbox, fill the form and sign in on the firm's page; for the
tests of what came back after a send (test_browser_feedback.py, test_browser_sms.py), a real interview and its view
changed as the feedback function changes it, answered to the page's own request.
The browser runs in New York with an American English locale; the stack's clock starts on Tuesday 10 March 2026
at 15:00 there, an hour after the interview the form reports."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

from local.client import request, spawn
from local.client import sign_in as local_sign_in
from local.cognito import SEEDED

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("chromium missing: apt-get install -y chromium", allow_module_level=True)

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
RECRUITER, ADMIN = (next(u for u in SEEDED if group in u.groups) for group in ("recruiters", "admins"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module", name="base_url")
def base_url_fixture() -> Iterator[str]:
    # More submissions than one address may make in an hour: every test here submits from 127.0.0.1.
    with spawn(start=START, settings={"SUBMISSIONS_PER_HOUR_PER_CLIENT": "1000"}) as url:
        yield url


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium under Playwright, as every browser test here drives it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(name="console")
def console_fixture(page: Page) -> list[ConsoleMessage]:
    """What the page writes to the browser's console, where Chromium reports each Content-Security-Policy violation."""
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    return messages


def csp_violations(messages: list[ConsoleMessage]) -> list[str]:
    return [m.text for m in messages if "Content Security Policy" in m.text]


def schedules(base_url: str) -> list[dict[str, Any]]:
    return request("GET", f"{base_url}/_local/schedules").json()


MANAGE_LINK = re.compile(r"https?://\S+/manage/(\w+)\?token=[\w.-]+")


def confirmation_link(base_url: str, to: str) -> str:
    """The manage link of the latest confirmation email to ``to`` in the dev console's outbox."""
    outbox = request("GET", f"{base_url}/_local/outbox").json()
    confirmations = [m for m in outbox["emails"] if m["to"] == to and m["subject"].startswith("Confirm")]
    assert confirmations, f"no confirmation email to {to}"
    match = MANAGE_LINK.search(confirmations[-1]["text"])
    assert match, "no manage link in the confirmation"
    return match.group(0)


def submit_confirmed(base_url: str, body: dict[str, Any]) -> tuple[str, str]:
    """Submitted over the API and confirmed from the confirmation email: the interview id and its manage link."""
    submitted = request("POST", f"{base_url}/interviews", body=body)
    assert submitted.status == 202, submitted.text
    link = confirmation_link(base_url, body["candidate"]["email"])
    token = link.split("token=")[1]
    confirmed = request("POST", f"{base_url}/interviews/{submitted.json()['id']}/confirm",
                        headers={"Authorization": f"Bearer {token}"})
    assert confirmed.status == 200, confirmed.text
    return submitted.json()["id"], link


def fill_interview(page: Page, *, phone: str = "") -> None:
    page.get_by_label("Your name", exact=True).fill("Jordan Rivera")
    page.get_by_label("Email", exact=True).fill("jordan.rivera@example.com")
    if phone:
        page.get_by_label("Mobile phone").fill(phone)
    page.get_by_label("Company").fill("Globex Corporation")
    page.get_by_label("Role").fill("Senior Data Analyst")
    page.get_by_label("Interviewer's name").fill("Dana Whitfield")
    page.get_by_label("Date and time of the interview").fill("2026-03-10T14:00")


def sms_only_body(phone: str = "+14155550142") -> dict[str, Any]:
    return {
        "candidate": {"name": "Jordan Rivera", "phone": phone, "time_zone": "America/New_York"},
        "channels": ["sms"], "sms_consent": True, "company": "Globex Corporation", "role": "Senior Data Analyst",
        "interviewer": {"name": "Dana Whitfield", "title": "Director of Analytics"},
        "interview_at": "2026-03-10T14:00:00", "expected_decision_days": 7,
    }


def sms_link(base: str, phone: str, after: int = 0) -> str:
    """The manage link of the latest text to ``phone`` (its #step kept), among those after the first ``after``."""
    texts = [m["message"] for m in request("GET", f"{base}/_local/outbox").json()["sms"] if m["to"] == phone][after:]
    assert texts, f"no text to {phone}"
    match = re.search(r"https?://\S+/manage/\w+\?token=[\w.-]+(#\w+)?", texts[-1])
    assert match, texts[-1]
    return match.group(0)


def advance(base: str, **amount: int) -> None:
    answer = request("POST", f"{base}/_local/clock", body=amount)
    assert answer.status == 200, answer.text


def texts_to(base: str, phone: str) -> int:
    return len([m for m in request("GET", f"{base}/_local/outbox").json()["sms"] if m["to"] == phone])


def sign_in(page: Page, email: str, password: str) -> None:
    """On the firm's page's sign-in form, as a recruiter types it."""
    page.locator("#signin-email").fill(email)
    page.locator("#signin-password").fill(password)
    page.get_by_role("button", name="Sign in").click()


# ---- on the stack that plays the providers: enrolment, the clock, the outbox --------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
A_DAY = re.compile(r"\w{3}, \w{3} \d{1,2}, \d{1,2}:\d\d [AP]M")  # "Thu, Mar 12, 9:00 AM", as the page writes it


def two_hours_ago(base_url: str) -> str:
    now = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"])
    return (now - timedelta(hours=2)).astimezone(NEW_YORK).replace(tzinfo=None).isoformat(timespec="minutes")


def bearer(base_url: str, who: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {local_sign_in(base_url, who.email, who.password)['IdToken']}"}


def emails_to(base_url: str, address: str) -> list[dict[str, Any]]:
    return [m for m in request("GET", f"{base_url}/_local/outbox").json()["emails"] if m["to"] == address]


def fired(base_url: str, days: int) -> list[str]:
    answer = request("POST", f"{base_url}/_local/clock", body={"advance_days": days})
    assert answer.status == 200, answer.text
    return answer.json()["fired"]


# ---- crafted views: a real interview's view, changed as the feedback function changes it -------------------------

SENT_AT = "2026-03-20T13:00:04+00:00"  # the check-in went out Friday 20 March, 9:00 AM in New York
DELIVERED_AT = "2026-03-20T13:02:10+00:00"  # and the receiving server (or the phone) took it at 9:02 AM


def sent(**fields: Any) -> dict[str, Any]:
    return {"status": "sent", "reason": None, "at": SENT_AT, "delivered_at": None, **fields}


def delivered() -> dict[str, Any]:
    return sent(status="delivered", delivered_at=DELIVERED_AT)


def skipped(reason: str) -> dict[str, Any]:
    return {"status": "skipped", "reason": reason, "at": SENT_AT, "delivered_at": None}


@pytest.fixture(scope="module", name="interview")
def interview_fixture(base_url: str) -> dict[str, Any]:
    """A confirmed interview by email and text, its manage link, and its view as the API answers it."""
    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.feedback@example.com", "phone": "+14155550190",
                      "time_zone": "America/New_York"},
        "channels": ["email", "sms"], "sms_consent": True, "company": "Initech", "role": "Engineer",
        "interviewer": {"name": "Bill"}, "interview_at": "2026-03-10T11:00:00",
    })
    view = request("GET", f"{base_url}/interviews/{interview}",
                   headers={"Authorization": f"Bearer {link.split('token=')[1]}"}).json()
    return {"id": interview, "link": link, "view": view}


def with_check_in(view: dict[str, Any], deliveries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The view once the check-in went out with these deliveries (the card before it was done)."""
    changed = copy.deepcopy(view) | changes
    steps = {f["step"]: f for f in changed["follow_ups"]}
    steps["thank_you_note"].update(status="done", deliveries={})
    steps["check_in"].update(status="sent", deliveries=deliveries)
    return changed


def show(page: Page, interview: dict[str, Any], view: dict[str, Any]) -> None:
    """The candidate's page, its request for the interview answered with ``view``."""
    page.route(f"**/interviews/{interview['id']}", lambda route: route.fulfill(json=view))
    page.goto(interview["link"])


def firm_pages_answering(page: Page, base_url: str, interview: dict[str, Any]) -> tuple[dict[str, Any],
                                                                                       Callable[[dict], None]]:
    """The firm's page signed in as the admin, whose list and interview are answered with a view the test sets:
    the interview's firm view as the API answers it, and the setter."""
    token = local_sign_in(base_url, ADMIN.email, ADMIN.password)["IdToken"]
    firm_view = request("GET", f"{base_url}/firm/interviews/{interview['id']}",
                        headers={"Authorization": f"Bearer {token}"}).json()
    answered: dict[str, Any] = {"view": firm_view}

    def answer(route: Route) -> None:
        real = route.fetch()
        route.fulfill(response=real, json=real.json() | {"items": [answered["view"]]} if route.request.url.endswith(
            "/firm/interviews") else answered["view"])

    page.route("**/firm/interviews", answer)
    page.route(f"**/firm/interviews/{interview['id']}", answer)
    page.goto(f"{base_url}/firm/")
    sign_in(page, ADMIN.email, ADMIN.password)
    page.locator("#who-name").filter(has_text="(admin)").wait_for()
    return firm_view, lambda view: answered.update(view=view)
