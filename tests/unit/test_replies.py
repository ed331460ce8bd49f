"""The candidate's replies by SMS and SNS's delivery receipts, through the fakes (``followup.usecases.replies``):
DONE marks the step answered done once and says so once, STOP stops every active interview of that number, other
texts reach the enrolling recruiter (or get one answer a day pointing to the page), and a receipt moves the text's
delivery; a number with no active interview changes nothing."""

from __future__ import annotations

import json

import pytest

from followup.api.commands import EditInterview
from followup.domain import replies
from followup.domain.destinations import address_key
from followup.domain.errors import InvalidPayload
from followup.domain.identity import FirmUser
from followup.domain.models import STEPS
from followup.usecases.firm_service import FirmService
from followup.usecases.replies import FORWARDS_PER_DAY, Replies
from tests.unit.builders import SETTINGS, SUBMISSION, World

THANK_YOU_NOTE, CHECK_IN, _ = STEPS
PHONE = SUBMISSION.candidate.phone
RECRUITER = FirmUser(sub="rec-a", email="priya@acme.example", name="Priya Natarajan", groups=frozenset({"recruiters"}))


@pytest.fixture
def world() -> World:
    return World()


def texted(world: World, command=SUBMISSION, *, enrolled: bool = False) -> dict:
    """An interview confirmed on both channels whose thank-you note went out (the outbox then emptied)."""
    if enrolled:
        answer = FirmService(world.service).enrol(RECRUITER, command)
        for token in world.confirmation_tokens().values():
            world.service.confirm(answer["id"], token)
    else:
        answer = world.submit_confirmed(command)
    world.clock.set(max(world.clock(), _due(world, answer["id"], THANK_YOU_NOTE)))
    world.deliver(answer["id"], THANK_YOU_NOTE, world.versions(answer["id"])[THANK_YOU_NOTE])
    message_id = world.store.interviews[answer["id"]].follow_ups[THANK_YOU_NOTE].deliveries["sms"].message_id
    world.senders.emails.clear()
    world.senders.sms.clear()
    return {**answer, "message_id": message_id}


def _due(world: World, interview_id: str, step: str):
    from datetime import datetime

    return datetime.fromisoformat(world.store.interviews[interview_id].follow_ups[step].due_at)


def reply(world: World, body: str, *, previous: str | None = None, inbound_id: str = "in-1", number: str = PHONE):
    message = {"originationNumber": number, "destinationNumber": "+18445550100", "messageKeyword": "KEYWORD_1",
               "messageBody": body, "inboundMessageId": inbound_id}
    if previous:
        message["previousPublishedMessageId"] = previous
    return Replies(SETTINGS, world.store, world.senders, world.clock).inbound(json.dumps(message))


def counted(world: World, prefix: str) -> int:
    return sum(n for (_, metric), n in world.counters.counts.items() if metric.startswith(prefix))


def test_a_texted_nudge_leaves_pointers_from_its_message_id_and_from_the_number(world):
    sent = texted(world)

    pointer = world.store.sms_pointer(sent["message_id"], int(world.clock().timestamp()))
    latest = world.store.latest_sms(address_key("sms", PHONE), int(world.clock().timestamp()))
    assert (pointer.interview_id, pointer.step) == (sent["id"], THANK_YOU_NOTE)
    assert (latest.interview_id, latest.step, latest.interviews) == (sent["id"], THANK_YOU_NOTE, frozenset({sent["id"]}))


def test_done_marks_the_step_answered_done_once_and_says_so_once_however_often_it_comes(world):
    sent = texted(world)

    assert reply(world, "Done", previous=sent["message_id"]) == "done"
    assert reply(world, "Done", previous=sent["message_id"]) == "duplicate"

    follow_up = world.store.interviews[sent["id"]].follow_ups[THANK_YOU_NOTE]
    assert (follow_up.status, follow_up.done_by) == ("done", "reply")
    [(to, text)] = world.senders.sms
    assert to == PHONE and "thank-you card is marked done" in text
    assert counted(world, "replied#sms#done") == 1


@pytest.mark.parametrize("body", ["listo", "HECHO.", "Hecho!", "done, mailed it", "Lísto"])
def test_done_in_english_or_spanish_any_case_or_accent_answers_the_latest_nudge_without_its_message_id(world, body):
    sent = texted(world)

    assert reply(world, body) == "done"

    assert world.store.interviews[sent["id"]].follow_ups[THANK_YOU_NOTE].done_by == "reply"


def test_stop_stops_texting_every_active_interview_of_that_number_and_the_firms_list_refuses_it(world):
    first = texted(world)
    second = texted(world, SUBMISSION.model_copy(update={"company": "Initech"}))

    assert reply(world, "STOP") == "stopped"

    for sent in (first, second):
        assert world.store.interviews[sent["id"]].stopped == {"sms": "stop"}
    assert world.store.opt_outs[address_key("sms", PHONE)] == ("stop", 0)
    assert counted(world, "stopped#sms#stop") == 2
    # The next nudge emails and skips the text for the STOP
    world.clock.set(_due(world, first["id"], CHECK_IN))
    world.deliver(first["id"], CHECK_IN, world.versions(first["id"])[CHECK_IN])
    deliveries = world.store.interviews[first["id"]].follow_ups[CHECK_IN].deliveries
    assert (deliveries["sms"].status, deliveries["sms"].reason, deliveries["email"].status) == ("skipped", "stop", "sent")


def test_start_and_help_undo_nothing_and_send_nothing(world):
    sent = texted(world)
    reply(world, "STOP")

    assert reply(world, "START", inbound_id="in-2") == "start"  # recorded: the page says how to turn texts on
    assert reply(world, "HELP", inbound_id="in-3") == "help"

    assert world.store.interviews[sent["id"]].stopped == {"sms": "stop"}
    assert world.senders.sms == [] and world.senders.emails == []


def test_another_text_reaches_the_enrolling_recruiter_at_most_five_times_a_day_and_stays_on_the_interview(world):
    sent = texted(world, enrolled=True)

    results = [reply(world, f"Who is this? ({n})", inbound_id=f"in-{n}") for n in range(FORWARDS_PER_DAY + 1)]

    assert results == ["forwarded"] * FORWARDS_PER_DAY + ["recorded"]
    assert [email.to for email in world.senders.emails] == ["priya@acme.example"] * FORWARDS_PER_DAY
    assert "Who is this? (0)" in world.senders.emails[0].text
    stored = world.store.interviews[sent["id"]]
    assert [r.text for r in stored.replies][-1] == f"Who is this? ({FORWARDS_PER_DAY})"
    assert world.senders.sms == []


def test_another_text_from_a_public_candidate_gets_one_answer_a_day_with_a_link_that_opens_their_page(world):
    sent = texted(world)

    assert reply(world, "thanks, mailed it", inbound_id="in-1") == "answered"
    assert reply(world, "hello?", inbound_id="in-2") == "recorded"

    [(to, text)] = world.senders.sms
    token = text.split("token=")[1].split()[0]
    assert to == PHONE and world.service.get(sent["id"], token).id == sent["id"]
    assert [r.text for r in world.store.interviews[sent["id"]].replies] == [None, None]  # nobody reads them


def test_a_number_with_no_active_interview_or_one_edited_since_changes_nothing_and_gets_no_answer(world):
    sent = texted(world)
    mark = len(world.journal)

    assert reply(world, "DONE", number="+14155550199") == "no_interview"
    world.service.update(sent["id"], sent["tokens"]["email"],
                         EditInterview(given=frozenset({"candidate"}), candidate={"phone": "+14155550142"}))
    mark = len(world.journal)
    world.senders.sms.clear()  # the new number's confirmation
    assert reply(world, "DONE", previous=sent["message_id"]) == "no_interview"

    assert world.journal[mark:] == [] and world.senders.sms == []


def test_a_receipt_marks_the_text_delivered_and_a_blocked_number_stops_the_interviews_texts(world):
    sent = texted(world)
    receipts = Replies(SETTINGS, world.store, world.senders, world.clock).receipts

    assert receipts([_log(sent["message_id"], "SUCCESS")]) == {"delivered": 1}
    assert receipts([_log(sent["message_id"], "SUCCESS")]) == {"unchanged": 1}
    sms = world.store.interviews[sent["id"]].follow_ups[THANK_YOU_NOTE].deliveries["sms"]
    assert (sms.status, sms.delivered_at) == ("delivered", "2026-03-13T14:00:07.112000+00:00")

    other = texted(world, SUBMISSION.model_copy(update={"company": "Initech"}))
    assert receipts([_log(other["message_id"], "FAILURE", "Phone carrier has blocked this message")]) == {
        "failed:blocked": 1}
    stored = world.store.interviews[other["id"]]
    assert stored.follow_ups[THANK_YOU_NOTE].deliveries["sms"].reason == "blocked"
    assert stored.stopped == {"sms": "blocked"}
    assert receipts([_log("never-sent", "SUCCESS")]) == {"unknown": 1}


@pytest.mark.parametrize(("message", "named"), [
    ("not json", "not JSON"),
    ({"originationNumber": "4155550123", "inboundMessageId": "i", "messageBody": "x"}, "originationNumber"),
    ({"originationNumber": "+14155550123", "messageBody": "x"}, "inboundMessageId"),
    ({"originationNumber": "+14155550123", "inboundMessageId": "i", "messageBody": 7}, "messageBody"),
])
def test_a_malformed_inbound_text_is_refused_naming_the_field_never_the_number(message, named):
    with pytest.raises(InvalidPayload) as refused:
        replies.inbound_of(message if isinstance(message, str) else json.dumps(message))

    assert named in str(refused.value) and "4155550123" not in str(refused.value)


def test_a_failure_is_kept_as_its_class_never_the_providers_words():
    assert [replies.failure_class(said) for said in (
        "Phone is currently unreachable/unavailable", "Phone carrier has blocked this message",
        "This phone number is opted out", "Unknown error attempting to reach phone")] == [
        "unreachable", "blocked", "opted_out", "unknown"]


def _log(message_id: str, status: str, response: str = "Message has been accepted by phone carrier") -> dict:
    entry = {"notification": {"messageId": message_id, "timestamp": "2026-03-13 14:00:07.112"}, "status": status,
             "delivery": {"destination": PHONE, "providerResponse": response, "smsType": "Transactional"}}
    return {"id": "e-1", "timestamp": 0, "message": json.dumps(entry)}





def test_texts_turned_back_on_on_the_page_after_a_stop_lift_it_there_and_on_the_firms_list_and_a_start_does_not(world):
    sent = texted(world)
    reply(world, "STOP")
    reply(world, "START", inbound_id="in-2")
    assert world.store.interviews[sent["id"]].stopped == {"sms": "stop"}  # a START text undoes nothing silently

    world.service.update(sent["id"], sent["tokens"]["email"], EditInterview(given=frozenset({"sms_consent"}),
                                                                            sms_consent=True))

    assert world.store.interviews[sent["id"]].stopped == {}
    assert address_key("sms", PHONE) not in world.store.opt_outs
    world.clock.set(_due(world, sent["id"], CHECK_IN))
    world.deliver(sent["id"], CHECK_IN, world.versions(sent["id"])[CHECK_IN])
    assert world.store.interviews[sent["id"]].follow_ups[CHECK_IN].deliveries["sms"].status == "sent"


def test_an_edit_that_lifts_no_stop_leaves_the_numbers_stop_from_elsewhere_on_the_firms_list(world):
    sent = texted(world)
    world.store.opt_out(address_key("sms", PHONE), "stop")  # a STOP answered another interview's text

    world.service.update(sent["id"], sent["tokens"]["email"], EditInterview(given=frozenset({"sms_consent"}),
                                                                            sms_consent=True))

    assert world.store.opt_outs[address_key("sms", PHONE)] == ("stop", 0)
