"""`make demo`, the firm's part: the seeded recruiter signs in as the /firm/ page does (Cognito's InitiateAuth
through /_local/cognito-idp), enrols a candidate, follows the interview on the list, records an offer; the
seeded admin reads the month's report, as JSON and as CSV. Printed as the candidate's part is.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.client import request, sign_in
from local.cognito import SEEDED

ZONE = ZoneInfo("America/Chicago")
STEP_NAMES = {"thank_you_note": "thank-you card", "check_in": "check-in", "decision_thank_you": "card after the decision"}


class FirmSession:
    """One signed-in user of the firm: their ID token, sent as ``Authorization: Bearer`` on /firm/ calls."""

    def __init__(self, demo: Any, email: str, password: str) -> None:
        self.demo = demo
        try:
            token = sign_in(demo.base, email, password)["IdToken"]
        except RuntimeError as exc:
            raise SystemExit(f"demo: {exc}") from None
        self.bearer = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: Any = None, expect: int = 200, **headers: str) -> Any:
        return self.demo.call(method, path, body, headers={**self.bearer, **headers}, expect=expect)


def delivery_words(follow_up: dict[str, Any]) -> str:
    channels = [f"{channel} {d['status'].replace('_', ' ')}" + (f" ({d['reason']})" if d.get("reason") else "")
                for channel, d in follow_up["deliveries"].items()]
    return follow_up["status"] + (f": {', '.join(channels)}" if channels else "")


def show_list(demo: Any, session: FirmSession, heading: str) -> list[dict[str, Any]]:
    items = session.call("GET", "/firm/interviews")["items"]
    demo.say(f"   {heading}: {len(items)} interview{'s' if len(items) != 1 else ''}, newest first")
    for item in items:
        by = item["recruiter"]["name"] if item["recruiter"] else "the public form"
        demo.say(f"   - {item['candidate']['name']}, {item['role']} at {item['company']} ({by}): {item['status']}")
        for follow_up in item["follow_ups"]:
            demo.say(f"       {STEP_NAMES[follow_up['step']]:<24}{delivery_words(follow_up)}")
    return items


def month_of(moment: datetime) -> tuple[date, date]:
    first = moment.date().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def run_firm_part(demo: Any, number: int) -> None:
    recruiter, admin = (next(u for u in SEEDED if group in u.groups) for group in ("recruiters", "admins"))
    demo.say()
    demo.say(f"{number}. The firm's side, at {demo.base}/firm/. {recruiter.name} signs in as the page does "
             "(InitiateAuth, USER_PASSWORD_AUTH, through /_local/cognito-idp):")
    riley = FirmSession(demo, recruiter.email, recruiter.password)
    me = riley.call("GET", "/firm/me")
    demo.say(f"   an ID token for {me['name']} <{me['email']}>, groups {', '.join(me['groups'])}")

    now = datetime.fromisoformat(demo.call("GET", "/_local/clock")["now"]).astimezone(ZONE)
    interview_at = (now - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    enrolment = {
        "candidate": {"name": "Ana Lima", "email": "ana.lima@example.com", "time_zone": ZONE.key},
        "channels": ["email"], "sms_consent": False, "company": "Initech", "role": "Platform Engineer",
        "interviewer": {"name": "Bill Lumbergh", "title": "VP Engineering"},
        "interview_at": interview_at.replace(tzinfo=None).isoformat(), "expected_decision_days": 5,
    }
    demo.say(f"{number + 1}. {recruiter.name} enrols Ana Lima ({enrolment['role']} at Initech, interviewed "
             f"{interview_at.strftime('%a %d %b %H:%M %Z')}):")
    enrolled = riley.call("POST", "/firm/interviews", enrolment, expect=202, **{"Idempotency-Key": str(uuid.uuid4())})
    sent_to = ", ".join(f"{c['channel']} {c['destination']}" for c in enrolled["confirmations_sent_to"])
    demo.say(f"   awaiting confirmation; the confirmation went to {sent_to}")
    outbox = demo.call("GET", "/_local/outbox")
    confirmation = next(m for m in reversed(outbox["emails"]) if m["to"] == "ana.lima@example.com")
    enrolled_by = next((line for line in confirmation["text"].splitlines() if recruiter.name in line), "")
    demo.say(f"   it says: \"{enrolled_by[:110]}{'...' if len(enrolled_by) > 110 else ''}\"")
    show_list(demo, riley, "the recruiter's list")

    token = re.search(rf"/manage/{enrolled['id']}\?token=([A-Za-z0-9_.-]+)", confirmation["text"])
    if not token:
        raise SystemExit("demo: no manage link in the recruiter's candidate's confirmation")
    demo.say(f"{number + 2}. Ana confirms from the email; two days later her thank-you card nudge goes out:")
    demo.call("POST", f"/interviews/{enrolled['id']}/confirm", None,
              headers={"Authorization": f"Bearer {token.group(1)}"})
    demo.advance(2)
    show_list(demo, riley, "the recruiter's list")

    demo.say(f"{number + 3}. Initech calls {recruiter.name} with an offer for Ana; it is recorded, with who to thank:")
    decided = riley.call("POST", f"/firm/interviews/{enrolled['id']}/decision",
                         {"outcome": "offer", "hiring_manager": {"name": "Bill Lumbergh"},
                          "supervisor": {"name": "Joanna Park"}})
    demo.say(f"   {decided['status']}: " + "; ".join(f"{STEP_NAMES[f['step']]} {f['status']}"
                                                    for f in decided["follow_ups"]))

    first, last = month_of(now)
    demo.say(f"{number + 4}. {admin.name} (admins) signs in and reads the report for {first} to {last}:")
    avery = FirmSession(demo, admin.email, admin.password)
    report = avery.call("GET", f"/firm/report?from={first}&to={last}")
    demo.say(f"   enrolled {report['enrolled']['total']} ({report['enrolled']['public']} through the public form); "
             f"outcomes {json.dumps(report['outcomes'])}; opt-outs {report['opt_outs']}")
    for step, counted in report["nudges"].items():
        demo.say(f"   {STEP_NAMES[step]:<24}sent {json.dumps(counted['sent'])}")
    answer = request("GET", f"{demo.base}/firm/report?from={first}&to={last}",
                     headers={**avery.bearer, "Accept": "text/csv"})
    lines = answer.text.strip().splitlines()
    demo.say(f"   as CSV ({answer.headers.get('content-type')}), {len(lines) - 1} rows:")
    for line in lines:
        demo.say(f"     {line}")
