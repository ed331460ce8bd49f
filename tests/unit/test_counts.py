"""The report's counts, kept as events happen (``followup.domain.counts``), through the service and the delivery on
fakes: each event counted once on the firm's day, a retried or raced write never twice, a correction moving
its outcome, and the shaping of the report (JSON summary, CSV rows)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from followup.api.commands import RecordDecision
from followup.domain import counts, transitions
from followup.domain.errors import DeliveryFailed
from followup.domain.models import STEPS, Person
from tests.unit.builders import SETTINGS, SUBMISSION, World

THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS
FIRM_ZONE = ZoneInfo(SETTINGS.default_time_zone)


@pytest.fixture
def world() -> World:
    return World()


def totals(world: World) -> Counter[str]:
    """Every count so far, summed over days."""
    found: Counter[str] = Counter()
    for (_day, metric), n in world.counters.counts.items():
        found[metric] += n
    return +found


def today(world: World) -> str:
    return world.clock().astimezone(FIRM_ZONE).date().isoformat()


def test_a_submission_counts_one_enrolment_and_a_confirmation_sent_per_destination_on_the_firms_day(world):
    world.submit()

    assert world.counters.counts == {
        (today(world), "enrolled#public"): 1,
        (today(world), f"confirmation_sent#{SUBMISSION.channels[0]}"): 1,
        (today(world), f"confirmation_sent#{SUBMISSION.channels[1]}"): 1,
    }


def test_an_idempotent_replay_counts_nothing_more(world):
    world.submit(key="k-1")
    first = totals(world)

    world.submit(key="k-1")

    assert totals(world) == first


def test_the_write_counts_each_confirmation_and_one_that_did_not_go_is_taken_back(world):
    world.senders.failures["sms"] = 3  # the text is refused at every try

    answer = world.submit()

    assert answer["status"] == "awaiting_confirmation"
    assert len(world.senders.emails) == 1 and world.senders.sms == []
    assert (totals(world)["confirmation_sent#email"], totals(world)["confirmation_sent#sms"]) == (1, 0)


def test_a_take_back_that_fails_loses_that_correction_not_the_submission(world):
    world.senders.failures["sms"] = 3
    world.counters.faults = 1  # the take-back of the text that did not go fails

    answer = world.submit()

    assert answer["status"] == "awaiting_confirmation" and world.senders.sms == []
    assert (totals(world)["confirmation_sent#email"], totals(world)["confirmation_sent#sms"]) == (1, 1)


def test_each_destination_confirmed_counts_once_however_often_its_link_is_used(world):
    created = world.submit_confirmed()
    before = totals(world)

    world.service.confirm(created["id"], created["tokens"]["email"])

    assert before["confirmed#email"] == before["confirmed#sms"] == 1
    assert totals(world) == before


def test_a_delivery_counts_each_channel_sent_once_even_when_its_writes_fault_or_lose_a_race(world):
    created = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)
    before = totals(world)
    world.store.faults = 1  # the claim's write fails once (nothing written)
    world.store.lost_answers = 1  # then a write lands but its answer is lost (recognised on the reload)

    delivered = world.deliver(created["id"], THANK_YOU_NOTE)

    assert delivered.channels == {"email": "sent", "sms": "sent"}
    assert totals(world) - before == Counter({f"nudge_sent#{THANK_YOU_NOTE}#email": 1,
                                              f"nudge_sent#{THANK_YOU_NOTE}#sms": 1})


def test_a_send_whose_answer_was_lost_counts_as_sent_and_unconfirmed_once(world):
    created = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)
    world.senders.lost_answers.add("email")

    world.deliver(created["id"], THANK_YOU_NOTE)
    world.deliver(created["id"], THANK_YOU_NOTE)  # Lambda's twin: not pending any more

    assert totals(world)[f"nudge_sent#{THANK_YOU_NOTE}#email"] == 1
    assert totals(world)[f"nudge_unconfirmed#{THANK_YOU_NOTE}#email"] == 1


def test_an_unconfirmed_channel_counts_as_skipped_with_its_reason(world):
    created = world.submit_confirmed(channels=("email",))
    world.clock.advance(days=2, hours=19)

    world.deliver(created["id"], THANK_YOU_NOTE)

    assert totals(world)[f"nudge_skipped#{THANK_YOU_NOTE}#sms#unverified"] == 1
    assert totals(world)[f"nudge_sent#{THANK_YOU_NOTE}#sms"] == 0


def test_a_number_that_opted_out_counts_as_skipped_opted_out(world):
    created = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)
    world.senders.opted_out.add(SUBMISSION.candidate.phone)

    world.deliver(created["id"], THANK_YOU_NOTE)

    assert totals(world)[f"nudge_skipped#{THANK_YOU_NOTE}#sms#opted_out"] == 1


def test_a_channel_failing_on_every_attempt_counts_one_failure_after_the_last(world):
    created = world.submit_confirmed()
    world.clock.advance(days=2, hours=19)
    world.senders.failures["sms"] = 99

    for attempt in range(SETTINGS.max_delivery_attempts):
        assert totals(world)[f"nudge_failed#{THANK_YOU_NOTE}#sms"] == 0, attempt
        with pytest.raises(DeliveryFailed):
            world.deliver(created["id"], THANK_YOU_NOTE)

    assert totals(world)[f"nudge_failed#{THANK_YOU_NOTE}#sms"] == 1
    assert totals(world)[f"nudge_sent#{THANK_YOU_NOTE}#email"] == 1


def test_an_unsubscribe_counts_one_opt_out_and_a_second_one_nothing_more(world):
    created = world.submit_confirmed()

    world.service.unsubscribe(created["unsubscribe_token"])
    world.service.unsubscribe(created["unsubscribe_token"])

    assert totals(world)["cancelled#unsubscribed"] == 1


def test_an_interview_replaced_by_a_newer_one_counts_as_replaced_not_as_an_opt_out(world):
    world.submit_confirmed()
    world.submit_confirmed()  # the same destination, company and day

    assert totals(world)["cancelled#replaced"] == 1 and totals(world)["cancelled#unsubscribed"] == 0


def test_a_corrected_decision_moves_its_outcome_and_counts_one_correction(world):
    created = world.submit_confirmed()
    world.service.decide(created["id"], created["manage_token"], RecordDecision(outcome="not_selected"))
    decided_day = today(world)
    world.clock.advance(days=3)

    offer = RecordDecision(outcome="offer", supervisor=Person(name="Marcus Chen"))

    world.service.work.apply(created["id"], created["manage_token"],
                             lambda interview, _now: transitions.correct_decision(interview, offer))

    assert world.counters.counts[(decided_day, "outcome#not_selected")] == 0
    assert world.counters.counts[(decided_day, "outcome#offer")] == 1
    assert world.counters.counts[(today(world), "correction")] == 1


def test_a_count_falls_on_the_firms_day_not_utcs():
    zone = ZoneInfo("America/New_York")
    late_evening = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)  # 23:30 on the 10th in New York

    assert counts.day_of(late_evening, zone) == "2026-03-10"


def test_a_metric_part_holding_the_separator_is_refused():
    with pytest.raises(ValueError, match="#"):
        counts.metric("enrolled", "recruiter", "a#b")


# ---- the report's shapes ---------------------------------------------------------------------------

TOTALS = {
    "enrolled#public": 3, "enrolled#recruiter#sub-1": 2, "confirmation_sent#email": 5, "confirmed#sms": 1,
    f"nudge_sent#{CHECK_IN}#email": 4, f"nudge_skipped#{CHECK_IN}#sms#unverified": 2,
    f"nudge_failed#{THANK_YOU_NOTE}#sms": 1, "cancelled#unsubscribed": 1, "cancelled#replaced": 2,
    "outcome#offer": 2, "correction": 1, "from_a_newer_version#x": 7,
}


def test_the_csv_rows_name_each_part_in_its_column_and_leave_out_what_this_version_does_not_know():
    rows = {tuple(r[c] for c in counts.CSV_COLUMNS[:-1]): r["count"] for r in counts.rows(TOTALS)}

    assert rows == {
        ("enrolled", "", "", "public_form", ""): 3, ("enrolled", "", "", "by_recruiter", "sub-1"): 2,
        ("confirmation_sent", "", "email", "", ""): 5, ("destination_confirmed", "", "sms", "", ""): 1,
        ("nudge_sent", CHECK_IN, "email", "", ""): 4, ("nudge_skipped", CHECK_IN, "sms", "unverified", ""): 2,
        ("nudge_failed", THANK_YOU_NOTE, "sms", "", ""): 1, ("opt_out", "", "", "", ""): 1,
        ("cancelled", "", "", "replaced", ""): 2, ("offer", "", "", "", ""): 2, ("correction", "", "", "", ""): 1,
    }


def test_the_summary_has_every_step_and_channel_and_the_counted_reasons_and_recruiters():
    report = counts.summary(TOTALS)

    assert report["enrolled"] == {"total": 5, "public": 3, "by_recruiter": {"sub-1": 2}}
    assert set(report["nudges"]) == set(STEPS)
    assert report["nudges"][CHECK_IN]["sent"] == {"email": 4, "sms": 0}
    assert report["nudges"][CHECK_IN]["skipped"] == {"sms": {"unverified": 2}}
    assert report["nudges"][THANK_YOU_NOTE]["failed"] == {"email": 0, "sms": 1}
    assert (report["opt_outs"], report["cancelled"], report["corrections"]) == (1, {"replaced": 2}, 1)
    assert report["outcomes"] == {"offer": 2, "not_selected": 0}


HEARD_BACK = {
    "confirmation_sent#email": 600, f"nudge_sent#{THANK_YOU_NOTE}#email": 300, f"nudge_sent#{CHECK_IN}#email": 100,
    f"delivered#{THANK_YOU_NOTE}#email": 280, f"delivered#{CHECK_IN}#email": 95, f"rejected#{CHECK_IN}#email": 1,
    "stopped#email#bounced": 60, "stopped#email#complained": 2, "stopped#sms#blocked": 4, "replied#sms#done": 2,
    "replied#sms#text": 1,
}


def test_the_summary_counts_what_ses_told_per_channel_and_each_rate_beside_what_aws_reviews_and_pauses_at():
    report = counts.summary(HEARD_BACK)

    assert report["feedback"]["email"] == {"delivered": 375, "bounced": 60, "complained": 2, "rejected": 1,
                                           "replied": 0, "stopped": {}}
    assert report["feedback"]["sms"] == {"delivered": 0, "bounced": 0, "complained": 0, "rejected": 0, "replied": 3,
                                         "stopped": {"blocked": 4}}
    # 1,000 emails sent (confirmations and nudges): 6% bounced, 0.2% complained
    assert report["rates"]["email"] == {
        "bounce": {"rate": 0.06, "review_at": 0.05, "paused_at": 0.10},
        "complaint": {"rate": 0.002, "review_at": 0.001, "paused_at": 0.005},
    }
    assert counts.summary({})["rates"]["email"]["bounce"]["rate"] is None  # nothing sent: no rate, not 0


def test_the_csv_names_what_ses_and_sns_told_by_step_channel_and_reason():
    rows = {tuple(r[c] for c in counts.CSV_COLUMNS[:-1]): r["count"] for r in counts.rows(HEARD_BACK)}

    assert rows[("delivered", THANK_YOU_NOTE, "email", "", "")] == 280
    assert rows[("rejected", CHECK_IN, "email", "", "")] == 1
    assert rows[("bounced", "", "email", "", "")] == 60 and rows[("complained", "", "email", "", "")] == 2
    assert rows[("texts_stopped", "", "sms", "blocked", "")] == 4
    assert rows[("replied", "", "sms", "done", "")] == 2 and rows[("replied", "", "sms", "text", "")] == 1
