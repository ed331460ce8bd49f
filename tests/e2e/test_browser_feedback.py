"""In a real browser (Playwright driving Debian's chromium): what the candidate's page and the firm's page say of what
SES told after a send (issue 21): delivered, delayed, bounced, marked as spam, refused; the steps still to come that
skip a stopped address; the report's feedback counts and the email reputation beside AWS's thresholds.

Each test here reads a view of a real interview on a local stack, changed the way the feedback function changes it
(the page's own request answered with it), so that every wording is checked on the page that shows it.

The browser runs in New York with an American English locale; the stack's clock starts on Tuesday 10 March 2026
at 15:00 there, an hour after the interview.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    ADMIN,
    base_url_fixture,
    browser_fixture,
    delivered,
    firm_pages_answering,
    interview_fixture,
    page_fixture,
    sent,
    show,
    sign_in,
    skipped,
    with_check_in,
)

pytestmark = pytest.mark.e2e


# What the candidate reads of the check-in, for each thing SES may tell of its email (and of its text, sent).
CANDIDATE_WORDS = [
    ({"email": delivered()}, "Delivered Fri, Mar 20, 9:02 AM", "sent"),
    ({"email": sent(reason="delayed")},
     "Reminder sent Fri, Mar 20, 9:00 AM. Delayed: the receiving server is retrying", "sent"),
    ({"email": sent(status="bounced", reason="no_email")}, "Bounced: that address does not exist. Update it", "bad"),
    ({"email": sent(status="complained")}, "You reported this email as spam, so we stopped emailing you", "bad"),
    ({"email": sent(status="failed", reason="rejected")}, "Not emailed: our email service refused to send it", "bad"),
    ({"email": skipped("bounced")}, "Not emailed: this address bounced", "bad"),
    ({"email": skipped("complained")}, "Not emailed: you marked our email as spam", "bad"),
    ({"email": delivered(), "sms": sent()},
     "Reminder sent Fri, Mar 20, 9:00 AM. Email delivered Fri, Mar 20, 9:02 AM", "sent"),
    ({"email": delivered(), "sms": skipped("opted_out")},
     "Delivered Fri, Mar 20, 9:02 AM by email. Not texted: you unsubscribed from texts", "sent"),
    ({"email": sent(status="bounced", reason="general"), "sms": sent()},
     "Reminder sent Fri, Mar 20, 9:00 AM by text message. Email bounced: that address does not exist. Update it", "bad"),
]


@pytest.mark.parametrize(("deliveries", "words", "kind"), CANDIDATE_WORDS,
                         ids=[json.dumps({c: d["status"] + (f"/{d['reason']}" if d["reason"] else "")
                                          for c, d in case[0].items()}) for case in CANDIDATE_WORDS])
def test_the_candidate_reads_what_became_of_each_reminder_in_words(
    page: Page, interview: dict[str, Any], deliveries: dict[str, Any], words: str, kind: str
) -> None:
    # Given the check-in's email (and text) as the feedback left them
    view = with_check_in(interview["view"], deliveries)

    # When the candidate opens their page
    show(page, interview, view)

    # Then the step says it in words, and looks like what it is (its dot on the timeline too)
    status = page.locator("#check_in .status")
    expect(status).to_have_text(words)
    expect(status).to_have_class(f"status status-{kind}")
    expect(page.locator("#check_in")).to_have_attribute("data-look", kind)


def test_update_it_opens_the_edit_on_the_email_address_and_a_stopped_address_says_so_where_reminders_go(
    page: Page, interview: dict[str, Any]
) -> None:
    # Given the check-in's email bounced, and the decision's card still to come, which will skip the address
    view = with_check_in(interview["view"], {"email": sent(status="bounced", reason="no_email"), "sms": sent()},
                         verified_channels=["email", "sms"])
    view["follow_ups"].append({"step": "decision_thank_you", "due_at": "2026-03-23T09:00:00-04:00",
                               "status": "scheduled", "deliveries": {"email": skipped("bounced") | {"at": None}},
                               "guide": None})

    # When the candidate opens their page
    show(page, interview, view)

    # Then the card to come says it will not be emailed, the email's destination that it bounced; texts go on
    expect(page.locator("#decision_thank_you .status")).to_have_text(
        "Reminder due Mon, Mar 23, 9:00 AM. Not emailed: this address bounced")
    expect(page.locator("#decision_thank_you .status")).to_have_class("status status-due")  # the text still goes
    expect(page.locator("#destination-email")).to_have_text("Bounced: a•••@example.com does not exist. Update it")
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0190")

    # And "Update it" on the step opens the edit with the focus on the email address
    expect(page.locator("#edit-email")).to_be_hidden()
    page.locator("#check_in").get_by_role("link", name="Update it: your email address").click()
    expect(page.locator("#edit-email")).to_be_focused()
    expect(page.locator("#edit-email")).to_have_value("ana.feedback@example.com")


def test_with_every_channel_stopped_the_headline_says_no_reminder_can_reach_the_candidate(
    page: Page, interview: dict[str, Any]
) -> None:
    # Given an email-only interview whose check-in, still to come, skips the address marked as spam
    view = copy.deepcopy(interview["view"]) | {"channels": ["email"], "verified_channels": ["email"]}
    steps = {f["step"]: f for f in view["follow_ups"]}
    steps["thank_you_note"].update(status="sent", deliveries={"email": sent(status="complained")})
    steps["check_in"].update(status="scheduled", deliveries={"email": skipped("complained") | {"at": None}})

    # When the candidate opens their page
    show(page, interview, view)

    # Then nothing pretends the reminders run, and no link offers to fix what the candidate chose
    expect(page.locator("#state")).to_have_text(
        "No reminder can reach you: you reported our email as spam, so we stopped emailing you.")
    expect(page.locator("#check_in .status")).to_have_text(
        "Reminder due Fri, Mar 20, 9:00 AM. Not emailed: you marked our email as spam")
    expect(page.locator("#check_in .status")).to_have_class("status status-bad")
    expect(page.locator("#destination-email")).to_have_text(
        "Stopped: you reported our email as spam, so we no longer email a•••@example.com")
    expect(page.get_by_role("link", name="Update it")).to_have_count(0)


def test_a_cancelled_interviews_bounce_offers_nothing_to_update(page: Page, interview: dict[str, Any]) -> None:
    view = with_check_in(interview["view"], {"email": sent(status="bounced", reason="no_email")}, status="cancelled")

    show(page, interview, view)

    expect(page.locator("#check_in .status")).to_have_text("Bounced: that address does not exist")
    expect(page.get_by_role("link", name="Update it")).to_have_count(0)


# ---- the firm's page: the recruiter's list and detail, the admin's report --------------------------------------------

# What the recruiter reads of the check-in's channel, for each thing SES may tell of it.
RECRUITER_WORDS = [  # the deliveries, the words, whether they stand out as trouble
    ({"email": delivered()}, "Check-in: Sent. Email delivered Mar 20, 2026, 9:02 AM", False),
    ({"email": sent(reason="delayed")},
     "Check-in: Sent. Email sent Mar 20, 2026, 9:00 AM (delayed: the receiving server is retrying)", False),
    ({"email": sent(status="bounced", reason="no_email")},
     "Check-in: Sent. Email bounced: the address does not exist, so no more emails go to it", True),
    ({"email": sent(status="bounced", reason="on_account_suppression_list")},
     "Check-in: Sent. Email bounced: the address is on the firm's suppression list, so no more emails go to it", True),
    ({"email": sent(status="complained")}, "Check-in: Sent. Marked as spam by the candidate: email stopped", True),
    ({"email": sent(status="failed", reason="rejected")}, "Check-in: Sent. Email failed: SES refused to send it", True),
    ({"email": skipped("bounced"), "sms": sent()},
     "Check-in: Sent. Email skipped: the address bounced; Text sent Mar 20, 2026, 9:00 AM", False),
    ({"email": skipped("complained")}, "Check-in: Sent. Email skipped: the candidate marked an email as spam", False),
]


def test_the_recruiter_reads_what_became_of_each_nudge_on_the_list_and_the_interview(
    page: Page, base_url: str, interview: dict[str, Any]
) -> None:
    # Given the firm's list and the interview answered with the check-in as the feedback left it, case by case
    firm_view, answer = firm_pages_answering(page, base_url, interview)

    for deliveries, words, trouble in RECRUITER_WORDS:
        answer(with_check_in(firm_view, deliveries))

        # When the list is shown again, and the interview opened
        page.get_by_role("button", name="Interviews").click()
        card = page.locator(f"#interviews li.card[data-id='{interview['id']}']")

        # Then both say it in words, what needs a look standing out on the list
        expect(card.locator("li[data-step=check_in]")).to_have_text(words)
        expect(card.locator("li[data-step=check_in] .step-words")).to_have_class(
            "step-words trouble" if trouble else "step-words")
        card.get_by_role("button", name="Ana Lima").click()
        expect(page.locator("#detail-steps li[data-step=check_in]")).to_contain_text(words)


def test_the_report_shows_what_came_back_and_flags_a_rate_over_the_review_threshold(page: Page, base_url: str) -> None:
    # Given a month whose report counts feedback, with a bounce rate over AWS's review threshold (not its pause one)
    # and texts answered back: replies, and numbers stopped by a STOP and by the carrier
    feedback = {"email": {"delivered": 90, "bounced": 6, "complained": 0, "rejected": 1, "replied": 0, "stopped": {}},
                "sms": {"delivered": 41, "bounced": 0, "complained": 0, "rejected": 0, "replied": 7,
                        "stopped": {"stop": 3, "unreachable": 2}}}
    rates = {"email": {"bounce": {"rate": 0.06, "review_at": 0.05, "paused_at": 0.10},
                       "complaint": {"rate": 0.0005, "review_at": 0.001, "paused_at": 0.005}}}

    def report(route: Route) -> None:
        real = route.fetch()
        route.fulfill(response=real, json=real.json() | {"feedback": feedback, "rates": rates})

    page.route("**/firm/report?*", report)
    page.goto(f"{base_url}/firm/")
    sign_in(page, ADMIN.email, ADMIN.password)

    # When the admin shows it
    page.get_by_role("button", name="Report").click()
    page.locator("#report-form").get_by_role("button", name="Show").click()

    # Then each channel's counts are in a table of their own, by what came back, the texts stopped by why
    table = page.locator("#report-feedback")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Channel", "Delivered", "Bounced", "Marked as spam", "Refused by SES", "Replies", "Stopped: replied STOP",
         "Stopped: carrier blocks", "Stopped: unreachable"])
    expect(table.locator("tr[data-channel=email] > *")).to_have_text(["Email", "90", "6", "0", "1", "0", "0", "0", "0"])
    expect(table.locator("tr[data-channel=sms] > *")).to_have_text(
        ["Text messages", "41", "0", "0", "0", "7", "3", "0", "2"])

    # And each rate as a percentage beside AWS's thresholds, the bounce rate flagged, the complaint rate not
    rows = page.locator("#report-rates tbody tr")
    expect(rows.nth(0).locator(":scope > *")).to_have_text(
        ["Bounces", "6%", "5%", "10%", "Over the review threshold: AWS may review the firm's account"])
    expect(rows.nth(0)).to_have_class("over")
    expect(rows.nth(1).locator(":scope > *")).to_have_text(
        ["Spam complaints", "0.05%", "0.1%", "0.5%", "Below the review threshold"])
    expect(rows.nth(1)).not_to_have_class("over")
    # And the rest of the report below, as before
    expect(page.get_by_role("heading", name="Every count")).to_be_visible()
    expect(page.locator("#report-output dl").first).to_contain_text("enrolled")
