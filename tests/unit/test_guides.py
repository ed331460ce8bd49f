"""The guide each follow-up carries in the view, and how the interview reads in the candidate's locale.

One source: the drafts the page shows are the drafts the nudges carry (``followup.domain.drafts``).
"""

from __future__ import annotations

import pytest

from followup.api.views import interview_view as to_view
from followup.domain.messages import context_of, render
from followup.domain.models import Candidate, Decision, FollowUp, Interview, Interviewer, Person, Recruiter
from followup.runtime.config import settings_from

SETTINGS = settings_from({"TABLE_NAME": "t", "FIRM_NAME": "Acme Staffing", "SENDER_EMAIL": "f@acme.example",
                          "PUBLIC_BASE_URL": "https://followup.example.com"})
BRANDED = settings_from({"TABLE_NAME": "t", "FIRM_NAME": "Acme Staffing", "SENDER_EMAIL": "f@acme.example",
                         "PUBLIC_BASE_URL": "https://followup.example.com", "FIRM_CONTACT_EMAIL": "jobs@acme.example",
                         "FIRM_CONTACT_PHONE": "+1 212 555 0100", "FIRM_WEBSITE": "https://acme.example",
                         "FIRM_LOGO_URL": "https://acme.example/logo.png", "FIRM_BRAND_COLOUR": "#AA3300"})


def interview(*, locale: str | None = None, zone: str = "America/New_York", phone: str | None = "+14155550123",
              preferred_name: str | None = None, at: str = "2026-11-27T14:00:00-05:00", **changes) -> Interview:
    values = dict(
        id="i1", company="Globex", role="Data Analyst",
        interviewer=Interviewer(name="Dana Whitfield", title="Head of Data"), interview_at=at,
        candidate=Candidate(name="Jordan Rivera", preferred_name=preferred_name, phone=phone, time_zone=zone,
                            locale=locale),
        channels=["sms"], sms_consent=True, expected_decision_days=7,
        follow_ups={"thank_you_note": FollowUp(step="thank_you_note", status="scheduled", due_at=at),
                    "check_in": FollowUp(step="check_in", status="scheduled", due_at=at)},
        created_at=at, updated_at=at, status="active",
    )
    values.update(changes)
    return Interview(**values)


def decided(outcome: str, manager: str, supervisor: str | None = None, *, thank_you: str = "cancelled",
            **changes) -> Interview:
    data = interview(**changes)
    data.status = "decided"
    data.decision = Decision(outcome=outcome, hiring_manager=Person(name=manager),
                             supervisor=Person(name=supervisor) if supervisor else None,
                             decided_at="2026-11-30T10:00:00-05:00")
    data.follow_ups["thank_you_note"].status = thank_you
    data.follow_ups["check_in"].status = "cancelled"
    data.follow_ups["decision_thank_you"] = FollowUp(step="decision_thank_you", status="scheduled",
                                                     due_at="2026-12-01T09:00:00-05:00")
    return data


def guide(view, step: str):
    return next(f.guide for f in view.follow_ups if f.step == step)


def drafts(view, step: str) -> dict[str, object]:
    return {d.id: d for d in guide(view, step).drafts}


def spaced(text: str) -> str:
    return " ".join(text.split())  # CLDR puts a narrow no-break space before AM/PM


# --- locales -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "zone", "phone", "at", "day", "time", "zone_label", "phone_shown"),
    [
        pytest.param("en-US", "America/New_York", "+14155550123", "2026-11-27T14:00:00-05:00",
                     "Friday, November 27", "2:00 PM", "New York (UTC−5)", "(415) 555-0123", id="en-US"),
        pytest.param("en-GB", "Europe/London", "+447400123456", "2026-11-27T14:00:00+00:00",
                     "Friday 27 November", "14:00", "London (UTC)", "07400 123456", id="en-GB"),
        pytest.param("en-IN", "Asia/Kolkata", "+919876543210", "2026-11-27T14:00:00+05:30",
                     "Friday, 27 November", "2:00 pm", "Kolkata (UTC+5:30)", "098765 43210", id="en-IN"),
    ],
)
def test_the_interview_reads_in_the_candidates_locale(locale, zone, phone, at, day, time, zone_label, phone_shown):
    view = to_view(interview(locale=locale, zone=zone, phone=phone, at=at), SETTINGS)

    assert view.display.locale == locale
    assert view.display.interview_day == day
    assert spaced(view.display.interview_time) == time
    assert view.display.time_zone == zone_label
    assert view.display.phone == phone_shown
    card = drafts(view, "thank_you_note")["thank_you_note-card"]
    assert f"Thank you for your time on {day} and for the interview" in card.text
    assert f"I interviewed with you on {day} for the Data Analyst position" in drafts(view, "check_in")["check_in-call"].text
    assert f"You can reach me on {phone_shown}." in drafts(view, "check_in")["check_in-voicemail"].text


def test_without_a_locale_the_firms_default_is_used():
    gb = settings_from({"TABLE_NAME": "t", "FIRM_NAME": "Acme", "SENDER_EMAIL": "f@acme.example",
                        "PUBLIC_BASE_URL": "https://followup.example.com", "DEFAULT_LOCALE": "en-GB"})

    assert to_view(interview(), gb).display.interview_day == "Friday 27 November"
    assert to_view(interview(), gb).candidate.locale == "en-GB"
    assert to_view(interview()).candidate.locale == "en-US"


def test_the_email_nudge_dates_follow_the_locale_too():
    for locale, day in (("en-US", "Friday, November 27"), ("en-GB", "Friday 27 November")):
        ctx = context_of(interview(locale=locale), "Acme", "https://x.example/m", "https://x.example/u")
        assert f"Thank you for your time on {day} and" in render("thank_you_note", ctx).text


# --- names -------------------------------------------------------------------------------------


def test_people_are_addressed_by_the_names_they_go_by():
    view = to_view(interview(), SETTINGS)
    check_in = drafts(view, "check_in")

    assert view.candidate.preferred_name == "Jordan"
    assert check_in["check_in-email"].text.startswith("Dear Dana,\n\n")
    assert check_in["check_in-email"].text.endswith("Best regards,\nJordan Rivera")
    assert check_in["check_in-call"].text.startswith("Hello Dana, this is Jordan. ")
    assert drafts(view, "thank_you_note")["thank_you_note-card"].envelope == "Dana Whitfield, Head of Data, Globex"


def test_a_preferred_name_is_how_the_candidate_is_greeted():
    view = to_view(interview(preferred_name="Jo"), SETTINGS)
    ctx = context_of(interview(preferred_name="Jo"), "Acme", "https://x.example/m", "https://x.example/u")

    assert drafts(view, "check_in")["check_in-call"].text.startswith("Hello Dana, this is Jo. ")
    assert render("check_in", ctx).text.startswith("Hi Jo,\n")


# --- the guide ---------------------------------------------------------------------------------


def test_every_step_has_its_drafts_with_stable_ids_and_the_check_in_its_two_donts():
    view = to_view(interview(), SETTINGS)

    assert list(drafts(view, "thank_you_note")) == ["thank_you_note-card"]
    assert [(d.id, d.kind) for d in guide(view, "check_in").drafts] == [
        ("check_in-email", "email"), ("check_in-call", "call"), ("check_in-voicemail", "voicemail")]
    assert drafts(view, "check_in")["check_in-email"].subject == "Following up on the Data Analyst position"
    assert guide(view, "check_in").donts == [
        "Don't ask whether you are still in the running.",
        "Don't ask how the interviews with other candidates are going.",
    ]
    assert guide(view, "thank_you_note").donts == []


def test_the_guide_and_the_email_carry_the_same_drafts():
    data = interview()
    view = to_view(data, SETTINGS)
    email = render("check_in", context_of(data, "Acme Staffing", "https://x.example/m", "https://x.example/u",
                                          settings=SETTINGS)).text

    for draft in guide(view, "check_in").drafts:
        for line in draft.text.split("\n"):
            assert line in email


def test_a_step_that_will_not_go_out_has_no_guide():
    data = interview()
    data.follow_ups["thank_you_note"].status = "skipped"

    assert guide(to_view(data, SETTINGS), "thank_you_note") is None
    assert guide(to_view(data, SETTINGS), "check_in") is not None


def test_the_sms_points_to_its_steps_section_and_stays_one_segment():
    ctx = context_of(interview(), "Acme Staffing", "https://followup.example.com/manage/i1?token=i1.abcdefghijklmnop",
                     "https://followup.example.com/unsubscribe?token=u")

    sms = render("check_in", ctx).sms

    assert sms.endswith("https://followup.example.com/manage/i1?token=i1.abcdefghijklmnop#check_in")
    assert len(sms) <= 160


# --- the decision ------------------------------------------------------------------------------


def test_the_same_manager_and_supervisor_get_one_card():
    view = to_view(decided("offer", "Priya Shah", "priya  shah", thank_you="sent"), SETTINGS)

    assert list(drafts(view, "decision_thank_you")) == ["decision_thank_you-manager"]
    assert guide(view, "decision_thank_you").summary.startswith(
        "Congratulations on the Data Analyst position! Thank-you card goes to Priya Shah: mail it by post.")


def test_the_managers_and_the_supervisors_cards_differ():
    cards = drafts(to_view(decided("offer", "Priya Shah", "Sam Ortiz", thank_you="sent"), SETTINGS),
                   "decision_thank_you")

    assert list(cards) == ["decision_thank_you-manager", "decision_thank_you-supervisor"]
    assert "Thank you for choosing me" in cards["decision_thank_you-manager"].text
    assert "choosing" not in cards["decision_thank_you-supervisor"].text
    assert "working for you" in cards["decision_thank_you-supervisor"].text
    assert cards["decision_thank_you-supervisor"].text.startswith("Dear Sam,\n")


def test_a_decision_before_the_thank_you_card_went_out_thanks_the_interviewer_too():
    view = to_view(decided("offer", "Priya Shah", "Sam Ortiz", thank_you="cancelled"), SETTINGS)
    cards = drafts(view, "decision_thank_you")

    assert list(cards) == ["decision_thank_you-manager", "decision_thank_you-supervisor",
                           "decision_thank_you-interviewer"]
    assert cards["decision_thank_you-interviewer"].text.startswith("Dear Dana,\n\nThank you for your time on Friday, ")
    assert "Thank-you cards go to Priya Shah, Sam Ortiz, and Dana Whitfield:" in guide(view, "decision_thank_you").summary


def test_the_interviewer_who_is_the_manager_gets_one_card_only():
    cards = drafts(to_view(decided("not_selected", "Dana Whitfield", thank_you="cancelled"), SETTINGS),
                   "decision_thank_you")

    assert list(cards) == ["decision_thank_you-manager"]


def test_not_selected_is_kind_and_gives_the_firms_contact_details():
    data = decided("not_selected", "Priya Shah", thank_you="done",
                   recruiter=Recruiter(id="sub-1", name="Alex Morgan", email="alex@acme.example"))
    ctx = context_of(data, "Acme Staffing", "https://x.example/m", "https://x.example/u", settings=BRANDED)
    message = render("decision_thank_you", ctx)
    view = to_view(data, BRANDED)

    assert guide(view, "decision_thank_you").summary.startswith("Thank-you card goes to Priya Shah: thank Priya")
    assert "off the hook" not in message.text
    assert ("Whenever you are ready to look at the next role, Alex Morgan at Acme Staffing would be glad to help: "
            "jobs@acme.example, +1 212 555 0100, https://acme.example.") in message.text
    assert "Good luck,\nAlex Morgan\nAcme Staffing\njobs@acme.example\n+1 212 555 0100\nhttps://acme.example\n" \
        in message.text
    assert '<img src="https://acme.example/logo.png" alt="Acme Staffing"' in message.html
    assert "border-top: 4px solid #aa3300" in message.html


def test_without_contact_details_the_not_selected_message_still_reads_well():
    ctx = context_of(decided("not_selected", "Priya Shah", thank_you="done"), "Acme Staffing", "https://x.example/m",
                     "https://x.example/u", settings=SETTINGS)
    text = render("decision_thank_you", ctx).text

    assert "Acme Staffing would be glad to help.\n" in text
    assert "get in touch" not in text
    assert "<img" not in render("decision_thank_you", ctx).html


@pytest.mark.parametrize(
    ("locale", "day"),
    [
        pytest.param("de-DE", "Friday, 27 November", id="english-as-written-in-germany"),
        pytest.param("ja-JP", "Friday, November 27", id="no-english-of-japan-default"),
    ],
)
def test_the_drafts_are_english_with_the_dates_as_written_in_the_candidates_region(locale, day):
    view = to_view(interview(locale=locale), SETTINGS)

    assert view.candidate.locale == locale
    assert view.display.interview_day == day
    assert f"on {day} and" in drafts(view, "thank_you_note")["thank_you_note-card"].text
