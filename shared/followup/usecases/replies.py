"""Hearing back by SMS: the candidate's replies and SNS's delivery receipts, applied (``followup.domain.replies``).

A reply finds the nudge it answers by ``previousPublishedMessageId`` (the pointer the step wrote with the send's
record), else the latest nudge texted to that number; a number with no active interview changes nothing and is
answered with nothing. The same text delivered twice (its ``inboundMessageId``) is applied once: the interview
records each reply with the write that applies it, and a text it holds already does nothing.
- STOP (and AWS's other opt-out words): the number is put on the firm's opt-out list (reason ``stop``) and every
  active interview lately texted there stops texting (``Interview.stopped["sms"] = "stop"``).
- DONE, LISTO, HECHO: the step answered is marked done (``done_by: "reply"``) and one text confirms it; a step no
  longer sent-and-open (done already, cancelled) only records the reply.
- START: recorded; nothing is undone (the page says how to turn texts back on). HELP: AWS answers it.
- Anything else: recorded with its text, and emailed to the recruiter who enrolled the candidate (at most
  ``FORWARDS_PER_DAY`` an interview a day); for a public submission, at most one automatic answer a day pointing to
  the page (a manage link bound to the number, minted for it).
Each message goes after the write that records it: a refused send is tried again within the invocation (a
throttle), one whose answer was lost never is, and a retried invocation finds the reply recorded and sends nothing
again (at most once). Nothing here logs a number, an address or a text.

A receipt moves the nudge's SMS delivery (``delivered``, or ``failed`` with its class); a blocked or unreachable
number stops the interview's texts. Three calls a receipt: the pointer, the interview, the write; and three to apply
a reply: the pointer, the interview, and one write that also takes the day's forward or answer (a limit refused:
the reply is written without it, a fourth) or, for STOP, puts the number on the opt-out list. A message it sends
(the DONE's confirmation, a forward, an answer) is one more.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from time import sleep as wait
from zoneinfo import ZoneInfo

from followup.domain import counts, replies, transitions
from followup.domain.destinations import address_key
from followup.domain.drafts import in_subject
from followup.domain.errors import ConcurrentModification
from followup.domain.feedback import tags_of
from followup.domain.i18n import language_for
from followup.domain.models import Interview
from followup.domain.tokens import live, manage_url, mint_links
from followup.ports import Email, LimitReached, LimitUse, Senders, SendFailed, SendUnconfirmed, SmsPointer, Store
from followup.runtime.config import Settings
from followup.runtime.observability import count, logger
from followup.usecases.alerts import firm_link

FORWARDS_PER_DAY = 5  # replies emailed to the enrolling recruiter, per interview and day
PAGE_ANSWERS_PER_DAY = 1  # automatic answers to a public candidate's texts, per interview and day
DAY = timedelta(days=1)
WRITE_ATTEMPTS = 4
SEND_ATTEMPTS = 3  # an answer or a forward refused (throttled) is tried this often, as the confirmations are
BACKOFF = 0.1  # seconds


class Replies:
    def __init__(self, settings: Settings, store: Store, senders: Senders, now: Callable[[], datetime],
                 sleep: Callable[[float], None] | None = None) -> None:
        self.sleep = sleep or wait  # the backoff's wait; tests pass their own
        self.settings = settings
        self.store = store
        self.senders = senders
        self.now = now
        self.zone = ZoneInfo(settings.default_time_zone)

    # ---- replies ------------------------------------------------------------------------------

    def inbound(self, message: object) -> str:
        """Apply one inbound text (an SNS record's ``Message``); returns what it did. ``InvalidPayload`` for one
        that is not AWS's inbound JSON."""
        inbound = replies.inbound_of(message)
        if inbound.keyword == "help":
            return "help"  # the number's own keyword response answers it
        number = address_key("sms", inbound.number)
        epoch = int(self.now().timestamp())
        if inbound.keyword == "stop":
            return self._stop(inbound, self.store.latest_sms(number, epoch))
        target = self.store.sms_pointer(inbound.previous_id, epoch) if inbound.previous_id else None
        target = target or self.store.latest_sms(number, epoch)
        interview = self._active(target.interview_id, inbound) if target is not None else None
        if interview is None or target is None:
            logger.info("reply for no active interview", extra={"keyword": inbound.keyword, "result": "nothing"})
            return "no_interview"
        ids = {"interview_id": interview.id, "step": target.step, "keyword": inbound.keyword or "text"}
        if replies.answered(interview, inbound):
            logger.info("reply applied already", extra={**ids, "result": "duplicate"})
            return "duplicate"
        if inbound.keyword == "done":
            return self._done(interview, target, inbound, ids)
        if inbound.keyword == "start":
            self._write(interview, lambda i: replies.record_reply(i, inbound, target.step, self._at(), keep_text=False))
            logger.info("reply applied", extra={**ids, "result": "start"})
            return "start"
        return self._text(interview, target, inbound, ids)

    def _active(self, interview_id: str, inbound: replies.Inbound) -> Interview | None:
        interview = self.store.load(interview_id)
        if interview is None or interview.status == "cancelled" or not replies.texts_to(interview, inbound.number):
            return None
        return interview

    def _stop(self, inbound: replies.Inbound, latest: SmsPointer | None) -> str:
        """Every active interview lately texted at that number stops texting, and the firm's list refuses it."""
        if latest is None:
            logger.info("reply for no active interview", extra={"keyword": "stop", "result": "nothing"})
            return "no_interview"
        active = [i for i in (self._active(id_, inbound) for id_ in sorted(latest.interviews)) if i is not None]
        if not active:  # every interview lately texted there is erased, cancelled or edited to another number
            logger.info("reply for no active interview", extra={"keyword": "stop", "result": "nothing"})
            return "no_interview"
        opt_out = (address_key("sms", inbound.number), "stop")  # with each interview's write: a retry finds both
        stopped = 0
        for interview in active:
            interview_id = interview.id
            if replies.answered(interview, inbound):
                continue
            self._write(interview, lambda i, id_=interview_id: replies.stop_texts(
                replies.record_reply(i, inbound, latest.step if id_ == latest.interview_id else None, self._at(),
                                     keep_text=False), "stop"), opt_out=opt_out)
            stopped += 1
        count("SmsStopReply", step="reply", channel="sms")
        logger.info("reply applied", extra={"keyword": "stop", "result": "stopped", "interviews": stopped})
        return "stopped"

    def _done(self, interview: Interview, target: SmsPointer, inbound: replies.Inbound, ids: dict) -> str:
        follow_up = interview.follow_ups.get(target.step)
        marks = follow_up is not None and follow_up.status in ("sent", "failed")

        def change(current: Interview) -> Interview:
            recorded = replies.record_reply(current, inbound, target.step, self._at(), keep_text=False)
            step = recorded.follow_ups.get(target.step)
            if not marks or step is None or step.status not in ("sent", "failed"):
                return recorded
            done = transitions.mark_done(recorded, target.step).interview  # a sent step: no schedule to change
            done.follow_ups[target.step].done_by = "reply"
            return done

        written = self._write(interview, change)
        if not marks or written.follow_ups[target.step].done_by != "reply":
            logger.info("reply applied", extra={**ids, "result": "recorded"})
            return "recorded"
        if "sms" not in written.stopped:  # a number that said STOP gets no answer
            answer = replies.done_answer(target.step, self.settings.firm_name, language_for(interview, self.settings))
            self._text_back(interview, answer, ids)
        logger.info("reply applied", extra={**ids, "result": "done"})
        return "done"

    def _text(self, interview: Interview, target: SmsPointer, inbound: replies.Inbound, ids: dict) -> str:
        now = self.now()
        recruiter = interview.recruiter is not None

        def record(current: Interview) -> Interview:
            return replies.record_reply(current, inbound, target.step, self._at(), keep_text=recruiter)

        if recruiter:
            use = LimitUse("replies", interview.id, FORWARDS_PER_DAY, DAY, now)
            if not self._within(interview, record, record, use):
                logger.info("reply applied", extra={**ids, "result": "recorded, not forwarded: the day's limit"})
                return "recorded"
            self._send_email(self._forward(interview, inbound, target.step), ids)
            logger.info("reply applied", extra={**ids, "result": "forwarded"})
            return "forwarded"
        links = mint_links(interview.id, {"sms": interview.candidate.phone or ""}, now)

        def answered(current: Interview) -> Interview:
            manage = [g for g in links.grants if g.kind == "manage"]
            return replace(record(current), tokens=[*live(current.tokens, now), *manage])

        answers = "sms" not in interview.stopped  # a number that said STOP gets no answer
        if answers:  # the day's one answer, taken by the write that records the reply
            answers = self._within(interview, answered, record,
                                   LimitUse("page_answers", interview.id, PAGE_ANSWERS_PER_DAY, DAY, now))
        else:
            self._write(interview, record)
        if not answers:
            logger.info("reply applied", extra={**ids, "result": "recorded, not answered: stopped or answered today"})
            return "recorded"
        link = manage_url(self.settings.base_url, interview.id, links.manage["sms"])
        answer = replies.page_answer(link, self.settings.firm_name, language_for(interview, self.settings))
        self._text_back(interview, answer, ids)
        logger.info("reply applied", extra={**ids, "result": "answered"})
        return "answered"

    def _within(self, interview: Interview, change: Callable[[Interview], Interview],
                otherwise: Callable[[Interview], Interview], use: LimitUse) -> bool:
        """``change`` written with the limit ``use`` it takes, in one transaction; if the limit refuses,
        ``otherwise`` is written instead (without it) and the answer is False."""
        try:
            self._write(interview, change, limit=use)
        except LimitReached:
            self._write(interview, otherwise)
            return False
        return True

    # ---- receipts -----------------------------------------------------------------------------

    def receipts(self, records: object) -> dict[str, int]:
        """Apply SNS's delivery receipts (the log events of one subscription batch); how many did what."""
        done: dict[str, int] = {}
        epoch = int(self.now().timestamp())
        for receipt in replies.receipts_of(records):
            target = self.store.sms_pointer(receipt.message_id, epoch)
            interview = self.store.load(target.interview_id) if target is not None else None
            result = "unknown"
            if interview is not None and target is not None:
                written = self._write(interview, lambda i, t=target, r=receipt: replies.apply_receipt(i, t.step, r) or i)
                result = "unchanged"
                if written is not interview:  # _write answers the copy it read when the receipt changed nothing
                    result = "delivered" if receipt.delivered else f"failed:{receipt.reason}"
                    logger.info("sms receipt applied", extra={"interview_id": interview.id, "step": target.step,
                                                              "result": result})
            done[result] = done.get(result, 0) + 1
        return done

    # ---- writes and sends ---------------------------------------------------------------------

    def _write(self, interview: Interview, change: Callable[[Interview], Interview], *, limit: LimitUse | None = None,
               opt_out: tuple[str, str] | None = None) -> Interview:
        """``change`` applied and written, with its counts, the limit use it takes and the opt-out it records (all in
        one transaction: ``LimitReached`` if the limit refuses); a lost race is applied again to a fresh copy."""
        current: Interview | None = interview
        for _ in range(WRITE_ATTEMPTS):
            if current is None:
                current = self.store.load(interview.id)
                if current is None:
                    return interview  # erased meanwhile: nothing to record
            changed = change(current)
            if changed == current:
                return current
            try:
                return self.store.replace(changed, counts.changes(current, changed, self.now(), self.zone),
                                          limit=limit, opt_out=opt_out)
            except ConcurrentModification:
                current = None
        raise ConcurrentModification()

    def _text_back(self, interview: Interview, text: str, ids: dict) -> None:
        self._send(lambda: self.senders.send_sms(interview.candidate.phone or "", text), "answer", ids)

    def _send_email(self, email: Email, ids: dict) -> None:
        self._send(lambda: self.senders.send_email(email), "forward", ids)

    def _send(self, send: Callable[[], str], what: str, ids: dict) -> None:
        """One message, after the write that recorded its reply: a refusal (a throttle) is tried again after a
        jittered backoff; one that may have gone (its answer lost) never is. The reply stands either way."""
        for attempt in range(SEND_ATTEMPTS):
            try:
                send()
                return
            except SendUnconfirmed as exc:
                logger.warning(f"{what} unconfirmed", extra={**ids, "error": exc.code})
                return
            except SendFailed as exc:
                logger.warning(f"{what} not sent", extra={**ids, "error": exc.code, "attempt": attempt + 1})
                if attempt + 1 < SEND_ATTEMPTS:
                    self.sleep(random.uniform(0, BACKOFF * 2**attempt))  # noqa: S311 - jitter

    def _forward(self, interview: Interview, inbound: replies.Inbound, step: str) -> Email:
        """The enrolling recruiter's email with the candidate's text (free text: escaped in the HTML part)."""
        recruiter = interview.recruiter
        assert recruiter is not None
        candidate = " ".join(interview.candidate.name.split())
        link = firm_link(self.settings.base_url, interview.id)
        about = f"the {' '.join(interview.role.split())} interview at {' '.join(interview.company.split())}"
        greeting = f"Hi {' '.join(recruiter.name.split())},"
        news = f"{candidate} answered a text about {about}:"
        text = f"{greeting}\n\n{news}\n\n    {inbound.text}\n\nSee the interview: {link}\n\n{self.settings.firm_name}\n"
        page = (f"<!doctype html><html><body><p>{html.escape(greeting)}</p><p>{html.escape(news)}</p>"
                f"<blockquote>{html.escape(inbound.text)}</blockquote>"
                f'<p><a href="{html.escape(link)}">See the interview</a></p>'
                f"<p>{html.escape(self.settings.firm_name)}</p></body></html>")
        return Email(sender=self.settings.sender_email, sender_name=self.settings.firm_name, to=recruiter.email,
                     subject=f"{in_subject(candidate)} replied about {in_subject(interview.role)}", text=text,
                     html=page, tags=tuple(tags_of(interview.id, "alert").items()))

    def _at(self) -> str:
        return self.now().isoformat()
