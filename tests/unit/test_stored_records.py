"""What is stored reads back as it was written (``followup.domain.models.load``), and a step's event is checked.

The stored records are plain dataclasses (the step Lambdas import no pydantic), so what pydantic did on
the way back from DynamoDB is ``load``'s to do: the nested records, and DynamoDB's Decimal numbers as int.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

import pytest

from followup.adapters.store import InterviewStore, _interview_of
from followup.domain.errors import InvalidPayload
from followup.domain.models import (
    Candidate,
    Decision,
    Delivery,
    FollowUp,
    Interview,
    Interviewer,
    Person,
    Recruiter,
    TokenGrant,
    load,
)
from followup.usecases.delivery import SchedulePayload

AT = "2026-11-27T14:00:00-05:00"


def everything_set() -> Interview:
    """An interview with every kind of field given a value: nested records, lists, maps, ints and None."""
    return Interview(
        id="i1", status="decided", verified_channels=["email", "sms"], company="Globex", role="Data Analyst",
        tokens=[TokenGrant(hash="h1", kind="manage", channel="sms", expires_at=1_800_000_000),
                TokenGrant(hash="h2", kind="unsubscribe")],
        interviewer=Interviewer(name="Dana Whitfield", title="Head of Data"), interview_at=AT,
        candidate=Candidate(name="Jordan Rivera", preferred_name="Jo", email="jordan@example.com",
                            phone="+14155550123", time_zone="America/New_York", locale="en-GB"),
        channels=["email", "sms"], sms_consent=True, expected_decision_days=9,
        decision=Decision(outcome="offer", hiring_manager=Person(name="Priya Shah"),
                          supervisor=Person(name="Sam Ortiz"), decided_at=AT),
        follow_ups={
            "thank_you_note": FollowUp(step="thank_you_note", status="sent", due_at=AT, version=3, attempts=2,
                                       deliveries={"email": Delivery(status="sent", message_id="m1", at=AT),
                                                   "sms": Delivery(status="skipped", reason="opted_out", at=AT)}),
            "decision_thank_you": FollowUp(step="decision_thank_you", status="sending", due_at=AT,
                                           lease_until=1_790_000_045),
        },
        created_at=AT, updated_at=AT, revision=7, expires_at=1_900_000_000,
        recruiter=Recruiter(id="sub-1", name="Riley Park", email="riley@acme.example"), idempotency_key_hash="k",
    )


def test_an_interview_written_to_dynamodb_reads_back_equal_with_ints_and_nested_records():
    written = everything_set()

    item = InterviewStore("interviews")._interview_item(written)
    read = _interview_of(item)

    assert read == written
    assert type(read.follow_ups["thank_you_note"].deliveries["email"]) is Delivery
    assert type(read.decision.supervisor) is Person and type(read.tokens[0]) is TokenGrant
    # DynamoDB hands numbers back as Decimal; a stored record holds them as int, as it was written.
    assert {type(v) for v in (read.revision, read.expires_at, read.expected_decision_days,
                              read.follow_ups["decision_thank_you"].lease_until, read.tokens[0].expires_at)} == {int}


def test_the_fields_left_out_take_their_defaults_and_unknown_names_are_ignored():
    minimal = {key: value for key, value in asdict(everything_set()).items()
               if key not in ("tokens", "decision", "recruiter", "revision", "cancel_reason")}
    minimal["written_by_a_later_version"] = "ignored"
    minimal["follow_ups"]["thank_you_note"] = {"step": "thank_you_note", "status": "scheduled", "due_at": AT,
                                               "version": Decimal("2")}

    read = load(Interview, minimal)

    assert (read.tokens, read.decision, read.recruiter, read.revision, read.cancel_reason) == ([], None, None, 0, None)
    assert read.follow_ups["thank_you_note"] == FollowUp(step="thank_you_note", status="scheduled", due_at=AT,
                                                         version=2)


def test_a_stored_record_without_a_required_field_is_refused():
    data = asdict(everything_set())
    del data["candidate"]["time_zone"]

    with pytest.raises(TypeError, match="time_zone"):
        load(Interview, data)


# --- the event a step Lambda is invoked with ---------------------------------------------------------


def test_a_schedules_payload_is_read_with_its_other_keys_ignored():
    payload = SchedulePayload.of({"interview_id": "i1", "step": "check_in", "version": 4, "extra": True})

    assert payload == SchedulePayload("i1", "check_in", 4)


@pytest.mark.parametrize(("event", "named"), [
    ({"step": "check_in", "version": 1}, "interview_id"),
    ({"interview_id": "", "step": "check_in", "version": 1}, "interview_id"),
    ({"interview_id": 7, "step": "check_in", "version": 1}, "interview_id"),
    ({"interview_id": "i1", "step": "lunch", "version": 1}, "step"),
    ({"interview_id": "i1", "step": "check_in"}, "version"),
    ({"interview_id": "i1", "step": "check_in", "version": "1"}, "version"),
    ({"interview_id": "i1", "step": "check_in", "version": True}, "version"),
])
def test_an_event_that_is_not_a_schedules_payload_is_refused_naming_the_key(event, named):
    with pytest.raises(InvalidPayload, match=f"no valid {named}$"):
        SchedulePayload.of(event)


def test_an_event_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidPayload, match="list"):
        SchedulePayload.of(["i1", "check_in", 1])
