"""The check-in as a calendar event: the ``.ics`` file the candidate's page offers ("Add to calendar").

One timed event at the check-in's due time, in the candidate's own zone (``DTSTART;TZID=...`` with the
zone's ``VTIMEZONE``), built with the ``icalendar`` library. It says what to do and what not to ask, and
holds nothing beyond what the candidate's own page shows: the company, the role and the interviewer's
name; no email address, phone number, token or link (the calendar may be shared or synced elsewhere). Its words
are in the interview's language (``followup.domain.i18n``), as the candidate's messages are.

``icalendar`` is imported inside the function: only this route needs it, never the api's cold start.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup.domain.errors import Conflict
from followup.domain.i18n import language_for, words
from followup.domain.models import Interview

# A check-in the candidate may still put in their calendar: it has not been cancelled, skipped or done.
OPEN_STATUSES = frozenset({"planned", "scheduled", "sending", "sent", "failed"})
EVENT_LENGTH = timedelta(minutes=30)


def check_in_event(interview: Interview, firm_name: str, now: datetime, settings: object | None = None) -> bytes:
    """The ``text/calendar`` body of the check-in's event; ``Conflict`` when there is no check-in to come.

    ``settings``: the firm's (its ``default_locale`` speaks for a candidate whose language the product lacks)."""
    from icalendar import Alarm, Calendar, Event

    follow_up = interview.follow_ups.get("check_in")
    if interview.status == "cancelled" or follow_up is None or follow_up.status not in OPEN_STATUSES:
        raise Conflict("there is no check-in to put in a calendar: it was cancelled, skipped or marked done")
    zone = ZoneInfo(interview.candidate.time_zone)
    start = datetime.fromisoformat(follow_up.due_at).astimezone(zone)
    who, company, role = interview.interviewer.name, interview.company, interview.role
    t = words(language_for(interview, settings))

    event = Event()
    event.add("uid", f"check-in-{interview.id}@interview-follow-up")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", t("Check in with %(company)s about the %(role)s role", company=company, role=role))
    event.add("description", "\n".join((
        t("Send %(name)s a short email, or call, to say you are still interested in the %(role)s role at "
          "%(company)s.", name=who, role=role, company=company),
        t("Don't ask whether you are still in the running."),
        t("Don't ask about the other candidates."),
        t("The draft email and the call script are on your follow-ups page."),
    )))
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", t("Check in with %(company)s", company=company))
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", f"-//{firm_name}//Interview Follow-Up//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
