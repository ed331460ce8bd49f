"""The check-in's calendar event, built from an interview alone (no AWS): its time, its zone, its refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from followup.api.ics import check_in_event
from followup.domain.errors import Conflict
from followup.domain.models import Candidate, FollowUp, Interview, Interviewer

NOW = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


def interview(status: str = "active", check_in: str = "scheduled", zone: str = "Europe/London",
              locale: str | None = None) -> Interview:
    return Interview(
        id="abc123", status=status, company="Initech", role="Engineer",
        interviewer=Interviewer(name="Bill Lumbergh"), interview_at="2026-03-10T11:00:00+00:00",
        candidate=Candidate(name="Ana Lima", email="ana@example.com", phone="+447700900123", time_zone=zone,
                            locale=locale),
        channels=["email"], sms_consent=False, expected_decision_days=7,
        follow_ups={"check_in": FollowUp(step="check_in", status=check_in, due_at="2026-03-20T09:00:00+00:00")},
        created_at=NOW.isoformat(), updated_at=NOW.isoformat(),
    )


def test_the_event_starts_at_the_check_ins_due_time_as_a_wall_time_of_the_candidates_zone():
    [event] = Calendar.from_ical(check_in_event(interview(zone="Asia/Tokyo"), "Acme", NOW)).walk("VEVENT")

    start = event.decoded("dtstart")
    assert start == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert (start.tzinfo.key, start.hour) == ("Asia/Tokyo", 18)
    assert str(event["summary"]) == "Check in with Initech about the Engineer role"
    assert "Bill Lumbergh" in str(event["description"])


def test_the_event_holds_none_of_the_candidates_contact_details():
    text = check_in_event(interview(), "Acme", NOW).decode()

    for private in ("Ana Lima", "ana@example.com", "+447700900123", "7700"):
        assert private not in text


@pytest.mark.parametrize(("status", "check_in"), [("active", "cancelled"), ("active", "skipped"), ("active", "done"),
                                                  ("cancelled", "scheduled")])
def test_a_check_in_that_will_not_come_has_no_event(status, check_in):
    with pytest.raises(Conflict):
        check_in_event(interview(status=status, check_in=check_in), "Acme", NOW)


def test_a_spanish_speakers_event_is_in_spanish():
    # Given / When
    [event] = Calendar.from_ical(check_in_event(interview(locale="es-US"), "Acme", NOW)).walk("VEVENT")

    # Then its summary, description and alarm speak Spanish
    assert str(event["summary"]) == "Seguimiento con Initech: puesto de Engineer"
    assert str(event["description"]).splitlines() == [
        "Envíe a Bill Lumbergh un correo electrónico breve, o llame, para decirle que el puesto de Engineer en "
        "Initech le sigue interesando.",
        "No pregunte si todavía tiene posibilidades.",
        "No pregunte por los otros candidatos.",
        "El borrador del correo y el guion para la llamada están en su página de seguimiento.",
    ]
    [alarm] = event.walk("VALARM")
    assert str(alarm["description"]) == "Seguimiento con Initech"


def test_a_language_the_product_lacks_speaks_the_firms_default():
    # Given a French speaker and a firm whose default is Spanish
    class Settings:
        default_locale = "es-MX"

    # When
    [event] = Calendar.from_ical(check_in_event(interview(locale="fr-FR"), "Acme", NOW, Settings())).walk("VEVENT")

    # Then
    assert str(event["summary"]) == "Seguimiento con Initech: puesto de Engineer"
