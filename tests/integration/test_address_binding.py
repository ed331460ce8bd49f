"""A token proves the address it was delivered to: the edit path, its limits, one mailbox written many ways,
and the firm-wide opt-out, through the real API handler on moto (issue 18's attacks, each replayed).

Each of these passed for the attacker before tokens were bound to their address: an old manage token
confirmed whatever address the interview was edited to, edits sent confirmations without limit, and every
spelling of one mailbox was a new destination.
"""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from followup.adapters.store import InterviewStore
from followup.domain import tokens
from local import environment
from tests.conftest import load_event
from tests.integration.harness import (
    body_part,
    call_api,
    clear_outbox,
    confirmation_tokens,
    emails,
    runner,
    sms,
    submit_confirmed,
    unsubscribe_token_in,
)

SUBMISSION = json.loads(load_event("submit_interview.json")["body"])
VICTIM = {"email": "victim@example.com", "phone": "+14155550123"}
STRANGER = {"email": "stranger@example.net", "phone": "+12025550143"}


def body_for(contact: dict[str, str], channels: tuple[str, ...] = ("email",), **fields) -> dict:
    candidate = {**SUBMISSION["candidate"], **contact}
    if "sms" not in channels:
        candidate.pop("phone", None)
    return {**SUBMISSION, "candidate": candidate, "channels": list(channels), "sms_consent": "sms" in channels,
            "company": "Initech", **fields}


def stored(resources, interview_id: str) -> dict:
    table = boto3.client("dynamodb", region_name="us-east-1")
    return table.get_item(TableName=resources.table_name, Key={"pk": {"S": f"INTERVIEW#{interview_id}"}})["Item"]


def interviews(resources) -> set[str]:
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName=resources.table_name)["Items"]
    return {item["pk"]["S"] for item in items if item["pk"]["S"].startswith("INTERVIEW#")}


def view(created: dict, token: str | None = None):
    return call_api("GET", f"/interviews/{created['id']}", token=token or created["manage_token"])


# ---- 1. an old manage token never confirms a new address ----------------------------------------------


@pytest.mark.parametrize(("channel", "contact"), [("email", "email"), ("sms", "phone")])
def test_a_stranger_who_edits_in_the_victims_address_cannot_confirm_it_and_the_victim_keeps_their_interview(
        aws_env, channel, contact):
    # Given a victim's confirmed interview (Initech, today), and a stranger's, same company and day, confirmed
    channels = (channel,)
    victim = submit_confirmed(body_for(VICTIM, channels), channels=channels)
    stranger = submit_confirmed(body_for(STRANGER, channels), channels=channels)
    old_token = stranger["tokens"][channel]

    # When the stranger edits in the victim's address and confirms with their old token
    edited = call_api("PATCH", f"/interviews/{stranger['id']}", token=old_token,
                      body={"candidate": {contact: VICTIM[contact]}})
    confirmed = call_api("POST", f"/interviews/{stranger['id']}/confirm", token=old_token)

    # Then the edit was accepted, but the old token no longer acts at all: the new address is unverified
    assert edited.status == 200 and edited.json()["verified_channels"] == []
    assert confirmed.status == 404
    assert view(stranger, old_token).status == 404
    # And the victim's interview is untouched: still active, nothing cancelled
    assert view(victim).json()["status"] == "active"
    assert stored(aws_env, stranger["id"])["verified_channels"] == {"L": []}


def test_the_link_sent_to_the_new_address_confirms_it_and_then_replaces_an_older_duplicate_there(aws_env):
    # Given the victim's own older interview, and a candidate who mistyped their email and corrects it to it
    older = submit_confirmed(body_for(VICTIM), channels=("email",))
    mistyped = submit_confirmed(body_for({"email": "victim@exmaple.com"}), channels=("email",))
    call_api("PATCH", f"/interviews/{mistyped['id']}", token=mistyped["manage_token"],
             body={"candidate": {"email": VICTIM["email"]}})

    # When the confirmation delivered to the corrected address is used
    fresh = confirmation_tokens(mistyped["id"])["email"]
    confirmed = call_api("POST", f"/interviews/{mistyped['id']}/confirm", token=fresh)

    # Then that address is verified, and only now is the older interview at it replaced
    assert fresh != mistyped["manage_token"]
    assert confirmed.status == 200 and confirmed.json()["verified_channels"] == ["email"]
    assert view(older).json()["status"] == "cancelled"


def test_a_token_of_the_other_channel_keeps_working_when_one_address_changes(aws_env):
    # Given an interview confirmed by email and by text
    created = submit_confirmed(body_for(STRANGER, ("email", "sms")))

    # When the email changes, from the text's link
    call_api("PATCH", f"/interviews/{created['id']}", token=created["tokens"]["sms"],
             body={"candidate": {"email": "new@example.net"}})

    # Then the text's link still reads the interview, the old email's no longer does
    assert view(created, created["tokens"]["sms"]).status == 200
    assert view(created, created["tokens"]["email"]).status == 404


def test_the_same_mailbox_written_another_way_is_no_new_destination(aws_env):
    # Given an interview confirmed at alice@gmail.com
    created = submit_confirmed(body_for({"email": "alice@gmail.com"}), channels=("email",))
    clear_outbox()

    # When the address is rewritten as the same mailbox
    edited = call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"],
                      body={"candidate": {"email": "A.Lice+jobs@googlemail.com"}})

    # Then it stays verified, its link still works, no confirmation went out; the address as typed is kept
    assert edited.status == 200 and edited.json()["verified_channels"] == ["email"]
    assert edited.json()["candidate"]["email"] == "A.Lice+jobs@googlemail.com"
    assert view(created).status == 200 and emails() == []


# ---- 2. edits relay within limits, and an interview's grants stay bounded --------------------------------


@pytest.fixture
def generous_clients(aws_env, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "1000")
    environment.refresh()
    return aws_env


def test_new_phone_numbers_by_edit_stop_at_the_interviews_daily_limit_with_nothing_changed_or_sent(
        generous_clients, fake_clock):
    # Given one confirmed interview
    created = submit_confirmed(body_for(STRANGER, ("email", "sms")))
    clear_outbox()
    path = f"/interviews/{created['id']}"

    # When its phone is changed again and again
    answers = [call_api("PATCH", path, token=created["tokens"]["email"],
                        body={"candidate": {"phone": f"+1415555{100 + n:04d}"}}) for n in range(5)]

    # Then three new numbers got a confirmation (the default limit), the fourth and fifth got 429 until the day
    # ends, and the interview kept the third number
    assert [a.status for a in answers] == [200, 200, 200, 429, 429]
    assert int(answers[3].headers["Retry-After"]) > 0
    assert [to for to, _ in sms()] == ["+14155550100", "+14155550101", "+14155550102"]
    assert view(created, created["tokens"]["email"]).json()["candidate"]["phone"] == "+14155550102"


def test_new_destinations_by_edit_count_against_the_clients_hourly_limit(aws_env, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "2")
    environment.refresh()
    # Given a client that submitted once (one use of its two)
    created = submit_confirmed(body_for(STRANGER, ("email", "sms")))
    clear_outbox()
    path, token = f"/interviews/{created['id']}", created["tokens"]["sms"]

    # When it sets two new addresses by edit, and one more from another address
    answers = [call_api("PATCH", path, token=token, body={"candidate": {"email": f"n{n}@example.net"}})
               for n in range(2)]
    elsewhere = call_api("PATCH", path, token=token, body={"candidate": {"email": "n9@example.net"}},
                         source_ip="198.51.100.99")

    # Then the first used the second use, the next was refused with nothing sent; another client is counted apart
    assert [a.status for a in answers] + [elsewhere.status] == [200, 429, 200]
    assert [m["To"] for m in emails()] == ["n0@example.net", "n9@example.net"]


def test_an_interview_keeps_a_bounded_number_of_grants_however_often_its_address_changes(aws_env, monkeypatch):
    for name in ("SUBMISSIONS_PER_HOUR_PER_CLIENT", "DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW"):
        monkeypatch.setenv(name, "1000")
    environment.refresh()
    # Given an interview confirmed by email and text, whose email then changes 60 times (by the text's link)
    created = submit_confirmed(body_for(STRANGER, ("email", "sms")))
    for n in range(60):
        answer = call_api("PATCH", f"/interviews/{created['id']}", token=created["tokens"]["sms"],
                          body={"candidate": {"email": f"n{n}@example.net"}})
        assert answer.status == 200, answer.text

    # Then it holds no more grants than a check compares, and the item is far below DynamoDB's 400 KB
    item = stored(aws_env, created["id"])
    assert len(item["tokens"]["L"]) <= tokens.COMPARISONS
    assert len(json.dumps(item)) < 40_000


# ---- 3. one mailbox, many addresses -------------------------------------------------------------------


def test_every_spelling_of_one_mailbox_counts_against_its_daily_confirmations(aws_env, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "1000")
    environment.refresh()
    spellings = ["alice@gmail.com", "Alice@gmail.com", "ALICE@gmail.com", "a.lice@gmail.com",
                 "alice+x@gmail.com", "alice@googlemail.com"]

    answers = [call_api("POST", "/interviews", body=body_for({"email": address})) for address in spellings]

    assert [a.status for a in answers] == [202, 202, 202, 429, 429, 429]
    assert len(emails()) == 3


# ---- 4. opting out of the firm ------------------------------------------------------------------------


def test_stop_all_messages_from_the_firm_refuses_every_spelling_of_that_address_and_skips_its_other_nudges(
        aws_env, fake_clock):
    # Given two confirmed interviews at one mailbox, and the unsubscribe link of the first one's email
    first = submit_confirmed(body_for({"email": "alice@gmail.com"}), channels=("email",))
    second = submit_confirmed(body_for({"email": "A.lice@gmail.com"}, company="Globex"), channels=("email",))
    page = call_api("GET", "/unsubscribe", query=f"token={first['unsubscribe_token']}")

    # When the page's second button is pressed: stop all messages from the firm
    stopped = call_api("POST", "/unsubscribe", query=f"token={first['unsubscribe_token']}&scope=firm",
                       headers={"accept": "text/html"})
    clear_outbox()

    # Then the page offered it and said it worked
    assert page.status == 200 and "Stop all messages from Acme Staffing" in page.text
    assert stopped.status == 200 and "no more messages from Acme Staffing" in stopped.text
    # And a new submission, or an edit, naming any spelling of it is refused in plain words, nothing sent or stored
    before = interviews(aws_env)
    refused = call_api("POST", "/interviews", body=body_for({"email": "alice+new@googlemail.com"}))
    edit = submit_confirmed(body_for(STRANGER), channels=("email",))
    clear_outbox()
    edited = call_api("PATCH", f"/interviews/{edit['id']}", token=edit["manage_token"],
                      body={"candidate": {"email": "ALICE@gmail.com"}})
    assert refused.status == 422 and [e["field"] for e in refused.json()["errors"]] == ["candidate.email"]
    assert "Acme Staffing" in refused.json()["errors"][0]["message"]
    assert edited.status == 422 and view(edit).json()["candidate"]["email"] == STRANGER["email"]
    assert emails() == [] and interviews(aws_env) == before | {f"INTERVIEW#{edit['id']}"}
    # And the other interview's nudge at that mailbox is skipped, as opted out
    runner(aws_env, set_time=fake_clock.set).fire_due(fake_clock() + timedelta(days=4))
    thank_you = view(second).json()["follow_ups"][0]
    assert (thank_you["deliveries"]["email"]["status"], thank_you["deliveries"]["email"]["reason"]) == \
        ("skipped", "opted_out")
    assert [m["To"] for m in emails()] == [STRANGER["email"]]  # the other address's nudge went, none to alice


def test_the_one_click_unsubscribe_of_a_mail_client_stops_only_that_interview(aws_env):
    created = submit_confirmed(body_for({"email": "bob@example.com"}), channels=("email",))

    answer = call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}",
                      raw="List-Unsubscribe=One-Click", headers={"content-type": "application/x-www-form-urlencoded"})

    assert answer.status == 200
    assert call_api("POST", "/interviews", body=body_for({"email": "bob@example.com"}, company="Globex")).status == 202


def test_a_text_only_interview_offers_no_firm_wide_opt_out_on_its_unsubscribe_page(aws_env):
    # Given an email interview whose unsubscribe link went by email: the page offers both buttons
    emailed = submit_confirmed(body_for({"email": "carol@example.com"}), channels=("email",))
    message = [m for m in emails() if emailed["id"] in body_part(m, "plain")][-1]
    assert "Stop all messages" in call_api("GET", "/unsubscribe", query=f"token={unsubscribe_token_in(message)}").text

    # When the address is replaced before the unsubscribe link is used for the whole firm
    call_api("PATCH", f"/interviews/{emailed['id']}", token=emailed["manage_token"],
             body={"candidate": {"email": "carol.new@example.com"}})
    call_api("POST", "/unsubscribe", query=f"token={emailed['unsubscribe_token']}&scope=firm")

    # Then the address the link went to is the one opted out, not the one the interview has now
    assert call_api("POST", "/interviews", body=body_for({"email": "carol@example.com"})).status == 422
    assert call_api("POST", "/interviews", body=body_for({"email": "carol.new@example.com"})).status == 202


# ---- 7. side channels of a read ------------------------------------------------------------------------


def test_an_interviews_answers_are_never_stored_by_a_cache(aws_env):
    created = submit_confirmed(body_for(STRANGER), channels=("email",))

    answers = [view(created), view(created, f"{created['id']}.wrong"),
               call_api("PATCH", f"/interviews/{created['id']}", token=created["manage_token"], body={"role": "Lead"})]

    assert [(a.status, a.headers.get("Cache-Control")) for a in answers] == [(200, "no-store"), (404, "no-store"),
                                                                           (200, "no-store")]


def test_a_wrong_token_reads_the_same_empty_answer_for_an_existing_and_an_unknown_id(aws_env):
    from local.calls import CallRecorder

    created = submit_confirmed(body_for(STRANGER), channels=("email",))
    with CallRecorder() as recorder:
        existing = view(created, f"{created['id']}.wrong-secret-of-22-chars")
        unknown = view(created | {"id": "ffffffffffff"}, "ffffffffffff.wrong-secret-of-22-chars")

    reads = [(c.operation, c.params["KeyConditionExpression"]) for c in recorder.product_calls()]
    assert (existing.status, unknown.status) == (404, 404)
    assert reads == [("Query", "pk = :pk")] * 2
    # The read filters on the token: the interview leaves DynamoDB only for a token it holds
    store = InterviewStore(aws_env.table_name)
    assert store.load_for_token(created["id"], tokens.hash_token(f"{created['id']}.wrong")) is None
    assert store.load_for_token(created["id"], tokens.hash_token(created["manage_token"])).id == created["id"]
