"""What SES tells after a send, applied through the fakes (``followup.usecases.feedback``): a delivery, a permanent
bounce, a complaint, a delay and a rejection each move the email's delivery and stop what they should, once, in any
order, and never for an erased interview or an address edited since."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from followup.api.commands import EditInterview
from followup.domain import feedback
from followup.domain.destinations import address_key
from followup.domain.errors import InvalidFields, InvalidPayload
from followup.domain.models import STEPS
from followup.usecases.feedback import Feedback, FeedbackEarly
from tests.ses_feedback import detail
from tests.unit.builders import SETTINGS, SUBMISSION, World

THANK_YOU_NOTE, CHECK_IN, _ = STEPS


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def confirmed(world) -> dict:
    """An interview confirmed on both channels whose thank-you note went out by email and SMS (one email sent)."""
    answer = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)
    world.deliver(answer["id"], THANK_YOU_NOTE)
    return answer


@pytest.fixture
def nudged(confirmed) -> str:
    return confirmed["id"]


def apply(world: World, record: dict) -> str:
    return Feedback(SETTINGS, world.store, world.clock).email_event(record)


def event(world: World, event_type: str, *, at: str = "2026-03-12T14:02:05.000Z", index: int = -1, **options) -> dict:
    """SES's record of ``event_type`` about the ``index``-th email in the outbox (the last by default)."""
    email = world.senders.emails[index]
    return detail(email, f"email-{world.senders.emails.index(email) + 1}", event_type, at, **options)


def email_of(world: World, interview_id: str, step: str = THANK_YOU_NOTE):
    return world.store.interviews[interview_id].follow_ups[step].deliveries["email"]


def counted(world: World, name: str) -> int:
    return sum(n for (_, metric), n in world.counters.counts.items() if metric.startswith(name + "#"))


def test_every_email_carries_the_interview_its_kind_and_its_channel_as_tags_and_nothing_personal(world, nudged):
    [nudge] = world.senders.emails
    fresh = World()
    answer = fresh.submit()
    [confirmation] = fresh.senders.emails

    assert dict(nudge.tags) == {"interview": nudged, "kind": THANK_YOU_NOTE, "channel": "email"}
    assert dict(confirmation.tags) == {"interview": answer["id"], "kind": "confirmation", "channel": "email"}


def test_a_delivery_marks_the_email_delivered_with_its_time_and_counts_once_however_often_it_comes(world, nudged):
    record = event(world, "Delivery")
    mark = len(world.journal)

    assert apply(world, record) == "applied"
    assert apply(world, record) == "unchanged"

    delivery = email_of(world, nudged)
    assert (delivery.status, delivery.delivered_at, delivery.message_id) == ("delivered", "2026-03-12T14:02:05.000Z",
                                                                             "email-1")
    assert world.journal[mark:] == ["replace"]  # the second changed nothing: no write
    assert counted(world, "delivered") == 1


def test_a_permanent_bounce_stops_the_email_of_that_interview_and_suppresses_the_address_for_30_days(world, nudged):
    assert apply(world, event(world, "Bounce", sub_type="NoEmail")) == "applied"

    stored = world.store.interviews[nudged]
    assert (email_of(world, nudged).status, email_of(world, nudged).reason) == ("bounced", "no_email")
    assert stored.stopped == {"email": "bounced"}
    reason, expires_at = world.store.opt_outs[address_key("email", "jordan@example.com")]
    assert reason == "bounced"
    assert expires_at == int(datetime(2026, 4, 11, 14, 2, 5, tzinfo=UTC).timestamp())  # 30 days after the event
    assert counted(world, "stopped") == 1

    # When the check-in goes out: the SMS does, the email is skipped for the bounce
    world.clock.advance(days=10)
    world.deliver(nudged, CHECK_IN, world.versions(nudged)[CHECK_IN])
    check_in = world.store.interviews[nudged].follow_ups[CHECK_IN]
    assert {ch: (d.status, d.reason) for ch, d in check_in.deliveries.items()} == {
        "email": ("skipped", "bounced"), "sms": ("sent", None)}
    assert len(world.senders.sms) == 2 and len(world.senders.emails) == 1


def test_a_delivery_after_a_bounce_changes_nothing_and_a_duplicate_bounce_writes_nothing(world, nudged):
    apply(world, event(world, "Bounce"))
    mark = len(world.journal)

    assert apply(world, event(world, "Delivery")) == "unchanged"
    assert apply(world, event(world, "Bounce")) == "unchanged"

    assert email_of(world, nudged).status == "bounced"
    assert world.journal[mark:] == []
    assert counted(world, "stopped") == 1 and counted(world, "delivered") == 0


def test_a_complaint_after_a_delivery_applies_and_stops_every_interview_of_that_mailbox(world, nudged):
    apply(world, event(world, "Delivery"))
    # Another interview of the same mailbox, spelled otherwise, confirmed by email before the complaint
    other = SUBMISSION.model_copy(update={"company": "Initech", "channels": ["email"], "sms_consent": False,
                                          "candidate": replace(SUBMISSION.candidate, email="Jordan+jobs@example.com")})
    second = world.submit(other, client="198.51.100.7")["id"]
    world.service.confirm(second, world.confirmation_tokens()["email"])

    assert apply(world, event(world, "Complaint", index=0)) == "applied"

    assert email_of(world, nudged).status == "complained"
    assert world.store.interviews[nudged].stopped == {"email": "complained"}
    assert world.store.opt_outs[address_key("email", "jordan@example.com")] == ("complained", 0)  # for good
    assert counted(world, "stopped") == 1
    # A later bounce of the same address never shortens the complaint's suppression
    apply(world, event(world, "Bounce", index=0, at="2026-03-13T10:00:00.000Z"))
    assert world.store.opt_outs[address_key("email", "jordan@example.com")] == ("complained", 0)
    # The other interview's thank-you note skips its email for the complaint when its turn comes
    world.deliver(second, THANK_YOU_NOTE, world.versions(second)[THANK_YOU_NOTE])
    skipped = email_of(world, second)
    assert (skipped.status, skipped.reason) == ("skipped", "complained")


def test_a_submission_naming_a_bounced_or_complained_address_is_refused_in_plain_words(world, nudged):
    apply(world, event(world, "Bounce"))

    with pytest.raises(InvalidFields) as refused:
        world.submit(SUBMISSION, client="192.0.2.9")

    assert refused.value.fields == [("candidate.email", "Email to this address bounced; check it or choose text messages")]


def test_a_delay_or_a_transient_bounce_is_recorded_and_cancels_nothing(world, nudged):
    assert apply(world, event(world, "DeliveryDelay")) == "applied"
    assert apply(world, event(world, "Bounce", bounce_type="Transient", sub_type="MailboxFull")) == "unchanged"

    delivery = email_of(world, nudged)
    assert (delivery.status, delivery.reason) == ("sent", "delayed")
    assert world.store.interviews[nudged].stopped == {}
    assert world.store.opt_outs == {}
    assert apply(world, event(world, "Delivery")) == "applied"
    assert (email_of(world, nudged).status, email_of(world, nudged).reason) == ("delivered", None)


def test_a_rejection_fails_the_email_for_that_reason(world, nudged):
    assert apply(world, event(world, "Reject")) == "applied"

    assert (email_of(world, nudged).status, email_of(world, nudged).reason) == ("failed", "rejected")
    assert counted(world, "rejected") == 1
    assert world.store.interviews[nudged].stopped == {}


def test_an_event_for_an_erased_interview_changes_nothing_and_creates_nothing(world, nudged):
    record = event(world, "Complaint")
    world.store.interviews.pop(nudged)
    mark = len(world.journal)

    assert apply(world, record) == "gone"

    assert world.journal[mark:] == [] and world.store.opt_outs == {} and nudged not in world.store.interviews


def test_an_event_ahead_of_its_sends_record_raises_so_that_lambda_tries_it_again(world, nudged):
    stored = world.store.interviews[nudged]
    email = stored.follow_ups[THANK_YOU_NOTE].deliveries["email"]
    email.status, email.message_id = "sending", None

    with pytest.raises(FeedbackEarly):
        apply(world, event(world, "Delivery"))

    assert email.status == "sending"


def test_a_bounce_of_an_address_edited_since_suppresses_it_but_leaves_the_new_one_alone(world, confirmed):
    nudged = confirmed["id"]
    record = event(world, "Bounce")
    world.service.update(nudged, confirmed["tokens"]["sms"],
                         EditInterview(given=frozenset({"candidate"}), candidate={"email": "jordan.r@example.org"}))

    assert apply(world, record) == "applied"  # the nudge's own delivery still records its bounce

    assert world.store.interviews[nudged].stopped == {}
    assert address_key("email", "jordan@example.com") in world.store.opt_outs
    assert address_key("email", "jordan.r@example.org") not in world.store.opt_outs


def test_a_confirmation_bounce_stops_the_email_before_any_nudge_and_an_edit_to_another_address_lifts_it(world):
    answer = world.submit()
    confirmation = world.senders.emails[-1]

    apply(world, detail(confirmation, "email-1", "Bounce", "2026-03-10T19:00:03.000Z"))

    assert world.store.interviews[answer["id"]].stopped == {"email": "bounced"}
    sms_token = world.confirmation_tokens()["sms"]
    view = world.service.confirm(answer["id"], sms_token)
    assert view.stopped == {"email": "bounced"}
    world.service.update(answer["id"], sms_token, EditInterview(given=frozenset({"candidate"}),
                                                                candidate={"email": "jordan@example.net"}))
    assert world.store.interviews[answer["id"]].stopped == {}


def test_an_alert_to_a_recruiter_is_not_about_the_candidate(world, nudged):
    record = event(world, "Complaint")
    record["mail"]["tags"]["kind"] = ["alert"]

    assert apply(world, record) == "not_ours"

    assert world.store.interviews[nudged].stopped == {} and world.store.opt_outs == {}


@pytest.mark.parametrize(("change", "named"), [
    (lambda r: r.pop("mail"), "no SES mail record"),
    (lambda r: r.update(eventType="Open"), "type"),
    (lambda r: r["mail"]["tags"].pop("interview"), "tags"),
    (lambda r: r["mail"]["tags"].update(kind=["newsletter"]), "tags"),
    (lambda r: r["mail"].update(messageId=7), "message id"),
    (lambda r: (r["bounce"].pop("bouncedRecipients"), r["mail"].pop("destination")), "recipient"),
    (lambda r: (r["bounce"].update(timestamp="yesterday")), "timestamp"),
])
def test_a_malformed_event_is_refused_naming_what_is_wrong_and_never_the_address(world, nudged, change, named):
    record = event(world, "Bounce")
    change(record)

    with pytest.raises(InvalidPayload) as refused:
        feedback.email_event(record)

    assert named in str(refused.value)
    assert "jordan" not in str(refused.value)
