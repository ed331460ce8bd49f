"""The firm's list, through the real API handler on moto: a few hundred interviews of three recruiters,
paged newest first with both filters, each page a Query of an index (never a Scan), and who sees what.

Given 240 interviews enrolled one minute apart by three recruiters (120, 80, 40), every third confirmed
(active), every second of those decided, every tenth cancelled; when each list is paged through, then it
holds exactly the interviews it should, newest first, every page but the last full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from local.calls import CallRecorder
from local.moto_speedups import moto_transactions_copy_the_item_index
from tests.integration.harness import (
    Clock,
    call_api,
    firm_claims,
    latest_manage_tokens,
    provisioned_account,
    submission,
)

RECRUITERS = {"rec-a": 120, "rec-b": 80, "rec-c": 40}
ADMIN = firm_claims("adm-1", groups="admins")


@dataclass
class Firm:
    """What was enrolled, oldest first, and what became of each."""

    order: list[str] = field(default_factory=list)
    owner: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def firm():
    clock = Clock()
    enrolled = Firm()
    # moto backs up the whole table for each transaction: 240 enrolments would take a minute and more.
    with provisioned_account(clock), moto_transactions_copy_the_item_index():
        turns = [sub for sub, n in RECRUITERS.items() for _ in range(n)]
        turns = [turns[i] for i in sorted(range(len(turns)), key=lambda i: (i * 7) % len(turns))]  # interleaved
        for number, sub in enumerate(turns):
            clock.set(clock() + timedelta(minutes=1))
            body = submission(now=clock(), channels=("email",), email=f"candidate{number}@example.com")
            answer = call_api("POST", "/firm/interviews", body=body, claims=firm_claims(sub))
            assert answer.status == 202, answer.text
            interview_id = answer.json()["id"]
            enrolled.order.append(interview_id)
            enrolled.owner[interview_id] = sub
            enrolled.status[interview_id] = "awaiting_confirmation"
        tokens = latest_manage_tokens()
        for number, interview_id in enumerate(enrolled.order):
            token = tokens[interview_id]["email"]
            if number % 3 == 0:
                assert call_api("POST", f"/interviews/{interview_id}/confirm", token=token).status == 200
                enrolled.status[interview_id] = "active"
                if number % 2 == 0:
                    decided = call_api("POST", f"/interviews/{interview_id}/decision", token=token,
                                       body={"outcome": "not_selected"})
                    assert decided.status == 200, decided.text
                    enrolled.status[interview_id] = "decided"
            if number % 10 == 5:
                cancelled = call_api("POST", f"/firm/interviews/{interview_id}/cancel",
                                     claims=firm_claims(enrolled.owner[interview_id]))
                assert cancelled.status == 200
                enrolled.status[interview_id] = "cancelled"
        yield enrolled


def page_through(claims: dict, query: str, limit: int) -> tuple[list[dict], list[int], CallRecorder]:
    """Every item of a list, following next_cursor; the size of each page; every AWS call made."""
    items: list[dict] = []
    sizes: list[int] = []
    cursor = None
    with CallRecorder() as recorder:
        while True:
            params = "&".join(p for p in (query, f"limit={limit}", f"cursor={cursor}" if cursor else "") if p)
            answer = call_api("GET", "/firm/interviews", query=params, claims=claims)
            assert answer.status == 200, answer.text
            page = answer.json()
            items += page["items"]
            sizes.append(len(page["items"]))
            cursor = page["next_cursor"]
            if cursor is None:
                return items, sizes, recorder
            assert len(sizes) < 100, "the cursor does not move on"


def newest_first(firm: Firm, keep) -> list[str]:
    return [i for i in reversed(firm.order) if keep(i)]


def assert_only_index_queries(recorder: CallRecorder, index: str) -> None:
    operations = recorder.operations()
    assert not [op for op in operations if op.endswith((":Scan", ":BatchGetItem"))]
    queries = [c for c in recorder.product_calls() if c.operation == "Query"]
    assert queries and {c.params["IndexName"] for c in queries} == {index}


def test_a_recruiter_pages_through_exactly_their_own_interviews_newest_first_by_query(firm):
    items, sizes, recorder = page_through(firm_claims("rec-a"), "", limit=25)

    assert [i["id"] for i in items] == newest_first(firm, lambda i: firm.owner[i] == "rec-a")
    assert sizes == [25, 25, 25, 25, 20]
    assert {i["recruiter"]["id"] for i in items} == {"rec-a"}
    assert all(i["created_at"] for i in items)
    assert_only_index_queries(recorder, "ByRecruiter")
    assert recorder.operations()["dynamodb:Query"] == len(sizes)  # unfiltered: one Query a page


def test_an_admin_pages_through_everyones_and_one_recruiters_on_request(firm):
    everyone, sizes, recorder = page_through(ADMIN, "", limit=100)
    one, _, by_recruiter = page_through(ADMIN, "recruiter=rec-b", limit=30)

    assert [i["id"] for i in everyone] == list(reversed(firm.order))
    assert sizes == [100, 100, 40]
    assert_only_index_queries(recorder, "ByFirm")
    assert [i["id"] for i in one] == newest_first(firm, lambda i: firm.owner[i] == "rec-b")
    assert_only_index_queries(by_recruiter, "ByRecruiter")


@pytest.mark.parametrize("status", ["awaiting_confirmation", "active", "decided", "cancelled"])
def test_the_status_filter_fills_every_page_but_the_last(firm, status):
    items, sizes, recorder = page_through(firm_claims("rec-a"), f"status={status}", limit=7)

    expected = newest_first(firm, lambda i: firm.owner[i] == "rec-a" and firm.status[i] == status)
    assert expected  # the fixture made some of each
    assert [i["id"] for i in items] == expected
    assert all(size == 7 for size in sizes[:-1]) and sizes[-1] <= 7
    assert_only_index_queries(recorder, "ByRecruiter")


@pytest.mark.parametrize(("step", "statuses"), [
    # still waiting for the thank-you nudge: every interview neither decided nor cancelled (planned counts)
    ("thank_you_note", {"awaiting_confirmation", "active"}),
    # a decision cancels the earlier nudges: its card is the next thing to go out
    ("decision_thank_you", {"decided"}),
    # the check-in comes after the thank-you note, still pending for all of these
    ("check_in", set()),
])
def test_the_step_filter_lists_those_whose_next_follow_up_is_that_step(firm, step, statuses):
    items, sizes, recorder = page_through(ADMIN, f"step={step}", limit=40)

    assert [i["id"] for i in items] == newest_first(firm, lambda i: firm.status[i] in statuses)
    assert all(size == 40 for size in sizes[:-1])
    assert_only_index_queries(recorder, "ByFirm")


def test_status_and_step_combine(firm):
    items, _, _ = page_through(firm_claims("rec-c"), "status=active&step=thank_you_note", limit=3)

    assert [i["id"] for i in items] == newest_first(
        firm, lambda i: firm.owner[i] == "rec-c" and firm.status[i] == "active")


def test_each_item_shows_its_follow_ups_and_the_deliveries_awaiting_confirmation(firm):
    items, _, _ = page_through(ADMIN, "status=awaiting_confirmation", limit=100)

    follow_ups = items[0]["follow_ups"]
    assert [f["step"] for f in follow_ups] == ["thank_you_note", "check_in"]
    assert {f["status"] for f in follow_ups} == {"planned"}
    assert all(f["deliveries"] == {"email": {"status": "awaiting_confirmation", "reason": None, "at": None,
                                                    "delivered_at": None}}
               for f in follow_ups)


def test_a_recruiter_may_not_list_another_recruiters_interviews(firm):
    answer = call_api("GET", "/firm/interviews", query="recruiter=rec-b", claims=firm_claims("rec-a"))

    assert answer.status == 403


@pytest.mark.parametrize("query, field", [
    ("cursor=not-a-cursor", "cursor"),
    ("cursor=" + "A" * 40, "cursor"),
    ("limit=0", "limit"),
    ("limit=101", "limit"),
    ("limit=ten", "limit"),
    ("status=lost", "status"),
    ("step=first_date", "step"),
])
def test_a_bad_query_parameter_is_422_naming_it(firm, query, field):
    answer = call_api("GET", "/firm/interviews", query=query, claims=firm_claims("rec-a"))

    assert answer.status == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_a_cursor_of_another_list_is_refused_not_followed(firm):
    # Given a cursor rec-a's list gave
    first = call_api("GET", "/firm/interviews", query="limit=5", claims=firm_claims("rec-a")).json()

    # When rec-b, and an admin's list of everyone's, pass it on
    theirs = call_api("GET", "/firm/interviews", query=f"cursor={first['next_cursor']}", claims=firm_claims("rec-b"))
    admins = call_api("GET", "/firm/interviews", query=f"cursor={first['next_cursor']}", claims=ADMIN)

    # Then both are 422 naming the cursor: it leads nowhere in their lists
    assert first["next_cursor"]
    assert (theirs.status, admins.status) == (422, 422)
    assert theirs.json()["errors"][0]["field"] == "cursor"
