"""What the browser tests share (test_browser*.py, test_firm_page.py): Debian's chromium under Playwright, the
local stack they drive, and the helpers that read its outbox, fill the form and sign in on the firm's page.
The browser runs in New York with an American English locale; the stack's clock starts on Tuesday 10 March 2026
at 15:00 there, an hour after the interview the form reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from local.client import request, spawn
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
