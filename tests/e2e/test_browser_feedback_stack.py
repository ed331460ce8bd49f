"""In a real browser (Playwright driving Debian's chromium) against a local stack that plays SES's answers (issue 21):
an email to SES's mailbox simulator bounces, any other is delivered, and the dev console's "Complain" makes a
complaint, each through the template's rule to the real feedback function. The candidate reads it on their page, the
recruiter on the list and the interview; the public form refuses a bounced address; the admin's report shows the
feedback and the rates the API counted.

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday 10 March 2026
at 15:00 there. Each test enrols an interview two hours before the clock and moves the clock on by days.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from local.client import request
from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    A_DAY,
    ADMIN,
    NEW_YORK,
    RECRUITER,
    base_url_fixture,
    bearer,
    browser_fixture,
    confirmation_link,
    emails_to,
    fired,
    page_fixture,
    sign_in,
    sms_link,
    submit_confirmed,
    two_hours_ago,
)

pytestmark = pytest.mark.e2e

BOUNCE = "bounce@simulator.amazonses.com"  # SES's mailbox simulator: a permanent bounce, General


def test_a_bounced_address_is_said_to_the_candidate_the_recruiter_and_the_next_one_to_submit_it(
    page: Page, base_url: str
) -> None:
    # Given a recruiter enrols a candidate by email and text, whose address is SES's bounce simulator: the
    # confirmation email bounces, and the candidate confirms from the text
    phone = "+14155550191"
    enrolled = request("POST", f"{base_url}/firm/interviews", headers=bearer(base_url, RECRUITER), body={
        "candidate": {"name": "Bo Unce", "email": BOUNCE, "phone": phone, "time_zone": "America/New_York"},
        "channels": ["email", "sms"], "sms_consent": True, "company": "Initech", "role": "Engineer",
        "interviewer": {"name": "Bill"}, "interview_at": two_hours_ago(base_url)})
    assert enrolled.status == 202, enrolled.text
    interview = enrolled.json()["id"]
    [confirmation] = emails_to(base_url, BOUNCE)
    assert [(e["event"], [h["result"]["result"] for h in e["handled_by"]]) for e in confirmation["feedback"]] == [
        ("Bounce", ["applied"])]  # SES answered, and the feedback function applied it

    # When the candidate opens the text's link and confirms
    page.goto(sms_link(base_url, phone))
    page.get_by_role("button", name="Confirm and start my reminders").click()

    # Then the page says the address bounced, where the reminders go and on each step to come, with the way to fix it
    expect(page.locator("#destination-email")).to_have_text("Bounced: b•••@simulator.amazonses.com does not exist. "
                                                            "Update it")
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0191")
    expect(page.locator("#thank_you_note .status")).to_have_text(
        re.compile(rf"^Reminder due {A_DAY.pattern}\. Not emailed: this address bounced$"))
    expect(page.locator("#state")).to_have_text(re.compile(r"^Your reminders are running: next, "))  # by text
    page.locator("#destinations").get_by_role("link", name="Update it: your email address").click()
    expect(page.locator("#edit-email")).to_be_focused()
    expect(page.locator("#edit-email")).to_have_value(BOUNCE)

    # And the recruiter reads on the list that the card will not be emailed, and why
    recruiter = page.context.new_page()
    recruiter.goto(f"{base_url}/firm/")
    sign_in(recruiter, RECRUITER.email, RECRUITER.password)
    card = recruiter.locator(f"#interviews li.card[data-id='{interview}']")
    expect(card.locator("li[data-step=thank_you_note]")).to_have_text(
        re.compile(r"^Thank-you card: Scheduled for .+\. Email stopped: the address bounced$"))

    # And the next candidate to give that address on the public form is told, next to the field
    form = page.context.new_page()
    form.goto(f"{base_url}/")
    form.get_by_label("Your name", exact=True).fill("Bo Unce")
    form.get_by_label("Email", exact=True).fill(BOUNCE)
    form.get_by_label("Company").fill("Initech")
    form.get_by_label("Role").fill("Engineer")
    form.get_by_label("Interviewer's name").fill("Bill")
    form.get_by_label("Date and time of the interview").fill(two_hours_ago(base_url))
    form.get_by_role("button", name="Schedule my follow-ups").click()
    expect(form.locator("#candidate-email-error")).to_have_text(
        "Email to this address bounced; check it or choose text messages.")
    expect(form.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    assert len(emails_to(base_url, BOUNCE)) == 1  # nothing more was sent to it


def test_a_delivered_nudge_then_marked_as_spam_is_said_to_the_candidate_and_the_recruiter(
    page: Page, base_url: str
) -> None:
    # Given a candidate by email only, confirmed, whose thank-you note went out and was delivered
    email = "ana.spam@example.com"
    enrolled = request("POST", f"{base_url}/firm/interviews", headers=bearer(base_url, RECRUITER), body={
        "candidate": {"name": "Ana Spam", "email": email, "time_zone": "America/New_York"}, "channels": ["email"],
        "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"}, "interview_at": two_hours_ago(base_url)})
    assert enrolled.status == 202, enrolled.text
    interview = enrolled.json()["id"]
    link = confirmation_link(base_url, email)
    assert request("POST", f"{base_url}/interviews/{interview}/confirm",
                   headers={"Authorization": f"Bearer {link.split('token=')[1]}"}).status == 200
    assert f"{interview}-thank_you_note" in fired(base_url, 3)
    [nudge] = [m for m in emails_to(base_url, email) if not m["subject"].startswith("Confirm")]
    assert [e["event"] for e in nudge["feedback"]] == ["Delivery"]
    page.goto(link)
    expect(page.locator("#thank_you_note .status")).to_have_text(re.compile(rf"^Delivered {A_DAY.pattern}$"))
    expect(page.locator("#thank_you_note .status")).to_have_class("status status-sent")

    # When the candidate marks it as spam (the console's "Complain": SES's complaint, through the rule)
    complained = request("POST", f"{base_url}/_local/ses/feedback", body={"message_id": nudge["message_id"],
                                                                            "type": "complaint"})
    assert complained.status == 200, complained.text
    assert complained.json()["result"] == {"result": "applied"}

    # Then their page says so on the step, on the check-in to come and in the headline; nothing offers to undo it
    page.reload()
    expect(page.locator("#thank_you_note .status")).to_have_text(
        "You reported this email as spam, so we stopped emailing you")
    expect(page.locator("#check_in .status")).to_have_text(
        re.compile(rf"^Reminder due {A_DAY.pattern}\. Not emailed: you marked our email as spam$"))
    expect(page.locator("#state")).to_have_text(
        "No reminder can reach you: you reported our email as spam, so we stopped emailing you.")
    expect(page.get_by_role("link", name=re.compile("^Update it"))).to_have_count(0)

    # And the recruiter reads it on the interview, standing out
    page.goto(f"{base_url}/firm/#{interview}")
    sign_in(page, RECRUITER.email, RECRUITER.password)
    step = page.locator("#detail-steps li[data-step=thank_you_note]")
    expect(step).to_have_text("Thank-you card: Sent. Marked as spam by the candidate: email stopped")  # no "Mark done"
    expect(step.locator(".step-words")).to_have_class("step-words trouble")
    expect(page.locator("#detail-steps li[data-step=check_in] .step-words")).to_have_text(
        re.compile(r"^Scheduled for .+\. Email stopped: the candidate marked an email as spam$"))

    # And the check-in, when its day comes, is not emailed
    before = len(emails_to(base_url, email))
    assert f"{interview}-check_in" in fired(base_url, 8)
    assert len(emails_to(base_url, email)) == before


def test_the_admin_reads_the_months_feedback_and_rates_as_the_api_counts_them(page: Page, base_url: str) -> None:
    # Given the month's report as the API answers it, after at least a bounce (an address on the account's
    # suppression list, as SES's simulator plays it) and a delivered nudge, made here: this test may run on a stack
    # of its own (pytest-xdist spreads a module's tests over its workers), where no other test delivered one
    for name, address in (("Sue Pressed", "suppressionlist@simulator.amazonses.com"), ("Del Ivered", "del@example.com")):
        enrolled = request("POST", f"{base_url}/interviews", body={
            "candidate": {"name": name, "email": address, "time_zone": "America/New_York"}, "channels": ["email"],
            "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
            "interview_at": two_hours_ago(base_url)})
        assert enrolled.status == 202, enrolled.text
    interview_id, _link = submit_confirmed(base_url, {
        "candidate": {"name": "Del Ivered", "email": "del@example.com", "time_zone": "America/New_York"},
        "channels": ["email"], "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": two_hours_ago(base_url)})
    assert f"{interview_id}-thank_you_note" in fired(base_url, 3)  # the card's nudge goes out, and is delivered
    month = datetime.fromisoformat(request("GET", f"{base_url}/_local/clock").json()["now"]).astimezone(NEW_YORK)
    first, last = month.replace(day=1).date().isoformat(), month.date().isoformat()
    answer = request("GET", f"{base_url}/firm/report?from={first}&to={last}", headers=bearer(base_url, ADMIN))
    assert answer.status == 200, answer.text
    counted = answer.json()
    email = counted["feedback"]["email"]
    assert email["bounced"] >= 1 and email["delivered"] >= 1

    # When the admin shows that month's report
    page.goto(f"{base_url}/firm/")
    sign_in(page, ADMIN.email, ADMIN.password)
    page.get_by_role("button", name="Report").click()
    page.get_by_label("From").fill(first)
    page.get_by_label("To", exact=True).fill(last)
    page.locator("#report-form").get_by_role("button", name="Show").click()

    # Then the page shows the API's counts of each channel (the texts stopped by why), and its rates as percentages
    # flagged as the thresholds say
    for channel, heard in counted["feedback"].items():
        expect(page.locator(f"#report-feedback tr[data-channel={channel}] td")).to_have_text(
            [str(heard[key]) for key in ("delivered", "bounced", "complained", "rejected", "replied")]
            + [str(heard["stopped"].get(why, 0)) for why in ("stop", "blocked", "unreachable")])
    for key, name in (("bounce", "Bounces"), ("complaint", "Spam complaints")):
        rate = counted["rates"]["email"][key]
        row = page.locator(f"#report-rates tr[data-rate={key}]")
        expect(row.locator("th")).to_have_text(name)
        shown = f"{rate['rate'] * 100:.3f}".rstrip("0").rstrip(".") + "%"
        expect(row.locator("td[data-value=rate]")).to_have_text(shown)
        expect(row).to_have_class("over" if rate["rate"] >= rate["review_at"] else "")
