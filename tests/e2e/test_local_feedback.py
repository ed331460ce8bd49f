"""The local stack hears back from SES, over real HTTP: emails to SES's mailbox-simulator addresses make SES's
events, which reach the real feedback function through the template's event destination and EventBridge rule,
in the request that sent them and in simulated time; the dev console's buttons make a bounce or a complaint of
any email. One in-process stack plays five candidates' interviews once (module fixture):

- A: ``bounce+a@`` with texts: the confirmation email bounces, the texts confirm; the thank-you note is texted
  and its email skipped as bounced;
- B: ``success+b@`` by email: confirmed, the thank-you note and the check-in delivered;
- C: ``ooto+c@`` by email: confirmed, the thank-you note delivered, then marked as spam with the console's
  "Complain" button: the check-in's email is skipped as complained;
- D: ``complaint+d@`` with texts: the confirmation is delivered then marked as spam; the texts confirm;
- E: ``suppressionlist+e@`` by email: the confirmation bounces as on the account's suppression list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from local.client import request
from tests.integration.forms import submission

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 in New York; each interview was at 13:00
THANK_YOU_AT = "2026-03-12T13:00"  # 09:00 in New York, two days on (UTC, to the minute)
CHECK_IN_AT = "2026-03-20T13:00"
SIMULATOR = "simulator.amazonses.com"
CANDIDATES = {  # name -> (email, channels, phone)
    "A": (f"bounce+a@{SIMULATOR}", ("email", "sms"), "+14155550101"),
    "B": (f"success+b@{SIMULATOR}", ("email",), None),
    "C": (f"ooto+c@{SIMULATOR}", ("email",), None),
    "D": (f"complaint+d@{SIMULATOR}", ("email", "sms"), "+14155550104"),
    "E": (f"suppressionlist+e@{SIMULATOR}", ("email",), None),
}


@dataclass
class Played:
    base: str
    ids: dict[str, str]  # candidate -> interview id
    tokens: dict[str, str]  # candidate -> manage token
    confirmations: dict[str, dict[str, Any]]  # candidate -> the outbox's confirmation email
    after_confirming: dict[str, dict[str, Any]]  # candidate -> view once confirmed (A, B, C, D)
    after_thank_you: dict[str, dict[str, Any]]
    complain_button: Any  # the console's answer to C's "Complain" (redirect followed)
    after_complaint: dict[str, Any]  # C's view right after
    after_check_in: dict[str, dict[str, Any]]
    outbox: dict[str, Any]  # at the end
    recorded: dict[str, Any] = field(default_factory=dict)  # candidate -> the interview as the product stored it


def outbox_of(base: str) -> dict[str, Any]:
    answer = request("GET", f"{base}/_local/outbox")
    assert answer.status == 200, answer.text
    return answer.json()


def token_in(text: str, interview_id: str) -> str:
    return re.search(rf"/manage/{interview_id}\?token=([\w.-]+)", text).group(1)


def view(base: str, interview_id: str, token: str) -> dict[str, Any]:
    answer = request("GET", f"{base}/interviews/{interview_id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200, answer.text
    return answer.json()


def step(view_: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in view_["follow_ups"] if f["step"] == name)


def email_to(outbox: dict[str, Any], address: str, subject_starts: str = "") -> dict[str, Any]:
    return next(m for m in reversed(outbox["emails"]) if m["to"] == address and m["subject"].startswith(subject_starts))


def advance(base: str, days: int) -> list[str]:
    answer = request("POST", f"{base}/_local/clock", body={"advance_days": days})
    assert answer.status == 200, answer.text
    return answer.json()["fired"]


@pytest.fixture(scope="module")
def stack() -> Iterator[Any]:
    from local.stack import EmbeddedStack

    with EmbeddedStack(port=0, quiet=True, start=START, settings={"SUBMISSIONS_PER_HOUR_PER_CLIENT": "100"}) as running:
        try:
            yield running
        finally:
            # moto's state is the process's: forget it, so the next in-process stack provisions afresh
            request("POST", f"{running.moto_url}/moto-api/reset")


@pytest.fixture(scope="module")
def played(stack: Any) -> Played:
    from followup.adapters.store import InterviewStore

    base = stack.base_url
    ids, tokens, confirmations = {}, {}, {}
    for name, (address, channels, phone) in CANDIDATES.items():
        body = submission(now=START, channels=channels, email=address, phone=phone or "+14155550199")
        answer = request("POST", f"{base}/interviews", body=body, headers={"Idempotency-Key": f"feedback-{name}"})
        assert answer.status == 202, answer.text
        ids[name] = answer.json()["id"]
        outbox = outbox_of(base)
        confirmations[name] = email_to(outbox, address)
        # a bounced or complained address confirms from its text, the others from their email
        texted = "sms" in channels
        source = next(m["message"] for m in outbox["sms"] if m["to"] == phone) if texted else confirmations[name]["text"]
        tokens[name] = token_in(source, ids[name])
    after_confirming = {}
    for name in "ABCD":
        confirmed = request("POST", f"{base}/interviews/{ids[name]}/confirm",
                            headers={"Authorization": f"Bearer {tokens[name]}"})
        assert confirmed.status == 200, confirmed.text
        after_confirming[name] = view(base, ids[name], tokens[name])

    assert len(advance(base, 3)) == 4  # the four thank-you notes
    after_thank_you = {name: view(base, ids[name], tokens[name]) for name in "ABCD"}
    c_note = email_to(outbox_of(base), CANDIDATES["C"][0], "")
    complain = request("POST", f"{base}/_local/ses/feedback",
                       body=f"message_id={c_note['message_id']}&type=complaint".encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    after_complaint = view(base, ids["C"], tokens["C"])
    advance(base, 8)  # the check-ins
    after_check_in = {name: view(base, ids[name], tokens[name]) for name in "ABCD"}
    with stack.lock:
        recorded = {name: InterviewStore(stack._resources.table_name).load(ids[name]) for name in "ABCD"}
    return Played(base, ids, tokens, confirmations, after_confirming, after_thank_you, complain, after_complaint,
                  after_check_in, outbox_of(base), recorded)


def handled(entry: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(h["function"], h.get("result")) for h in entry["handled_by"]]


def test_the_functions_configuration_set_is_the_templates_provisioned_on_moto(stack: Any) -> None:
    # Given the configuration set the functions are told to name, and the template's
    import os

    import boto3

    from local import provision

    declared = provision.resource("EmailConfigurationSet")
    name = os.environ["SES_CONFIGURATION_SET"]

    # When moto is asked for it
    found = boto3.client("sesv2", endpoint_url=stack.moto_url).get_configuration_set(ConfigurationSetName=name)

    # Then it exists, with the template's suppression and reputation options
    assert found["ConfigurationSetName"] == name == stack._resources.configuration_sets["EmailConfigurationSet"]
    assert found["SuppressionOptions"] == declared["SuppressionOptions"]
    assert found["ReputationOptions"] == declared["ReputationOptions"]


# ---- the mailbox simulator's addresses --------------------------------------------------------------


def test_a_simulator_bounce_reaches_the_feedback_function_through_the_rule_and_stops_the_email(played: Played) -> None:
    # Given A's confirmation email, sent to the bounce address
    [heard] = played.confirmations["A"]["feedback"]

    # Then SES's permanent bounce reached the feedback function, which applied it: the steps to come say the
    # email will be skipped as bounced, and the thank-you note went by text only, no email after the confirmation
    assert (heard["event"], heard["bounce_type"], heard["bounce_subtype"]) == ("Bounce", "Permanent", "General")
    assert handled(heard) == [("FeedbackFunction", {"result": "applied"})]
    assert step(played.after_confirming["A"], "thank_you_note")["deliveries"]["email"] == {
        "status": "skipped", "reason": "bounced", "at": None, "delivered_at": None}
    note = step(played.after_thank_you["A"], "thank_you_note")["deliveries"]
    assert (note["email"]["status"], note["sms"]["status"]) == ("skipped", "sent")
    assert [m["subject"][:7] for m in played.outbox["emails"] if m["to"] == CANDIDATES["A"][0]] == ["Confirm"]


def test_a_delivery_makes_the_step_delivered_at_the_simulated_time_it_went_out(played: Played) -> None:
    # Given B's thank-you note and check-in, sent when the clock fired them
    note = step(played.after_thank_you["B"], "thank_you_note")["deliveries"]["email"]
    check_in = step(played.after_check_in["B"], "check_in")["deliveries"]["email"]
    [heard] = email_to(played.outbox, CANDIDATES["B"][0], "").get("feedback")

    # Then each is delivered, at the simulated moment it was sent (not the real time)
    assert note["status"] == "delivered" and note["delivered_at"].startswith(THANK_YOU_AT)
    assert check_in["status"] == "delivered" and check_in["delivered_at"].startswith(CHECK_IN_AT)
    assert heard["event"] == "Delivery" and heard["at"].startswith(CHECK_IN_AT)
    assert handled(heard) == [("FeedbackFunction", {"result": "applied"})]


@pytest.mark.parametrize(("candidate", "events"), [
    ("C", [("Delivery", None)]),  # ooto+c@: delivered (the out-of-office reply is no event)
    ("D", [("Delivery", None), ("Complaint", None)]),  # complaint+d@: delivered, then marked as spam
    ("E", [("Bounce", "OnAccountSuppressionList")]),  # suppressionlist+e@
])
def test_each_labelled_simulator_address_makes_its_scenarios_events(played: Played, candidate: str,
                                                                   events: list[tuple[str, str | None]]) -> None:
    # Given the candidate's confirmation email, to a simulator address with a +label
    heard = played.confirmations[candidate]["feedback"]

    # Then SES's events of that scenario reached the feedback function, each answered
    assert [(entry["event"], entry.get("bounce_subtype")) for entry in heard] == events
    assert all(h["function"] == "FeedbackFunction" and "result" in h for entry in heard for h in entry["handled_by"])


def test_a_complaint_about_the_confirmation_stops_the_email_and_the_texts_go_on(played: Played) -> None:
    # Given D, whose confirmation email was marked as spam, confirmed by text
    [_, complaint] = played.confirmations["D"]["feedback"]

    # Then the complaint was applied: the steps to come say the email will be skipped as complained, and the
    # thank-you note was texted, no email after the confirmation
    assert handled(complaint) == [("FeedbackFunction", {"result": "applied"})]
    pending = step(played.after_confirming["D"], "thank_you_note")["deliveries"]["email"]
    assert (pending["status"], pending["reason"]) == ("skipped", "complained")
    note = step(played.after_thank_you["D"], "thank_you_note")["deliveries"]
    assert (note["email"]["status"], note["sms"]["status"]) == ("skipped", "sent")
    assert [m["subject"][:7] for m in played.outbox["emails"] if m["to"] == CANDIDATES["D"][0]] == ["Confirm"]


def test_the_events_carry_the_time_of_the_simulated_clock(played: Played) -> None:
    # Given every event the stack published
    moments = [entry["at"] for email in played.outbox["emails"] for entry in email["feedback"]]

    # Then each happened in 2026's simulated March, when its email was sent, never at the real time
    assert moments and all(moment.startswith("2026-03-") for moment in moments)
    assert {email["sent_at"][:16] for email in played.outbox["emails"] if email["feedback"]} >= {
        START.isoformat()[:16], THANK_YOU_AT, CHECK_IN_AT}


# ---- the outbox's message ids ---------------------------------------------------------------------


def test_the_outboxs_message_ids_are_those_the_product_recorded(played: Played) -> None:
    # Given the interviews as the product stored them, and the outbox
    outbox = played.outbox
    for name in "AD":  # texted
        phone = CANDIDATES[name][2]
        sms = [m for m in outbox["sms"] if m["to"] == phone]
        # Then each step's text carries the id SNS answered, as the product recorded it
        recorded = [played.recorded[name].follow_ups[s].deliveries["sms"].message_id
                    for s in ("thank_you_note", "check_in")]
        assert [m["message_id"] for m in sms[1:]] == recorded  # after the confirmation
    for name in "BC":
        sent = [m for m in outbox["emails"] if m["to"] == CANDIDATES[name][0]]
        recorded = [played.recorded[name].follow_ups["thank_you_note"].deliveries["email"].message_id]
        # and each email the id SES answered
        assert sent[1]["message_id"] == recorded[0] and len({m["message_id"] for m in outbox["emails"]}) == len(
            outbox["emails"])


def test_every_outbox_message_has_the_documented_fields(played: Played) -> None:
    # Then emails and texts read as the local endpoints' contract says, each email with what SES told of it
    assert {tuple(sorted(m)) for m in played.outbox["emails"]} == {tuple(sorted(
        ["to", "from", "subject", "text", "html", "headers", "sent_at", "message_id", "feedback"]))}
    assert {tuple(sorted(m)) for m in played.outbox["sms"]} == {("message", "message_id", "sent_at", "to")}


# ---- the console's buttons ------------------------------------------------------------------------


def test_the_complain_button_marks_the_email_as_spam_and_the_next_nudge_is_skipped(played: Played) -> None:
    # Given C's thank-you note, delivered, then the console's "Complain" pressed for it
    note = email_to(played.outbox, CANDIDATES["C"][0], "")  # the latest: the thank-you note

    # Then the console came back saying what the function answered, the step says complained, and the check-in's
    # email was skipped as complained
    assert played.complain_button.status == 200  # urllib followed the 303 back to the console
    assert "SES feedback: Email Complaint Received of" in played.complain_button.text
    assert "FeedbackFunction answered applied" in played.complain_button.text
    assert step(played.after_thank_you["C"], "thank_you_note")["deliveries"]["email"]["status"] == "delivered"
    assert step(played.after_complaint, "thank_you_note")["deliveries"]["email"]["status"] == "complained"
    check_in = step(played.after_check_in["C"], "check_in")["deliveries"]["email"]
    assert (check_in["status"], check_in["reason"]) == ("skipped", "complained")
    assert [entry["event"] for entry in note["feedback"]] == ["Delivery", "Complaint"]


def test_the_console_shows_each_emails_feedback_and_its_buttons(played: Played) -> None:
    page = request("GET", f"{played.base}/_local/")

    assert page.status == 200
    assert page.text.count('action="/_local/ses/feedback"') == len(played.outbox["emails"])
    assert page.text.count('value="bounce">Bounce</button>') == len(played.outbox["emails"])
    assert "Email Bounced (Permanent, General) at 2026-03-10T19:00" in page.text
    assert f'<input type="hidden" name="message_id" value="{played.confirmations["A"]["message_id"]}">' in page.text


def test_the_bounce_endpoint_answers_the_functions_result(played: Played) -> None:
    # Given B's check-in email, delivered
    sent = email_to(played.outbox, CANDIDATES["B"][0], "")

    # When a bounce of it is posted as JSON, then again
    first = request("POST", f"{played.base}/_local/ses/feedback", body={"message_id": sent["message_id"], "type": "bounce"})
    again = request("POST", f"{played.base}/_local/ses/feedback", body={"message_id": sent["message_id"], "type": "bounce"})

    # Then each answers the event and the feedback function's result (the second changes nothing more)
    assert first.status == again.status == 200
    assert (first.json()["detail_type"], first.json()["bounce_type"]) == ("Email Bounced", "Permanent")
    assert first.json()["message_id"] == sent["message_id"]
    assert first.json()["result"]["result"] in ("applied", "unchanged")
    assert again.json()["result"] == {"result": "unchanged"}


@pytest.mark.parametrize(("body", "status"), [
    ({"message_id": "no-such-message", "type": "bounce"}, 404),
    ({"message_id": "x", "type": "unsubscribe"}, 400),
    ({"message_id": "x"}, 400),
    ({"message_id": "x", "type": "bounce", "extra": 1}, 400),
])
def test_the_feedback_endpoint_refuses_what_it_cannot_make(played: Played, body: dict[str, Any], status: int) -> None:
    answer = request("POST", f"{played.base}/_local/ses/feedback", body=body)

    assert answer.status == status
    assert answer.json()["message"]


def test_the_feedback_endpoint_answers_loopback_hosts_only(played: Played) -> None:
    sent = played.confirmations["B"]

    answer = request("POST", f"{played.base}/_local/ses/feedback", body={"message_id": sent["message_id"],
                                                                         "type": "complaint"},
                     headers={"Host": "rebound.example"})

    assert answer.status == 421
    assert [entry["event"] for entry in email_to(outbox_of(played.base), sent["to"], "Confirm")["feedback"]] == \
        [entry["event"] for entry in sent["feedback"]]  # nothing was made


# ---- what makes no event ----------------------------------------------------------------------------


def test_an_email_sent_without_the_configuration_set_makes_no_event(played: Played, stack: Any) -> None:
    # Given two emails about B's interview to the bounce address, sent by the product's SES adapter as a function
    # sends them: one naming the stack's configuration set, one naming none
    import os

    from followup.adapters.notify import AwsSenders
    from followup.ports import Email

    email = Email(sender="followups@example.com", sender_name="Acme", to=f"bounce@{SIMULATOR}", subject="Test",
                  text="x", html="<html><body>x</body></html>",
                  tags=(("interview", played.ids["B"]), ("kind", "confirmation"), ("channel", "email")))
    with stack.lock:
        with_set = AwsSenders(os.environ["SES_CONFIGURATION_SET"]).send_email(email)
        without = AwsSenders("").send_email(email)

    # When the next request goes through the stack (where it hears back)
    request("GET", f"{played.base}/openapi.json")
    heard = {m["message_id"]: m["feedback"] for m in outbox_of(played.base)["emails"]}

    # Then SES published the bounce of the one with the set to the feedback function, and nothing of the other,
    # nor makes a bounce of it on request
    assert [(entry["event"], [h["function"] for h in entry["handled_by"]]) for entry in heard[with_set]] == [
        ("Bounce", ["FeedbackFunction"])]
    assert heard[without] == []
    assert request("POST", f"{played.base}/_local/ses/feedback",
                   body={"message_id": without, "type": "bounce"}).status == 409
