"""In a real browser: Playwright driving Debian's chromium against a local stack in a subprocess: the form, its
checks and the policy the pages run under (the manage page: test_browser_manage.py).

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday
10 March 2026 at 15:00 there, an hour after the interview the form reports.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from playwright.sync_api import Error as PlaywrightError

from local.client import request
from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    MANAGE_LINK,
    base_url_fixture,
    browser_fixture,
    confirmation_link,
    console_fixture,
    csp_violations,
    fill_interview,
    page_fixture,
    schedules,
    submit_confirmed,
)

pytestmark = pytest.mark.e2e


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


