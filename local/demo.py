"""`make demo`: a scripted walkthrough against a fresh local stack, printed as a timeline.

Starts the stack on a free port with its simulated clock one hour after the sample interview of
``events/submit_interview.json`` (so the run is the same whatever today's date), then over HTTP, as a
browser would: submits that sample, advances the clock past the thank-you note and the check-in,
records an offer (hiring manager and supervisor named), advances past the decision card. Then the firm's
side (``local/demo_firm.py``): the seeded recruiter signs in as the /firm/ page does, enrols a candidate,
follows the interview on the list and records an offer; the seeded admin reads the month's report, as JSON
and CSV. Then hearing back from SES (``local/demo_feedback.py``): an address that bounces, a nudge marked as
spam, and the email nudges skipped after each. Then hearing back by text (``local/demo_texts.py``): a DONE reply
to a nudge marks its step done and a text confirms it, and a STOP stops the next nudge. Last, the outbox: when
each message went out (simulated time, in the candidate's zone), its channel, its recipient and its subject or
text.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.client import request
from local.demo_feedback import run_feedback_part
from local.demo_firm import run_firm_part
from local.demo_texts import run_texts_part
from local.provision import ROOT
from local.stack import EmbeddedStack

SAMPLE = ROOT / "events" / "submit_interview.json"
SUPERVISOR = "Sam Okafor"


def sample_submission() -> dict[str, Any]:
    """The body of the sample API Gateway event: what the web form would post."""
    return json.loads(json.loads(SAMPLE.read_text())["body"])


def interview_moment(submission: dict[str, Any]) -> datetime:
    moment = datetime.fromisoformat(submission["interview_at"])
    zone = ZoneInfo(submission["candidate"]["time_zone"])
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def local_time(iso: str, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


class Demo:
    def __init__(self, base_url: str, out: Any) -> None:
        self.base = base_url
        self.out = out

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             expect: int = 200) -> Any:
        answer = request(method, self.base + path, body=body, headers=headers)
        if answer.status != expect:
            raise SystemExit(f"demo: {method} {path} answered {answer.status}, not {expect}: {answer.text[:300]}")
        return answer.json() if answer.body else None

    def advance(self, days: int) -> list[str]:
        moved = self.call("POST", "/_local/clock", {"advance_days": days})
        self.say(f"   clock +{days} day{'s' if days != 1 else ''} -> {moved['now']}; "
                 f"fired: {', '.join(moved['fired']) or 'nothing'}")
        return moved["fired"]

    def follow_ups(self, view: dict[str, Any], zone: ZoneInfo) -> None:
        for follow_up in view["follow_ups"]:
            self.say(f"   {follow_up['step']:<20}{local_time(follow_up['due_at'], zone):<28}{follow_up['status']}")


def confirmation_tokens(outbox: dict[str, Any], interview_id: str) -> dict[str, str]:
    """The manage token of each confirmation message in the dev console's outbox, by channel."""
    link = re.compile(rf"/manage/{interview_id}\?token=([A-Za-z0-9_.-]+)")
    found = {}
    for channel, messages, field in (("email", outbox["emails"], "text"), ("sms", outbox["sms"], "message")):
        for message in messages:
            match = link.search(message[field])
            if match:
                found[channel] = match.group(1)
    return found


def run(out: Any = sys.stdout) -> int:
    submission = sample_submission()
    zone = ZoneInfo(submission["candidate"]["time_zone"])
    start = interview_moment(submission) + timedelta(hours=1)
    with EmbeddedStack(port=0, start=start, quiet=True) as stack:
        demo = Demo(stack.base_url, out)
        demo.say(f"A fresh local stack on {stack.base_url}/ with its clock at {local_time(start.isoformat(), zone)}")
        demo.say()
        candidate = submission["candidate"]["name"]
        demo.say(f"1. {candidate} submits the interview of {SAMPLE.relative_to(ROOT)} "
                 f"({submission['role']} at {submission['company']}, with {submission['interviewer']['name']}):")
        submitted = demo.call("POST", "/interviews", submission, headers={"Idempotency-Key": str(uuid.uuid4())},
                              expect=202)
        sent_to = ", ".join(f"{c['channel']} {c['destination']}" for c in submitted["confirmations_sent_to"])
        demo.say(f"   awaiting confirmation; one confirmation message to each destination: {sent_to}")
        path = f"/interviews/{submitted['id']}"
        bearer = {}
        for channel, token in confirmation_tokens(demo.call("GET", "/_local/outbox"), submitted["id"]).items():
            demo.say(f"   {candidate} opens the link in the {channel} and confirms it:")
            bearer = bearer or {"Authorization": f"Bearer {token}"}
            created = demo.call("POST", f"{path}/confirm", None, headers={"Authorization": f"Bearer {token}"})
        demo.follow_ups(created, zone)

        demo.say("2. Time passes: the thank-you note goes out on its day...")
        demo.advance(3)
        demo.say("3. ...and the check-in, the interviewer's timeline and 3 days' grace later:")
        demo.advance(7)

        manager = submission["interviewer"]["name"]
        demo.say(f"4. An offer! Recorded with the hiring manager ({manager}) and the supervisor ({SUPERVISOR}):")
        decided = demo.call("POST", f"{path}/decision", {
            "outcome": "offer", "hiring_manager": {"name": manager}, "supervisor": {"name": SUPERVISOR},
        }, headers=bearer)
        demo.follow_ups(decided, zone)
        demo.say("5. The next morning the decision card goes out:")
        demo.advance(1)

        run_firm_part(demo, 6)
        run_feedback_part(demo, 11)
        run_texts_part(demo, 13)

        outbox = demo.call("GET", "/_local/outbox")
        messages = [(m["sent_at"], "email", m["to"], m["subject"]) for m in outbox["emails"]]
        messages += [(m["sent_at"], "sms", m["to"], m["message"].splitlines()[0]) for m in outbox["sms"]]
        messages.sort(key=lambda m: (m[0], m[1]))
        demo.say()
        demo.say(f"Outbox: {len(outbox['emails'])} emails and {len(outbox['sms'])} SMS, oldest first "
                 f"(simulated time, {zone.key}):")
        for sent_at, channel, to, first_line in messages:
            shown = first_line if len(first_line) <= 90 else first_line[:87] + "..."
            demo.say(f"  {local_time(sent_at, zone):<25} {channel:<6} {to:<31} {shown}")
        pending = demo.call("GET", "/_local/schedules")
        demo.say(f"Pending schedules left: {len(pending)}.")
    return 0


if __name__ == "__main__":
    sys.exit(run())
