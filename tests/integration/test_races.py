"""Write races: every write replaces the item under a revision check, and a lost race is retried on a
fresh copy, so neither side's change is lost and no message goes out twice."""

from __future__ import annotations

import json
from datetime import date

from followup.adapters.counters import DynamoCounters
from followup.adapters.store import InterviewStore
from followup.domain.counts import Counts
from followup.domain.models import Interview
from local import handlers
from tests.conftest import load_event
from tests.integration.harness import call_api, clear_outbox, emails, sms, submit_confirmed

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def interleave_once(monkeypatch, other_write):
    """Make the next replace lose a race: another writer changes the item just before it."""
    original = InterviewStore.replace
    state = {"raced": False}

    def racing_replace(self: InterviewStore, interview: Interview, counts: Counts | None = None,
                       sms_sent: tuple = (), **carried: object) -> Interview:
        if not state["raced"]:
            state["raced"] = True
            fresh = self.load(interview.id)
            assert fresh is not None
            other_write(fresh)
            original(self, fresh)
        return original(self, interview, counts, sms_sent, **carried)

    monkeypatch.setattr(InterviewStore, "replace", racing_replace)
    return state


def test_an_edit_that_loses_a_race_is_applied_again_on_the_fresh_copy(aws_env, monkeypatch):
    created = submit_confirmed(SUBMISSION)
    clear_outbox()

    def other_writer(interview: Interview) -> None:
        interview.company = "Globex (renamed by the other writer)"

    state = interleave_once(monkeypatch, other_writer)
    answer = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"role": "Lead Data Analyst"})

    assert state["raced"] and answer.status == 200
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert (view["company"], view["role"]) == ("Globex (renamed by the other writer)", "Lead Data Analyst")


def test_a_delivery_whose_record_loses_a_race_keeps_both_changes_and_sends_once(aws_env, fake_clock, monkeypatch):
    created = submit_confirmed(SUBMISSION)
    clear_outbox()
    fake_clock.advance(days=2, hours=19)
    writes = {"n": 0}
    original = InterviewStore.replace

    def race_on_the_channel_record(self: InterviewStore, interview: Interview, counts: Counts | None = None,
                                   sms_sent: tuple = (), **carried: object) -> Interview:
        writes["n"] += 1
        if writes["n"] == 2:  # 1: the claim; 2: recording the email before the SMS
            fresh = self.load(interview.id)
            assert fresh is not None
            fresh.role = "Senior Data Analyst II"  # the candidate edits the role meanwhile
            original(self, fresh)
        return original(self, interview, counts, sms_sent, **carried)

    monkeypatch.setattr(InterviewStore, "replace", race_on_the_channel_record)
    result = handlers.invoke("thank_you_note", {"interview_id": created["id"], "step": "thank_you_note", "version": 1})

    assert result == {"result": "sent", "channels": {"email": "sent", "sms": "sent"}}
    assert len(emails()) == 1 and len(sms()) == 1
    view = call_api("GET", f"/interviews/{created['id']}", token=created["manage_token"]).json()
    assert view["role"] == "Senior Data Analyst II"
    assert view["follow_ups"][0]["status"] == "sent"
    # and the report counted each channel once, though the email's record was written twice (the lost race)
    counted = DynamoCounters(aws_env.table_name).read(date(2026, 1, 1), date(2026, 12, 31))
    assert {m: n for m, n in counted.items() if m.startswith("nudge_")} == {
        "nudge_sent#thank_you_note#email": 1, "nudge_sent#thank_you_note#sms": 1}
