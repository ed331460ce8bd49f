"""What each follow-up nudge says: email text and HTML, SMS, and SMS segment counting."""

import html
from dataclasses import replace
from datetime import date

import pytest

from followup.alerts import decision_alert
from followup.messages import MessageContext, render, render_confirmation
from followup.models import Candidate, Decision, Interview, Interviewer, Person, Recruiter
from followup.sms import is_gsm7, sms_segments
from tests.unit.builders import SETTINGS

MANAGE_URL = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=AbCdEfGhIjKlMnOpQrStUvWxYz"
UNSUBSCRIBE_URL = "https://followup.example.com/unsubscribe?token=ZyXwVuTsRqPoNmLkJiHgFeDc"
LONG_NAME = "Maximilian-Alexander Łukasz von Hohenzollern-Sigmaringen"
EVIL = "<script>alert(1)</script> & Co"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"

TYPICAL = MessageContext(
    firm_name="Acme Staffing",
    candidate_name="Jordan Lee",
    company="Globex Corporation",
    role="Senior Data Analyst",
    interviewer_name="Dana Whitfield",
    interviewer_title="Head of Analytics",
    interview_date=date(2026, 3, 3),
    manage_url=MANAGE_URL,
    unsubscribe_url=UNSUBSCRIBE_URL,
)
OFFER = replace(TYPICAL, outcome="offer", hiring_manager_name="Priya Raman", supervisor_name="Sam Ortiz")
NOT_SELECTED = replace(TYPICAL, outcome="not_selected", hiring_manager_name="Priya Raman")

EVERY_EMAIL = [
    pytest.param("thank_you_note", TYPICAL, id="thank_you_note"),
    pytest.param("check_in", TYPICAL, id="check_in"),
    pytest.param("decision_thank_you", OFFER, id="offer"),
    pytest.param("decision_thank_you", NOT_SELECTED, id="not_selected"),
]


def _draft_region(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


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


# --- SMS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "ctx", "expected"),
    [
        pytest.param(
            "thank_you_note",
            TYPICAL,
            f"Acme Staffing: Mail Dana Whitfield a thank-you card: {MANAGE_URL}#thank_you_note",
            id="thank_you_note",
        ),
        pytest.param(
            "check_in",
            TYPICAL,
            f"Acme Staffing: Tell Dana Whitfield you're still keen: {MANAGE_URL}#check_in",
            id="check_in",
        ),
        pytest.param(
            "decision_thank_you",
            OFFER,
            f"Acme Staffing: Mail cards to Priya Raman and Sam Ortiz: {MANAGE_URL}#decision_thank_you",
            id="offer",
        ),
        pytest.param(
            "decision_thank_you",
            NOT_SELECTED,
            f"Acme Staffing: Still mail Priya Raman a card: {MANAGE_URL}#decision_thank_you",
            id="not_selected",
        ),
    ],
)
def test_the_typical_sms_is_one_gsm7_segment_starting_with_the_firm(step, ctx, expected):
    # Given
    assert len(MANAGE_URL) == 85

    # When
    sms = render(step, ctx).sms

    # Then
    assert sms == expected
    assert sms_segments(sms) == ("GSM-7", 1)


def test_short_names_keep_the_optional_parts_of_the_sms():
    # Given
    ctx = replace(TYPICAL, firm_name="Acme", interviewer_name="Jo", company="Initech")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme: Mail Jo a handwritten thank-you card by post. Draft: {MANAGE_URL}#thank_you_note"


@pytest.mark.parametrize(
    ("step", "ctx", "expected"),
    [
        pytest.param(
            "thank_you_note",
            replace(TYPICAL, interviewer_name=LONG_NAME),
            "Acme Staffing: Mail Maximilian-Alexander Lukasz von... ",
            id="thank_you_note",
        ),
        pytest.param(
            "check_in",
            replace(TYPICAL, interviewer_name=LONG_NAME),
            "Acme Staffing: Tell Maximilian-Alexander Lukasz von... ",
            id="check_in",
        ),
        pytest.param(
            "decision_thank_you",
            replace(OFFER, hiring_manager_name=LONG_NAME, supervisor_name="Bartholomew Fitzgerald"),
            "Acme Staffing: Mail cards to Maximilian-Alexander... ",
            id="offer",
        ),
        pytest.param(
            "decision_thank_you",
            replace(NOT_SELECTED, hiring_manager_name=LONG_NAME),
            "Acme Staffing: Still mail Maximilian-Alexander... ",
            id="not_selected",
        ),
    ],
)
def test_long_names_are_truncated_so_the_sms_stays_one_segment_with_the_link_intact(step, ctx, expected):
    # Given / When
    sms = render(step, ctx).sms

    # Then
    assert sms == f"{expected}{MANAGE_URL}#{step}"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_a_long_link_leaving_forty_characters_still_gives_one_segment():
    # Given
    manage_url = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=" + "A" * 45
    ctx = replace(TYPICAL, interviewer_name=LONG_NAME, manage_url=manage_url)

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert len(f"{manage_url}#thank_you_note") == 119
    assert sms == f"Acme Staffing: Mail Maximilian-Alexan... {manage_url}#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_a_link_too_long_to_leave_room_keeps_the_whole_wording_in_two_segments():
    # Given
    manage_url = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=" + "A" * 80
    ctx = replace(TYPICAL, manage_url=manage_url)

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme Staffing: Mail Dana Whitfield a thank-you card: {manage_url}#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 2)


def test_sms_transliterates_names_outside_gsm7_to_plain_ascii():
    # Given
    ctx = replace(TYPICAL, firm_name="Zoë Staffing", interviewer_name="José Łukasz-Ørsted")

    # When
    sms = render("check_in", ctx).sms

    # Then
    assert sms == f"Zoe Staffing: Tell Jose Lukasz-Orsted you're still keen: {MANAGE_URL}#check_in"
    assert is_gsm7(sms)


def test_sms_replaces_curly_quotes_and_dashes_with_plain_ones():
    # Given
    ctx = replace(TYPICAL, firm_name="Acme", interviewer_name="Jo", company="O’Brien–Sons", manage_url="https://x.example/m/1?t=2")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == "Acme: Mail Jo at O'Brien-Sons a handwritten thank-you card by post. Draft: https://x.example/m/1?t=2#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_sms_drops_what_cannot_be_transliterated_and_falls_back_to_a_role_word():
    # Given
    ctx = replace(TYPICAL, interviewer_name="王芳 😀")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme Staffing: Mail your interviewer a thank-you card: {MANAGE_URL}#thank_you_note"
    assert is_gsm7(sms)


# --- segment counting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", ("GSM-7", 0), id="empty"),
        pytest.param("a" * 160, ("GSM-7", 1), id="gsm7-160"),
        pytest.param("a" * 161, ("GSM-7", 2), id="gsm7-161"),
        pytest.param("a" * 306, ("GSM-7", 2), id="gsm7-153x2"),
        pytest.param("a" * 307, ("GSM-7", 3), id="gsm7-153x2+1"),
        pytest.param("a" * 158 + "{", ("GSM-7", 1), id="extended-counts-two-160"),
        pytest.param("a" * 159 + "€", ("GSM-7", 2), id="extended-counts-two-161"),
        pytest.param("a" * 152 + "[" + "a" * 152, ("GSM-7", 3), id="extended-not-split-across-parts"),
        pytest.param("é" * 160, ("GSM-7", 1), id="accented-gsm7-letters"),
        pytest.param("Ł" * 70, ("UCS-2", 1), id="ucs2-70"),
        pytest.param("Ł" * 71, ("UCS-2", 2), id="ucs2-71"),
        pytest.param("Ł" * 134, ("UCS-2", 2), id="ucs2-67x2"),
        pytest.param("Ł" * 135, ("UCS-2", 3), id="ucs2-67x2+1"),
        pytest.param("It’s" + "a" * 66, ("UCS-2", 1), id="one-curly-quote-makes-ucs2"),
        pytest.param("😀" * 35, ("UCS-2", 1), id="emoji-counts-two-units-70"),
        pytest.param("😀" * 36, ("UCS-2", 2), id="emoji-counts-two-units-72"),
    ],
)
def test_sms_segments_counts_encoding_and_parts(text, expected):
    assert sms_segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("José à Ñ", True, id="gsm7-accents"),
        pytest.param("{[~^|\\]}€", True, id="extension-table"),
        pytest.param("Zoë", False, id="e-diaeresis"),
        pytest.param("Łukasz", False, id="l-stroke"),
        pytest.param("it’s", False, id="curly-quote"),
        pytest.param("a – b", False, id="en-dash"),
        pytest.param("`", False, id="backtick"),
    ],
)
def test_is_gsm7_knows_the_gsm7_alphabet(text, expected):
    assert is_gsm7(text) is expected


# --- what a subject carries ------------------------------------------------------------------

PHISHING_ROLE = "offer. ACTION REQUIRED: call Acme HR on +1 (415) 555-0100 today to keep your offer. Ref 88"
LONG_PERSON = "Dana Whitfield-Montgomery-Ashworth, Senior Vice President of Talent Acquisition"


@pytest.mark.parametrize(
    "rendered",
    [
        pytest.param(lambda ctx: render_confirmation(ctx), id="confirmation"),
        pytest.param(lambda ctx: render("thank_you_note", ctx), id="thank_you_note"),
        pytest.param(lambda ctx: render("check_in", ctx), id="check_in"),
        pytest.param(lambda ctx: render("decision_thank_you", replace(ctx, outcome="offer", supervisor_name=LONG_PERSON)),
                     id="offer"),
        pytest.param(lambda ctx: render("decision_thank_you", replace(ctx, outcome="not_selected")), id="not_selected"),
    ],
)
def test_no_submitted_value_writes_more_than_sixty_characters_of_a_subject_and_the_body_keeps_it_whole(rendered):
    # Given a role written as a phishing subject, and names longer than the cap
    ctx = replace(TYPICAL, role=PHISHING_ROLE, company=PHISHING_ROLE, interviewer_name=LONG_PERSON,
                  hiring_manager_name=LONG_PERSON)

    # When
    message = rendered(ctx)

    # Then each value is cut in the subject (and the HTML title), and is whole in the body
    assert PHISHING_ROLE not in message.subject and LONG_PERSON not in message.subject
    assert "today to keep your offer" not in message.subject
    assert f"<title>{html.escape(message.subject)}</title>" in message.html
    assert PHISHING_ROLE in message.text


@pytest.mark.parametrize(
    ("rendered", "expected"),
    [
        pytest.param(lambda ctx: render_confirmation(ctx),
                     "Confirm your follow-up reminders for the offer. ACTION REQUIRED: call Acme HR on +1 (415) "
                     "555-0100\u2026 interview", id="confirmation"),
        pytest.param(lambda ctx: render("check_in", ctx),
                     "Check in with Dana Whitfield about the offer. ACTION REQUIRED: call Acme HR on +1 (415) "
                     "555-0100\u2026 position", id="check_in"),
        pytest.param(lambda ctx: render("decision_thank_you", replace(ctx, outcome="offer")),
                     "Congratulations on the offer. ACTION REQUIRED: call Acme HR on +1 (415) 555-0100\u2026 offer: "
                     "a thank-you card to mail", id="offer"),
    ],
)
def test_a_long_role_is_cut_at_a_word_with_an_ellipsis_in_every_subject_that_names_it(rendered, expected):
    # Given / When
    message = rendered(replace(TYPICAL, role=PHISHING_ROLE))

    # Then
    assert message.subject == expected
    assert PHISHING_ROLE in message.text


def test_a_name_or_role_within_sixty_characters_is_kept_whole_in_the_subject():
    # Given sixty characters exactly
    role = "Senior Principal Data Analyst, Revenue Forecasting Platforms"
    assert len(role) == 60

    # When
    message = render("check_in", replace(TYPICAL, role=role, interviewer_name=LONG_NAME))

    # Then
    assert message.subject == f"Check in with {LONG_NAME} about the {role} position"


def test_the_recruiters_decision_alert_caps_the_role_and_company_in_its_subject():
    # Given an enrolled candidate whose role is a phishing line, and who recorded an offer
    interview = Interview(
        id="i1", company=LONG_PERSON, role=PHISHING_ROLE, interviewer=Interviewer(name="Dana Whitfield"),
        interview_at="2026-03-10T14:00:00-04:00",
        candidate=Candidate(name="Jordan Lee", email="jordan@example.com", time_zone="America/New_York"),
        channels=["email"], sms_consent=False, expected_decision_days=7, follow_ups={},
        created_at="2026-03-10T15:00:00-04:00", updated_at="2026-03-10T15:00:00-04:00", status="decided",
        decision=Decision(outcome="offer", hiring_manager=Person(name="Priya Raman"),
                          decided_at="2026-03-14T10:00:00-04:00"),
        recruiter=Recruiter(id="r1", name="Sam Ortiz", email="sam@acme.example"),
    )

    # When
    email = decision_alert(interview, SETTINGS)

    # Then
    assert email.subject == (
        "Jordan Lee: decision for offer. ACTION REQUIRED: call Acme HR on +1 (415) 555-0100\u2026 at "
        "Dana Whitfield-Montgomery-Ashworth, Senior Vice President\u2026"
    )
    assert f"{PHISHING_ROLE} interview at {LONG_PERSON}" in email.text
