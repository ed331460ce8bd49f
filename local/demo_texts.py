"""`make demo`, hearing back by text: a candidate who replies DONE to a nudge (what the dev console's reply box
does: ``POST /_local/sms/inbound`` naming the nudge) and one who replies STOP. Each reply reaches the feedback
function through the template's inbound topic in that request; the candidate's page then says the step was done by
the reply, a text confirms it, and after a STOP the next nudge is not texted. Printed as the candidate's part is.
"""

from __future__ import annotations

import uuid
from typing import Any

from local.demo_feedback import candidate_submission, manage_token, show_steps


def _texted(demo: Any, name: str, phone: str) -> tuple[str, dict[str, str]]:
    """A candidate who chose texts only, confirmed from the confirmation text: the interview id and the bearer."""
    body = candidate_submission(demo, name, f"{name.split()[0].lower()}@example.com", phone)
    body["channels"] = ["sms"]
    interview = demo.call("POST", "/interviews", body, headers={"Idempotency-Key": str(uuid.uuid4())}, expect=202)["id"]
    text = next(m for m in reversed(demo.call("GET", "/_local/outbox")["sms"]) if m["to"] == phone)
    bearer = {"Authorization": f"Bearer {manage_token(text['message'], interview)}"}
    demo.call("POST", f"/interviews/{interview}/confirm", None, headers=bearer)
    return interview, bearer


def _reply(demo: Any, phone: str, body: str, reply_to: str | None) -> str:
    """The candidate's text to the firm's number; what the feedback function answered."""
    sent = demo.call("POST", "/_local/sms/inbound", {"from": phone, "body": body, "reply_to": reply_to})
    heard = next(t for t in demo.call("GET", "/_local/sms/inbound")
                 if t["inbound_message_id"] == sent["inbound_message_id"])
    return ", ".join(str((h.get("result") or {}).get("result", h.get("error"))) for h in heard["handled_by"])


def run_texts_part(demo: Any, number: int) -> None:
    demo.say()
    riley_phone, casey_phone = "+14155550161", "+14155550162"
    demo.say(f"{number}. Hearing back by text. Riley Chen and Casey Diaz get their nudges by text only:")
    riley, riley_bearer = _texted(demo, "Riley Chen", riley_phone)
    casey, casey_bearer = _texted(demo, "Casey Diaz", casey_phone)
    demo.say("   three days on, the thank-you card nudges go out:")
    demo.advance(3)
    outbox = demo.call("GET", "/_local/outbox")
    nudge = next(m for m in reversed(outbox["sms"]) if m["to"] == riley_phone)
    demo.say(f"   Riley replies DONE to \"{nudge['message'][:40]}...\" (the console's reply box): the function "
             f"answered {_reply(demo, riley_phone, 'DONE', nudge['message_id'])}")
    show_steps(demo, demo.call("GET", f"/interviews/{riley}", headers=riley_bearer))
    done = demo.call("GET", f"/interviews/{riley}", headers=riley_bearer)["follow_ups"][0]
    confirming = next(m for m in reversed(demo.call("GET", "/_local/outbox")["sms"]) if m["to"] == riley_phone)
    demo.say(f"   the step says done_by: {done.get('done_by')!r}; the confirming text: \"{confirming['message']}\"")

    demo.say(f"{number + 1}. Casey replies STOP: the function answered {_reply(demo, casey_phone, 'STOP', None)}")
    sent_before = sum(1 for m in demo.call("GET", "/_local/outbox")["sms"] if m["to"] == casey_phone)
    demo.say("   the check-in falls due a week on; it texts Casey nothing:")
    demo.advance(8)
    show_steps(demo, demo.call("GET", f"/interviews/{casey}", headers=casey_bearer))
    sent_after = sum(1 for m in demo.call("GET", "/_local/outbox")["sms"] if m["to"] == casey_phone)
    demo.say(f"   texts to Casey after the STOP: {sent_after - sent_before}")
