"""The local stack's dev console: the simulated clock and its buttons, the pending schedules, the outbox (each
email with what SES told of it, and buttons that make it bounce or be marked as spam; each SMS with its receipts
and the replies to it, and a box to reply as the candidate), the switch for SMS delivery receipts, and the texts
the candidates sent.

One page, rendered on the server and escaped throughout, with no inline style or script: its style sheet
``local/console.css`` is served at ``/_local/console.css``, and each email is shown in a sandboxed frame
loading ``/_local/outbox/emails/<n>.html``, the email's own document (emails carry inline styles by nature,
so that document alone allows them).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from local.clock import iso

_COMMON_HEADERS = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
CONSOLE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; frame-src 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    **_COMMON_HEADERS,
}
# One email as it would arrive, framed by the console only: its inline styles, nothing else (no script,
# no remote image); the frame is sandboxed too, and its links open in a new tab.
EMAIL_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    **_COMMON_HEADERS,
}


@cache
def style_sheet() -> bytes:
    return files("local").joinpath("console.css").read_bytes()


def email_document(message: dict[str, Any]) -> str:
    """The email's HTML part, its links opening in a new tab (the frame that shows it is sandboxed)."""
    return re.sub(r"(?i)<head>", '<head><base target="_blank">', message["html"], count=1)


def answered(handled: dict[str, Any]) -> str:
    """What one function made of an SES event: ``FeedbackFunction answered applied``, or its failure."""
    if "result" not in handled:
        return f"{handled['function']} failed: {handled.get('error')}"
    result = handled["result"]
    return f"{handled['function']} answered {result.get('result', result) if isinstance(result, dict) else result}"


def heard_line(entry: dict[str, Any]) -> str:
    """One event SES published about an email, and who took it (plain text: the caller escapes it)."""
    kind = entry["detail_type"]
    if entry.get("bounce_type"):
        kind += f" ({entry['bounce_type']}, {entry['bounce_subtype']})"
    handled = ", ".join(map(answered, entry.get("handled_by", []))) or "no rule matched it"
    return f"{kind} at {entry['at']}: {handled}"


def feedback_html(message: dict[str, Any]) -> str:
    """What SES told of one outbox email, and the buttons that make it bounce or be marked as spam."""
    e = html.escape
    heard = "".join(f"<li>{e(heard_line(entry))}</li>" for entry in message.get("feedback") or [])
    told = f'<ul class="heard">{heard}</ul>' if heard else '<p class="empty">SES told nothing of it.</p>'
    return (f'<section class="feedback" aria-label="What SES told">{told}'
            '<form method="post" action="/_local/ses/feedback">'
            f'<input type="hidden" name="message_id" value="{e(message["message_id"])}">'
            '<button type="submit" name="type" value="bounce">Bounce</button> '
            '<button type="submit" name="type" value="complaint">Complain</button></form></section>')


RECEIPT_LABELS = {
    "off": "Off: no receipts",
    "success": "Success: delivered",
    "blocked": "Failure: blocked by the carrier",
    "unreachable": "Failure: phone unreachable",
    "opted_out": "Failure: number opted out",
    "unknown": "Failure: unknown error",
}


def sms_heard_line(entry: dict[str, Any]) -> str:
    """One receipt or reply about a text, and who took it (plain text: the caller escapes it)."""
    if entry["event"] == "Inbound text":
        what = f"Reply \"{entry['body']}\" ({entry['message_keyword']})"
        nobody = "no function is subscribed to the topic"
    else:
        what = f"Receipt {entry['status']} ({entry['provider_response']})"
        nobody = "no subscription filter took it"
    handled = ", ".join(map(answered, entry.get("handled_by", []))) or nobody
    return f"{what} at {entry['at']}: {handled}"


def sms_feedback_html(sms: dict[str, Any], heard_of: list[dict[str, Any]]) -> str:
    """What was heard of one outbox SMS, and the box to reply to it as the candidate."""
    e = html.escape
    heard = "".join(f"<li>{e(sms_heard_line(entry))}</li>" for entry in heard_of)
    told = f'<ul class="heard">{heard}</ul>' if heard else '<p class="empty">No receipt or reply yet.</p>'
    field = f"reply-{e(sms['message_id'])}"
    return (f'<section class="feedback" aria-label="What came back">{told}'
            '<form method="post" action="/_local/sms/inbound" class="reply">'
            f'<input type="hidden" name="from" value="{e(sms["to"])}">'
            f'<input type="hidden" name="reply_to" value="{e(sms["message_id"])}">'
            f'<label for="{field}">Reply as the candidate</label> '
            f'<input type="text" id="{field}" name="body" required maxlength="1600" placeholder="DONE">'
            ' <button type="submit">Send reply</button></form></section>')


def receipts_html(mode: str) -> str:
    """The switch for SMS delivery receipts: what each text sent from now on gets."""
    e = html.escape
    options = "".join(f'<option value="{e(value)}"{" selected" if value == mode else ""}>{e(label)}</option>'
                      for value, label in RECEIPT_LABELS.items())
    return ('<form method="post" action="/_local/sms/receipts" class="receipts">'
            '<label for="sms-receipts">SMS delivery receipts</label> '
            f'<select id="sms-receipts" name="mode">{options}</select> <button type="submit">Set</button>'
            f' <span>now: <strong id="sms-receipts-mode">{e(mode)}</strong></span></form>')


def inbound_html(inbound: list[dict[str, Any]]) -> str:
    e = html.escape
    if not inbound:
        return '<p class="empty">No texts received yet.</p>'
    rows = "".join(
        f"<tr><td><time datetime=\"{e(t['at'])}\">{e(t['at'])}</time></td><td>{e(t['from'])}</td>"
        f"<td>{e(t['body'])}</td><td><code>{e(t['reply_to'] or '-')}</code></td>"
        f"<td>{e(', '.join(map(answered, t['handled_by'])) or 'no function is subscribed to the topic')}</td></tr>"
        for t in reversed(inbound)
    )
    return ('<table><thead><tr><th scope="col">At</th><th scope="col">From</th><th scope="col">Text</th>'
            '<th scope="col">Replying to</th><th scope="col">Answered</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def render_console(
    *,
    now: datetime,
    schedules: list[dict[str, Any]],
    outbox: dict[str, list[dict[str, Any]]],
    dead_letters: int,
    firm_name: str,
    fired: list[str] | None,
    feedback: str | None = None,
    texts_note: str | None = None,
    sms_receipts: str = "off",
    inbound: list[dict[str, Any]] | None = None,
    sms_heard: dict[str, list[dict[str, Any]]] | None = None,
) -> str:
    """The dev console: the clock and its buttons, pending schedules, the outbox newest first. All escaped."""
    from followup.domain.sms import sms_segments

    e = html.escape
    buttons = "".join(
        f'<form method="post" action="/_local/clock"><input type="hidden" name="{field}" value="{amount}">'
        f"<button type=\"submit\">{label}</button></form>"
        for field, amount, label in (
            ("advance_hours", 1, "+1 hour"), ("advance_days", 1, "+1 day"), ("advance_days", 7, "+1 week")
        )
    )
    fired_note = ""
    if fired is not None:
        fired_text = ", ".join(fired) if fired else "nothing fell due"
        fired_note = f'<p class="fired" role="status">Fired: {e(fired_text)}</p>'
    if feedback is not None:
        fired_note += f'<p class="fired" role="status">SES feedback: {e(feedback)}</p>'
    if texts_note is not None:
        fired_note += f'<p class="fired" role="status">SMS: {e(texts_note)}</p>'

    if schedules:
        rows = "".join(
            f"<tr><td><code>{e(s['name'])}</code></td><td><time datetime=\"{e(s['due_at'])}\">{e(s['due_at'])}</time>"
            f"<br><small>{e(iso(datetime.fromisoformat(s['due_at'])))}</small></td>"
            f"<td><code>{e(json.dumps(s['payload'], sort_keys=True))}</code></td></tr>"
            for s in schedules
        )
        schedule_html = (
            "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Due (candidate's zone, then UTC)</th>"
            f"<th scope=\"col\">Payload</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        schedule_html = '<p class="empty">No pending schedules.</p>'

    entries: list[tuple[str, int, str]] = []
    for index, message in enumerate(outbox["emails"]):
        headers = "".join(f"<tr><th scope=\"row\">{e(k)}</th><td>{e(v)}</td></tr>" for k, v in message["headers"].items())
        entries.append((message["sent_at"], index, f"""<article class="message" aria-labelledby="email-{index}">
<h3 id="email-{index}"><span class="channel">email</span>{e(message['subject'])}</h3>
<p class="meta">To {e(message['to'])} · from {e(message['from'])} · sent <time datetime="{e(message['sent_at'])}">\
{e(message['sent_at'])}</time> · message id <code>{e(message['message_id'])}</code></p>
{feedback_html(message)}
<iframe title="Email: {e(message['subject'])}" sandbox="allow-popups allow-popups-to-escape-sandbox"
 src="/_local/outbox/emails/{index}.html"></iframe>
<details><summary>Headers</summary><table>{headers}</table></details>
<details><summary>Plain-text part</summary><pre>{e(message['text'])}</pre></details>
</article>"""))
    for index, sms in enumerate(outbox["sms"]):
        encoding, parts = sms_segments(sms["message"])
        entries.append((sms["sent_at"], index, f"""<article class="message" aria-labelledby="sms-{index}">
<h3 id="sms-{index}"><span class="channel sms">sms</span>To {e(sms['to'])}</h3>
<p class="meta">Sent <time datetime="{e(sms['sent_at'])}">{e(sms['sent_at'])}</time> · {len(sms['message'])} characters ·
{e(encoding)} · {parts} segment{'s' if parts != 1 else ''} · message id <code>{e(sms['message_id'])}</code></p>
<pre>{e(sms['message'])}</pre>
{sms_feedback_html(sms, (sms_heard or {}).get(sms['message_id'], []))}
</article>"""))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    outbox_html = "\n".join(entry for _, _, entry in entries) or '<p class="empty">Nothing sent yet.</p>'
    count = f"{len(outbox['emails'])} email{'s' if len(outbox['emails']) != 1 else ''}, {len(outbox['sms'])} SMS"

    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Local dev console · {e(firm_name)}</title>
<link rel="stylesheet" href="/_local/console.css"></head>
<body>
<header><h1>Local dev console · {e(firm_name)}</h1>
<nav aria-label="Local stack"><a href="/">Web form</a> · <a href="/openapi.json">OpenAPI</a> ·
<a href="/_local/">Refresh</a></nav></header>
<main>
<h2 id="clock-heading">Simulated clock</h2>
<section class="clock" aria-labelledby="clock-heading">
<output id="now">{e(iso(now))}</output> {buttons}
</section>
{fired_note}
<p>Moving the clock fires every schedule that falls due, in time order, through the step handlers.
Dead letters: {dead_letters}. Each email shows what SES told of it (an address of SES's mailbox simulator,
<code>bounce@simulator.amazonses.com</code>, <code>complaint@</code>, <code>ooto@</code>,
<code>suppressionlist@</code>, with an optional <code>+label</code>, makes its event; any other is delivered);
its buttons make a permanent bounce or a complaint of it. Each SMS lists its delivery receipts and the replies
to it; its box sends a reply as the candidate (to the firm's number, through the stack's inbound topic). With
receipts on, each SMS sent gets the chosen receipt right away.</p>
<h2 id="texts-heading">Texts</h2>
<section aria-labelledby="texts-heading">
{receipts_html(sms_receipts)}
<h3>Received ({len(inbound or [])}), newest first</h3>
{inbound_html(inbound or [])}
</section>
<h2 id="schedules-heading">Pending schedules ({len(schedules)})</h2>
<section aria-labelledby="schedules-heading">{schedule_html}</section>
<h2 id="outbox-heading">Outbox ({count}), newest first</h2>
<section aria-labelledby="outbox-heading">
{outbox_html}
</section>
</main>
</body>
</html>
"""
