"""In a real browser (Playwright driving Debian's chromium) against a local stack that plays what comes back of texts
(issue 21, SMS): ``POST /_local/sms/inbound`` publishes a candidate's reply to the template's inbound topic and
``POST /_local/sms/status`` writes SNS's delivery-status record to its log group, each reaching the real feedback
function through the template's subscriptions. The candidate reads it on their page, the recruiter on the list and
the interview.

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday 10 March 2026
at 15:00 there. Each test has a recruiter enrol a candidate by text two hours before the clock, the candidate confirm
from the text, and the clock move on until the thank-you note is texted.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local.client import request
from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    A_DAY,
    RECRUITER,
    base_url_fixture,
    bearer,
    browser_fixture,
    fired,
    page_fixture,
    sign_in,
    sms_link,
    two_hours_ago,
)

pytestmark = pytest.mark.e2e

AFTER_STOP = ("Texts stopped: you replied STOP. To get texts again, reply START to our number (so your carrier lets our "
              "texts through), then turn them back on here.")
FIRM_DAY = re.compile(r"\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M")  # "Mar 13, 2026, 9:00 AM", as the firm's page writes it


def texts_to(base_url: str, phone: str) -> list[dict[str, Any]]:
    return [m for m in request("GET", f"{base_url}/_local/outbox").json()["sms"] if m["to"] == phone]


def texted_thank_you_note(page: Page, base_url: str, name: str, phone: str) -> tuple[str, dict[str, Any]]:
    """A recruiter's candidate by text only, confirmed from the text's link, whose thank-you note was then texted:
    the interview's id and the nudge as the outbox holds it. The page is left on the candidate's page."""
    enrolled = request("POST", f"{base_url}/firm/interviews", headers=bearer(base_url, RECRUITER), body={
        "candidate": {"name": name, "phone": phone, "time_zone": "America/New_York"}, "channels": ["sms"],
        "sms_consent": True, "company": "Initech", "role": "Engineer", "interviewer": {"name": "Bill"},
        "interview_at": two_hours_ago(base_url)})
    assert enrolled.status == 202, enrolled.text
    interview = enrolled.json()["id"]
    page.goto(sms_link(base_url, phone))
    page.get_by_role("button", name="Confirm and start my reminders").click()
    expect(page.locator("#destination-sms")).to_have_text(re.compile(r"^Confirmed: "))
    before = len(texts_to(base_url, phone))
    assert f"{interview}-thank_you_note" in fired(base_url, 3)
    [nudge] = texts_to(base_url, phone)[before:]
    return interview, nudge


def reply(base_url: str, phone: str, body: str, reply_to: str | None = None) -> list[str]:
    """The candidate's text to the firm's number, as AWS publishes it: what the feedback function answered."""
    answer = request("POST", f"{base_url}/_local/sms/inbound",
                     body={"from": phone, "body": body} | ({"reply_to": reply_to} if reply_to else {}))
    assert answer.status == 200, answer.text
    [heard] = [t for t in request("GET", f"{base_url}/_local/sms/inbound").json()
               if t["inbound_message_id"] == answer.json()["inbound_message_id"]]
    return [what for handled in heard["handled_by"] for what in handled["result"]["result"]]


def receipt(base_url: str, message_id: str, status: str, provider_response: str | None = None) -> Any:
    """SNS's delivery-status record of a text sent, through the template's subscription filter."""
    answer = request("POST", f"{base_url}/_local/sms/status", body={"message_id": message_id, "status": status} | (
        {"provider_response": provider_response} if provider_response else {}))
    assert answer.status == 200, answer.text
    return answer.json()["result"]


def open_as_recruiter(page: Page, base_url: str, interview: str) -> None:
    page.goto(f"{base_url}/firm/#{interview}")
    sign_in(page, RECRUITER.email, RECRUITER.password)
    expect(page.locator("#detail-view")).to_be_visible()


def test_a_candidate_replying_done_sees_it_marked_done_and_the_recruiter_reads_their_texts(
    page: Page, base_url: str
) -> None:
    # Given a candidate whose thank-you note was texted, and SNS's receipt said the phone took it
    phone = "+14155550192"
    interview, nudge = texted_thank_you_note(page, base_url, "Dee Ohn", phone)
    assert receipt(base_url, nudge["message_id"], "SUCCESS") == {"result": {"delivered": 1}}
    page.reload()
    expect(page.locator("#thank_you_note .status")).to_have_text(re.compile(rf"^Delivered {A_DAY.pattern}$"))

    # When the candidate replies DONE to it, then asks something in a text of their own
    assert reply(base_url, phone, "done", reply_to=nudge["message_id"]) == ["done"]
    question = "Sent the card <b>today</b> & thanks! Could we talk Monday?"
    assert reply(base_url, phone, question) == ["forwarded"]

    # Then their page says the step was marked done by their reply, and offers nothing more to do on it
    page.reload()
    expect(page.locator("#thank_you_note .status")).to_have_text("Marked done by your reply")
    expect(page.locator("#thank_you_note").get_by_role("button", name=re.compile("^Mark done"))).to_have_count(0)

    # And the recruiter reads, on the list and the interview, that the candidate's reply did it
    recruiter = page.context.new_page()
    open_as_recruiter(recruiter, base_url, interview)
    step = recruiter.locator("#detail-steps li[data-step=thank_you_note] .step-words")
    expect(step).to_have_text(re.compile(rf"^Done — by the candidate's reply\. Text delivered {FIRM_DAY.pattern}$"))

    # And both texts, oldest first, the question's words as the candidate sent them
    expect(recruiter.locator("#detail-replies > li")).to_have_text([
        re.compile(rf"^{FIRM_DAY.pattern} · about the thank-you card: DONE — the step is done$"),
        re.compile(rf"^{FIRM_DAY.pattern}(?: · about the thank-you card)?: {re.escape(question)}$"),
    ])
    expect(recruiter.locator("#detail-replies b")).to_have_count(0)
    expect(recruiter.locator("#replies-empty")).to_be_hidden()


def test_a_stopped_number_and_a_blocked_text_are_said_to_the_candidate_and_the_recruiter(
    page: Page, base_url: str
) -> None:
    # Given a candidate whose thank-you note was texted, and the carrier blocked it (SNS's failure receipt)
    phone = "+14155550193"
    interview, nudge = texted_thank_you_note(page, base_url, "Stu Pp", phone)
    blocked = receipt(base_url, nudge["message_id"], "FAILURE", "Phone carrier has blocked this message")
    assert blocked == {"result": {"failed:blocked": 1}}

    # When the candidate opens their page
    page.reload()

    # Then the step says the text was not delivered and why, and the number's place and the check-in to come that
    # texts stopped; with texts the only channel, the headline says no reminder can reach them
    expect(page.locator("#thank_you_note .status")).to_have_text("Not delivered: your carrier blocked it")
    expect(page.locator("#thank_you_note .status")).to_have_class("status status-bad")
    expect(page.locator("#destination-sms")).to_have_text("Texts stopped: your carrier blocks our texts")
    expect(page.locator("#check_in .status")).to_have_text(
        re.compile(rf"^Reminder due {A_DAY.pattern}\. Not texted: your carrier blocks our texts$"))
    expect(page.locator("#state")).to_have_text("No reminder can reach you: your carrier blocks our texts.")

    # And the recruiter reads the failure standing out, and the check-in that will not be texted
    recruiter = page.context.new_page()
    recruiter.goto(f"{base_url}/firm/")
    sign_in(recruiter, RECRUITER.email, RECRUITER.password)
    card = recruiter.locator(f"#interviews li.card[data-id='{interview}']")
    expect(card.locator("li[data-step=thank_you_note]")).to_have_text(
        "Thank-you card: Sent. Text failed: carrier blocked it")
    expect(card.locator("li[data-step=thank_you_note] .step-words")).to_have_class("step-words trouble")
    expect(card.locator("li[data-step=check_in]")).to_have_text(
        re.compile(r"^Check-in: Scheduled for .+\. Texts stopped: the carrier blocks texts to the number$"))


def test_a_candidate_replying_stop_is_told_how_texts_come_back_and_the_recruiter_reads_why(
    page: Page, base_url: str
) -> None:
    # Given a candidate whose thank-you note was texted
    phone = "+14155550194"
    interview, nudge = texted_thank_you_note(page, base_url, "Al To", phone)

    # When they reply STOP (in Spanish, as AWS's opt-out words allow)
    assert reply(base_url, phone, "Parar", reply_to=nudge["message_id"]) == ["stopped"]

    # Then their page says texts stopped, and how to get them again; the check-in to come will not be texted
    page.reload()
    expect(page.locator("#destination-sms")).to_have_text(AFTER_STOP)
    expect(page.locator("#check_in .status")).to_have_text(
        re.compile(rf"^Reminder due {A_DAY.pattern}\. Not texted: you replied STOP$"))
    expect(page.locator("#state")).to_have_text(
        "No reminder can reach you: you replied STOP, so we stopped texting you. To get texts again, reply START to "
        "our number, then turn them back on below.")

    # And the recruiter reads why on the interview, and the STOP among the candidate's texts
    recruiter = page.context.new_page()
    open_as_recruiter(recruiter, base_url, interview)
    expect(recruiter.locator("#detail-steps li[data-step=check_in] .step-words")).to_have_text(
        re.compile(r"^Scheduled for .+\. Texts stopped: the candidate replied STOP$"))
    expect(recruiter.locator("#detail-replies > li")).to_have_text(
        [re.compile(rf"^{FIRM_DAY.pattern} · about the thank-you card: STOP — texts to this number stopped$")])


def test_a_candidate_who_replied_stop_turns_texts_back_on_from_their_page_and_the_check_in_is_texted(
    page: Page, base_url: str
) -> None:
    # Given a candidate whose thank-you note was texted, who replied STOP, then START as their page says
    phone = "+14155550195"
    interview, nudge = texted_thank_you_note(page, base_url, "Rhea Start", phone)
    assert reply(base_url, phone, "STOP", reply_to=nudge["message_id"]) == ["stopped"]
    assert reply(base_url, phone, "Start") == ["start"]

    # And the START alone undid nothing: their page still says texts are stopped, and offers to turn them back on
    page.reload()
    expect(page.locator("#destination-sms")).to_have_text(AFTER_STOP)
    expect(page.locator("#check_in .status")).to_have_text(
        re.compile(rf"^Reminder due {A_DAY.pattern}\. Not texted: you replied STOP$"))

    # When they turn texts back on from their page
    page.get_by_role("button", name="Turn texts back on").click()

    # Then the page says so where the focus went, and no longer says texts are stopped: the number is confirmed, the
    # check-in to come will be texted, and the headline says the reminders run
    status = page.locator("#destinations-status")
    expect(status).to_have_text(re.compile(r"^Texts are back on: the reminders still to come are texted to "
                                           r"\(•••\) •••-0195\. "))
    expect(status).to_be_focused()
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0195")
    expect(page.get_by_role("button", name="Turn texts back on")).to_have_count(0)
    expect(page.locator("#check_in .status")).to_have_text(re.compile(rf"^Reminder due {A_DAY.pattern}$"))
    expect(page.locator("#state")).to_have_text(re.compile(r"^Your reminders are running: next, check in: "))

    # And the view, read again, has the check-in to come skipping no channel (no STOP left on it)
    token = json.loads(page.evaluate(f"sessionStorage.getItem('manage.{interview}')"))["token"]
    view = request("GET", f"{base_url}/interviews/{interview}", headers={"Authorization": f"Bearer {token}"}).json()
    [check_in] = [f for f in view["follow_ups"] if f["step"] == "check_in"]
    assert check_in["status"] == "scheduled"
    assert [d for d in check_in["deliveries"].values() if d["status"] == "skipped"] == []
    page.reload()
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0195")

    # And when its day comes, the check-in is texted to the number (the firm's opt-out list let it through too)
    before = len(texts_to(base_url, phone))
    assert f"{interview}-check_in" in fired(base_url, 8)
    [check_in_text] = texts_to(base_url, phone)[before:]
    assert re.search(rf"/manage/{interview}\?token=[\w.-]+#check_in", check_in_text["message"]), check_in_text["message"]
