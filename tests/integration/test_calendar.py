"""The check-in as an .ics file: read back with icalendar, it is one event at the check-in's due time in the
candidate's zone, with what to do and nothing private."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.integration.harness import call_api, sample_submission, submit_confirmed


def ics_of(interview_id: str, token: str):
    return call_api("GET", f"/interviews/{interview_id}/check-in.ics", token=token)


def test_the_check_in_calendar_is_one_event_at_its_due_time_in_the_candidates_zone(aws_env):
    done = submit_confirmed(sample_submission())
    check_in = next(f for f in done["view"]["follow_ups"] if f["step"] == "check_in")

    answer = ics_of(done["id"], done["manage_token"])

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in answer.headers["Content-Disposition"]
    calendar = Calendar.from_ical(answer.text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert start == datetime.fromisoformat(check_in["due_at"])
    assert start.tzinfo.key == "America/New_York"  # a wall time in the candidate's zone, not UTC
    assert (start.hour, start.minute) == (9, 0)
    assert events[0].decoded("dtend") - start == timedelta(minutes=30)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    summary = str(events[0]["summary"])
    assert "Globex" in summary or done["view"]["company"] in summary


def test_the_calendar_event_says_what_to_do_and_holds_no_contact_details_or_token(aws_env):
    body = sample_submission()
    done = submit_confirmed(body)

    text = ics_of(done["id"], done["manage_token"]).text
    description = str(Calendar.from_ical(text).walk("VEVENT")[0]["description"])

    assert "still interested" in description
    assert "Don't ask whether you are still in the running" in description
    for private in (body["candidate"]["email"], body["candidate"]["phone"], body["candidate"]["name"],
                    done["manage_token"], done["manage_token"].split(".")[1]):
        assert private not in text.replace("\r\n ", "")  # unfolded lines


def test_the_calendar_needs_the_token_and_a_wrong_one_is_404(aws_env):
    done = submit_confirmed(sample_submission())

    missing = call_api("GET", f"/interviews/{done['id']}/check-in.ics")
    wrong = ics_of(done["id"], done["id"] + ".wrong")

    assert missing.status == 401
    assert wrong.status == 404


def test_a_decided_interview_has_no_check_in_to_add_409(aws_env):
    done = submit_confirmed(sample_submission())
    decided = call_api("POST", f"/interviews/{done['id']}/decision", token=done["manage_token"],
                       body={"outcome": "not_selected"})
    assert decided.status == 200

    answer = ics_of(done["id"], done["manage_token"])

    assert answer.status == 409
    assert "check-in" in answer.json()["message"]


def test_the_event_is_in_the_zone_of_a_candidate_elsewhere(aws_env):
    body = sample_submission()
    body["candidate"]["time_zone"] = "Asia/Kolkata"
    body["channels"], body["sms_consent"] = ["email"], False
    body["candidate"].pop("phone", None)
    done = submit_confirmed(body)

    start = Calendar.from_ical(ics_of(done["id"], done["manage_token"]).text).walk("VEVENT")[0].decoded("dtstart")

    assert start.tzinfo.key == "Asia/Kolkata"
    assert start.utcoffset() == ZoneInfo("Asia/Kolkata").utcoffset(start.replace(tzinfo=None))
    assert (start.hour, start.minute) == (9, 0)
