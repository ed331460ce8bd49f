"""In a real browser: Playwright driving Debian's chromium against a local stack in a subprocess: the candidate's
manage page as each reminder comes, edits, the calendar file, texts and their confirmations.

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday
10 March 2026 at 15:00 there, an hour after the interview the form reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from local.client import request, spawn
from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    MANAGE_LINK,
    START,
    advance,
    base_url_fixture,
    browser_fixture,
    confirmation_link,
    console_fixture,
    page_fixture,
    sms_link,
    sms_only_body,
    submit_confirmed,
    texts_to,
)

pytestmark = pytest.mark.e2e


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

    expect(page.locator("#thank_you_note .status")).to_have_text("Not texted: you unsubscribed from texts")
    expect(page.locator("#check_in .status")).to_have_text(
        "Reminder sent Fri, Mar 20, 9:00 AM by email. Not texted: you unsubscribed from texts")
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
