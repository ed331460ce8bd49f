"""What comes back by SMS: the candidate's replies (AWS End User Messaging's inbound JSON, through the stack's SNS
topic) and SNS's delivery receipts (its delivery-status logs, through a CloudWatch Logs subscription). Pure.

A reply's first word, upper-cased with its accents removed, is its keyword: AWS's opt-out words and their
Spanish (``stop``: AWS opts the number out itself; the product stops texting every active interview of that
number), ``start`` (nothing is undone silently: the page says how to turn texts back on), ``help`` (AWS answers
with the number's own keyword response), ``done`` (DONE, LISTO, HECHO: the step it answers is marked done, as the
page's button does). Anything else is a text: the enrolling recruiter reads it; a public candidate gets at most one
automatic answer a day pointing to their page.

A receipt's status moves the SMS delivery as SES's events move an email's (``followup.domain.feedback``): only
forward, never out of a final state. A carrier's refusal is told by its class only (``unreachable``, ``blocked``,
``opted_out``, ``unknown``), never the provider's text; a blocked or unreachable number stops the interview's texts.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from followup.domain.destinations import same_destination
from followup.domain.errors import InvalidPayload
from followup.domain.i18n import SOURCE, words
from followup.domain.models import REPLIES_KEPT, REPLY_TEXT_LIMIT, Delivery, Interview, Reply

Keyword = Literal["stop", "start", "help", "done"]
KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(("STOP", "ARRET", "CANCEL", "END", "OPT-OUT", "OPTOUT", "QUIT", "REMOVE", "TD", "UNSUBSCRIBE",
                     "STOPALL", "PARAR", "ALTO", "CANCELAR", "BAJA"), "stop"),
    **dict.fromkeys(("START", "UNSTOP", "YES", "COMENZAR"), "start"),
    **dict.fromkeys(("HELP", "INFO", "AYUDA"), "help"),
    **dict.fromkeys(("DONE", "LISTO", "LISTA", "HECHO", "HECHA"), "done"),
}
STOPPING_RECEIPTS = ("blocked", "unreachable")  # a number that cannot take texts: the interview's texts stop


@dataclass(frozen=True)
class Inbound:
    number: str  # the candidate's (originationNumber): personal data, never logged
    inbound_id: str
    previous_id: str | None  # previousPublishedMessageId: the nudge it answers, if AWS knows it
    keyword: Keyword | None
    text: str  # the body, cut to REPLY_TEXT_LIMIT


@dataclass(frozen=True)
class Receipt:
    message_id: str
    delivered: bool
    reason: str | None  # a failure's class
    at: str


def inbound_of(message: object) -> Inbound:
    """The inbound text in an SNS record's ``Message`` (AWS's JSON, as a string or already read); ``InvalidPayload``
    naming what is wrong, never the number or the text."""
    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            raise InvalidPayload("the inbound message is not JSON") from None
    if not isinstance(message, dict):
        raise InvalidPayload("the inbound message is not an object")
    number, inbound_id, body = (message.get(k) for k in ("originationNumber", "inboundMessageId", "messageBody"))
    if not isinstance(number, str) or not number.startswith("+") or not number[1:].isdigit():
        raise InvalidPayload("the inbound message has no valid originationNumber")
    if not isinstance(inbound_id, str) or not inbound_id:
        raise InvalidPayload("the inbound message has no inboundMessageId")
    if not isinstance(body, str):
        raise InvalidPayload("the inbound message has no messageBody")
    previous = message.get("previousPublishedMessageId")
    return Inbound(number, inbound_id[:100], previous[:100] if isinstance(previous, str) and previous else None,
                   keyword_of(body), " ".join(body.split())[:REPLY_TEXT_LIMIT])


def keyword_of(body: str) -> Keyword | None:
    """The keyword the text's first word is (case and accents aside), if it is one."""
    words = body.split()
    if not words:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", words[0]) if not unicodedata.combining(c))
    return KEYWORDS.get(plain.strip(".!¡?¿,;:").upper())


def receipts_of(records: object) -> list[Receipt]:
    """The receipts in SNS's delivery-status log events (each a JSON message); ``InvalidPayload`` if none is one."""
    if not isinstance(records, list):
        raise InvalidPayload("the log data holds no log events")
    found = []
    for record in records:
        try:
            entry = json.loads(record["message"]) if isinstance(record, dict) else None
        except (KeyError, TypeError, ValueError):
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("notification"), dict):
            continue
        message_id, status = entry["notification"].get("messageId"), entry.get("status")
        at = entry["notification"].get("timestamp")
        if not isinstance(message_id, str) or status not in ("SUCCESS", "FAILURE") or not isinstance(at, str):
            continue
        moment = _iso(at)
        if moment is None:
            continue
        delivery = entry.get("delivery") if isinstance(entry.get("delivery"), dict) else {}
        reason = None if status == "SUCCESS" else failure_class(str(delivery.get("providerResponse") or ""))
        found.append(Receipt(message_id[:100], status == "SUCCESS", reason, moment))
    if not found:
        raise InvalidPayload("the log data holds no SMS delivery receipt")
    return found


def failure_class(response: str) -> str:
    """The class of a carrier's refusal, from SNS's provider response (its words are not kept)."""
    said = response.lower()
    if "opted out" in said or "opt-out" in said:
        return "opted_out"
    if "blocked" in said or "spam" in said:
        return "blocked"
    if "unreachable" in said or "unavailable" in said or "invalid" in said or "not a mobile" in said:
        return "unreachable"
    return "unknown"


def record_reply(interview: Interview, inbound: Inbound, step: str | None, at: str, *, keep_text: bool) -> Interview:
    """``interview`` (a copy) with the reply recorded: its keyword, or its text when ``keep_text`` (the latest
    REPLIES_KEPT)."""
    reply = Reply(inbound_id=inbound.inbound_id, at=at, step=step, keyword=inbound.keyword,
                  text=inbound.text if keep_text else None)
    return replace(interview, replies=[*interview.replies, reply][-REPLIES_KEPT:])


def answered(interview: Interview, inbound: Inbound) -> bool:
    """Whether this very text (the same inbound id, delivered again) is recorded already."""
    return any(reply.inbound_id == inbound.inbound_id for reply in interview.replies)


def texts_to(interview: Interview, number: str) -> bool:
    """Whether ``interview`` texts ``number`` now (the number not edited since, texts chosen)."""
    return "sms" in interview.channels and same_destination("sms", interview.candidate.phone, number)


def stop_texts(interview: Interview, reason: str) -> Interview:
    """``interview`` (a copy) with its texts stopped for ``reason``; a stop already there keeps its first reason."""
    if "sms" in interview.stopped:
        return interview
    return replace(interview, stopped={**interview.stopped, "sms": reason})


def apply_receipt(interview: Interview, step: str, receipt: Receipt) -> Interview | None:
    """``interview`` (a copy) with the step's SMS delivery moved as ``receipt`` says, or None if it changes nothing."""
    follow_up = interview.follow_ups.get(step)
    sms = follow_up.deliveries.get("sms") if follow_up is not None else None
    if follow_up is None or sms is None or sms.status != "sent" or sms.message_id not in (None, receipt.message_id):
        return None  # only a sent text moves on: a delivered or failed one is final, a skipped one was never sent
    moved: Delivery = replace(sms, status="delivered", delivered_at=receipt.at, reason=None) if receipt.delivered \
        else replace(sms, status="failed", reason=receipt.reason)
    changed = replace(interview, follow_ups={**interview.follow_ups,
                                             step: replace(follow_up, deliveries={**follow_up.deliveries, "sms": moved})})
    if not receipt.delivered and receipt.reason in STOPPING_RECEIPTS:
        changed = stop_texts(changed, str(receipt.reason))
    return changed


def done_answer(step: str, firm: str, language: str = SOURCE) -> str:
    """The one text that confirms a DONE reply, in the interview's ``language``; one GSM-7 segment (the Spanish
    is written without the accents GSM-7 lacks, or it would be UCS-2 in three)."""
    t = words(language)
    if step == "thank_you_note" or step == "decision_thank_you":
        text = t("Thanks: the thank-you card is marked done. No more reminders for it. - %(firm)s", firm=firm)
    elif step == "check_in":
        text = t("Thanks: the check-in is marked done. No more reminders for it. - %(firm)s", firm=firm)
    else:
        text = t("Thanks: that step is marked done. No more reminders for it. - %(firm)s", firm=firm)
    return text[:160]


def page_answer(link: str, firm: str, language: str = SOURCE) -> str:
    """The automatic answer to a text nobody reads (a public candidate's), at most one a day: where the page is,
    in the interview's ``language`` (GSM-7 in Spanish too: no accented letter beside the link)."""
    t = words(language)
    return t("This number sends reminders only and can't read replies. Your page: %(link)s - %(firm)s", link=link,
             firm=firm)


def _iso(text: str) -> str | None:
    """SNS's timestamps ("2026-03-12 14:02:05.123") as ISO 8601 in UTC; None for one that is no date."""
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "+00:00"
