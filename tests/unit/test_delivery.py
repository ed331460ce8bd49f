"""One follow-up delivery through in-memory fakes of the store and the senders (tests/fakes.py):
at most once out per channel, a failed channel retried alone, a stale payload doing nothing."""

from __future__ import annotations

import pytest

from followup.commands import EditInterview
from followup.errors import DeliveryFailed, InterviewNotFound
from followup.models import STEPS, Interview
from followup.tokens import hash_token
from tests.unit.builders import SETTINGS, World

THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def created(world) -> dict:
    answer = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)  # the thank-you note's morning
    return answer


def status(world: World, interview_id: str, step: str = THANK_YOU_NOTE) -> str:
    return world.store.interviews[interview_id].follow_ups[step].status


def test_a_delivery_sends_the_email_and_the_sms_once_and_ends_sent(world, created):
    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert (delivered.result, delivered.channels) == ("sent", {"email": "sent", "sms": "sent"})
    assert len(world.senders.emails) == 1 and len(world.senders.sms) == 1
    assert status(world, created["id"]) == "sent"


def test_the_same_payload_again_sends_nothing(world, created):
    world.deliver(created["id"], THANK_YOU_NOTE)

    again = world.deliver(created["id"], THANK_YOU_NOTE)

    assert (again.result, again.channels) == ("not_pending", {})
    assert len(world.senders.emails) == 1 and len(world.senders.sms) == 1


def test_the_email_carries_the_firm_and_an_unsubscribe_link_whose_token_only_unsubscribes(world, created):
    world.deliver(created["id"], THANK_YOU_NOTE)

    [email] = world.senders.emails
    assert (email.sender, email.sender_name, email.to) == (SETTINGS.sender_email, "Acme Staffing", "jordan@example.com")
    token = email.unsubscribe_url.split("token=")[1]
    assert token != created["manage_token"]
    with pytest.raises(InterviewNotFound):
        world.service.get(created["id"], token)
    world.service.unsubscribe(token)
    assert world.store.interviews[created["id"]].status == "cancelled"


def test_each_message_carries_a_manage_link_bound_to_its_own_channel(world, created):
    world.deliver(created["id"], THANK_YOU_NOTE)

    tokens = world.confirmation_tokens()
    grants = {g.hash: g for g in world.store.interviews[created["id"]].tokens}
    assert {ch: grants[hash_token(t)].channel for ch, t in tokens.items()} == {"email": "email", "sms": "sms"}
    assert world.service.get(created["id"], tokens["sms"]).id == created["id"]


def test_a_failed_sms_is_retried_alone_and_the_email_is_not_sent_again(world, created):
    world.senders.failures["sms"] = 1

    with pytest.raises(DeliveryFailed):
        world.deliver(created["id"], THANK_YOU_NOTE)
    after_failure = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE]
    retried = world.deliver(created["id"], THANK_YOU_NOTE)

    assert (after_failure.status, after_failure.lease_until, list(after_failure.deliveries)) == ("sending", 0, ["email"])
    assert retried.channels == {"email": "sent", "sms": "sent"}
    assert len(world.senders.emails) == 1 and len(world.senders.sms) == 1
    assert status(world, created["id"]) == "sent"


def test_a_channel_that_fails_on_every_attempt_ends_failed(world, created):
    world.senders.failures["sms"] = 99

    for _ in range(SETTINGS.max_delivery_attempts):
        with pytest.raises(DeliveryFailed):
            world.deliver(created["id"], THANK_YOU_NOTE)

    assert status(world, created["id"]) == "failed"
    assert len(world.senders.emails) == 1 and world.senders.sms == []


def test_a_number_that_opted_out_is_skipped_and_the_follow_up_still_ends_sent(world, created):
    world.senders.opted_out.add("+14155550123")

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert delivered.channels == {"email": "sent", "sms": "skipped"}
    assert world.senders.sms == [] and status(world, created["id"]) == "sent"


def test_a_payload_of_an_older_version_does_nothing_after_an_edit(world, created):
    world.service.update(created["id"], created["manage_token"],
                         EditInterview(given=frozenset({"expected_decision_days"}), expected_decision_days=3))

    stale = world.deliver(created["id"], CHECK_IN, version=1)

    assert stale.result == "stale"
    assert world.senders.emails == [] and world.senders.sms == []


def test_a_payload_for_an_erased_interview_does_nothing(world, created):
    world.service.delete(created["id"], created["manage_token"])

    assert world.deliver(created["id"], THANK_YOU_NOTE).result == "gone"
    assert world.senders.emails == []


def test_a_payload_sent_to_another_steps_function_does_nothing(world, created):
    misrouted = world.deliver(created["id"], THANK_YOU_NOTE, handler_step=CHECK_IN)

    assert misrouted.result == "misrouted"
    assert status(world, created["id"]) == "scheduled" and world.senders.emails == []


def test_a_twin_invocation_during_a_live_delivery_sends_nothing(world, created):
    interview = world.store.interviews[created["id"]]
    interview.follow_ups[THANK_YOU_NOTE].status = "sending"
    interview.follow_ups[THANK_YOU_NOTE].lease_until = int(world.clock().timestamp()) + 30

    assert world.deliver(created["id"], THANK_YOU_NOTE).result == "in_flight"
    assert world.senders.emails == []


def test_a_lease_left_by_a_crashed_invocation_is_taken_over_once_it_expires(world, created):
    interview = world.store.interviews[created["id"]]
    interview.follow_ups[THANK_YOU_NOTE].status = "sending"
    interview.follow_ups[THANK_YOU_NOTE].lease_until = int(world.clock().timestamp()) - 1

    assert world.deliver(created["id"], THANK_YOU_NOTE).result == "sent"
    assert len(world.senders.emails) == 1


def test_a_record_that_loses_a_race_keeps_both_changes_and_sends_once(world, created):
    def candidate_edits_meanwhile(interview: Interview) -> None:
        interview.role = "Senior Analyst"

    sent = world.senders.send_email

    def send_then_race(email):
        world.store.race = candidate_edits_meanwhile  # recording the email will lose to this writer
        return sent(email)

    world.senders.send_email = send_then_race
    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    stored = world.store.interviews[created["id"]]
    assert delivered.channels == {"email": "sent", "sms": "sent"}
    assert len(world.senders.emails) == 1 and len(world.senders.sms) == 1
    assert stored.role == "Senior Analyst" and stored.follow_ups[THANK_YOU_NOTE].status == "sent"
    assert set(stored.follow_ups[THANK_YOU_NOTE].deliveries) == {"email", "sms"}
