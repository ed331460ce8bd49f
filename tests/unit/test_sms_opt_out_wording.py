"""The first text a number gets from an interview ends with the firm's name and "Reply STOP to opt out", as
US carriers expect (CTIA, 10DLC): every confirmation SMS, and the interview's first SMS nudge. It stays one
GSM-7 segment beside the 85-character link the message tests measure with, by shortening the wording and
then the firm's name, never the link or the opt-out line. A later nudge starts with the firm's name instead
and leaves its room to the names (no opt-out line)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.layout import MIN_SMS_FIRM, SMS_FIRM_CAP
from followup.domain.messages import render, render_confirmation
from followup.domain.models import STEPS
from followup.domain.sms import plain_text, septets, sms_segments
from tests.unit.builders import World
from tests.unit.message_parts import LONG_NAME, MANAGE_URL, NOT_SELECTED, OFFER, TYPICAL

THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS
STOP = "Reply STOP to opt out"
LONG_FIRM = "Hohenzollern-Sigmaringen Executive Search & Staffing Partners International"
LONG_COMPANY = "International Consolidated Business Machines and Data Processing Corporation of Armonk"
LONG_ROLE = "Principal Staff Software Engineer, Distributed Storage Systems Infrastructure and Reliability"


def confirmation(ctx) -> str:
    return render_confirmation(ctx).sms


def first_nudge(step: str):
    return lambda ctx: render(step, ctx, first_sms=True).sms


FIRST_TEXTS = [
    pytest.param(confirmation, TYPICAL, MANAGE_URL, id="confirmation"),
    pytest.param(first_nudge(THANK_YOU_NOTE), TYPICAL, f"{MANAGE_URL}#thank_you_note", id="thank_you_note"),
    pytest.param(first_nudge(CHECK_IN), TYPICAL, f"{MANAGE_URL}#check_in", id="check_in"),
    pytest.param(first_nudge(DECISION_THANK_YOU), OFFER, f"{MANAGE_URL}#decision_thank_you", id="offer"),
    pytest.param(first_nudge(DECISION_THANK_YOU), NOT_SELECTED, f"{MANAGE_URL}#decision_thank_you", id="not_selected"),
]
HARD_NAMES = {
    "long_firm": dict(firm_name=LONG_FIRM),
    "long_everything": dict(firm_name=LONG_FIRM, company=LONG_COMPANY, role=LONG_ROLE, interviewer_name=LONG_NAME,
                            interviewer_title=LONG_ROLE),
    "long_people": dict(interviewer_name=LONG_NAME, candidate_name=LONG_NAME),
    "non_latin_names": dict(company="株式会社グローベックス", role="データアナリスト", interviewer_name="王芳",
                            candidate_name="Ζωή Παπαδοπούλου"),
    "non_gsm_firm": dict(firm_name="Zoë Łukasz Staffing – Kraków"),
    "non_latin_firm": dict(firm_name="株式会社リクルート", interviewer_name="王芳"),
}


def firm_at_the_end(sms: str, link: str) -> str:
    """The firm's name as the text ends with it: between the link and the opt-out line."""
    after_link = sms.split(f" {link} - ", 1)[1]
    assert after_link.endswith(f" {STOP}"), sms
    firm = after_link.removesuffix(f" {STOP}")
    return firm if firm.endswith("...") else firm.removesuffix(".")


# --- the wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ctx", "expected"),
    [
        pytest.param(confirmation, TYPICAL, f"Confirm reminders (or ignore): {MANAGE_URL}", id="confirmation"),
        pytest.param(first_nudge(THANK_YOU_NOTE), TYPICAL, f"Mail a card: {MANAGE_URL}#thank_you_note",
                     id="thank_you_note"),
        pytest.param(first_nudge(CHECK_IN), TYPICAL, f"Time to check in: {MANAGE_URL}#check_in", id="check_in"),
        pytest.param(first_nudge(DECISION_THANK_YOU), OFFER, f"Mail cards: {MANAGE_URL}#decision_thank_you",
                     id="offer"),
        pytest.param(first_nudge(DECISION_THANK_YOU), NOT_SELECTED, f"Mail a card: {MANAGE_URL}#decision_thank_you",
                     id="not_selected"),
    ],
)
def test_the_first_text_ends_with_the_firm_and_the_opt_out_line_in_one_segment(text, ctx, expected):
    # Given / When
    sms = text(ctx)

    # Then
    assert sms == f"{expected} - Acme Staffing. Reply STOP to opt out"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_short_names_leave_room_for_the_named_wording_beside_the_opt_out_line():
    # Given
    ctx = replace(TYPICAL, firm_name="Acme", interviewer_name="Jo")

    # When
    sms = render(THANK_YOU_NOTE, ctx, first_sms=True).sms

    # Then
    assert sms == f"Mail Jo a thank-you card: {MANAGE_URL}#thank_you_note - Acme. Reply STOP to opt out"
    assert sms_segments(sms) == ("GSM-7", 1)


@pytest.mark.parametrize("names", list(HARD_NAMES.values()), ids=list(HARD_NAMES))
@pytest.mark.parametrize(("text", "ctx", "link"), FIRST_TEXTS)
def test_every_first_text_keeps_its_link_and_the_opt_out_line_in_one_gsm7_segment(text, ctx, link, names):
    # Given long or non-Latin names
    hard = replace(ctx, **names)

    # When
    sms = text(hard)

    # Then it ends with a name of the firm and the opt-out line, the link whole, in one GSM-7 segment
    firm = firm_at_the_end(sms, link)
    assert sms.endswith(STOP)
    assert sms_segments(sms) == ("GSM-7", 1)
    assert septets(firm) >= MIN_SMS_FIRM or firm == (plain_text(hard.firm_name) or "Interview follow-up")
    assert (plain_text(hard.firm_name) or "Interview follow-up").startswith(firm.removesuffix("..."))


def test_the_firms_name_at_the_end_is_plain_gsm7():
    # Given
    ctx = replace(TYPICAL, firm_name="Zoë Łukasz – Kraków")

    # When
    sms = render_confirmation(ctx).sms

    # Then
    assert sms.endswith(" - Zoe Lukasz - Krakow. Reply STOP to opt out")


def test_a_long_firm_name_is_capped_even_where_the_link_leaves_room_for_it():
    # Given a short link, and a firm's name twice the cap
    ctx = replace(TYPICAL, firm_name=LONG_FIRM, manage_url="https://x.example/m/1?t=2")

    # When
    sms = render_confirmation(ctx).sms

    # Then
    firm = firm_at_the_end(sms, "https://x.example/m/1?t=2")
    assert firm == "Hohenzollern-Sigmaringen..."
    assert septets(firm) <= SMS_FIRM_CAP < len(LONG_FIRM)


def test_a_long_firm_name_is_shortened_rather_than_the_link_or_the_opt_out_line():
    # Given
    ctx = replace(TYPICAL, firm_name="Smith & Jones Staffing Partners")

    # When
    sms = render(THANK_YOU_NOTE, ctx, first_sms=True).sms

    # Then
    assert sms == f"Mail a card: {MANAGE_URL}#thank_you_note - Smith & Jones... Reply STOP to opt out"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_a_link_too_long_to_leave_room_keeps_the_whole_firm_and_the_opt_out_line_in_more_parts():
    # Given
    manage_url = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=" + "A" * 80
    ctx = replace(TYPICAL, manage_url=manage_url)

    # When
    sms = render(THANK_YOU_NOTE, ctx, first_sms=True).sms

    # Then
    assert sms == f"Mail a card: {manage_url}#thank_you_note - Acme Staffing. Reply STOP to opt out"
    assert sms_segments(sms) == ("GSM-7", 2)


@pytest.mark.parametrize(
    ("step", "ctx"),
    [pytest.param(THANK_YOU_NOTE, TYPICAL, id="thank_you_note"), pytest.param(CHECK_IN, TYPICAL, id="check_in"),
     pytest.param(DECISION_THANK_YOU, OFFER, id="offer"), pytest.param(DECISION_THANK_YOU, NOT_SELECTED, id="not_selected")],
)
def test_a_later_nudge_starts_with_the_firm_and_leaves_the_opt_out_line_to_the_first(step, ctx):
    # Given / When
    later = render(step, ctx).sms
    first = render(step, ctx, first_sms=True).sms

    # Then
    assert later.startswith("Acme Staffing: ") and STOP not in later
    assert first.endswith(f" - Acme Staffing. {STOP}")
    assert sms_segments(later) == sms_segments(first) == ("GSM-7", 1)


def test_only_the_sms_changes_with_the_first_text():
    # Given / When
    later, first = render(CHECK_IN, TYPICAL), render(CHECK_IN, TYPICAL, first_sms=True)

    # Then
    assert (first.subject, first.text, first.html) == (later.subject, later.text, later.html)
    assert first.sms != later.sms


# --- through the service and the delivery ----------------------------------------------------------


@pytest.fixture
def world() -> World:
    return World()


def test_the_confirmation_text_a_submission_sends_ends_with_the_opt_out_line(world):
    # Given / When
    world.submit()

    # Then
    [(phone, text)] = world.senders.sms
    assert phone == "+14155550123" and text.endswith(" - Acme Staffing. Reply STOP to opt out")
    assert sms_segments(text)[0] == "GSM-7"


def test_the_first_sms_nudge_carries_the_opt_out_line_and_the_next_one_does_not(world):
    # Given a confirmed interview
    created = world.submit_confirmed()

    # When the thank-you note goes out, then the check-in
    world.clock.advance(days=2, hours=19)
    world.deliver(created["id"], THANK_YOU_NOTE)
    world.clock.advance(days=10)
    world.deliver(created["id"], CHECK_IN)

    # Then only the first text ends with the firm and the opt-out line; the emails are as ever
    first, second = (text for _, text in world.senders.sms)
    assert first.endswith(f"#thank_you_note - Acme Staffing. {STOP}")
    assert second.startswith("Acme Staffing: ") and second.endswith("#check_in") and STOP not in second
    assert all(STOP not in email.text for email in world.senders.emails)


def test_a_nudge_after_one_whose_sms_did_not_go_out_is_the_first_text(world):
    # Given a thank-you note whose SMS was skipped: the number had opted out then
    created = world.submit_confirmed()
    world.senders.opted_out.add("+14155550123")
    world.clock.advance(days=2, hours=19)
    world.deliver(created["id"], THANK_YOU_NOTE)

    # When the number opts back in and the check-in goes out
    world.senders.opted_out.clear()
    world.clock.advance(days=10)
    world.deliver(created["id"], CHECK_IN)

    # Then the check-in is the first nudge that texted the number: it ends with the opt-out line
    assert world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE].deliveries["sms"].status == "skipped"
    [(_, text)] = world.senders.sms
    assert text.endswith(f"#check_in - Acme Staffing. {STOP}")


def test_a_nudge_after_an_sms_whose_answer_was_lost_carries_the_opt_out_line_again(world):
    # Given a thank-you SMS that may have gone (its answer was lost: recorded sent, unconfirmed)
    created = world.submit_confirmed()
    world.senders.lost_answers.add("sms")
    world.clock.advance(days=2, hours=19)
    world.deliver(created["id"], THANK_YOU_NOTE)

    # When the check-in goes out
    world.clock.advance(days=10)
    world.deliver(created["id"], CHECK_IN)

    # Then it says how to opt out again: the first may never have arrived
    delivery = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE].deliveries["sms"]
    assert (delivery.status, delivery.reason) == ("sent", "unconfirmed")
    assert [text.endswith(f" - Acme Staffing. {STOP}") for _, text in world.senders.sms] == [True, True]
