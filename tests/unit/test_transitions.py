"""The use cases as pure transitions: an interview, a command and `now` in; the new interview and the
schedule changes out. No store, no scheduler, no moto: every expected moment is worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from followup.api.commands import EditInterview, RecordDecision, SubmitInterview
from followup.domain import field_rules, transitions
from followup.domain.errors import AlreadyDecided, Conflict, InvalidFields
from followup.domain.models import STEPS, Interview, Person
from followup.domain.transitions import ScheduleChanges
from tests.unit.builders import INTERVIEW_DAY, SETTINGS, SUBMISSION

NUDGE_HOUR = SETTINGS.nudge_hour
THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS


def awaiting(command: SubmitInterview = SUBMISSION, now: datetime = INTERVIEW_DAY) -> Interview:
    return transitions.submit(command, interview_id="abc123def456", tokens=[], idempotency_key_hash=None,
                              now=now, nudge_hour=NUDGE_HOUR).interview


def submitted(command: SubmitInterview = SUBMISSION, now: datetime = INTERVIEW_DAY) -> transitions.Transition:
    """Submitted and confirmed by email at ``now``: the follow-ups are planned and scheduled then."""
    return transitions.confirm(awaiting(command, now), "email", now=now, nudge_hour=NUDGE_HOUR)


def interview() -> Interview:
    return submitted().interview


def edited(given: dict, now: datetime = INTERVIEW_DAY, base: Interview | None = None) -> transitions.Transition:
    command = EditInterview(given=frozenset(given), **given)
    return transitions.edit(base or interview(), command, now=now, nudge_hour=NUDGE_HOUR)


def due(view: Interview) -> dict[str, tuple[str, str, int]]:
    return {step: (f.status, f.due_at, f.version) for step, f in view.follow_ups.items()}


# ---- submit ---------------------------------------------------------------------------------------

def test_a_submission_plans_both_nudges_at_the_nudge_hour_and_schedules_them_before_the_write():
    new, schedules = submitted()

    assert due(new) == {
        THANK_YOU_NOTE: ("scheduled", "2026-03-12T09:00:00-04:00", 1),
        CHECK_IN: ("scheduled", "2026-03-20T09:00:00-04:00", 1),
    }
    assert schedules == ScheduleChanges(create_before_write=[THANK_YOU_NOTE, CHECK_IN])
    assert new.interview_at == "2026-03-10T14:00:00-04:00"
    assert new.created_at == new.updated_at == "2026-03-10T15:00:00-04:00"


def test_a_submission_keeps_the_data_until_90_days_after_its_last_nudge():
    new, _ = submitted()

    assert new.expires_at == int((datetime(2026, 3, 20, 13, 0, tzinfo=UTC) + timedelta(days=90)).timestamp())


def test_a_late_submission_skips_the_thank_you_note_and_schedules_only_the_check_in():
    new, schedules = submitted(now=datetime(2026, 3, 16, 15, 0, tzinfo=UTC))

    assert new.follow_ups[THANK_YOU_NOTE].status == "skipped"
    assert schedules.create_before_write == [CHECK_IN]


def test_a_submission_more_than_a_year_away_names_the_interview_time():
    far = SUBMISSION.model_copy(update={"interview_at": datetime(2027, 6, 1, 10, 0)})

    with pytest.raises(InvalidFields) as caught:
        submitted(far)

    assert [f for f, _ in caught.value.fields] == ["interview_at"]


def test_a_submission_by_sms_without_a_phone_names_the_phone():
    no_phone = SUBMISSION.model_copy(update={"candidate": replace(SUBMISSION.candidate, phone=None)})

    with pytest.raises(InvalidFields) as caught:
        submitted(no_phone)

    assert [f for f, _ in caught.value.fields] == ["candidate.phone"]


# ---- edit -----------------------------------------------------------------------------------------

def test_moving_the_interview_moves_each_pending_nudge_with_a_new_version_after_the_write():
    before = interview()

    after, schedules = edited({"interview_at": datetime(2026, 3, 11, 10, 0), "expected_decision_days": 10})

    assert due(after) == {
        THANK_YOU_NOTE: ("scheduled", "2026-03-13T09:00:00-04:00", 2),
        CHECK_IN: ("scheduled", "2026-03-24T09:00:00-04:00", 2),
    }
    assert schedules == ScheduleChanges(put_after_write=[THANK_YOU_NOTE, CHECK_IN])
    assert due(before) == due(interview())  # the interview given is left as it was


def test_an_edit_that_changes_no_moment_keeps_the_versions_but_still_re_puts_the_schedules():
    after, schedules = edited({"channels": ["email"]})

    assert [f.version for f in after.follow_ups.values()] == [1, 1]
    assert schedules == ScheduleChanges(put_after_write=[THANK_YOU_NOTE, CHECK_IN])


def test_an_edit_of_a_field_that_moves_nothing_touches_no_schedule():
    after, schedules = edited({"company": "Globex Corporation"})

    assert after.company == "Globex Corporation"
    assert schedules == ScheduleChanges()


def test_a_rescheduling_edit_past_the_thank_you_window_skips_the_card_and_deletes_its_schedule():
    six_days_later = datetime(2026, 3, 16, 15, 0, tzinfo=UTC)

    after, schedules = edited({"expected_decision_days": 8}, now=six_days_later)

    assert due(after)[THANK_YOU_NOTE][0::2] == ("skipped", 2)
    assert schedules.delete_after_write == [THANK_YOU_NOTE]
    assert schedules.put_after_write == [CHECK_IN]


def test_an_edit_of_the_candidate_changes_only_the_fields_given():
    after, _ = edited({"candidate": {"email": None}, "channels": ["sms"]})

    assert (after.candidate.email, after.candidate.phone, after.candidate.name) == (
        None, "+14155550123", "Jordan Rivera")


@pytest.mark.parametrize("name", ["name", "time_zone"])
def test_an_edit_may_not_null_a_required_candidate_field(name):
    with pytest.raises(InvalidFields) as caught:
        edited({"candidate": {name: None}})

    assert [f for f, _ in caught.value.fields] == [f"candidate.{name}"]


def test_a_cancelled_interview_can_no_longer_be_edited():
    cancelled = transitions.unsubscribe(interview(), reason="unsubscribed").interview

    with pytest.raises(Conflict):
        edited({"role": "Lead Analyst"}, base=cancelled)


# ---- decide ---------------------------------------------------------------------------------------

def decide(base: Interview, command: RecordDecision, now: datetime) -> transitions.Transition:
    return transitions.decide(base, command, now=now, nudge_hour=NUDGE_HOUR)


def test_a_decision_ends_the_pending_nudges_and_plans_the_card_for_the_next_morning():
    sunday_noon = datetime(2026, 3, 15, 16, 30, tzinfo=UTC)
    offer = RecordDecision(outcome="offer", hiring_manager=Person(name="Priya"), supervisor=Person(name="Marcus"))

    after, schedules = decide(interview(), offer, sunday_noon)

    assert after.status == "decided"
    assert due(after) == {
        THANK_YOU_NOTE: ("cancelled", "2026-03-12T09:00:00-04:00", 2),
        CHECK_IN: ("cancelled", "2026-03-20T09:00:00-04:00", 2),
        DECISION_THANK_YOU: ("scheduled", "2026-03-16T09:00:00-04:00", 1),
    }
    assert schedules == ScheduleChanges(create_before_write=[DECISION_THANK_YOU],
                                        delete_after_write=[THANK_YOU_NOTE, CHECK_IN])
    assert after.decision is not None and after.decision.decided_at == "2026-03-15T12:30:00-04:00"


def test_a_decision_without_a_hiring_manager_names_the_interviewer():
    after, _ = decide(interview(), RecordDecision(outcome="not_selected"), INTERVIEW_DAY)

    assert after.decision is not None and after.decision.hiring_manager.name == "Dana Whitfield"


def test_a_second_decision_is_refused():
    decided = decide(interview(), RecordDecision(outcome="not_selected"), INTERVIEW_DAY).interview

    with pytest.raises(AlreadyDecided):
        decide(decided, RecordDecision(outcome="not_selected"), INTERVIEW_DAY)


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (RecordDecision(outcome="offer"), "supervisor.name"),
        (RecordDecision(outcome="not_selected", supervisor=Person(name="Marcus")), "supervisor"),
    ],
)
def test_a_decision_checks_the_supervisor_against_the_outcome(command, field):
    with pytest.raises(InvalidFields) as caught:
        field_rules.check_decision(command)

    assert [f for f, _ in caught.value.fields] == [field]


# ---- mark done, unsubscribe, erase ----------------------------------------------------------------

def test_marking_a_pending_step_done_ends_it_and_deletes_its_schedule_after_the_write():
    after, schedules = transitions.mark_done(interview(), THANK_YOU_NOTE)

    assert due(after)[THANK_YOU_NOTE][0::2] == ("done", 2)
    assert schedules == ScheduleChanges(delete_after_write=[THANK_YOU_NOTE])


def test_marking_a_sent_step_done_changes_no_schedule():
    sent = interview()
    sent.follow_ups[THANK_YOU_NOTE].status = "sent"

    after, schedules = transitions.mark_done(sent, THANK_YOU_NOTE)

    assert due(after)[THANK_YOU_NOTE][0::2] == ("done", 1)
    assert schedules == ScheduleChanges()


def test_a_step_not_planned_yet_or_cancelled_cannot_be_marked_done():
    with pytest.raises(Conflict, match="no decision_thank_you"):
        transitions.mark_done(interview(), DECISION_THANK_YOU)
    cancelled = transitions.unsubscribe(interview(), reason="unsubscribed").interview
    with pytest.raises(Conflict, match="cancelled"):
        transitions.mark_done(cancelled, CHECK_IN)


def test_unsubscribing_cancels_every_pending_nudge_and_leaves_the_sent_ones():
    base = interview()
    base.follow_ups[THANK_YOU_NOTE].status = "sent"

    after, schedules = transitions.unsubscribe(base, reason="unsubscribed")

    assert after.status == "cancelled"
    assert [f.status for f in after.follow_ups.values()] == ["sent", "cancelled"]
    assert schedules == ScheduleChanges(delete_after_write=[CHECK_IN])


def sending(step: str = THANK_YOU_NOTE) -> Interview:
    """An interview whose ``step`` a delivery has claimed (a failed SMS leaves it so until the retry)."""
    base = interview()
    base.follow_ups[step].status = "sending"
    return base


@pytest.mark.parametrize(
    ("cancel", "status"),
    [
        (lambda i: transitions.unsubscribe(i, reason="unsubscribed"), "cancelled"),
        (lambda i: decide(i, RecordDecision(outcome="not_selected"), INTERVIEW_DAY), "cancelled"),
        (lambda i: transitions.mark_done(i, THANK_YOU_NOTE), "done"),
    ],
    ids=["unsubscribe", "decision", "done"],
)
def test_a_cancel_also_ends_a_follow_up_caught_sending_with_a_new_version_after_the_write(cancel, status):
    after, schedules = cancel(sending())

    assert due(after)[THANK_YOU_NOTE][0::2] == (status, 2)
    assert THANK_YOU_NOTE in schedules.delete_after_write and THANK_YOU_NOTE not in schedules.create_before_write


def test_erasing_deletes_the_schedules_that_could_still_fire():
    base = interview()
    base.follow_ups[THANK_YOU_NOTE].status = "sending"
    base.follow_ups[CHECK_IN].status = "done"

    assert transitions.erase(base) == ScheduleChanges(delete_after_write=[THANK_YOU_NOTE])


# ---- stamping -------------------------------------------------------------------------------------

def test_a_stamp_is_in_the_candidates_zone_and_cancelled_nudges_no_longer_hold_the_data():
    cancelled = transitions.unsubscribe(interview(), reason="unsubscribed").interview
    later = datetime(2026, 3, 11, 14, 0, tzinfo=UTC)

    stamped = transitions.stamped(cancelled, later)

    assert stamped.updated_at == "2026-03-11T10:00:00-04:00"
    assert stamped.expires_at == int((later + timedelta(days=90)).timestamp())
