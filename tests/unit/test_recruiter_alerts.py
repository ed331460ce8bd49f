"""The recruiter's alert of a candidate's decision, through the fakes: a correction that changes nothing is a
no-op (no write, no count, no alert), and the alerts to one recruiter about one interview are at most one an
hour, the first at once, the changes within the hour after it in one alert when the hour is up, with the
decision as it is then (``followup.usecases.alerts``); and the decision's rules come after the access check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from followup.api.commands import RecordDecision
from followup.domain.errors import InterviewNotFound
from followup.domain.identity import FirmUser
from followup.domain.models import Person
from followup.usecases import alerts
from followup.usecases.firm_service import FirmService
from tests.unit.builders import SETTINGS, SUBMISSION, World

RECRUITER = FirmUser(sub="rec-a", email="priya@acme.example", name="Priya Natarajan", groups=frozenset({"recruiters"}))
OTHER = FirmUser(sub="rec-b", email="b@acme.example", name="B", groups=frozenset({"recruiters"}))
OFFER = RecordDecision(outcome="offer", supervisor=Person(name="Marcus Chen"))
NOT_SELECTED = RecordDecision(outcome="not_selected")
NO_SUPERVISOR = RecordDecision(outcome="offer")  # an offer needs one: 422 naming supervisor.name


def enrolled_and_decided(world: World, command: RecordDecision = NOT_SELECTED) -> tuple[str, str]:
    """An interview a recruiter enrolled, confirmed and decided by the candidate a day ago; the outbox emptied."""
    answer = FirmService(world.service).enrol(RECRUITER, SUBMISSION)
    token = world.confirmation_tokens()["email"]
    world.service.confirm(answer["id"], token)
    world.service.decide(answer["id"], token, command)
    world.clock.advance(days=1)
    world.senders.emails.clear()
    return answer["id"], token


def alerts_sent(world: World) -> list[str]:
    """The outcome each recruiter's email said, in order."""
    said = []
    for email in world.senders.emails:
        assert email.to == "priya@acme.example"
        said.append("offer" if email.text.split("\n\n")[1].endswith("an offer.") else "not_selected")
    return said


def fire_due_alert(world: World, interview_id: str) -> str:
    """What EventBridge Scheduler does at the due time: invoke the target with the schedule's payload."""
    schedule = world.scheduler.schedules.pop((interview_id, alerts.SCHEDULE))
    world.clock.set(schedule.due_at)
    payload = {"interview_id": interview_id, "step": alerts.SCHEDULE, "version": schedule.version}
    return alerts.deliver_due(payload, world.store, world.senders, SETTINGS, world.clock)


def corrections(world: World) -> int:
    return sum(n for (_, metric), n in world.counters.counts.items() if metric == "correction")


def test_31_corrections_within_an_hour_alert_once_at_once_and_once_when_the_hour_is_up_with_the_latest():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    started = world.clock()

    for n in range(31):  # one a minute, each a change: offer, not selected, offer...
        world.service.correct_decision(interview_id, token, OFFER if n % 2 == 0 else NOT_SELECTED)
        world.clock.advance(minutes=1)

    assert alerts_sent(world) == ["offer"]  # the first, at once
    due = world.scheduler.of(interview_id)[alerts.SCHEDULE]
    assert due.due_at == started + alerts.INTERVAL
    assert fire_due_alert(world, interview_id) == "sent"
    assert alerts_sent(world) == ["offer", "offer"]  # the 31st said offer: the latest state, once
    assert "corrected the decision" in world.senders.emails[-1].text
    assert corrections(world) == 31
    assert fire_due_alert_again_is_stale(world, interview_id, due.version)


def fire_due_alert_again_is_stale(world: World, interview_id: str, version: int) -> bool:
    """A schedule delivered twice (at least once): the second finds nothing due and sends nothing."""
    before = len(world.senders.emails)
    payload = {"interview_id": interview_id, "step": alerts.SCHEDULE, "version": version}
    return alerts.deliver_due(payload, world.store, world.senders, SETTINGS, world.clock) == "stale" and len(
        world.senders.emails) == before


def test_a_correction_that_changes_nothing_writes_nothing_counts_nothing_and_alerts_nobody():
    world = World()
    interview_id, token = enrolled_and_decided(world, OFFER)
    stored = world.store.interviews[interview_id]
    counts = dict(world.counters.counts)
    mark = len(world.journal)

    for _ in range(31):
        same = world.service.correct_decision(interview_id, token, OFFER)
        FirmService(world.service).correct_decision(RECRUITER, interview_id, OFFER)

    assert same.decision == stored.decision
    assert world.since(mark) == []  # no write, no schedule
    assert world.store.interviews[interview_id] == stored  # not even its revision moved
    assert dict(world.counters.counts) == counts and corrections(world) == 0
    assert world.senders.emails == []


def test_a_correction_naming_the_interviewer_as_the_hiring_manager_they_already_are_changes_nothing():
    world = World()
    interview_id, token = enrolled_and_decided(world, OFFER)  # hiring manager left out: the interviewer
    mark = len(world.journal)

    world.service.correct_decision(interview_id, token, RecordDecision(
        outcome="offer", hiring_manager=Person(name="Dana Whitfield"), supervisor=Person(name="Marcus Chen")))

    assert world.since(mark) == [] and world.senders.emails == []


def test_the_alerts_schedule_is_created_before_the_write_that_makes_it_due_and_carries_no_personal_data():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    world.service.correct_decision(interview_id, token, OFFER)  # at once
    mark = len(world.journal)

    world.service.correct_decision(interview_id, token, NOT_SELECTED)  # within the hour: due at its end
    world.service.correct_decision(interview_id, token, OFFER)  # already due: nothing more

    assert world.since(mark) == [f"put {alerts.SCHEDULE}", "replace", "replace"]
    alert = world.store.interviews[interview_id].recruiter_alert
    assert (alert.version, world.scheduler.of(interview_id)[alerts.SCHEDULE].version) == (1, 1)
    assert alerts_sent(world) == ["offer"]


def test_a_change_after_the_hour_with_none_due_goes_at_once_again():
    world = World()
    interview_id, token = enrolled_and_decided(world)

    world.service.correct_decision(interview_id, token, OFFER)
    world.clock.advance(minutes=61)
    world.service.correct_decision(interview_id, token, NOT_SELECTED)

    assert alerts_sent(world) == ["offer", "not_selected"]
    assert alerts.SCHEDULE not in world.scheduler.of(interview_id)


def test_an_alert_due_but_not_fired_goes_with_the_next_change_and_its_schedule_goes_stale():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    world.service.correct_decision(interview_id, token, OFFER)  # at once
    world.service.correct_decision(interview_id, token, NOT_SELECTED)  # due in an hour
    late = world.scheduler.of(interview_id)[alerts.SCHEDULE]
    world.clock.set(late.due_at + timedelta(minutes=5))  # its invocation failed, or is late
    mark = len(world.journal)

    world.service.correct_decision(interview_id, token, OFFER)

    assert alerts_sent(world) == ["offer", "offer"]
    assert world.since(mark) == ["replace", f"delete {alerts.SCHEDULE}"]  # deleted after the write
    payload = {"interview_id": interview_id, "step": alerts.SCHEDULE, "version": late.version}
    assert alerts.deliver_due(payload, world.store, world.senders, SETTINGS, world.clock) == "stale"
    assert len(world.senders.emails) == 2


def test_a_due_alert_goes_even_after_the_recruiter_changed_the_decision_and_says_the_latest():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    world.service.correct_decision(interview_id, token, OFFER)
    world.service.correct_decision(interview_id, token, NOT_SELECTED)

    FirmService(world.service).correct_decision(RECRUITER, interview_id, OFFER)  # their own: emails nobody

    assert alerts_sent(world) == ["offer"]
    assert fire_due_alert(world, interview_id) == "sent"
    assert alerts_sent(world) == ["offer", "offer"]


def test_erasing_deletes_a_due_alerts_schedule_and_a_late_one_finds_nothing():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    world.service.correct_decision(interview_id, token, OFFER)
    world.service.correct_decision(interview_id, token, NOT_SELECTED)
    version = world.scheduler.of(interview_id)[alerts.SCHEDULE].version

    world.service.delete(interview_id, token)

    assert alerts.SCHEDULE not in world.scheduler.of(interview_id)
    assert world.journal[-1] == f"delete {alerts.SCHEDULE}"
    payload = {"interview_id": interview_id, "step": alerts.SCHEDULE, "version": version}
    assert alerts.deliver_due(payload, world.store, world.senders, SETTINGS, world.clock) == "gone"
    assert alerts_sent(world) == ["offer"]


def test_a_fired_alert_that_loses_a_race_is_written_on_a_fresh_copy_and_sent_once():
    world = World()
    interview_id, token = enrolled_and_decided(world)
    world.service.correct_decision(interview_id, token, OFFER)
    world.service.correct_decision(interview_id, token, NOT_SELECTED)

    def candidate_corrects(other):  # another writer lands first: the alert carries its change
        other.decision.outcome = "offer"
        other.decision.supervisor = Person(name="Marcus Chen")

    world.store.race = candidate_corrects

    assert fire_due_alert(world, interview_id) == "sent"
    assert alerts_sent(world) == ["offer", "offer"]


def test_a_public_submissions_decision_alerts_nobody_and_schedules_nothing():
    world = World()
    answer = world.submit_confirmed()

    world.service.decide(answer["id"], answer["manage_token"], OFFER)
    world.service.correct_decision(answer["id"], answer["manage_token"], NOT_SELECTED)

    assert world.senders.emails == [] and alerts.SCHEDULE not in world.scheduler.of(answer["id"])


# ---- item 6: the access check before the decision's rules ---------------------------------------------------


@pytest.mark.parametrize("correcting", [False, True])
def test_a_wrong_token_with_an_offer_and_no_supervisor_is_not_found_not_invalid(correcting):
    world = World()
    interview_id, token = enrolled_and_decided(world)
    act = world.service.correct_decision if correcting else world.service.decide

    for wrong in (f"{interview_id}.not-the-secret", "0123456789ab.secret"):
        with pytest.raises(InterviewNotFound):
            act(interview_id if wrong.startswith(interview_id) else "0123456789ab", wrong, NO_SUPERVISOR)


@pytest.mark.parametrize("correcting", [False, True])
def test_another_recruiter_with_an_offer_and_no_supervisor_is_not_found_not_invalid(correcting):
    world = World()
    interview_id, _ = enrolled_and_decided(world)
    firm = FirmService(world.service)
    act = firm.correct_decision if correcting else firm.decide

    with pytest.raises(InterviewNotFound):
        act(OTHER, interview_id, NO_SUPERVISOR)
