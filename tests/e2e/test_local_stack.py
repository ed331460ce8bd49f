"""End to end over real HTTP: `python -m local.server` in a subprocess on a free port, driven like a person would.

One interview's whole life is played once (module fixture) and each test checks one thing it left behind:
submitted on Tuesday 10 March 2026 at 15:00 in New York (the clock's start, an hour after the interview),
confirmed from the confirmation email and SMS in the outbox, the clock moved 3 days (the thank-you note
goes out on day 2), then 2 more (day 5), an offer recorded, then 1 day (the decision card goes out on day
6), then 30 days (nothing more).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from local.client import request, spawn
from local.provision import ROOT

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 EDT on the interview day
FIRM = 'Smith & <Jones> "Staffing"'
SUBMISSION = {
    "candidate": {"name": "Jordan Rivera", "email": "jordan.rivera@example.com", "phone": "+14155550123",
                  "time_zone": "America/New_York"},
    "channels": ["email", "sms"],
    "sms_consent": True,
    "company": "Globex Corporation",
    "role": "Senior Data Analyst",
    "interviewer": {"name": "Dana Whitfield", "title": "Head of Analytics"},
    "interview_at": "2026-03-10T14:00:00",
    "expected_decision_days": 7,
}


@dataclass
class Lifecycle:
    base: str
    created: dict[str, Any]
    after_submit: list[dict[str, Any]]
    day_3: dict[str, Any]
    outbox_day_3: dict[str, Any]
    day_5: dict[str, Any]
    decided: dict[str, Any]
    after_decision: list[dict[str, Any]]
    day_6: dict[str, Any]
    outbox_day_6: dict[str, Any]
    day_36: dict[str, Any]
    outbox_day_36: dict[str, Any]
    final_view: dict[str, Any]
    schedules_at_end: list[dict[str, Any]]
    clock_at_end: str
    confirmations: dict[str, Any]  # the outbox right after the submission: one confirmation per destination


def get(url: str) -> Any:
    answer = request("GET", url)
    assert answer.status == 200, answer.text
    return answer.json()


def advance(base: str, **amount: int) -> dict[str, Any]:
    answer = request("POST", f"{base}/_local/clock", body=amount)
    assert answer.status == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def base_url() -> Any:
    with spawn(start=START, firm_name=FIRM) as url:
        yield url


@pytest.fixture(scope="module")
def lifecycle(base_url: str) -> Lifecycle:
    base = base_url
    submitted = request("POST", f"{base}/interviews", body=SUBMISSION, headers={"Idempotency-Key": "e2e-1"})
    assert submitted.status == 202, submitted.text
    interview_id = submitted.json()["id"]
    confirmations = get(f"{base}/_local/outbox")
    link = re.compile(rf"/manage/{interview_id}\?token=([\w.-]+)")
    tokens = [link.search(confirmations["emails"][0]["text"]).group(1),
              link.search(confirmations["sms"][0]["message"]).group(1)]
    for token in tokens:
        confirmed = request("POST", f"{base}/interviews/{interview_id}/confirm",
                            headers={"Authorization": f"Bearer {token}"})
        assert confirmed.status == 200, confirmed.text
    view = {**confirmed.json(), "manage_token": tokens[0]}
    bearer = {"Authorization": f"Bearer {tokens[0]}"}

    def nudges(outbox: dict[str, Any]) -> dict[str, Any]:  # what came after the confirmations
        return {kind: outbox[kind][len(confirmations[kind]):] for kind in ("emails", "sms")}

    after_submit = get(f"{base}/_local/schedules")
    day_3 = advance(base, advance_days=3)
    outbox_day_3 = nudges(get(f"{base}/_local/outbox"))
    day_5 = advance(base, advance_days=2)
    decision = request("POST", f"{base}/interviews/{view['id']}/decision", headers=bearer, body={
        "outcome": "offer", "hiring_manager": {"name": "Dana Whitfield"}, "supervisor": {"name": "Sam Okafor"},
    })
    assert decision.status == 200, decision.text
    after_decision = get(f"{base}/_local/schedules")
    day_6 = advance(base, advance_days=1)
    outbox_day_6 = nudges(get(f"{base}/_local/outbox"))
    final = request("GET", f"{base}/interviews/{view['id']}", headers=bearer)  # the final states, on day 6
    day_36 = advance(base, advance_hours=30 * 24)
    outbox_day_36 = nudges(get(f"{base}/_local/outbox"))
    # A manage token lasts 30 days: by day 36 even the latest message's (day 6) has expired
    latest = link.search(outbox_day_6["emails"][-1]["text"]).group(1)
    for token in (tokens[0], latest):
        assert request("GET", f"{base}/interviews/{view['id']}", headers={"Authorization": f"Bearer {token}"}).status == 404
    return Lifecycle(base, view, after_submit, day_3, outbox_day_3, day_5, decision.json(), after_decision,
                     day_6, outbox_day_6, day_36, outbox_day_36, final.json(), get(f"{base}/_local/schedules"),
                     get(f"{base}/_local/clock")["now"], confirmations)


# ---- the lifecycle --------------------------------------------------------------------------------


def test_a_confirmed_submission_leaves_one_pending_schedule_per_follow_up_with_its_due_time(
        lifecycle: Lifecycle) -> None:
    interview = lifecycle.created["id"]

    schedules = {s["name"]: s for s in lifecycle.after_submit}

    assert sorted(schedules) == [f"{interview}-check_in", f"{interview}-thank_you_note"]
    assert schedules[f"{interview}-thank_you_note"]["due_at"] == "2026-03-12T09:00:00-04:00"
    assert schedules[f"{interview}-check_in"]["due_at"] == "2026-03-20T09:00:00-04:00"
    assert schedules[f"{interview}-check_in"]["payload"] == {"interview_id": interview, "step": "check_in",
                                                             "version": 1}


def test_the_confirmations_carry_the_manage_link_of_the_local_stack(lifecycle: Lifecycle) -> None:
    view = lifecycle.created
    [email], [sms] = lifecycle.confirmations["emails"], lifecycle.confirmations["sms"]

    assert f"{lifecycle.base}/manage/{view['id']}?token={view['manage_token']}" in email["text"]
    assert f"{lifecycle.base}/manage/{view['id']}?token=" in sms["message"]
    assert email["subject"].startswith("Confirm") and (email["to"], sms["to"]) == (
        "jordan.rivera@example.com", "+14155550123")


def test_three_days_on_the_thank_you_note_has_fired_and_the_clock_says_so(lifecycle: Lifecycle) -> None:
    assert lifecycle.day_3["fired"] == [f"{lifecycle.created['id']}-thank_you_note"]
    assert lifecycle.day_3["now"].startswith("2026-03-13T19:00")


def test_the_thank_you_note_arrives_by_email_and_sms_stamped_with_its_simulated_due_time(lifecycle: Lifecycle) -> None:
    emails, sms = lifecycle.outbox_day_3["emails"], lifecycle.outbox_day_3["sms"]

    assert [(m["to"], m["sent_at"]) for m in emails] == [("jordan.rivera@example.com", "2026-03-12T13:00:00+00:00")]
    assert "thank-you card to Dana Whitfield" in emails[0]["subject"]
    assert [(m["to"], m["sent_at"]) for m in sms] == [("+14155550123", "2026-03-12T13:00:00+00:00")]
    # The number's first nudge: it ends with the firm and the opt-out line, the firm's long name shortened
    assert sms[0]["message"].startswith("Mail a card: ")
    assert sms[0]["message"].endswith('#thank_you_note - Smith & <Jones>... Reply STOP to opt out')


def test_the_thank_you_email_carries_the_manage_link_and_one_click_unsubscribe(lifecycle: Lifecycle) -> None:
    message = lifecycle.outbox_day_3["emails"][0]

    assert message["from"].endswith("<followups@example.com>")
    assert f"{lifecycle.base}/manage/{lifecycle.created['id']}?token=" in message["text"]
    assert message["headers"]["List-Unsubscribe"].startswith(f"<{lifecycle.base}/unsubscribe?token=")
    assert message["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<html" in message["html"]


def test_a_decision_on_day_5_schedules_its_card_for_day_6_at_the_nudge_hour_and_drops_the_check_in(
    lifecycle: Lifecycle,
) -> None:
    interview = lifecycle.created["id"]

    assert lifecycle.day_5["fired"] == []
    assert [(s["name"], s["due_at"]) for s in lifecycle.after_decision] == [
        (f"{interview}-decision_thank_you", "2026-03-16T09:00:00-04:00")
    ]
    assert {f["step"]: f["status"] for f in lifecycle.decided["follow_ups"]} == {
        "thank_you_note": "sent", "check_in": "cancelled", "decision_thank_you": "scheduled",
    }


def test_the_decision_card_goes_out_on_day_6_naming_the_hiring_manager_and_the_supervisor(
    lifecycle: Lifecycle,
) -> None:
    card = lifecycle.outbox_day_6["emails"][-1]
    sms = lifecycle.outbox_day_6["sms"][-1]

    assert lifecycle.day_6["fired"] == [f"{lifecycle.created['id']}-decision_thank_you"]
    assert card["sent_at"] == sms["sent_at"] == "2026-03-16T13:00:00+00:00"
    assert "offer" in card["subject"]
    assert "Dana Whitfield" in card["text"] and "Sam Okafor" in card["text"]
    # The long firm name and the link to the step's section leave room for the first name only
    assert ": Mail cards to Dana... " in sms["message"]
    assert sms["message"].endswith("#decision_thank_you")


def test_nothing_is_sent_twice_and_nothing_is_left_pending(lifecycle: Lifecycle) -> None:
    emails, sms = lifecycle.outbox_day_36["emails"], lifecycle.outbox_day_36["sms"]

    assert lifecycle.day_36["fired"] == []
    assert len(emails) == len({m["subject"] for m in emails}) == 2
    assert len(sms) == len({m["message"] for m in sms}) == 2
    assert [m["sent_at"] for m in emails] == sorted(m["sent_at"] for m in emails)
    assert lifecycle.schedules_at_end == []


def test_the_interview_ends_with_each_follow_up_in_its_final_state(lifecycle: Lifecycle) -> None:
    assert lifecycle.final_view["status"] == "decided"
    assert {f["step"]: f["status"] for f in lifecycle.final_view["follow_ups"]} == {
        "thank_you_note": "sent", "check_in": "cancelled", "decision_thank_you": "sent",
    }


def test_the_clock_reads_the_simulated_time_after_the_moves(lifecycle: Lifecycle) -> None:
    assert lifecycle.clock_at_end.startswith("2026-04-15T19:0")


# ---- the dev console and the pages ------------------------------------------------------------


def test_the_console_shows_the_clock_buttons_and_each_message_as_it_arrived(lifecycle: Lifecycle) -> None:
    page = request("GET", f"{lifecycle.base}/_local/")

    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "+1 hour" in page.text and "+1 day" in page.text and "+1 week" in page.text
    assert "Outbox (3 emails, 3 SMS)" in page.text  # each destination's confirmation, then two nudges
    assert page.text.count('<iframe title="Email: ') == 3
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page.text
    assert "GSM-7 · 1 segment" in page.text
    assert "Smith &amp; &lt;Jones&gt; &quot;Staffing&quot;" in page.text


def test_the_console_needs_no_inline_code_and_frames_each_email_as_its_own_document(lifecycle: Lifecycle) -> None:
    page = request("GET", f"{lifecycle.base}/_local/")
    frames = re.findall(r'<iframe [^>]*src="(/_local/outbox/emails/(\d+)\.html)"', page.text)
    sheet = request("GET", f"{lifecycle.base}/_local/console.css")
    emails = {int(index): request("GET", f"{lifecycle.base}{src}") for src, index in frames}
    past_the_end = request("GET", f"{lifecycle.base}/_local/outbox/emails/{len(frames)}.html")

    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "<style" not in page.text and " style=" not in page.text and "<script" not in page.text
    assert sheet.status == 200 and sheet.headers["content-type"] == "text/css; charset=utf-8" and "body" in sheet.text
    outbox = get(f"{lifecycle.base}/_local/outbox")["emails"]
    assert len(frames) == len(outbox) == 3
    assert sorted(emails) == list(range(len(outbox)))  # newest first on the page, each one framed once
    for index, email in emails.items():
        sent = outbox[index]
        assert email.status == 200
        assert "frame-ancestors 'self'" in email.headers["content-security-policy"]
        assert "script-src" not in email.headers["content-security-policy"]  # default-src 'none' forbids scripts
        assert email.text.replace('<base target="_blank">', "", 1) == sent["html"]  # the email as it was sent
    assert past_the_end.status == 404


def test_a_console_button_moves_the_clock_and_comes_back_to_the_console(lifecycle: Lifecycle, base_url: str) -> None:
    before = datetime.fromisoformat(get(f"{base_url}/_local/clock")["now"])

    answer = request("POST", f"{base_url}/_local/clock", body=b"advance_hours=1",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    after = datetime.fromisoformat(get(f"{base_url}/_local/clock")["now"])

    assert answer.status == 200  # urllib followed the 303 back to the console
    assert "Fired:" in answer.text
    assert 3600 <= (after - before).total_seconds() < 3600 + 60


def test_the_clock_refuses_an_advance_it_cannot_read(lifecycle: Lifecycle, base_url: str) -> None:
    before = datetime.fromisoformat(get(f"{base_url}/_local/clock")["now"])

    answers = [request("POST", f"{base_url}/_local/clock", body=body)
               for body in ({"advance_days": -1}, {"advance_days": 1, "advance_hours": 1}, {"advance_weeks": 1})]
    after = datetime.fromisoformat(get(f"{base_url}/_local/clock")["now"])

    assert [a.status for a in answers] == [400, 400, 400]
    assert (after - before).total_seconds() < 60  # only the real seconds of the test went by


@pytest.mark.parametrize("path", ["/", "/manage/abc123"])
def test_the_pages_are_served_with_the_security_headers(base_url: str, path: str) -> None:
    page = request("GET", f"{base_url}{path}")

    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "Smith &amp; &lt;Jones&gt; &quot;Staffing&quot;" in page.text
    assert "<Jones>" not in page.text


def test_the_manage_page_escapes_the_interview_id_from_the_url(base_url: str) -> None:
    page = request("GET", f"{base_url}/manage/x<script>y")

    assert page.status == 200
    assert "x<script>y" not in page.text
    assert 'data-interview-id="x&lt;script&gt;y"' in page.text


def test_the_api_answers_through_the_stack_with_its_own_errors(base_url: str) -> None:
    answer = request("GET", f"{base_url}/interviews/abc123", headers={"Authorization": "Bearer abc123.wrong"})

    assert answer.status == 404
    assert answer.json()["message"] == "interview not found"


def test_an_unknown_local_path_answers_404(base_url: str) -> None:
    answer = request("GET", f"{base_url}/_local/nothing-here")

    assert answer.status == 404
    assert "/_local/nothing-here" in answer.json()["message"]


def _server_on_a_taken_port(*args: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """``python -m local.server *args`` told to serve on a port another socket holds: the port, and how it ended."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(  # noqa: S603 - our own module
            [sys.executable, "-m", "local.server", *args], cwd=ROOT, env=_env(PORT=str(port)),
            capture_output=True, text=True, timeout=60,
        )
    return port, done


def test_a_port_in_use_is_one_line_on_stderr_and_exit_code_1() -> None:
    port, done = _server_on_a_taken_port("--quiet")

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: port {port} on 127.0.0.1 is already in use")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_make_run_says_it_is_starting_before_the_stack_is_up() -> None:
    _, done = _server_on_a_taken_port()

    assert done.stdout.startswith("Starting the local stack")
    assert done.returncode == 1


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    return {**env, **extra}
