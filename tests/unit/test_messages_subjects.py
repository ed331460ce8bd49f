"""What a nudge's subject carries of the submitted values."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest

from followup.domain.messages import render, render_confirmation
from followup.domain.models import Candidate, Decision, Interview, Interviewer, Person, Recruiter
from followup.usecases.alerts import decision_alert
from tests.unit.builders import SETTINGS
from tests.unit.message_parts import (
    LONG_NAME,
    TYPICAL,
)

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
