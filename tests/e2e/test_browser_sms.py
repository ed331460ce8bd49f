"""In a real browser (Playwright driving Debian's chromium): what the candidate's page and the firm's page say of what
came back by SMS (issue 21): a step marked done by the candidate's DONE, SNS's receipts (delivered; failed as the
carrier blocked it, could not reach the phone, or the number opted out), a number stopped by STOP or by its carrier
(where the reminders go, on the steps to come, in the headline), and the candidate's texts on the recruiter's view.

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
    base_url_fixture,
    browser_fixture,
    delivered,
    firm_pages_answering,
    interview_fixture,
    page_fixture,
    sent,
    show,
    skipped,
    with_check_in,
)

pytestmark = pytest.mark.e2e


def failed(reason: str) -> dict[str, Any]:
    """A text SNS's receipt says did not reach the phone, by its class."""
    return sent(status="failed", reason=reason)


def with_check_in_to_come(view: dict[str, Any], stopped: dict[str, str], **changes: Any) -> dict[str, Any]:
    """The view with the check-in still to come, skipping each stopped channel as the API shows it."""
    changed = copy.deepcopy(view) | changes
    steps = {f["step"]: f for f in changed["follow_ups"]}
    steps["thank_you_note"].update(status="sent", deliveries={c: delivered() for c in changed["channels"]})
    steps["check_in"].update(status="scheduled",
                             deliveries={c: skipped(why) | {"at": None} for c, why in stopped.items()})
    return changed


def case_id(deliveries: dict[str, Any]) -> str:
    return json.dumps({c: d["status"] + (f"/{d['reason']}" if d["reason"] else "") for c, d in deliveries.items()})


# ---- the candidate's page ------------------------------------------------------------------------------------------

# What the candidate reads of the check-in, for each thing SNS's receipt may tell of its text (and of its email).
CANDIDATE_WORDS = [
    ({"sms": delivered()}, "Delivered Fri, Mar 20, 9:02 AM", "sent"),
    ({"sms": failed("blocked")}, "Not delivered: your carrier blocked it", "bad"),
    ({"sms": failed("unreachable")}, "Not delivered: your phone could not be reached", "bad"),
    ({"sms": failed("opted_out")}, "Not delivered: this number opted out of texts", "bad"),
    ({"sms": failed("unknown")}, "Not delivered", "bad"),
    ({"sms": skipped("stop")}, "Not texted: you replied STOP", "bad"),
    ({"email": sent(), "sms": delivered()},
     "Reminder sent Fri, Mar 20, 9:00 AM. Text message delivered Fri, Mar 20, 9:02 AM", "sent"),
    ({"email": delivered(), "sms": failed("blocked")},
     "Delivered Fri, Mar 20, 9:02 AM by email. Text message not delivered: your carrier blocked it", "bad"),
    ({"email": delivered(), "sms": skipped("stop")},
     "Delivered Fri, Mar 20, 9:02 AM by email. Not texted: you replied STOP", "sent"),
    ({"email": delivered(), "sms": skipped("blocked")},
     "Delivered Fri, Mar 20, 9:02 AM by email. Not texted: your carrier blocks our texts", "sent"),
    ({"email": delivered(), "sms": skipped("unreachable")},
     "Delivered Fri, Mar 20, 9:02 AM by email. Not texted: your phone could not be reached", "sent"),
]


@pytest.mark.parametrize(("deliveries", "words", "kind"), CANDIDATE_WORDS, ids=[case_id(c[0]) for c in CANDIDATE_WORDS])
def test_the_candidate_reads_what_became_of_each_text_in_words(
    page: Page, interview: dict[str, Any], deliveries: dict[str, Any], words: str, kind: str
) -> None:
    # Given the check-in's text (and email) as the receipts left them
    view = with_check_in(interview["view"], deliveries)

    # When the candidate opens their page
    show(page, interview, view)

    # Then the step says it in words, and looks like what it is (its dot on the timeline too)
    status = page.locator("#check_in .status")
    expect(status).to_have_text(words)
    expect(status).to_have_class(f"status status-{kind}")
    expect(page.locator("#check_in")).to_have_attribute("data-look", kind)


@pytest.mark.parametrize(("done_by", "words"), [("reply", "Marked done by your reply"), (None, "You marked it done")])
def test_a_step_done_by_the_candidates_reply_says_so(
    page: Page, interview: dict[str, Any], done_by: str | None, words: str
) -> None:
    # Given the check-in texted, then marked done by a DONE texted back (or by the page's button)
    view = with_check_in(interview["view"], {"sms": delivered()})
    next(f for f in view["follow_ups"] if f["step"] == "check_in").update(status="done", done_by=done_by)

    # When the candidate opens their page
    show(page, interview, view)

    # Then the step says who marked it done, and offers no button to do it again
    expect(page.locator("#check_in .status")).to_have_text(words)
    expect(page.locator("#check_in .status")).to_have_class("status status-sent")
    expect(page.locator("#check_in").get_by_role("button", name="Mark done")).to_have_count(0)


# Where the reminders go, and the step to come, for a number whose texts stopped.
AFTER_STOP = ("Texts stopped: you replied STOP. To get texts again, reply START to our number (so your carrier lets our "
              "texts through), then turn them back on here.")
STOPPED_NUMBER = [
    ("stop", AFTER_STOP, "Not texted: you replied STOP"),
    ("blocked", "Texts stopped: your carrier blocks our texts", "Not texted: your carrier blocks our texts"),
    ("unreachable", "Texts stopped: your phone could not be reached", "Not texted: your phone could not be reached"),
]


@pytest.mark.parametrize(("why", "destination", "step"), STOPPED_NUMBER, ids=[c[0] for c in STOPPED_NUMBER])
def test_a_stopped_number_is_said_where_reminders_go_and_on_each_step_to_come(
    page: Page, interview: dict[str, Any], why: str, destination: str, step: str
) -> None:
    # Given the number's texts stopped (the candidate's STOP, or the carrier), the check-in still to come
    view = with_check_in_to_come(interview["view"], {"sms": why}, verified_channels=["email", "sms"])

    # When the candidate opens their page
    show(page, interview, view)

    # Then the number's place says why no text comes, and the check-in that it will not be texted; email goes on
    expect(page.locator("#destination-sms")).to_have_text(destination)
    expect(page.locator("#destination-sms")).to_have_class("status status-bad")
    expect(page.locator("#destination-email")).to_have_text("Confirmed: a•••@example.com")
    expect(page.locator("#check_in .status")).to_have_text(f"Reminder due Fri, Mar 20, 9:00 AM. {step}")
    expect(page.locator("#check_in .status")).to_have_class("status status-due")  # the email still goes
    expect(page.locator("#state")).to_have_text("Your reminders are running: next, check in: say you are still "
                                                "interested, Fri, Mar 20, 9:00 AM.")
    # And only after a STOP does the page offer to turn texts back on (a carrier's stop is not the candidate's to
    # lift); the button is described by the words that say what else it takes
    expect(page.locator("#destinations").get_by_role("link")).to_have_count(0)
    buttons = page.locator("#destinations").get_by_role("button")
    if why == "stop":
        expect(buttons).to_have_count(1)
        expect(buttons).to_have_text("Turn texts back on")
        expect(buttons).to_have_accessible_description(destination)
        expect(page.locator("li[data-channel=sms]").get_by_role("button", name="Turn texts back on")).to_be_enabled()
    else:
        expect(buttons).to_have_count(0)


def test_with_texts_the_only_channel_and_stopped_the_headline_says_how_to_get_them_again(
    page: Page, interview: dict[str, Any]
) -> None:
    # Given a text-only interview whose candidate replied STOP, the check-in still to come
    view = with_check_in_to_come(interview["view"], {"sms": "stop"}, channels=["sms"], verified_channels=["sms"])

    # When the candidate opens their page
    show(page, interview, view)

    # Then the headline says no reminder can reach them, and the reply that brings texts back
    expect(page.locator("#state")).to_have_text(
        "No reminder can reach you: you replied STOP, so we stopped texting you. To get texts again, reply START to "
        "our number, then turn them back on below.")
    expect(page.locator("#check_in .status")).to_have_text("Reminder due Fri, Mar 20, 9:00 AM. Not texted: you replied STOP")
    expect(page.locator("#check_in .status")).to_have_class("status status-bad")


def answering_edits(page: Page, interview: dict[str, Any], status: int, body: dict[str, Any],
                    headers: dict[str, str] | None = None) -> list[Any]:
    """The page's edits (PATCH) answered with ``status`` and ``body``, its reads left to ``show``'s route: the
    requests the page made."""
    edits: list[Any] = []

    def answer(route: Route) -> None:
        if route.request.method != "PATCH":
            route.fallback()
            return
        edits.append(route.request)
        route.fulfill(status=status, json=body, headers=headers or {})

    page.route(f"**/interviews/{interview['id']}", answer)
    return edits


def test_turning_texts_back_on_after_a_stop_shows_the_answer_and_says_so(
    page: Page, interview: dict[str, Any]
) -> None:
    # Given a text-only interview whose candidate replied STOP, whose edit answers the view with the STOP lifted
    stopped = with_check_in_to_come(interview["view"], {"sms": "stop"}, channels=["sms"], verified_channels=["sms"])
    lifted = with_check_in_to_come(interview["view"], {}, channels=["sms"], verified_channels=["sms"])
    show(page, interview, stopped)
    edits = answering_edits(page, interview, 200, lifted)

    # When they turn texts back on from their page
    page.get_by_role("button", name="Turn texts back on").click()

    # Then the page sent the edit that gives consent again, with the page's token, and nothing else
    status = page.locator("#destinations-status")
    expect(status).to_have_text("Texts are back on: the reminders still to come are texted to (•••) •••-0190. If you "
                                "have not replied START to our number yet, do it now, or your carrier keeps our texts "
                                "from you.")
    [edit] = edits
    assert edit.post_data_json == {"sms_consent": True}
    assert edit.headers["authorization"] == f"Bearer {interview['link'].split('token=')[1]}"

    # And the page shows the answer: the number confirmed, the check-in texted, the headline running; the status that
    # says so has the focus (the button is gone), and the words of the STOP are gone
    expect(status).to_be_focused()
    expect(page.locator("#destination-sms")).to_have_text("Confirmed: (•••) •••-0190")
    expect(page.get_by_role("button", name="Turn texts back on")).to_have_count(0)
    expect(page.locator("#check_in .status")).to_have_text("Reminder due Fri, Mar 20, 9:00 AM")
    expect(page.locator("#state")).to_have_text("Your reminders are running: next, check in: say you are still "
                                                "interested, Fri, Mar 20, 9:00 AM.")


REFUSED = [  # the edit's answer, its Retry-After, what the page says
    (429, {"message": "Too Many Requests"}, "120",
     "Texts are still stopped. Too Many Requests. Try again in about 2 minutes."),
    (409, {"message": "the interview is cancelled; it can no longer be edited"}, None,
     "Texts are still stopped. The interview is cancelled; it can no longer be edited."),
    (422, {"message": "Please check these fields", "errors": [
        {"field": "candidate.phone", "message": "we text numbers of the United States and Canada only"}]}, None,
     "Texts are still stopped. We text numbers of the United States and Canada only."),
]


@pytest.mark.parametrize(("status", "body", "wait", "words"), REFUSED, ids=[str(c[0]) for c in REFUSED])
def test_turning_texts_back_on_refused_says_why_in_plain_words(
    page: Page, interview: dict[str, Any], status: int, body: dict[str, Any], wait: str | None, words: str
) -> None:
    # Given a candidate who replied STOP, whose edit is refused (throttled with its wait, cancelled, a field)
    stopped = with_check_in_to_come(interview["view"], {"sms": "stop"}, verified_channels=["email", "sms"])
    show(page, interview, stopped)
    answering_edits(page, interview, status, body, {"Retry-After": wait} if wait else None)

    # When they turn texts back on
    page.get_by_role("button", name="Turn texts back on").click()

    # Then the status says it in plain words, with the wait of a throttle, and takes the focus
    status_line = page.locator("#destinations-status")
    expect(status_line).to_have_text(words)
    expect(status_line).to_be_focused()

    # And the page still says texts are stopped, and still offers to turn them back on
    expect(page.locator("#destination-sms")).to_have_text(AFTER_STOP)
    expect(page.get_by_role("button", name="Turn texts back on")).to_be_enabled()


# ---- the firm's page: the recruiter's list and detail --------------------------------------------------------------

# What the recruiter reads of the check-in, for each thing that came back of its text.
RECRUITER_WORDS = [  # the check-in's changes, the words, whether they stand out as trouble
    ({"deliveries": {"sms": delivered()}}, "Check-in: Sent. Text delivered Mar 20, 2026, 9:02 AM", False),
    ({"deliveries": {"sms": failed("blocked")}}, "Check-in: Sent. Text failed: carrier blocked it", True),
    ({"deliveries": {"sms": failed("unreachable")}}, "Check-in: Sent. Text failed: the phone could not be reached", True),
    ({"deliveries": {"sms": failed("opted_out")}}, "Check-in: Sent. Text failed: the number opted out of texts", True),
    ({"deliveries": {"sms": failed("unknown")}}, "Check-in: Sent. Text failed", True),
    ({"deliveries": {"email": delivered(), "sms": skipped("stop")}},
     "Check-in: Sent. Email delivered Mar 20, 2026, 9:02 AM; Text skipped: the candidate replied STOP", False),
    ({"status": "scheduled", "deliveries": {"sms": skipped("stop") | {"at": None}}},
     "Check-in: Scheduled for Mar 20, 2026, 9:00 AM. Texts stopped: the candidate replied STOP", False),
    ({"status": "scheduled", "deliveries": {"sms": skipped("blocked") | {"at": None}}},
     "Check-in: Scheduled for Mar 20, 2026, 9:00 AM. Texts stopped: the carrier blocks texts to the number", False),
    ({"status": "scheduled", "deliveries": {"sms": skipped("unreachable") | {"at": None}}},
     "Check-in: Scheduled for Mar 20, 2026, 9:00 AM. Texts stopped: the phone could not be reached", False),
    ({"status": "done", "done_by": "reply", "deliveries": {"sms": delivered()}},
     "Check-in: Done — by the candidate's reply. Text delivered Mar 20, 2026, 9:02 AM", False),
    ({"status": "done", "done_by": None, "deliveries": {"sms": delivered()}},
     "Check-in: Done. Text delivered Mar 20, 2026, 9:02 AM", False),
]


def test_the_recruiter_reads_what_came_back_of_each_text_on_the_list_and_the_interview(
    page: Page, base_url: str, interview: dict[str, Any]
) -> None:
    # Given the firm's list and the interview answered with the check-in as the receipts and replies left it
    firm_view, answer = firm_pages_answering(page, base_url, interview)

    for changes, words, trouble in RECRUITER_WORDS:
        view = with_check_in(firm_view, {})
        next(f for f in view["follow_ups"] if f["step"] == "check_in").update(changes)
        answer(view)

        # When the list is shown again, and the interview opened
        page.get_by_role("button", name="Interviews").click()
        card = page.locator(f"#interviews li.card[data-id='{interview['id']}']")

        # Then both say it in the firm's words, a failed text standing out on the list
        expect(card.locator("li[data-step=check_in]")).to_have_text(words)
        expect(card.locator("li[data-step=check_in] .step-words")).to_have_class(
            "step-words trouble" if trouble else "step-words")
        card.get_by_role("button", name="Ana Lima").click()
        expect(page.locator("#detail-steps li[data-step=check_in] .step-words")).to_have_text(words.split(": ", 1)[1])


HOSTILE = "<img src=x onerror=\"document.title='owned'\"> Thanks! I'll call Monday & bring <b>refs</b>"


def test_the_recruiter_reads_the_candidates_texts_oldest_first_as_sent(
    page: Page, base_url: str, interview: dict[str, Any]
) -> None:
    # Given the interview's texts back, in no order: a DONE to the check-in, a text with markup in it, a START, a
    # HELP, a STOP with no nudge known, and a text whose words were not kept
    firm_view, answer = firm_pages_answering(page, base_url, interview)
    replies = [
        {"at": "2026-03-21T14:00:00+00:00", "step": "check_in", "keyword": "start", "text": None},
        {"at": "2026-03-20T13:05:00+00:00", "step": "check_in", "keyword": "done", "text": None},
        {"at": "2026-03-21T15:30:00+00:00", "step": None, "keyword": None, "text": None},
        {"at": "2026-03-20T16:20:00+00:00", "step": "check_in", "keyword": None, "text": HOSTILE},
        {"at": "2026-03-21T13:00:00+00:00", "step": None, "keyword": "stop", "text": None},
        {"at": "2026-03-21T14:01:00+00:00", "step": "check_in", "keyword": "help", "text": None},
    ]
    answer(firm_view | {"replies": replies})
    page.on("dialog", lambda dialog: dialog.dismiss())

    # When the recruiter opens the interview
    page.locator(f"#interviews li.card[data-id='{interview['id']}']").get_by_role("button", name="Ana Lima").click()

    # Then each text is there, oldest first, with when (in the candidate's zone) and what it said or did
    shown = page.locator("#detail-replies > li")
    expect(shown).to_have_text([
        "Mar 20, 2026, 9:05 AM · about the check-in: DONE — the step is done",
        f"Mar 20, 2026, 12:20 PM · about the check-in: {HOSTILE}",
        "Mar 21, 2026, 9:00 AM: STOP — texts to this number stopped",
        "Mar 21, 2026, 10:00 AM · about the check-in: START — asked for texts again; they stay stopped here",
        "Mar 21, 2026, 10:01 AM · about the check-in: HELP — our number answered with its help text",
        "Mar 21, 2026, 11:30 AM: a text (its words are kept for a recruiter's candidates only)",
    ])
    expect(shown.nth(1).locator("q.reply-text")).to_have_text(HOSTILE)
    expect(shown.nth(0).locator("time")).to_have_attribute("datetime", "2026-03-20T13:05:00+00:00")
    expect(page.locator("#replies-empty")).to_be_hidden()

    # And the text's markup stayed text: no element of it was made, nothing of it ran
    expect(page.locator("#detail-replies img, #detail-replies b")).to_have_count(0)
    assert page.title() != "owned"


def test_an_interview_without_texts_back_says_so(page: Page, base_url: str, interview: dict[str, Any]) -> None:
    # Given an interview the candidate never texted back
    firm_view, answer = firm_pages_answering(page, base_url, interview)
    answer(firm_view | {"replies": []})

    # When the recruiter opens it
    page.locator(f"#interviews li.card[data-id='{interview['id']}']").get_by_role("button", name="Ana Lima").click()

    # Then the replies' place says none came
    expect(page.locator("#replies-empty")).to_have_text("The candidate has not texted back.")
    expect(page.locator("#replies-empty")).to_be_visible()
    expect(page.locator("#detail-replies > li")).to_have_count(0)
