"""The service's use cases through in-memory fakes of the store and the scheduler (tests/fakes.py).

Store and scheduler share one journal, so each test sees the order of the writes and the schedule
calls: schedules are created before the write that makes them meaningful, moved and deleted after.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from datetime import datetime

import pytest

from followup.api.commands import EditInterview, RecordDecision
from followup.domain.errors import ConcurrentModification, IdempotencyKeyReused, InterviewNotFound, RateLimited
from followup.domain.models import STEPS, Interview, Person
from followup.ports import IdempotencyRecord
from followup.usecases import submission
from followup.usecases.submission import CONFIRMATION_WINDOW
from tests.fakes import FakeStore
from tests.unit.builders import SETTINGS, SUBMISSION, World

THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS


@pytest.fixture
def world() -> World:
    return World()


# ---- submit ---------------------------------------------------------------------------------------

def test_a_submission_stores_the_interview_awaiting_confirmation_and_schedules_nothing(world):
    submitted = world.submit()

    assert world.journal == ["create"]
    assert submitted == {"id": submitted["id"], "status": "awaiting_confirmation", "confirmations_sent_to": [
        {"channel": "email", "destination": "j•••@example.com"}, {"channel": "sms", "destination": "+1•••••••0123"}]}
    stored = world.store.interviews[submitted["id"]]
    assert {f.status for f in stored.follow_ups.values()} == {"planned"}


def test_a_refused_confirmation_is_tried_again_and_goes_once(world, monkeypatch):
    # Given an email channel that refuses the next two sends (throttled: they did not go)
    waits: list[float] = []
    monkeypatch.setattr(submission, "wait", waits.append)
    world.senders.failures["email"] = submission.CONFIRMATION_ATTEMPTS - 1

    # When the candidate submits
    world.submit()

    # Then the confirmation went once, after backing off between the tries
    assert len(world.senders.emails) == 1
    assert len(waits) == submission.CONFIRMATION_ATTEMPTS - 1


def test_a_confirmation_whose_answer_was_lost_is_not_sent_again(world, monkeypatch):
    # Given an email whose request reached the provider but whose answer was lost
    monkeypatch.setattr(submission, "wait", lambda seconds: None)
    world.senders.lost_answers.add("email")

    # When the candidate submits
    answer = world.submit()

    # Then it went once (it may have arrived), and the answer is the same 202
    assert len(world.senders.emails) == 1
    assert answer["status"] == "awaiting_confirmation"


def test_a_confirmation_refused_every_time_is_given_up_and_the_submission_still_answers(world, monkeypatch):
    monkeypatch.setattr(submission, "wait", lambda seconds: None)
    world.senders.failures["email"] = submission.CONFIRMATION_ATTEMPTS

    answer = world.submit()

    assert world.senders.emails == [] and world.senders.failures["email"] == 0
    assert answer["status"] == "awaiting_confirmation" and len(world.senders.sms) == 1


def test_confirming_schedules_each_nudge_before_it_writes_the_interview(world):
    submitted = world.submit()
    mark = len(world.journal)

    world.service.confirm(submitted["id"], world.confirmation_tokens()["email"])

    assert world.since(mark) == [f"put {THANK_YOU_NOTE}", f"put {CHECK_IN}", "replace"]
    due = world.scheduler.of(submitted["id"])[THANK_YOU_NOTE].due_at
    assert (due.isoformat(), str(due.tzinfo)) == ("2026-03-12T09:00:00-04:00", "America/New_York")


def test_the_manage_token_opens_the_interview_and_nothing_else_does(world):
    created = world.submit_confirmed()

    assert world.service.get(created["id"], created["manage_token"]).company == "Globex"
    for token in (f"{created['id']}.forged", "ffffffffffff.secret", created["manage_token"] + "x"):
        with pytest.raises(InterviewNotFound):
            world.service.get(created["id"], token)


def test_a_retry_with_the_same_idempotency_key_answers_the_first_result_and_makes_nothing(world):
    first = world.submit(key="retry-1")
    mark = len(world.journal)

    again = world.submit(key="retry-1")

    assert again == first
    assert world.since(mark) == [] and len(world.store.interviews) == 1


def test_an_idempotency_key_reused_for_another_submission_is_refused_naming_the_header(world):
    world.submit(key="retry-2")
    mark = len(world.journal)

    with pytest.raises(IdempotencyKeyReused) as caught:
        world.submit(SUBMISSION.model_copy(update={"role": "Data Engineer"}), key="retry-2")

    assert [f for f, _ in caught.value.fields] == ["Idempotency-Key"]
    assert world.since(mark) == []


class TwinWonMeanwhile(FakeStore):
    """A twin request with the same key writes its record just before our write (which reads none first: the
    write's condition on the record is the look-up)."""

    def __init__(self, twin: IdempotencyRecord) -> None:
        super().__init__()
        self.twin = twin

    def create(self, interview, *written, **carried) -> None:
        self.records.setdefault(self.twin.key_hash, self.twin)  # the twin's write lands first
        super().create(interview, *written, **carried)


def test_a_twin_that_wins_the_race_leaves_no_schedule_of_ours_and_its_answer_is_ours():
    first = World()
    winner = first.submit(key="twin")
    twin_record = next(iter(first.store.records.values()))
    world = World(TwinWonMeanwhile(twin_record))
    world.store.interviews[winner["id"]] = first.store.interviews[winner["id"]]

    answer = world.submit(key="twin")

    assert answer == winner
    assert world.scheduler.schedules == {} and world.journal == []


def test_a_retry_after_the_interview_was_erased_submits_anew(world):
    created = world.submit_confirmed(key="erase-then-retry")
    world.service.delete(created["id"], created["manage_token"])

    assert world.store.records == {}
    assert world.submit(key="erase-then-retry")["id"] != created["id"]


def test_a_replay_whose_interview_is_gone_is_not_found():
    world = World()
    created = world.submit(key="k")
    del world.store.interviews[created["id"]]  # erased, but its record outlived it

    with pytest.raises(InterviewNotFound):
        world.submit(key="k")


# ---- edit -----------------------------------------------------------------------------------------

def test_an_edit_that_moves_the_interview_writes_first_then_moves_each_schedule_to_its_new_version(world):
    created = world.submit_confirmed()
    mark = len(world.journal)

    world.service.update(created["id"], created["manage_token"],
                         EditInterview(given=frozenset({"interview_at"}), interview_at=datetime(2026, 3, 11, 10, 0)))

    assert world.since(mark) == ["replace", f"put {THANK_YOU_NOTE}", f"put {CHECK_IN}"]
    assert world.versions(created["id"]) == {THANK_YOU_NOTE: 2, CHECK_IN: 2}
    assert world.scheduler.of(created["id"])[THANK_YOU_NOTE].due_at.isoformat() == "2026-03-13T09:00:00-04:00"


def test_an_edit_stamps_the_change_in_the_candidates_zone(world):
    created = world.submit_confirmed()
    world.clock.advance(hours=1)

    edited = world.service.update(created["id"], created["manage_token"],
                                  EditInterview(given=frozenset({"role"}), role="Lead Analyst"))

    assert (edited.role, edited.updated_at) == ("Lead Analyst", "2026-03-10T16:00:00-04:00")


def test_an_edit_that_loses_a_race_is_applied_again_on_the_fresh_copy(world):
    created = world.submit_confirmed()

    def other_writer(interview: Interview) -> None:
        interview.company = "Globex (renamed by the other writer)"

    world.store.race = other_writer
    world.service.update(created["id"], created["manage_token"],
                         EditInterview(given=frozenset({"role"}), role="Lead Analyst"))

    stored = world.store.interviews[created["id"]]
    assert (stored.company, stored.role) == ("Globex (renamed by the other writer)", "Lead Analyst")


class AlwaysRaced(FakeStore):
    def replace(self, interview: Interview, counts: object = None, *_: object, **__: object) -> Interview:
        raise ConcurrentModification()


def test_an_edit_that_keeps_losing_gives_up_and_moves_no_schedule():
    world = World()
    created = world.submit_confirmed()
    world.store.replace = AlwaysRaced().replace  # from now on, every write loses a race
    mark = len(world.journal)

    with pytest.raises(ConcurrentModification):
        world.service.update(created["id"], created["manage_token"],
                             EditInterview(given=frozenset({"expected_decision_days"}), expected_decision_days=9))

    assert world.since(mark) == []


# ---- decide, mark done, unsubscribe, delete -------------------------------------------------------

def test_a_decision_schedules_its_card_before_the_write_and_deletes_the_cancelled_nudges_after(world):
    created = world.submit_confirmed()
    mark = len(world.journal)

    decided = world.service.decide(created["id"], created["manage_token"],
                                   RecordDecision(outcome="offer", supervisor=Person(name="Marcus Chen")))

    assert world.since(mark) == [f"put {DECISION_THANK_YOU}", "replace", f"delete {THANK_YOU_NOTE}", f"delete {CHECK_IN}"]
    assert world.versions(created["id"]) == {DECISION_THANK_YOU: 1}
    assert decided.decision is not None and decided.decision.hiring_manager.name == "Dana Whitfield"


def test_marking_a_step_done_deletes_its_schedule_after_the_write(world):
    created = world.submit_confirmed()
    mark = len(world.journal)

    done = world.service.mark_done(created["id"], created["manage_token"], THANK_YOU_NOTE)

    assert done.follow_ups[THANK_YOU_NOTE].status == "done"
    assert world.since(mark) == ["replace", f"delete {THANK_YOU_NOTE}"]
    assert set(world.scheduler.of(created["id"])) == {CHECK_IN}


def test_unsubscribing_cancels_the_interview_and_deletes_every_schedule_after_the_write(world):
    created = world.submit_confirmed()
    mark = len(world.journal)

    world.service.unsubscribe(created["unsubscribe_token"])

    assert world.store.interviews[created["id"]].status == "cancelled"
    assert world.since(mark) == ["replace", f"delete {THANK_YOU_NOTE}", f"delete {CHECK_IN}"]
    assert world.scheduler.schedules == {}


def test_an_unsubscribe_with_a_forged_token_changes_nothing(world):
    created = world.submit_confirmed()
    mark = len(world.journal)

    with pytest.raises(InterviewNotFound):
        world.service.unsubscribe(f"{created['id']}.forged")

    assert world.since(mark) == []


def test_deleting_erases_the_interview_and_its_record_then_the_schedules(world):
    created = world.submit_confirmed(key="erase-me")
    mark = len(world.journal)

    world.service.delete(created["id"], created["manage_token"])

    assert world.since(mark) == ["delete", f"delete {THANK_YOU_NOTE}", f"delete {CHECK_IN}"]
    assert world.store.interviews == {} and world.store.records == {} and world.scheduler.schedules == {}


# ---- trust ---------------------------------------------------------------------------------------

def test_an_unconfirmed_interview_answers_until_72_hours_after_submission_then_not_at_all(world):
    submitted = world.submit()
    token = world.confirmation_tokens()["email"]
    world.clock.advance(hours=71, minutes=59)
    assert world.service.get(submitted["id"], token).status == "awaiting_confirmation"

    world.clock.advance(minutes=1)

    with pytest.raises(InterviewNotFound):
        world.service.get(submitted["id"], token)


def test_changing_the_email_unverifies_it_so_the_new_address_gets_no_nudge(world):
    created = world.submit_confirmed()

    edited = world.service.update(created["id"], created["tokens"]["sms"],
                                  EditInterview(given=frozenset({"candidate"}), candidate={"email": "new@example.com"}))
    world.clock.advance(days=2, hours=19)
    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert edited.verified_channels == ["sms"]
    assert delivered.channels == {"email": "skipped", "sms": "sent"}
    assert [e.subject.startswith("Confirm") for e in world.senders.emails] == [True]  # the new address's confirmation only


# ---- a new destination proves itself too -------------------------------------------------------------

def test_an_edited_email_gets_its_own_confirmation_and_nudges_resume_once_confirmed(world):
    # Given a confirmed interview
    created = world.submit_confirmed()

    # When the candidate changes the email address
    edited = world.service.update(created["id"], created["tokens"]["sms"],
                                  EditInterview(given=frozenset({"candidate"}), candidate={"email": "new@example.com"}))

    # Then the email is unverified, and the new address alone got a confirmation with a link bound to it
    assert "email" not in edited.verified_channels
    assert [e.to for e in world.senders.emails] == ["new@example.com"] and world.senders.sms == []
    token = world.confirmation_tokens()["email"]
    confirmed = world.service.confirm(created["id"], token)
    assert "email" in confirmed.verified_channels


def test_an_edit_past_the_new_addresss_confirmations_for_the_day_is_refused_and_changes_nothing(world):
    # Given a confirmed interview, and a new address that already had its confirmations today
    created = world.submit_confirmed()
    for _ in range(SETTINGS.confirmations_per_day_per_destination):
        world.limiter.take("confirmations", "new@example.com", SETTINGS.confirmations_per_day_per_destination,
                           CONFIRMATION_WINDOW, world.clock())
    before = deepcopy(world.store.interviews[created["id"]])

    # When the candidate changes the email to it
    with pytest.raises(RateLimited):
        world.service.update(created["id"], created["tokens"]["sms"],
                             EditInterview(given=frozenset({"candidate"}), candidate={"email": "new@example.com"}))

    # Then nothing changed and nothing was sent
    assert world.store.interviews[created["id"]] == before
    assert world.senders.emails == []


# ---- a token proves the address it was delivered to ------------------------------------------------------

def _unbound(world, interview_id: str) -> None:
    """The interview's grants as stored before tokens were bound to an address."""
    stored = world.store.interviews[interview_id]
    stored.tokens = [replace(grant, address=None) for grant in stored.tokens]


def test_a_grant_from_before_binding_confirms_while_the_interview_is_as_submitted(world):
    created = world.submit()
    token = world.confirmation_tokens()["email"]
    _unbound(world, created["id"])

    confirmed = world.service.confirm(created["id"], token)

    assert confirmed.verified_channels == ["email"]


def test_a_grant_from_before_binding_no_longer_confirms_once_the_interview_was_changed(world):
    # Given an unconfirmed interview whose grants predate binding, then edited by its SMS link
    created = world.submit()
    sent = world.confirmation_tokens()
    _unbound(world, created["id"])
    world.service.update(created["id"], sent["sms"], EditInterview(given=frozenset({"role"}), role="Lead Analyst"))

    # When its email link is used to confirm
    with pytest.raises(InterviewNotFound):
        world.service.confirm(created["id"], sent["email"])

    # Then nothing was verified; the link still reads the interview
    assert world.service.get(created["id"], sent["email"]).verified_channels == []
