"""What each follow-up nudge's email says, text and HTML, per step; the steps it refuses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.messages import render
from tests.unit.message_parts import (
    EVERY_EMAIL,
    EVIL,
    EVIL_ESCAPED,
    MANAGE_URL,
    NOT_SELECTED,
    OFFER,
    TYPICAL,
    UNSUBSCRIBE_URL,
    _draft_region,
)

# --- thank_you_note --------------------------------------------------------------------------


def test_thank_you_note_tells_the_candidate_to_post_a_handwritten_card_within_a_day_or_so():
    # Given / When
    message = render("thank_you_note", TYPICAL)

    # Then
    assert message.subject == "Time to mail a thank-you card to Dana Whitfield"
    assert (
        "write a short thank-you card or letter by hand to Dana Whitfield (Head of Analytics), "
        "and mail it (by post, not email) within the next day or so." in message.text
    )


def test_thank_you_note_drafts_a_card_to_the_interviewer_naming_the_role_and_company():
    # Given / When
    message = render("thank_you_note", TYPICAL)

    # Then
    assert (
        "Draft card for Dana Whitfield:\n\n"
        "    Dear Dana,\n\n"
        "    Thank you for your time on Tuesday, March 3 and for the interview for the Senior Data Analyst "
        "position at Globex Corporation. I enjoyed our conversation and appreciated the chance to learn "
        "more about the role.\n\n"
        "    Kind regards,\n"
        "    Jordan Lee\n" in message.text
    )


def test_thank_you_note_says_to_thank_the_interviewer_for_their_time_and_the_interview():
    # Given / When
    message = render("thank_you_note", TYPICAL)

    # Then
    assert (
        "Keep it simple and to the point. All it needs to do is thank Dana Whitfield for their time "
        "and for the interview." in message.text
    )
    assert "Address the envelope to Dana Whitfield, Head of Analytics, Globex Corporation." in message.text


# --- check_in --------------------------------------------------------------------------------


def test_check_in_says_to_email_or_call_that_you_are_still_interested():
    # Given / When
    message = render("check_in", TYPICAL)

    # Then
    assert message.subject == "Check in with Dana Whitfield about the Senior Data Analyst position"
    assert "a few days past the timeline you were given" in message.text
    assert (
        "send a short email or make a quick call letting Dana Whitfield know that you are still "
        "interested in the job." in message.text
    )


def test_check_in_spells_out_the_two_questions_not_to_ask():
    # Given / When
    message = render("check_in", TYPICAL)

    # Then
    assert (
        "Two things NOT to do:\n\n"
        "- Don't ask whether you are still in the running.\n"
        "- Don't ask how the interviews with other candidates are going." in message.text
    )
    assert (
        "<ul><li>Don&#x27;t ask whether you are still in the running.</li>"
        "<li>Don&#x27;t ask how the interviews with other candidates are going.</li></ul>" in message.html
    )


def test_check_in_includes_a_draft_email_with_a_subject_and_a_call_script():
    # Given / When
    message = render("check_in", TYPICAL)

    # Then
    assert "Draft email to Dana Whitfield:\n\n    Subject: Following up on the Senior Data Analyst position\n" \
        in message.text
    assert "    Dear Dana,\n" in message.text
    assert (
        "Call script for Dana Whitfield:\n\n    Hello Dana, this is Jordan. I interviewed with you on Tuesday, "
        "March 3 for the Senior Data Analyst position. I'm calling to say that I'm still very interested "
        "in the job, and to thank you again for your time." in message.text
    )


def test_check_in_drafts_ask_neither_forbidden_question():
    # Given
    message = render("check_in", TYPICAL)

    # When
    drafts = _draft_region(message.text, "Draft email to", "Manage your follow-ups")

    # Then
    assert "still very interested in the role" in drafts
    assert "running" not in drafts
    assert "other candidates" not in drafts
    assert "?" not in drafts.replace(MANAGE_URL, "")


# --- decision_thank_you ----------------------------------------------------------------------


def test_offer_congratulates_and_names_both_the_hiring_manager_and_the_supervisor():
    # Given / When
    message = render("decision_thank_you", OFFER)

    # Then
    assert message.subject == "Congratulations on the Senior Data Analyst offer: thank-you cards to mail"
    assert message.text.startswith(
        "Congratulations, Jordan! You got the Senior Data Analyst position at Globex Corporation."
    )
    assert "Thank-you cards go to Priya Raman and Sam Ortiz: mail them by post." in message.text


def test_offer_drafts_one_card_for_each_of_the_two_people():
    # Given / When
    message = render("decision_thank_you", OFFER)

    # Then
    manager = _draft_region(message.text, "Draft card for Priya Raman (hiring manager):\n\n    Dear Priya,\n",
                            "Draft card for Sam")
    supervisor = _draft_region(message.text, "Draft card for Sam Ortiz (direct supervisor):\n\n    Dear Sam,\n",
                               "Manage your")
    # The manager chose you; the supervisor is who you will work for.
    assert "Thank you for choosing me for the Senior Data Analyst position" in manager
    assert "choosing" not in supervisor
    assert "joining your team at Globex Corporation" in supervisor and "working for you" in supervisor


def test_offer_without_a_hiring_manager_name_addresses_the_interviewer():
    # Given
    ctx = replace(OFFER, hiring_manager_name=None)

    # When
    message = render("decision_thank_you", ctx)

    # Then
    assert "Draft card for Dana Whitfield (hiring manager):\n\n    Dear Dana,\n" in message.text


def test_offer_without_a_supervisor_name_drafts_the_hiring_managers_card_alone():
    # Given
    ctx = replace(OFFER, supervisor_name=None)

    # When
    message = render("decision_thank_you", ctx)

    # Then
    assert message.text.count("    Dear ") == 1
    assert "Draft card for Priya Raman (hiring manager):\n\n    Dear Priya,\n" in message.text
    assert "Thank-you card goes to Priya Raman: mail it by post." in message.text


def test_offer_when_the_hiring_manager_is_also_the_supervisor_drafts_a_single_card():
    # Given
    ctx = replace(OFFER, supervisor_name="priya raman")

    # When
    message = render("decision_thank_you", ctx)

    # Then
    assert message.subject == "Congratulations on the Senior Data Analyst offer: a thank-you card to mail"
    assert message.text.count("    Dear ") == 1
    assert (
        "Draft card for Priya Raman (hiring manager and direct supervisor):\n\n    Dear Priya,\n"
        in message.text
    )

def test_not_selected_explains_why_a_card_still_matters():
    # Given / When
    message = render("decision_thank_you", NOT_SELECTED)

    # Then
    assert message.subject == "A thank-you card still worth sending to Priya Raman"
    assert (
        "Why it matters: if the person chosen does not work out, Priya Raman will remember you, and you may "
        "get the next call." in message.text
    )
    assert "off the hook" not in message.text


def test_not_selected_drafts_a_card_to_the_hiring_manager_thanking_for_the_opportunity():
    # Given / When
    message = render("decision_thank_you", NOT_SELECTED)

    # Then
    assert (
        "Draft card for Priya Raman (hiring manager):\n\n    Dear Priya,\n\n    Thank you for the opportunity to "
        "interview for the Senior Data Analyst position at Globex Corporation." in message.text
    )


# --- errors ----------------------------------------------------------------------------------


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="unknown follow-up step 'send_flowers'"):
        render("send_flowers", TYPICAL)


def test_a_decision_thank_you_without_an_outcome_is_refused():
    with pytest.raises(ValueError, match="decision_thank_you needs an outcome"):
        render("decision_thank_you", TYPICAL)


def test_a_decision_thank_you_with_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="got 'maybe'"):
        render("decision_thank_you", replace(TYPICAL, outcome="maybe"))


# --- every email -----------------------------------------------------------------------------


@pytest.mark.parametrize(("step", "ctx"), EVERY_EMAIL)
def test_every_text_email_carries_the_manage_link_unsubscribe_line_and_firm_signature(step, ctx):
    # Given / When
    message = render(step, ctx)

    # Then
    assert (
        "Manage your follow-ups (mark a step done, record the decision, or stop the reminders):\n"
        f"{MANAGE_URL}\n" in message.text
    )
    assert "\n\nGood luck,\nAcme Staffing\n\n" in message.text
    assert message.text.endswith(f"Unsubscribe: {UNSUBSCRIBE_URL}\n")


@pytest.mark.parametrize(("step", "ctx"), EVERY_EMAIL)
def test_every_html_email_is_a_document_with_manage_and_unsubscribe_links_and_signature(step, ctx):
    # Given / When
    message = render(step, ctx)

    # Then
    assert message.html.startswith("<!DOCTYPE html>\n<html lang=\"en\">\n")
    assert message.html.endswith("</body>\n</html>\n")
    assert f'<a href="{MANAGE_URL}" style="color: #1a5fb4;">Manage your follow-ups</a>' in message.html
    assert f'<a href="{UNSUBSCRIBE_URL}">Unsubscribe</a>' in message.html
    assert "<p>Good luck,<br>Acme Staffing</p>" in message.html


@pytest.mark.parametrize(("step", "ctx"), EVERY_EMAIL)
def test_html_escapes_every_user_supplied_value(step, ctx):
    # Given
    hostile = replace(
        ctx,
        firm_name=EVIL,
        candidate_name=EVIL,
        company=EVIL,
        role=EVIL,
        interviewer_name=EVIL,
        interviewer_title=EVIL,
        hiring_manager_name=ctx.hiring_manager_name and EVIL,
        supervisor_name=ctx.supervisor_name and EVIL,
    )

    # When
    message = render(step, hostile)

    # Then
    assert "<script>" not in message.html
    assert " & Co" not in message.html
    assert f"<p>Good luck,<br>{EVIL_ESCAPED}</p>" in message.html
    # The people are addressed by the first word of their name: the escaped script tag alone.
    assert "alert(1)" not in message.html.replace(EVIL_ESCAPED, "").replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")


def test_html_escapes_the_ampersand_inside_a_link():
    # Given
    ctx = replace(TYPICAL, manage_url="https://followup.example.com/manage/abc?token=t1&x=1")

    # When
    message = render("thank_you_note", ctx)

    # Then
    assert '<a href="https://followup.example.com/manage/abc?token=t1&amp;x=1" style="color: #1a5fb4;">' in message.html


def test_the_plain_text_email_keeps_names_as_given():
    # Given
    ctx = replace(TYPICAL, interviewer_name="Łukasz Zoë", company=EVIL)

    # When
    message = render("thank_you_note", ctx)

    # Then
    assert message.subject == "Time to mail a thank-you card to Łukasz Zoë"
    assert "    Dear Łukasz,\n" in message.text
    assert "position at <script>alert(1)</script> & Co." in message.text
    assert "<p>Hi Jordan,</p>" in message.html
    assert "Dear Łukasz," in message.html


def test_a_line_break_in_a_name_cannot_break_the_subject():
    # Given
    ctx = replace(TYPICAL, interviewer_name="Dana\r\nBcc: someone@example.com")

    # When
    message = render("thank_you_note", ctx)

    # Then
    assert message.subject == "Time to mail a thank-you card to Dana Bcc: someone@example.com"


