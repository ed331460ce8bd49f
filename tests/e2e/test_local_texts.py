"""The local stack hears texts back, over real HTTP: a candidate's reply (``POST /_local/sms/inbound``, the console's
reply box) reaches the real feedback function through the template's inbound topic, and SNS's delivery receipts
(``POST /_local/sms/status``, the console's receipts switch) through the template's subscription filters, in the
request and in simulated time. One in-process stack plays four candidates who chose texts once (module fixture):

- A replies DONE to the thank-you note's text, naming it (``reply_to``): the step is done by the reply, and one
  text confirms it;
- B replies "listo" without naming a text: the latest nudge to the number is the one answered; then SNS says B's
  thank-you text was delivered;
- C replies STOP: the check-in is not texted;
- D's thank-you text fails as blocked by the carrier: the check-in is not texted;
- a number with no interview texts DONE: nothing changes, nothing is sent;
- the console's switch turns receipts on ("unreachable") before the check-ins: each one sent fails so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from local.client import request
from tests.integration.forms import submission

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 in New York; each interview was at 13:00
PHONES = {"A": "+14155550201", "B": "+14155550202", "C": "+14155550203", "D": "+14155550204"}
STRANGER = "+14155550299"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Played:
    base: str
    ids: dict[str, str]
    tokens: dict[str, str]
    nudges: dict[str, dict[str, Any]]  # candidate -> the outbox's thank-you text
    outbox_before_replies: dict[str, Any]
    replies: dict[str, Any]  # who -> the answer of POST /_local/sms/inbound
    after_replies: dict[str, dict[str, Any]]
    outbox_after_replies: dict[str, Any]
    statuses: dict[str, Any]  # candidate -> the answer of POST /_local/sms/status
    after_statuses: dict[str, dict[str, Any]]
    switch: Any  # the console's answer to the receipts switch (redirect followed)
    after_check_in: dict[str, dict[str, Any]]
    outbox: dict[str, Any]
    inbound: list[dict[str, Any]]


def outbox_of(base: str) -> dict[str, Any]:
    answer = request("GET", f"{base}/_local/outbox")
    assert answer.status == 200, answer.text
    return answer.json()


def view(base: str, interview_id: str, token: str) -> dict[str, Any]:
    answer = request("GET", f"{base}/interviews/{interview_id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200, answer.text
    return answer.json()


def step(view_: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in view_["follow_ups"] if f["step"] == name)


def texts_to(outbox: dict[str, Any], phone: str) -> list[dict[str, Any]]:
    return [m for m in outbox["sms"] if m["to"] == phone]


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
    base = stack.base_url
    ids, tokens = {}, {}
    for name, phone in PHONES.items():
        body = submission(now=START, channels=("sms",), phone=phone)
        answer = request("POST", f"{base}/interviews", body=body, headers={"Idempotency-Key": f"texts-{name}"})
        assert answer.status == 202, answer.text
        ids[name] = answer.json()["id"]
        text = texts_to(outbox_of(base), phone)[-1]["message"]
        tokens[name] = re.search(rf"/manage/{ids[name]}\?token=([\w.-]+)", text).group(1)
        confirmed = request("POST", f"{base}/interviews/{ids[name]}/confirm",
                            headers={"Authorization": f"Bearer {tokens[name]}"})
        assert confirmed.status == 200, confirmed.text
    assert len(advance(base, 3)) == 4  # the four thank-you notes
    before = outbox_of(base)
    nudges = {name: texts_to(before, phone)[-1] for name, phone in PHONES.items()}

    replies = {
        "A": request("POST", f"{base}/_local/sms/inbound",
                     body={"from": PHONES["A"], "body": "DONE", "reply_to": nudges["A"]["message_id"]}),
        "B": request("POST", f"{base}/_local/sms/inbound", body={"from": PHONES["B"], "body": "listo"}),
        "C": request("POST", f"{base}/_local/sms/inbound", body={"from": PHONES["C"], "body": "Stop"}),
        "stranger": request("POST", f"{base}/_local/sms/inbound", body={"from": STRANGER, "body": "DONE"}),
    }
    after_replies = {name: view(base, ids[name], tokens[name]) for name in PHONES}
    outbox_after_replies = outbox_of(base)

    statuses = {
        "B": request("POST", f"{base}/_local/sms/status", body={"message_id": nudges["B"]["message_id"],
                                                              "status": "SUCCESS"}),
        "D": request("POST", f"{base}/_local/sms/status", body={
            "message_id": nudges["D"]["message_id"], "status": "FAILURE",
            "provider_response": "Phone carrier has blocked this message"}),
    }
    after_statuses = {name: view(base, ids[name], tokens[name]) for name in PHONES}

    switch = request("POST", f"{base}/_local/sms/receipts", body=b"mode=unreachable", headers=FORM)
    advance(base, 8)  # the check-ins
    after_check_in = {name: view(base, ids[name], tokens[name]) for name in PHONES}
    return Played(base, ids, tokens, nudges, before, replies, after_replies, outbox_after_replies, statuses,
                  after_statuses, switch, after_check_in, outbox_of(base),
                  request("GET", f"{base}/_local/sms/inbound").json())


def heard(played: Played, number: str) -> dict[str, Any]:
    return next(t for t in played.inbound if t["from"] == number)


# ---- replies -------------------------------------------------------------------------------------


def test_a_done_reply_naming_the_nudge_marks_its_step_done_and_one_text_confirms_it(played: Played) -> None:
    # Given A's thank-you text, When A replies DONE to it (reply_to)
    answer = played.replies["A"]

    # Then the endpoint answered the inbound message's id, which the function got in AWS's JSON
    assert answer.status == 200 and set(answer.json()) == {"inbound_message_id"}
    entry = heard(played, PHONES["A"])
    assert entry["inbound_message_id"] == answer.json()["inbound_message_id"]
    assert entry["reply_to"] == played.nudges["A"]["message_id"]
    assert [(h["function"], h["result"]) for h in entry["handled_by"]] == [("FeedbackFunction", {"result": ["done"]})]
    # and the step is done by the reply, the other step still to come
    thank_you = step(played.after_replies["A"], "thank_you_note")
    assert (thank_you["status"], thank_you["done_by"]) == ("done", "reply")
    assert step(played.after_replies["A"], "check_in")["status"] == "scheduled"
    # and one text confirms it, to A, after the nudge
    new = texts_to(played.outbox_after_replies, PHONES["A"])[len(texts_to(played.outbox_before_replies, PHONES["A"])):]
    assert [m["message"].startswith("Thanks: the thank-you card is marked done.") for m in new] == [True]


def test_a_done_reply_naming_no_text_answers_the_latest_nudge_to_the_number(played: Played) -> None:
    # Given B's thank-you text, When B replies "listo" without naming it
    assert played.replies["B"].status == 200
    entry = heard(played, PHONES["B"])

    # Then AWS's JSON named no previous message, and the function applied it to the latest nudge: done by reply
    assert entry["reply_to"] is None
    assert [h["result"] for h in entry["handled_by"]] == [{"result": ["done"]}]
    thank_you = step(played.after_replies["B"], "thank_you_note")
    assert (thank_you["status"], thank_you["done_by"]) == ("done", "reply")
    assert len(texts_to(played.outbox_after_replies, PHONES["B"])) == len(
        texts_to(played.outbox_before_replies, PHONES["B"])) + 1  # the confirming text


def test_a_stop_reply_stops_the_interviews_texts(played: Played) -> None:
    # Given C replied STOP (any case)
    entry = heard(played, PHONES["C"])

    # Then the number's keyword was STOP in AWS's JSON and the function stopped C's texts
    assert entry["message_keyword"] == "STOP"
    assert [h["result"] for h in entry["handled_by"]] == [{"result": ["stopped"]}]
    # and the check-in was not texted: skipped because of the STOP, no text after the reply
    check_in = step(played.after_check_in["C"], "check_in")
    assert check_in["deliveries"]["sms"]["status"] == "skipped" and check_in["deliveries"]["sms"]["reason"] == "stop"
    assert texts_to(played.outbox, PHONES["C"]) == texts_to(played.outbox_before_replies, PHONES["C"])


def test_a_reply_from_a_number_with_no_interview_is_answered_with_nothing(played: Played) -> None:
    # Given a number the stack never texted replies DONE
    entry = heard(played, STRANGER)

    # Then the function found no interview, and nothing was sent to it
    assert played.replies["stranger"].status == 200
    assert entry["message_keyword"].startswith("KEYWORD_")  # DONE is not one of the number's keywords
    assert [h["result"] for h in entry["handled_by"]] == [{"result": ["no_interview"]}]
    assert texts_to(played.outbox, STRANGER) == []


# ---- receipts ------------------------------------------------------------------------------------


def test_a_success_receipt_makes_the_text_delivered(played: Played) -> None:
    # Given B's thank-you text, When SNS's SUCCESS record of it arrives
    answer = played.statuses["B"]

    # Then it went to the success group, through its filter, to the function, which delivered it
    assert answer.status == 200, answer.text
    assert answer.json()["log_group"] == "sns/us-east-1/123456789012/DirectPublishToPhoneNumber"
    assert answer.json()["result"] == {"result": {"delivered": 1}}
    sms = step(played.after_statuses["B"], "thank_you_note")["deliveries"]["sms"]
    assert sms["status"] == "delivered" and sms["delivered_at"]


def test_a_failure_receipt_makes_the_text_failed_by_its_class_and_a_blocked_number_stops(played: Played) -> None:
    # Given D's thank-you text, When SNS's FAILURE record says the carrier blocked it
    answer = played.statuses["D"]

    # Then it went to the failure group, and the text failed as blocked
    assert answer.status == 200, answer.text
    assert answer.json()["log_group"] == "sns/us-east-1/123456789012/DirectPublishToPhoneNumber/Failure"
    assert answer.json()["result"] == {"result": {"failed:blocked": 1}}
    sms = step(played.after_statuses["D"], "thank_you_note")["deliveries"]["sms"]
    assert (sms["status"], sms["reason"]) == ("failed", "blocked")
    # and D's check-in was not texted
    check_in = step(played.after_check_in["D"], "check_in")["deliveries"]["sms"]
    assert (check_in["status"], check_in["reason"]) == ("skipped", "blocked")


def test_a_status_for_a_text_not_in_the_outbox_is_404(played: Played) -> None:
    # When a receipt names a message id the stack never sent
    answer = request("POST", f"{played.base}/_local/sms/status", body={"message_id": "no-such-id", "status": "SUCCESS"})

    # Then it is refused
    assert answer.status == 404 and "no-such-id" in answer.json()["message"]


# ---- the console -----------------------------------------------------------------------------------


def test_the_receipts_switch_gives_each_text_sent_its_receipt(played: Played) -> None:
    # Given the console's switch set to "unreachable" before the check-ins
    assert played.switch.status == 200  # urllib followed the 303 back to the console
    assert "SMS delivery receipts: unreachable" in played.switch.text
    assert request("GET", f"{played.base}/_local/sms/receipts").json() == {"mode": "unreachable"}

    # Then each check-in texted got that receipt right away: failed as unreachable
    for name in "AB":
        sms = step(played.after_check_in[name], "check_in")["deliveries"]["sms"]
        assert (sms["status"], sms["reason"]) == ("failed", "unreachable"), name


def test_the_console_shows_a_reply_box_per_text_and_the_switch(played: Played) -> None:
    # When the console is opened
    page = request("GET", f"{played.base}/_local/", headers={"Accept": "text/html"}).text
    received = request("GET", f"{played.base}/_local/sms/inbound").json()

    # Then each SMS has its reply box naming it, the switch shows its mode, and the texts received are listed
    assert page.count('action="/_local/sms/inbound"') == len(played.outbox["sms"])
    for message in played.outbox["sms"]:
        assert f'name="reply_to" value="{message["message_id"]}"' in page
    assert '<option value="unreachable" selected>' in page
    assert f"Received ({len(received)})" in page and len(received) >= 4
    assert "Receipt FAILURE (Phone carrier has blocked this message)" in page


def test_the_reply_box_posts_a_reply_and_comes_back_saying_what_the_function_did(played: Played) -> None:
    # Given A's check-in text, When the console's reply box sends an ordinary text to it
    check_in = texts_to(played.outbox, PHONES["A"])[-1]
    body = f"from=%2B{PHONES['A'][1:]}&reply_to={check_in['message_id']}&body=who+is+this".encode()
    answer = request("POST", f"{played.base}/_local/sms/inbound", body=body, headers=FORM)

    # Then the console says what the function made of it: recorded, with no answer (A's texts stopped when the
    # check-in failed as unreachable), as the texts received list it
    assert answer.status == 200
    said = re.search(r"SMS: Text ([\w-]+) \(KEYWORD_\d+\): FeedbackFunction answered (.*?)</p>", html.unescape(answer.text))
    assert said and said.group(2) == "['recorded']"
    entry = next(t for t in request("GET", f"{played.base}/_local/sms/inbound").json()
                 if t["inbound_message_id"] == said.group(1))
    assert (entry["body"], entry["reply_to"], entry["handled_by"][0]["result"]) == (
        "who is this", check_in["message_id"], {"result": ["recorded"]})
    assert texts_to(outbox_of(played.base), PHONES["A"]) == texts_to(played.outbox, PHONES["A"])


# ---- validation and the console's host -----------------------------------------------------------------


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/_local/sms/inbound", {"from": "4155550123", "body": "DONE"}, "from"),
    ("/_local/sms/inbound", {"from": "+0155550123", "body": "DONE"}, "from"),
    ("/_local/sms/inbound", {"body": "DONE"}, "from"),
    ("/_local/sms/inbound", {"from": "+14155550123", "body": "  "}, "body"),
    ("/_local/sms/inbound", {"from": "+14155550123", "body": "x" * 1601}, "body"),
    ("/_local/sms/inbound", {"from": "+14155550123", "body": "DONE", "reply_to": 5}, "reply_to"),
    ("/_local/sms/inbound", {"from": "+14155550123", "body": "DONE", "reply_to": "not-sent"}, "reply_to"),
    ("/_local/sms/inbound", {"from": "+14155550123", "body": "DONE", "to": "+1"}, "to"),
    ("/_local/sms/inbound", [1], "body"),
    ("/_local/sms/status", {"status": "SUCCESS"}, "message_id"),
    ("/_local/sms/status", {"message_id": "x", "status": "DELIVERED"}, "status"),
    ("/_local/sms/status", {"message_id": "x", "status": "FAILURE", "provider_response": 3}, "provider_response"),
    ("/_local/sms/receipts", {"mode": "sometimes"}, "mode"),
])
def test_a_bad_body_is_400_naming_the_field(played: Played, path: str, body: Any, field: str) -> None:
    # When an endpoint gets a bad field
    answer = request("POST", f"{played.base}{path}", body=body)

    # Then it is refused, naming it, and nothing was sent
    assert answer.status == 400, answer.text
    assert answer.json()["field"] == field and answer.json()["message"].startswith(f"{field}:")


def test_the_text_endpoints_answer_only_to_loopback_names(played: Played) -> None:
    # Given the texts received so far
    received = len(request("GET", f"{played.base}/_local/sms/inbound").json())

    # When a page on another site, rebound to this machine, posts a reply or a receipt under its own name
    for path, body in (("/_local/sms/inbound", {"from": PHONES["A"], "body": "STOP"}),
                       ("/_local/sms/status", {"message_id": played.nudges["A"]["message_id"], "status": "FAILURE"}),
                       ("/_local/sms/receipts", {"mode": "off"})):
        answer = request("POST", f"{played.base}{path}", body=body, headers={"Host": "attacker.example"})

        # Then it is refused, and nothing changed
        assert answer.status == 421, path
    assert request("GET", f"{played.base}/_local/sms/receipts").json() == {"mode": "unreachable"}
    assert len(request("GET", f"{played.base}/_local/sms/inbound").json()) == received
    assert "sms" not in view(played.base, played.ids["A"], played.tokens["A"]).get("stopped", {})
