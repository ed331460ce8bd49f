"""`make demo`, hearing back from SES: a candidate whose email address bounces (SES's mailbox simulator,
``bounce@simulator.amazonses.com``) and one who marks a nudge as spam (what the dev console's "Complain" button
does: ``POST /_local/ses/feedback``). Each event reaches the feedback function through the template's
EventBridge rule in the request that sent the email; the candidate's page then says what SES told, and the next
email nudge is skipped. Printed as the candidate's part is.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.demo_firm import STEP_NAMES, delivery_words

ZONE = ZoneInfo("America/New_York")
BOUNCING = "bounce@simulator.amazonses.com"


def candidate_submission(demo: Any, name: str, email: str, phone: str | None) -> dict[str, Any]:
    """The web form's answers for an interview two hours ago on the simulated clock."""
    now = datetime.fromisoformat(demo.call("GET", "/_local/clock")["now"]).astimezone(ZONE)
    interview_at = (now - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    candidate: dict[str, Any] = {"name": name, "email": email, "time_zone": ZONE.key}
    if phone:
        candidate["phone"] = phone
    return {
        "candidate": candidate, "channels": ["email", "sms"] if phone else ["email"], "sms_consent": bool(phone),
        "company": "Globex Corporation", "role": "Data Engineer",
        "interviewer": {"name": "Dana Whitfield", "title": "Head of Analytics"},
        "interview_at": interview_at.replace(tzinfo=None).isoformat(), "expected_decision_days": 5,
    }


def manage_token(text: str, interview_id: str) -> str:
    found = re.search(rf"/manage/{interview_id}\?token=([A-Za-z0-9_.-]+)", text)
    if not found:
        raise SystemExit(f"demo: no manage link for {interview_id} in the outbox")
    return found.group(1)


def heard_words(email: dict[str, Any]) -> str:
    """What SES told of one outbox email, and what the feedback function answered, in a line."""
    told = []
    for entry in email["feedback"]:
        kind = entry["detail_type"] + (f" ({entry['bounce_type']}, {entry['bounce_subtype']})"
                                       if entry.get("bounce_type") else "")
        answers = ", ".join(f"{h['function']} answered {(h.get('result') or {}).get('result', h.get('error'))}"
                            for h in entry["handled_by"]) or "no rule matched it"
        told.append(f"{kind} -> {answers}")
    return "; ".join(told) or "nothing yet"


def show_steps(demo: Any, interview: dict[str, Any]) -> None:
    for follow_up in interview["follow_ups"]:
        words = delivery_words(follow_up)
        delivered = [d["delivered_at"] for d in follow_up["deliveries"].values() if d.get("delivered_at")]
        if delivered:
            words += f", delivered {datetime.fromisoformat(delivered[0]).astimezone(ZONE).strftime('%a %d %b %H:%M %Z')}"
        demo.say(f"       {STEP_NAMES[follow_up['step']]:<24}{words}")


def run_feedback_part(demo: Any, number: int) -> None:
    demo.say()
    demo.say(f"{number}. Hearing back from SES. Morgan Lee mistypes her address; the local stack stands in for it with "
             f"SES's mailbox simulator, {BOUNCING} (a hard bounce), and she adds her phone:")
    body = candidate_submission(demo, "Morgan Lee", BOUNCING, "+14155550142")
    submitted = demo.call("POST", "/interviews", body, headers={"Idempotency-Key": str(uuid.uuid4())}, expect=202)
    morgan = submitted["id"]
    outbox = demo.call("GET", "/_local/outbox")
    confirmation = next(m for m in reversed(outbox["emails"]) if m["to"] == BOUNCING)
    text = next(m for m in reversed(outbox["sms"]) if m["to"] == "+14155550142")
    demo.say(f"   the confirmation email: {heard_words(confirmation)}")
    token = manage_token(text["message"], morgan)
    bearer = {"Authorization": f"Bearer {token}"}
    demo.say("   she confirms from the text; her page says the email will be skipped:")
    show_steps(demo, demo.call("POST", f"/interviews/{morgan}/confirm", None, headers=bearer))
    demo.say("   three days on, the thank-you card nudge goes by text only:")
    demo.advance(3)
    show_steps(demo, demo.call("GET", f"/interviews/{morgan}", headers=bearer))

    demo.say(f"{number + 1}. Sam Ortiz gets his nudges by email, and marks the first one as spam:")
    body = candidate_submission(demo, "Sam Ortiz", "sam.ortiz@example.com", None)
    submitted = demo.call("POST", "/interviews", body, headers={"Idempotency-Key": str(uuid.uuid4())}, expect=202)
    sam = submitted["id"]
    confirmation = next(m for m in reversed(demo.call("GET", "/_local/outbox")["emails"])
                        if m["to"] == "sam.ortiz@example.com")
    bearer = {"Authorization": f"Bearer {manage_token(confirmation['text'], sam)}"}
    demo.call("POST", f"/interviews/{sam}/confirm", None, headers=bearer)
    demo.say(f"   he confirms from the email ({heard_words(confirmation)}); three days on, the thank-you card:")
    demo.advance(3)
    nudge = next(m for m in reversed(demo.call("GET", "/_local/outbox")["emails"]) if m["to"] == "sam.ortiz@example.com")
    demo.say(f"   \"{nudge['subject']}\": {heard_words(nudge)}")
    show_steps(demo, demo.call("GET", f"/interviews/{sam}", headers=bearer))
    complained = demo.call("POST", "/_local/ses/feedback", {"message_id": nudge["message_id"], "type": "complaint"})
    demo.say(f"   he marks it as spam (the console's \"Complain\" button): {complained['detail_type']} -> "
             f"FeedbackFunction answered {(complained['result'] or {}).get('result')}")
    show_steps(demo, demo.call("GET", f"/interviews/{sam}", headers=bearer))
    demo.say("   the check-in falls due a week on; it sends him nothing:")
    demo.advance(7)
    show_steps(demo, demo.call("GET", f"/interviews/{sam}", headers=bearer))
