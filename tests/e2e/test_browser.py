"""In a real browser: Playwright driving Debian's chromium against a local stack in a subprocess.

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday
10 March 2026 at 15:00 there, an hour after the interview the form reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from local.client import request, spawn

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("chromium missing: apt-get install -y chromium", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def console(page: Page) -> list[ConsoleMessage]:
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


def test_a_candidate_submits_the_form_confirms_from_the_email_and_records_an_offer_on_the_manage_page(
    page: Page, base_url: str
) -> None:
    page.goto(f"{base_url}/")
    expect(page.get_by_label("Your time zone")).to_have_value("America/New_York")  # from the browser
    fill_interview(page, phone="+14155550123")
    page.get_by_label("By text message (SMS)").check()
    page.get_by_label("I agree to receive text messages").check()

    page.get_by_role("button", name="Schedule my follow-ups").click()

    # The form says where to look, masked, and nothing is scheduled before the candidate confirms
    expect(page.get_by_role("heading", name="Check your email or phone to confirm")).to_be_focused()
    expect(page.locator("#sent-to li")).to_have_text(["Email: j•••@example.com", "Text message: +1•••••••0123"])
    link = confirmation_link(base_url, "jordan.rivera@example.com")
    interview = MANAGE_LINK.search(link).group(1)
    assert not [s for s in schedules(base_url) if s["name"].startswith(interview)]

    # The link from the email opens the page with one clear step, the follow-ups planned
    page.goto(link)
    expect(page.get_by_role("heading", name="Senior Data Analyst at Globex Corporation")).to_be_visible()
    expect(page.locator("#timeline li[data-step=check_in]")).to_have_attribute("data-status", "planned")
    page.get_by_role("button", name="Confirm and start my reminders").click()

    expect(page.locator("#timeline li[data-step=check_in]")).to_have_attribute("data-status", "scheduled")
    expect(page.locator("#timeline li[data-step=thank_you_note] time")).to_have_text(
        "Thursday, March 12, 2026 at 9:00 AM")
    expect(page.locator("#timeline li[data-step=check_in] time")).to_have_text("Friday, March 20, 2026 at 9:00 AM")
    page.get_by_label("I got an offer").check()
    expect(page.get_by_label("Hiring manager's name")).to_have_value("Dana Whitfield")  # the interviewer
    page.get_by_label("Your direct supervisor's name").fill("Sam Okafor")
    page.get_by_role("button", name="Record the decision").click()

    card = page.locator("#timeline li[data-step=decision_thank_you]")
    expect(card).to_have_attribute("data-status", "scheduled")
    expect(card.locator("time")).to_have_text("Wednesday, March 11, 2026 at 9:00 AM")
    expect(page.locator("#timeline li[data-step=check_in]")).to_have_attribute("data-status", "cancelled")
    expect(page.locator("#decided")).to_have_text(
        "Offer. Thank-you cards go to Dana Whitfield (hiring manager) and Sam Okafor (supervisor).")
    assert [s["name"] for s in schedules(base_url) if s["name"].startswith(interview)] == [
        f"{interview}-decision_thank_you"
    ]


def test_a_number_the_server_refuses_is_shown_next_to_the_phone_field_in_plain_words_and_nothing_is_scheduled(
    page: Page, base_url: str
) -> None:
    before = schedules(base_url)
    page.goto(f"{base_url}/")
    fill_interview(page, phone="(555) 555-0100")  # reads as a number here; no such area code, says the server
    page.get_by_label("By text message (SMS)").check()
    page.get_by_label("I agree to receive text messages").check()

    page.get_by_role("button", name="Schedule my follow-ups").click()

    error = page.locator("#candidate-phone-error")
    expect(error).to_have_text("Enter a phone number we can text, like (415) 555-0123.")
    expect(page.get_by_label("Mobile phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#summary")).to_be_focused()
    expect(page.locator("#summary li")).to_have_count(1)
    expect(page.locator("#result")).to_be_hidden()
    assert schedules(base_url) == before


def test_the_browsers_language_goes_with_the_submission_and_one_the_service_does_not_know_falls_back(
    browser: Browser, base_url: str
) -> None:
    for language, expected in (("en-GB", "en-GB"), ("tlh", "en-US")):  # Klingon: the firm's default instead
        context = browser.new_context(locale=language, timezone_id="America/New_York")
        page = context.new_page()
        page.goto(f"{base_url}/")
        fill_interview(page)
        page.get_by_label("Email", exact=True).fill(f"jordan.{language}@example.com")
        page.get_by_role("button", name="Schedule my follow-ups").click()
        expect(page.locator("#result")).to_be_visible()
        context.close()

        token = confirmation_link(base_url, f"jordan.{language}@example.com").split("token=")[1]
        interview = MANAGE_LINK.search(confirmation_link(base_url, f"jordan.{language}@example.com")).group(1)
        view = request("GET", f"{base_url}/interviews/{interview}", headers={"Authorization": f"Bearer {token}"})
        assert view.json()["candidate"]["locale"] == expected


def test_a_national_number_is_taken_with_the_country_of_the_time_zone(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    fill_interview(page, phone="(415) 555-0123")
    page.get_by_label("By text message (SMS)").check()
    page.get_by_label("I agree to receive text messages").check()

    page.get_by_role("button", name="Schedule my follow-ups").click()

    expect(page.locator("#sent-to li")).to_have_text(["Email: j•••@example.com", "Text message: +1•••••••0123"])


def test_every_number_the_phone_hint_offers_is_one_the_service_texts(page: Page, base_url: str) -> None:
    # The stack texts the default countries, the United States and Canada (SMS_COUNTRIES)
    page.goto(f"{base_url}/")
    hint = page.locator("#candidate-phone-hint").inner_text()
    assert "the United States and Canada only" in hint
    examples = re.findall(r"\+?\(?\d[\d\s().-]{5,}\d", hint)
    assert examples

    for n, number in enumerate(examples):
        page.goto(f"{base_url}/")
        fill_interview(page, phone=number)
        page.get_by_label("Email", exact=True).fill(f"jordan.hint{n}@example.com")
        page.get_by_label("By text message (SMS)").check()
        page.get_by_label("I agree to receive text messages").check()
        page.get_by_role("button", name="Schedule my follow-ups").click()

        expect(page.locator("#result")).to_be_visible()  # not "Enter a phone number we can text"
        expect(page.locator("#sent-to li").nth(1)).to_have_text(re.compile(r"^Text message: \+1•+\d{4}$"))


def test_the_form_shows_every_error_at_once_each_next_to_its_field_before_sending_anything(
    page: Page, base_url: str
) -> None:
    before = request("GET", f"{base_url}/_local/outbox").json()
    page.goto(f"{base_url}/")
    page.get_by_label("By text message (SMS)").check()
    page.get_by_label("Days until they decide").fill("90")

    page.get_by_role("button", name="Schedule my follow-ups").click()

    expected = {
        "candidate-name": "Enter your name.",
        "candidate-email": "Enter your email address, or choose text messages only.",
        "candidate-phone": "Enter a phone number we can text, like (415) 555-0123, or choose email only.",
        "company": "Enter the company's name.",
        "role": "Enter the job you interviewed for.",
        "interviewer-name": "Enter your interviewer's name.",
        "interview_at": "Enter the date and time of your interview.",
        "expected_decision_days": "Choose a number of days from 1 to 60.",
        "sms_consent": "Tick the box to agree to text messages, or choose email only.",
    }
    for field, message in expected.items():
        expect(page.locator(f"#{field}-error")).to_have_text(message)
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#summary li")).to_have_count(len(expected))
    expect(page.locator("#summary")).to_be_focused()
    assert request("GET", f"{base_url}/_local/outbox").json() == before  # nothing was sent


def test_a_past_interview_is_explained_before_submitting(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    note = page.locator("#interview_at-note")

    page.get_by_label("Date and time of the interview").fill("2026-03-10T14:00")  # an hour ago: all to come
    expect(note).to_be_hidden()
    page.get_by_label("Date and time of the interview").fill("2026-03-04T14:00")  # day 6: the card's days are over
    expect(note).to_have_text("The card reminder is past (a card is for the first three days), so we'll skip it; "
                              "the check-in reminder comes as planned.")
    page.get_by_label("Date and time of the interview").fill("2026-02-10T14:00")  # a month ago: check in now
    expect(note).to_have_text("The card reminder is past; we'll send the check-in now (once you confirm).")


def test_text_messages_without_consent_are_refused_before_anything_is_sent(page: Page, base_url: str) -> None:
    before = schedules(base_url)
    page.goto(f"{base_url}/")
    fill_interview(page, phone="+14155550123")
    page.get_by_label("By text message (SMS)").check()

    page.get_by_role("button", name="Schedule my follow-ups").click()

    expect(page.locator("#sms_consent-error")).to_have_text(
        "Tick the box to agree to text messages, or choose email only.")
    expect(page.get_by_label("I agree to receive text messages")).to_have_attribute("aria-invalid", "true")
    assert schedules(base_url) == before


def test_the_candidate_marks_a_step_done_then_cancels_and_erases_after_confirming(
    page: Page, base_url: str
) -> None:
    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana@example.com", "time_zone": "Europe/Lisbon"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    page.goto(link)

    page.get_by_role("button", name="Mark done: Thank-you card to your interviewer").click()
    step = page.locator("#thank_you_note")
    expect(step).to_have_attribute("data-status", "done")
    expect(step.locator(".status")).to_have_text("You marked it done")
    expect(step.locator(".status")).to_be_focused()  # where the button was, not the page's body
    expect(step.get_by_role("button", name=re.compile("Mark done"))).to_have_count(0)
    expect(page.locator("#timeline li[data-step=thank_you_note] time")).to_have_text(
        "Thursday, March 12, 2026 at 9:00 AM")  # 09:00 in Lisbon, shown in the candidate's zone
    page.get_by_role("button", name="Cancel and erase...").click()
    expect(page.get_by_role("button", name="No, keep my follow-ups")).to_be_focused()
    page.get_by_role("button", name="Yes, cancel and erase").click()

    expect(page.locator("#notice")).to_have_text(
        "Cancelled and erased: nothing more will be sent, and your details are gone.")
    page.get_by_role("link", name="Submit another interview").click()
    expect(page.get_by_role("heading", name="Follow up after your interview")).to_be_visible()
    gone = request("GET", f"{base_url}/interviews/{interview}",
                   headers={"Authorization": f"Bearer {link.split('token=')[1]}"})
    assert gone.status == 404
    assert not [s for s in schedules(base_url) if s["name"].startswith(interview)]


def test_both_pages_run_their_scripts_and_styles_under_the_policy_without_a_violation(
    page: Page, base_url: str, console: list[ConsoleMessage]
) -> None:
    _, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.policy@example.com", "time_zone": "Europe/Lisbon"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })

    page.goto(f"{base_url}/")
    expect(page.get_by_label("Your time zone")).to_have_value("America/New_York")  # the script ran
    skip_link_left = page.locator("a.skip").evaluate("link => getComputedStyle(link).left")  # the stylesheet applied
    page.goto(link)
    expect(page.get_by_role("heading", name="Engineer at Initech")).to_be_visible()

    assert skip_link_left == "-999px"
    assert csp_violations(console) == []
    assert [m.text for m in console if m.type == "error"] == []


def test_an_inline_script_put_into_a_page_is_refused_by_the_policy_and_reported(
    page: Page, base_url: str, console: list[ConsoleMessage]
) -> None:
    page.goto(f"{base_url}/")

    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")

    assert page.evaluate("window.injected") is None
    assert len(csp_violations(console)) == 1


# ---- the candidate's page, step by step --------------------------------------------------------------------------


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


@pytest.fixture(scope="module")
def clocked_url() -> Iterator[str]:
    """A stack of its own, whose clock the test moves on (the other tests' dates stay where they are)."""
    with spawn(start=START) as url:
        yield url


def test_an_sms_only_candidate_reads_every_steps_drafts_on_their_page_as_each_reminder_comes(
    browser: Browser, clocked_url: str
) -> None:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    base, phone = clocked_url, "+14155550142"
    submitted = request("POST", f"{base}/interviews", body=sms_only_body(phone))
    assert submitted.status == 202, submitted.text
    page.goto(sms_link(base, phone))
    page.get_by_role("button", name="Confirm and start my reminders").click()
    expect(page.locator("#state")).to_have_text(re.compile(r"^Your reminders are running: next, thank-you card"))

    # Day 2: the card reminder comes by text; its link opens the page at that step, whose card draft is there
    sent = texts_to(base, phone)
    advance(base, advance_days=2)
    link = sms_link(base, phone, after=sent)
    assert link.endswith("#thank_you_note")
    page.goto(link)
    card_step = page.locator("#thank_you_note")
    expect(card_step.locator(".status")).to_have_text("Reminder sent Thu, Mar 12, 9:00 AM")
    card = card_step.locator(".draft[data-kind=card]")
    expect(card.locator("h4")).to_have_text("Card for Dana Whitfield")
    expect(card.locator(".draft-meta")).to_contain_text("On the envelope")
    expect(card.locator(".draft-text")).to_contain_text("Dana")
    expect(card_step).to_be_in_viewport()
    card.get_by_role("button", name="Copy: Card for Dana Whitfield").click()
    expect(card.locator(".copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == card.locator(".draft-text").inner_text()

    # Day 10 (7 days + 3): the check-in, with its email draft, call script, voicemail line and the two don'ts
    sent = texts_to(base, phone)
    advance(base, advance_days=8)
    link = sms_link(base, phone, after=sent)
    assert link.endswith("#check_in")
    page.goto(link)
    check_in = page.locator("#check_in")
    expect(check_in.locator(".status")).to_have_text(re.compile(r"^Reminder sent "))
    expect(check_in.locator(".draft")).to_have_count(3)
    assert check_in.locator(".draft").evaluate_all("ds => ds.map(d => d.dataset.kind)") == ["email", "call", "voicemail"]
    expect(check_in.locator(".draft[data-kind=email] .draft-meta")).to_contain_text("Subject")
    expect(check_in.locator(".donts li")).to_have_count(2)
    expect(page.locator("#state")).to_have_text(
        "All your reminders went out. Record the decision here once they tell you.")

    # The offer, recorded on the page; the next day, the decision cards
    page.get_by_label("I got an offer").check()
    page.get_by_label("Your direct supervisor's name").fill("Sam Okafor")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#state")).to_have_text(re.compile(r"^Decision recorded: an offer\. Congratulations!"))
    expect(page.get_by_text("Decision recorded", exact=False)).to_have_count(1)
    sent = texts_to(base, phone)
    advance(base, advance_days=1)
    page.goto(sms_link(base, phone, after=sent))
    decision_step = page.locator("#decision_thank_you")
    expect(decision_step.locator(".status")).to_have_text(re.compile(r"^Reminder sent "))
    cards = decision_step.locator(".draft[data-kind=card] h4")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Dana Whitfield")
    expect(cards.nth(1)).to_contain_text("Sam Okafor")
    for section in ("thank_you_note", "check_in", "decision_thank_you"):  # every step's drafts stay readable
        assert page.locator(f"#{section} .draft").count() >= 1
    context.close()


def test_the_candidate_edits_the_time_and_sees_the_new_dates(page: Page, base_url: str) -> None:
    _, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.edit@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    page.goto(link)
    expect(page.locator("#thank_you_note time")).to_have_text("Thursday, March 12, 2026 at 9:00 AM")

    page.get_by_text("Change the time, the timeline").click()
    page.locator("#edit-interview_at").fill("2026-03-16T10:30")
    page.locator("#edit-expected_decision_days").fill("10")
    page.get_by_role("button", name="Save the changes").click()

    expect(page.locator("#edit-status")).to_have_text(re.compile(r"^Saved\. The reminders still to come moved"))
    expect(page.locator("#edit-status")).to_be_focused()
    expect(page.locator("#thank_you_note time")).to_have_text("Wednesday, March 18, 2026 at 9:00 AM")
    expect(page.locator("#check_in time")).to_have_text("Monday, March 30, 2026 at 9:00 AM")  # 16 + 10 + 3 = 29, a Sunday
    expect(page.locator("#facts")).to_contain_text("Monday, March 16, 2026 at 10:30 AM")


def test_a_new_email_address_is_confirmed_again_and_the_page_says_so(page: Page, base_url: str) -> None:
    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.old@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    page.goto(link)

    page.get_by_text("Change the time, the timeline").click()
    expect(page.get_by_label("The name you go by")).to_have_value("Ana")  # the first word of the name
    page.get_by_label("The name you go by").fill("Annie")
    page.locator("#edit-email").fill("ana.new@example.com")
    page.get_by_role("button", name="Save the changes").click()

    # The link was sent to the old address: it stops working, and the page says where the new one is
    expect(page.locator("#notice")).to_have_text(
        "Saved. This link was sent to your old email address, so it no longer opens this page: use the link in "
        "the confirmation we sent to the new one.")
    bearer = {"Authorization": f"Bearer {link.split('token=')[1]}"}
    assert request("GET", f"{base_url}/interviews/{interview}", headers=bearer).status == 404
    new_link = confirmation_link(base_url, "ana.new@example.com")  # the API's own confirmation went out
    assert new_link != link
    page.goto(new_link)
    expect(page.locator("#facts")).to_contain_text("Bill")
    page.get_by_text("Change the time, the timeline").click()
    expect(page.get_by_label("The name you go by")).to_have_value("Annie")  # what the API now answers


def test_the_check_in_is_added_to_a_calendar_from_the_page(page: Page, base_url: str, tmp_path: Path) -> None:
    from icalendar import Calendar

    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.ics@example.com", "time_zone": "America/Chicago"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    page.goto(link)

    with page.expect_download() as download:
        page.get_by_role("button", name="Add the check-in to my calendar").click()

    saved = tmp_path / "check-in.ics"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "check-in.ics"
    [event] = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    due = page.locator("#check_in time").get_attribute("datetime")
    assert event.decoded("dtstart") == datetime.fromisoformat(due)
    assert event.decoded("dtstart").tzinfo.key == "America/Chicago"


@pytest.mark.parametrize("width", [320, 375, 414])
def test_at_phone_width_no_heading_is_split_at_a_hyphen(browser: Browser, base_url: str, width: int) -> None:
    _, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": f"ana.phone{width}@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    context = browser.new_context(locale="en-US", timezone_id="America/New_York",
                                  viewport={"width": width, "height": 800}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#thank_you_note h3")).to_be_visible()

    # Each heading's text, cut where the browser broke its lines (one client rect per character).
    lines = page.evaluate("""() => [...document.querySelectorAll("h1, h2, h3, h4")].filter(h => h.offsetParent)
      .map(h => {
        const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
        const rows = [];
        let top = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            if (top === null || rect.top > top + 2) { rows.push(""); top = rect.top; }
            rows[rows.length - 1] += node.data[i];
          }
        }
        return rows;
      })""")
    context.close()

    assert any(len(heading) > 1 for heading in lines)  # some heading does wrap at this width
    assert "follow-ups" in [row.strip().split(" ")[-1] for row in lines[0]]  # the h1's last word, whole on one line
    for heading in lines:
        for row in heading[:-1]:
            assert not row.rstrip().endswith("-"), heading


def test_the_candidate_corrects_an_offers_supervisor_before_the_card_goes_out(page: Page, base_url: str) -> None:
    _, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.correct@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill Lumbergh"},
        "interview_at": "2026-03-10T11:00:00",
    })
    page.goto(link)
    page.get_by_label("I got an offer").check()
    page.get_by_label("Your direct supervisor's name").fill("Sam Okafor")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decided")).to_have_text(
        "Offer. Thank-you cards go to Bill Lumbergh (hiring manager) and Sam Okafor (supervisor).")

    page.get_by_role("button", name="Correct the decision").click()
    expect(page.get_by_label("I got an offer")).to_be_focused()
    page.get_by_label("Your direct supervisor's name").fill("Samira Okafor")
    page.get_by_role("button", name="Save the corrected decision").click()

    expect(page.locator("#decided")).to_have_text(
        "Offer. Thank-you cards go to Bill Lumbergh (hiring manager) and Samira Okafor (supervisor).")
    expect(page.locator("#timeline-status")).to_have_text(re.compile(r"^Corrected\. Your thank-you card reminder comes "))
    expect(page.locator("#decision_thank_you .draft h4").last).to_contain_text("Samira Okafor")
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(page.get_by_role("button", name="Correct the decision")).to_be_visible()  # until the card goes out


def test_a_step_whose_every_channel_was_skipped_never_reads_as_sent_and_a_partly_skipped_one_says_which(
    page: Page, base_url: str
) -> None:
    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.skipped@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    view = request("GET", f"{base_url}/interviews/{interview}",
                   headers={"Authorization": f"Bearer {link.split('token=')[1]}"}).json()
    # The view as it reads once the reminders went out: the card's only channel (texts) was skipped, opted out;
    # the check-in went by email, its text skipped
    at = "2026-03-12T09:00:05-04:00"
    steps = {f["step"]: f for f in view["follow_ups"]}
    steps["thank_you_note"].update(status="sent", deliveries={"sms": {"status": "skipped", "reason": "opted_out",
                                                                      "at": at}})
    steps["check_in"].update(status="sent", deliveries={
        "email": {"status": "sent", "at": "2026-03-20T09:00:04-04:00"},
        "sms": {"status": "skipped", "reason": "opted_out", "at": "2026-03-20T09:00:04-04:00"}})
    page.route(f"**/interviews/{interview}", lambda route: route.fulfill(json=view))

    page.goto(link)

    expect(page.locator("#thank_you_note .status")).to_have_text("Not sent: you unsubscribed from texts")
    expect(page.locator("#check_in .status")).to_have_text(
        "Reminder sent Fri, Mar 20, 9:00 AM by email. Not sent by text message: you unsubscribed from texts")
    expect(page.locator("#state")).to_have_text(  # not "all went out": the card's did not
        "No reminder is left to come. Record the decision here once they tell you.")


# ---- where the reminders go: each channel confirmed or waiting, and its confirmation sent again (issue 19, 22) ----


def email_and_sms_body(email: str, phone: str) -> dict[str, Any]:
    return {**sms_only_body(phone), "candidate": {"name": "Jordan Rivera", "email": email, "phone": phone,
                                                  "time_zone": "America/New_York"}, "channels": ["email", "sms"]}


def test_after_confirming_by_email_the_page_shows_texts_waiting_sends_the_text_again_and_its_link_confirms_them(
    page: Page, base_url: str
) -> None:
    email, phone = "jordan.both@example.com", "+14155550171"
    assert request("POST", f"{base_url}/interviews", body=email_and_sms_body(email, phone)).status == 202
    page.goto(confirmation_link(base_url, email))
    page.get_by_role("button", name="Confirm and start my reminders").click()

    # Each channel says where it stands, the number masked; nothing offers to confirm what this link cannot
    expect(page.locator("#destination-email")).to_have_text("Confirmed: j•••@example.com")
    expect(page.locator("#destination-sms")).to_have_text("Waiting: open the link we texted to (•••) •••-0171")
    expect(page.locator("#confirm-step")).to_be_hidden()
    expect(page.locator("[data-confirm]")).to_have_count(0)

    # "Send it again" texts a new link
    texts = texts_to(base_url, phone)
    page.get_by_role("button", name="Send it again: the confirmation text to (•••) •••-0171").click()
    expect(page.locator("#destinations-status")).to_have_text(
        "Sent: open the link in the new text we sent to (•••) •••-0171.")
    expect(page.locator("#destinations-status")).to_be_focused()
    assert texts_to(base_url, phone) == texts + 1

    # Opened from that text, the page confirms the number
    page.goto(sms_link(base_url, phone, after=texts))
    page.get_by_role("button", name="I opened this page from that text: confirm it").click()
    expect(page.locator("#destinations-status")).to_have_text("Confirmed: reminders come by text message too.")
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0171")
    expect(page.get_by_role("button", name=re.compile("Send it again"))).to_have_count(0)


def test_a_page_opened_from_the_email_says_it_cannot_confirm_the_texts_and_where_to_go(
    page: Page, base_url: str
) -> None:
    email, phone = "jordan.elsewhere@example.com", "+14155550172"
    assert request("POST", f"{base_url}/interviews", body=email_and_sms_body(email, phone)).status == 202
    link = confirmation_link(base_url, email)
    token = link.split("token=")[1]
    interview = MANAGE_LINK.search(link).group(1)
    assert request("POST", f"{base_url}/interviews/{interview}/confirm",
                   headers={"Authorization": f"Bearer {token}"}).status == 200

    page.goto(link)  # a new tab: which message this link came in is not known yet
    page.get_by_role("button", name="I opened this page from that text: confirm it").click()

    expect(page.locator("#destinations-status")).to_have_text(
        "This page was opened from the link in another message, so it cannot confirm this number: open the link "
        "in the text we sent to (•••) •••-0172, or send it again.")
    expect(page.locator("#destination-sms")).to_have_text("Waiting: open the link we texted to (•••) •••-0172")
    expect(page.locator("[data-confirm]")).to_have_count(0)


def test_past_the_numbers_daily_confirmations_the_page_says_when_to_try_again(page: Page, base_url: str) -> None:
    email, phone = "jordan.limit@example.com", "+14155550173"
    assert request("POST", f"{base_url}/interviews", body=email_and_sms_body(email, phone)).status == 202
    page.goto(confirmation_link(base_url, email))
    page.get_by_role("button", name="Confirm and start my reminders").click()
    texts = texts_to(base_url, phone)

    again = page.get_by_role("button", name=re.compile("^Send it again"))
    for _ in range(2):  # the submission's text was the first of three a day
        again.click()
        expect(page.locator("#destinations-status")).to_have_text(re.compile("^Sent: "))
        page.locator("#destinations-status").evaluate("p => { p.textContent = ''; }")
    again.click()

    expect(page.locator("#destinations-status")).to_have_text(re.compile(
        r"^Not sent: Too many confirmation messages to this number today\. Try again in about \d+ hours\.$"))
    assert texts_to(base_url, phone) == texts + 2


def test_texts_chosen_on_the_page_for_a_number_already_given_get_their_confirmation(page: Page, base_url: str) -> None:
    email, phone = "jordan.later@example.com", "+14155550174"
    body = email_and_sms_body(email, phone)
    body.update(channels=["email"], sms_consent=False)
    _, link = submit_confirmed(base_url, body)
    page.goto(link)
    expect(page.locator("#destination-sms")).to_have_count(0)

    page.get_by_text("Change the time, the timeline").click()
    page.locator("#edit-channel-sms").check()
    page.locator("#edit-sms_consent").check()
    page.get_by_role("button", name="Save the changes").click()

    expect(page.locator("#edit-status")).to_have_text(
        "Saved. We sent a confirmation text to (•••) •••-0174: open the link in it to confirm it. Reminders go there "
        "only once you confirm.")
    expect(page.locator("#destination-sms")).to_have_text("Waiting: open the link we texted to (•••) •••-0174")
    assert texts_to(base_url, phone) == 1


# ---- the manage token leaves the address bar (issue 19, 24) -------------------------------------------------------


def test_the_token_leaves_the_address_bar_and_a_reload_in_the_same_tab_still_works(
    browser: Browser, base_url: str
) -> None:
    interview, link = submit_confirmed(base_url, {
        "candidate": {"name": "Ana Lima", "email": "ana.bar@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": "2026-03-10T11:00:00",
    })
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    page = context.new_page()

    page.goto(link + "#check_in")  # as a text's link to a step comes
    expect(page.get_by_role("heading", name="Engineer at Initech")).to_be_visible()
    assert page.url == f"{base_url}/manage/{interview}#check_in"  # nothing to share but the page's address
    expect(page.locator("#check_in")).to_be_in_viewport()

    page.reload()
    expect(page.get_by_role("heading", name="Engineer at Initech")).to_be_visible()
    assert "token" not in page.url

    # The address alone, in another tab, opens nothing
    other = context.new_page()
    other.goto(page.url)
    expect(other.locator("#notice")).to_contain_text("This page needs the private link")
    expect(other.locator("#content")).to_be_hidden()
    context.close()
