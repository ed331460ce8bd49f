"""One follow-up delivery through in-memory fakes of the store and the senders (tests/fakes.py):
at most once out per channel, a failed channel retried alone, a stale payload doing nothing, a cancel
winning at every point, and a store fault after a send never sending it again."""

from __future__ import annotations

import pytest

from followup.api.commands import EditInterview, RecordDecision
from followup.domain.errors import DeliveryFailed, DeliveryInFlight, InterviewNotFound
from followup.domain.models import STEPS, Interview
from followup.domain.tokens import hash_token
from followup.usecases.delivery import BACKOFF_BASE, BACKOFF_CAP, LEASE, WRITE_ATTEMPTS
from tests.fakes import StoreFault
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
    token = email.unsubscribe_url.split("token=")[1].split("&")[0]  # the link goes on with its page's language
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


def test_a_twin_invocation_during_a_live_delivery_sends_nothing_and_asks_to_be_retried(world, created):
    # Given a follow-up whose lease another invocation holds for 30 s more
    interview = world.store.interviews[created["id"]]
    interview.follow_ups[THANK_YOU_NOTE].status = "sending"
    interview.follow_ups[THANK_YOU_NOTE].lease_until = int(world.clock().timestamp()) + 30

    # When a twin invocation comes, then (the holder having died) Lambda's retry after the lease
    with pytest.raises(DeliveryInFlight):
        world.deliver(created["id"], THANK_YOU_NOTE)
    sent_during_the_lease = len(world.senders.emails)
    world.clock.advance(seconds=LEASE.total_seconds())
    retried = world.deliver(created["id"], THANK_YOU_NOTE)

    # Then the twin sent nothing and, raising, kept Lambda retrying: the retry delivered the follow-up
    assert sent_during_the_lease == 0
    assert retried.result == "sent" and len(world.senders.emails) == 1


def test_a_send_whose_answer_was_lost_is_recorded_unconfirmed_and_never_sent_again(world, created):
    # Given an email whose request reached the provider but whose answer was lost
    world.senders.lost_answers.add("email")

    # When the step runs, then runs again
    first = world.deliver(created["id"], THANK_YOU_NOTE)
    second = world.deliver(created["id"], THANK_YOU_NOTE)

    # Then the email is recorded as possibly sent and is not sent a second time; the SMS went once
    delivery = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE].deliveries["email"]
    assert (delivery.status, delivery.reason) == ("sent", "unconfirmed")
    assert first.result == "sent" and second.result == "not_pending"
    assert len(world.senders.emails) == 1 and len(world.senders.sms) == 1


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


# ---- cancels win ---------------------------------------------------------------------------------

DECISION = RecordDecision(outcome="not_selected")


def test_an_unsubscribe_after_a_failed_sms_stops_the_retry_from_sending_it(world, created):
    world.senders.failures["sms"] = 1
    with pytest.raises(DeliveryFailed):
        world.deliver(created["id"], THANK_YOU_NOTE)

    world.service.unsubscribe(created["unsubscribe_token"])
    retried = world.deliver(created["id"], THANK_YOU_NOTE)

    assert retried.result in ("stale", "not_pending")
    assert (len(world.senders.emails), len(world.senders.sms)) == (1, 0)
    assert status(world, created["id"]) == "cancelled"


def test_a_decision_after_a_failed_check_in_sms_stops_the_retry_from_sending_it(world, created):
    world.clock.advance(days=10)  # the check-in's morning
    world.senders.failures["sms"] = 1
    with pytest.raises(DeliveryFailed):
        world.deliver(created["id"], CHECK_IN)

    world.service.decide(created["id"], created["manage_token"], DECISION)
    retried = world.deliver(created["id"], CHECK_IN)

    assert retried.result in ("stale", "not_pending")
    assert world.senders.sms == [] and status(world, created["id"], CHECK_IN) == "cancelled"


def cancel_before(world: World, call: str, cancel) -> None:
    """Run ``cancel`` just before the senders' ``call`` ("email", "opt_out", "sms"), once."""

    def before(happening: str) -> None:
        if happening == call:
            world.senders.before = None
            cancel()

    world.senders.before = before


def test_a_decision_arriving_after_the_email_stops_the_sms_and_keeps_the_emails_record(world, created):
    world.clock.advance(days=10)
    cancel_before(world, "opt_out", lambda: world.service.decide(created["id"], created["manage_token"], DECISION))

    delivered = world.deliver(created["id"], CHECK_IN)

    stored = world.store.interviews[created["id"]].follow_ups[CHECK_IN]
    assert (delivered.result, delivered.channels) == ("cancelled", {"email": "sent"})
    assert (len(world.senders.emails), world.senders.sms) == (1, [])
    assert (stored.status, stored.deliveries["email"].message_id) == ("cancelled", "email-1")


def test_a_decision_arriving_between_the_claim_and_the_send_of_an_sms_only_follow_up_sends_nothing(world, created):
    world.clock.advance(days=10)
    world.service.update(created["id"], created["manage_token"], EditInterview(given=frozenset({"channels"}),
                                                                                channels=["sms"]))
    version = world.store.interviews[created["id"]].follow_ups[CHECK_IN].version
    cancel_before(world, "opt_out", lambda: world.service.decide(created["id"], created["manage_token"], DECISION))

    delivered = world.deliver(created["id"], CHECK_IN, version=version)

    assert delivered.result in ("stale", "cancelled") and world.senders.sms == []
    assert status(world, created["id"], CHECK_IN) == "cancelled"


def test_marking_the_step_done_mid_delivery_keeps_it_done_and_sends_nothing_more(world, created):
    cancel_before(world, "opt_out", lambda: world.service.mark_done(created["id"], created["manage_token"],
                                                                     THANK_YOU_NOTE))

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert delivered.result == "cancelled" and world.senders.sms == []
    assert status(world, created["id"]) == "done"
    assert world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE].deliveries["email"].status == "sent"


def test_erasing_mid_delivery_sends_nothing_more_and_does_not_fail(world, created):
    cancel_before(world, "opt_out", lambda: world.service.delete(created["id"], created["manage_token"]))

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert delivered.result == "gone" and world.senders.sms == []
    assert created["id"] not in world.store.interviews


def test_every_send_follows_a_write_that_records_its_channel_in_flight(world, created):
    seen: list[tuple[str, str | None]] = []

    def record(call: str) -> None:
        deliveries = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE].deliveries
        channel = "sms" if call == "opt_out" else call
        seen.append((call, deliveries[channel].status if channel in deliveries else None))

    world.senders.before = record
    world.deliver(created["id"], THANK_YOU_NOTE)

    assert seen == [("email", "sending"), ("opt_out", None), ("sms", "sending")]


# ---- at most once on one fault -------------------------------------------------------------------

def test_a_record_write_that_fails_once_after_the_sms_is_retried_and_nothing_is_sent_twice(world, created):
    world.senders.before = lambda call: call == "sms" and setattr(world.store, "faults", 1)

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert delivered.channels == {"email": "sent", "sms": "sent"}
    assert (len(world.senders.emails), len(world.senders.sms)) == (1, 1)
    assert status(world, created["id"]) == "sent"
    assert len(world.waits) == 1 and 0 <= world.waits[0] <= BACKOFF_BASE


def test_a_record_write_that_keeps_failing_gives_up_and_the_retry_sends_nothing_again(world, created):
    world.senders.before = lambda call: call == "sms" and setattr(world.store, "faults", WRITE_ATTEMPTS)
    with pytest.raises(StoreFault):
        world.deliver(created["id"], THANK_YOU_NOTE)
    world.senders.before = None
    world.clock.advance(minutes=2)  # Lambda's retry, once the lease has expired

    retried = world.deliver(created["id"], THANK_YOU_NOTE)

    stored = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE]
    assert retried.channels == {"email": "sent", "sms": "sent"}
    assert (len(world.senders.emails), len(world.senders.sms)) == (1, 1)
    assert (stored.status, stored.deliveries["sms"].reason) == ("sent", "unconfirmed")
    assert len(world.waits) == WRITE_ATTEMPTS - 1
    assert all(0 <= wait <= min(BACKOFF_CAP, BACKOFF_BASE * 2**n) for n, wait in enumerate(world.waits))


def test_a_write_that_landed_but_lost_its_answer_is_recognised_and_the_delivery_goes_on(world, created):
    world.store.lost_answers = 1  # the claim lands, its answer is lost

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    stored = world.store.interviews[created["id"]].follow_ups[THANK_YOU_NOTE]
    assert delivered.channels == {"email": "sent", "sms": "sent"}
    assert (len(world.senders.emails), len(world.senders.sms), stored.attempts) == (1, 1, 1)
