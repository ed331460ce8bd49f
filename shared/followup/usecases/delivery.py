"""One follow-up delivery, shared by the three step Lambdas.

At least once in, at most once out per channel, and a cancel wins:
1. A payload for another step's function (``misrouted``), for an erased interview (``gone``), whose version
   is not the stored one (``stale``), or whose follow-up is no longer pending (``not_pending``) does nothing.
2. The follow-up is claimed by a conditional write (``scheduled -> sending``, with a short lease, and one
   more attempt counted); a twin invocation that finds a live lease sends nothing and raises
   ``DeliveryInFlight``, so Lambda tries it again once the lease has run out (answering would end the retries
   of a follow-up whose holder may have died).
3. Every send is immediately preceded by a conditional write that records its channel as in flight (an
   intent: ``Delivery(status="sending")``), with no other AWS call in between. That write also carries the
   claim (for the first channel) and the previous channel's result. An SMS's checks (consent, opt-out) come
   before its intent. The last result is recorded by the final write.
4. A write that finds the follow-up no longer ``sending`` (unsubscribe, decision, done: a cancel won)
   records what already went out, keeps the follow-up as the cancel left it, and sends nothing more
   (``cancelled``); one that finds the interview erased stops too (``gone``).
5. An intent whose result was never recorded (the invocation died, or its record write gave up) is never
   sent again: the next claim records it ``sent`` with reason ``unconfirmed``. At most once beats at least
   once for a nudge.
6. A write is retried on a lost race (on a fresh copy) and on a store fault (jittered exponential backoff,
   bounded), so one fault after a send does not make the invocation fail and its retry send again.
7. All sent: ``sent``. A channel failed: its intent is cleared, the lease released and ``DeliveryFailed``
   raised so the invocation is retried for what is left; on the last attempt the follow-up ends ``failed``
   and the raised error dead-letters the event.

Each write carries what it counts for the firm's report (``followup.domain.counts.changes``: a channel's result,
a follow-up failed for good), added in the same transaction: a write retried after a fault, or recognised
as landed on the reload, counts once.

The Lambda entry point that wires the deployed adapters in is ``followup.handlers.step_handler``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from time import sleep as wait
from typing import Literal
from zoneinfo import ZoneInfo

from followup.domain import counts, messages
from followup.domain.destinations import address_key, channels_opted_out, destination_of
from followup.domain.errors import ConcurrentModification, DeliveryFailed, DeliveryInFlight
from followup.domain.feedback import tags_of
from followup.domain.i18n import language_for
from followup.domain.models import Delivery, FollowUp, Interview, TokenGrant
from followup.domain.payload import SchedulePayload
from followup.domain.tokens import live, manage_url, mint_links, unsubscribe_url
from followup.ports import Email, OnOptOutList, OptOutCheck, Senders, SendFailed, SendUnconfirmed, SmsSent, Store
from followup.runtime.config import Settings
from followup.runtime.observability import count, logger

# Longer than one invocation (the step functions' timeout is 30 s), shorter than Lambda's first retry delay
# (about a minute), so a retry finds the lease of the invocation it follows released or run out.
LEASE = timedelta(seconds=45)
WRITE_ATTEMPTS = 5  # tries of one write (lost races and store faults) before the invocation gives up
BACKOFF_BASE = 0.05  # seconds; the wait before try n+1 is uniform in [0, min(BACKOFF_CAP, BACKOFF_BASE * 2**n)]
BACKOFF_CAP = 1.0  # so a write that gives up has waited at most 0.75 s in all
SMS_POINTERS_KEPT = timedelta(days=30)  # a reply or a delivery receipt to a texted nudge is read this long


# What one invocation did. A delivery that fails on a channel returns nothing: it raises DeliveryFailed.
Result = Literal["sent", "cancelled", "stale", "gone", "not_pending", "misrouted"]


@dataclass(frozen=True)
class DeliveryResult:
    result: Result  # sent, or why nothing was sent (see the steps of the module's docstring)
    channels: dict[str, str]  # channel -> sent | skipped, for a delivery that went out (or was cut by a cancel)


@dataclass
class _Run:
    """One invocation's delivery: the copy it last wrote (or loaded), and what it knows but has not written."""

    payload: SchedulePayload
    interview: Interview
    # The links this delivery's messages carry: a manage token per channel, bound to it, and one unsubscribe
    # token ("unsubscribe"); their grants are stored by the claim (only hashes).
    link_tokens: dict[str, str]
    grants: list[TokenGrant]
    claimed: bool = False
    # channel -> its result, to be recorded by the next write (None: the send failed, clear its intent)
    unrecorded: dict[str, Delivery | None] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    # what the claim checks is on no opt-out list (its channels' addresses), until a write landed
    unlisted: OptOutCheck | None = None


class Deliverer:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        senders: Senders,
        now: Callable[[], datetime],
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.senders = senders
        self.now = now
        self.sleep = sleep or wait  # the backoff's wait; tests pass their own
        self.zone = ZoneInfo(settings.default_time_zone)  # the firm's: the day each count falls on

    def deliver(self, event: dict, expected_step: str) -> DeliveryResult:
        payload = SchedulePayload.of(event)
        ids = {"interview_id": payload.interview_id, "step": payload.step, "version": payload.version}
        if payload.step != expected_step:
            logger.error("payload for another step", extra={**ids, "handler_step": expected_step})
            return DeliveryResult("misrouted", {})
        interview = self.store.load(payload.interview_id)
        reason = "gone" if interview is None else self._unclaimable(interview, payload)
        if reason == "in_flight":
            raise DeliveryInFlight(f"{payload.step} is being delivered by another invocation")
        if reason is not None or interview is None:
            logger.info("nothing to deliver", extra={**ids, "result": reason})
            return DeliveryResult(reason or "gone", {})
        run = self._run(payload, interview)
        unsubscribe = unsubscribe_url(self.settings.base_url, run.link_tokens["unsubscribe"],
                                      language_for(interview, self.settings))
        # Each channel's message carries a manage link bound to that channel, and the unsubscribe-only link.
        rendered = {
            channel: messages.render(payload.step, messages.context_of(
                interview, self.settings.firm_name, manage_url(self.settings.base_url, interview.id, token), unsubscribe,
                settings=self.settings), first_sms=interview.first_sms(payload.step))
            for channel, token in run.link_tokens.items() if channel != "unsubscribe"
        }
        todo = [c for c in interview.channels if c not in interview.follow_ups[payload.step].deliveries]
        run.unlisted = self._unlisted(interview, todo)
        try:  # the claim checks the firm's opt-out list itself, and says why an address is on it when it is
            stop = self._channels(run, interview, todo, rendered, unsubscribe, {}, ids)
        except OnOptOutList as found:  # nothing was written, nothing sent: again, knowing which and why
            run.unlisted, run.unrecorded, run.failed = None, {}, []
            listed = found.listed
            left_firm = channels_opted_out(interview, _open(interview, todo), lambda _: listed)
            stop = self._channels(run, interview, todo, rendered, unsubscribe, left_firm, ids)
        if stop == "in_flight" and not run.claimed:
            raise DeliveryInFlight(f"{payload.step} is being delivered by another invocation")
        if stop is not None and not run.claimed:
            logger.info("nothing to deliver", extra={**ids, "result": stop})
            return DeliveryResult(stop, {})  # type: ignore[arg-type]
        final = run.interview.follow_ups[payload.step]
        result = {ch: d.status for ch, d in final.deliveries.items()}
        if stop is not None:
            logger.info("a cancel won: nothing more is sent", extra={**ids, "result": stop, "channels": result})
            return DeliveryResult(stop, result)  # type: ignore[arg-type]
        result |= dict.fromkeys(run.failed, "failed")
        if run.failed:
            if final.status == "failed":
                for channel in run.failed:
                    count("FollowUpFailed", step=payload.step, channel=channel)
                logger.error("delivery failed for good", extra={**ids, "channels": result})
            raise DeliveryFailed(f"{payload.step} failed on {', '.join(run.failed)} (attempt {final.attempts})")
        return DeliveryResult("sent", result)

    def _channels(self, run: _Run, interview: Interview, todo: list[str], rendered: dict, unsubscribe: str,
                  left_firm: dict[str, str], ids: dict) -> str | None:
        """Each channel still to do: skipped, or its intent written then its message sent; then the end's write.
        Returns why the delivery stopped, if it did (``_commit``)."""
        payload = run.payload
        stop: str | None = None
        for channel in todo:
            try:
                skipped = self._check(channel, interview, left_firm)
            except SendFailed as exc:
                self._failed(run, channel, exc, ids)
                continue
            if skipped is not None:
                run.unrecorded[channel] = skipped
                logger.info("channel delivered", extra={**ids, "channel": channel, "status": skipped.status})
                continue
            stop = self._commit(run, intent=channel)  # nothing but this write between the claim or intent and the send
            if stop is not None:
                break
            try:
                run.unrecorded[channel] = self._send(channel, interview, rendered[channel], unsubscribe, payload.step)
            except SendUnconfirmed as exc:  # it may have gone: recorded as such, never sent again
                run.unrecorded[channel] = Delivery(status="sent", reason="unconfirmed", at=self.now().isoformat())
                count("FollowUpUnconfirmed", step=payload.step, channel=channel)
                logger.warning("channel unconfirmed", extra={**ids, "channel": channel, "error": exc.code})
                continue
            except SendFailed as exc:
                run.unrecorded[channel] = None  # it did not go: clear the intent, a retry sends it
                self._failed(run, channel, exc, ids)
                continue
            count("FollowUpSent", step=payload.step, channel=channel)
            logger.info("channel delivered", extra={**ids, "channel": channel, "status": "sent"})
        if stop is None:
            stop = self._commit(run, intent=None)
        return stop

    # ---- steps ----------------------------------------------------------------------------

    def _unclaimable(self, interview: Interview, payload: SchedulePayload) -> str | None:
        """Why this payload may not claim the follow-up, if it may not."""
        follow_up = interview.follow_ups.get(payload.step)
        if follow_up is None or follow_up.version != payload.version:
            return "stale"
        if follow_up.status == "sending" and follow_up.lease_until > int(self.now().timestamp()):
            return "in_flight"
        if follow_up.status not in ("scheduled", "sending"):
            return "not_pending"
        return None

    def _run(self, payload: SchedulePayload, interview: Interview) -> _Run:
        """A new delivery and the tokens its links carry: a manage token per verified channel still to send,
        bound to it, and one unsubscribe token."""
        moment = self.now()
        follow_up = interview.follow_ups[payload.step]
        links = mint_links(interview.id, {c: destination_of(interview, c) for c in interview.channels
                                          if c in interview.verified_channels and c not in follow_up.deliveries},
                           moment)
        return _Run(payload, interview, {**links.manage, "unsubscribe": links.unsubscribe}, links.grants)

    def _unlisted(self, interview: Interview, channels: list[str]) -> OptOutCheck | None:
        """What the claim checks: the addresses of ``channels`` still open are on no opt-out list."""
        addresses = tuple(address_key(c, destination_of(interview, c)) for c in _open(interview, channels)
                          if destination_of(interview, c))
        return OptOutCheck(addresses, int(self.now().timestamp())) if addresses else None

    def _check(self, channel: str, interview: Interview, left_firm: dict[str, str]) -> Delivery | None:
        """What is decided before a channel's intent: a skip (never confirmed, stopped for this interview by a
        bounce or a complaint, refused by the firm's opt-out list, no consent, opted out of texts), or None to send
        it."""
        at = self.now().isoformat()
        if channel in interview.stopped:  # first: a confirmation that bounced is why it was never confirmed
            return Delivery(status="skipped", reason=interview.stopped[channel], at=at)
        if channel not in interview.verified_channels:
            return Delivery(status="skipped", reason="unverified", at=at)  # never confirmed: not a proven destination
        if channel in left_firm:  # bounced or complained elsewhere keep their word; an unsubscribe is an opt-out
            reason = left_firm[channel]
            return Delivery(status="skipped", reason=reason if reason in ("bounced", "complained") else "opted_out",
                            at=at)
        if channel != "sms":
            return None
        if not interview.sms_consent:
            return Delivery(status="skipped", reason="no_consent", at=at)
        if self.senders.phone_opted_out(interview.candidate.phone or ""):
            return Delivery(status="skipped", reason="opted_out", at=at)
        return None

    def _send(self, channel: str, interview: Interview, rendered: messages.RenderedMessage, unsubscribe: str,
              step: str) -> Delivery:
        at = self.now().isoformat()
        if channel == "email":
            message_id = self.senders.send_email(
                Email(
                    sender=self.settings.sender_email,
                    sender_name=self.settings.firm_name,
                    to=interview.candidate.email or "",
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    unsubscribe_url=unsubscribe,
                    reply_to=self.settings.reply_to_email,
                    tags=tuple(tags_of(interview.id, step).items()),
                    language=rendered.language,
                )
            )
        else:
            message_id = self.senders.send_sms(interview.candidate.phone or "", rendered.sms)
        return Delivery(status="sent", message_id=message_id, at=at)

    def _failed(self, run: _Run, channel: str, exc: SendFailed, ids: dict) -> None:
        run.failed.append(channel)
        logger.warning("channel failed", extra={**ids, "channel": channel, "error": exc.code})

    def _commit(self, run: _Run, intent: str | None) -> str | None:
        """One conditional write: the claim (if not made yet), the results not yet recorded, and then either
        ``intent``'s channel in flight or, with no intent, the follow-up's end. Returns None to go on, or why
        the delivery stops: a claim that lost (``stale``, ``in_flight``, ``not_pending``, ``gone``; nothing
        was sent), or a cancel that won (``cancelled``, ``gone``; what went out is recorded all the same).

        A lost race is applied again to a fresh copy; a store fault is retried after a jittered backoff. A
        write whose answer was lost but which landed is recognised on the reload (the stored copy is ours).
        """
        interview: Interview | None = run.interview
        tried: tuple[Interview, str | None] | None = None  # the last write sent, and what it meant
        for attempt in range(WRITE_ATTEMPTS):
            try:
                if interview is None:  # lost a race, or a fault hid whether the write landed: read again
                    interview = self.store.load(run.payload.interview_id)
                    if interview is None:
                        return "gone"  # erased meanwhile: nothing left to record, nothing more to send
                    if tried is not None and _is_write_of(interview, tried[0]):
                        return self._written(run, interview, tried[1])
                candidate = deepcopy(interview)
                stop = self._apply(run, candidate, intent)
                if stop is not None and (not run.claimed or not run.unrecorded):
                    return stop  # nothing to record
                tried = (candidate, stop)
                try:
                    stored = self.store.replace(candidate, counts.changes(interview, candidate, self.now(), self.zone),
                                                self._texted(run, candidate),
                                                unlisted=None if run.claimed else run.unlisted)
                except ConcurrentModification:
                    interview = None
                    continue
            except OnOptOutList:
                raise  # the claim found an address on the firm's list: nothing written, nothing sent yet
            except Exception as exc:  # noqa: BLE001 - a store fault: what was sent must still be recorded
                if attempt + 1 == WRITE_ATTEMPTS:
                    raise
                logger.warning("write failed, retrying", extra={
                    "interview_id": run.payload.interview_id, "attempt": attempt + 1, "error": type(exc).__name__})
                interview = None  # the write may have landed: read again before trying once more
                self.sleep(random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)))  # noqa: S311 - jitter
                continue
            return self._written(run, stored, stop)
        raise ConcurrentModification()

    def _texted(self, run: _Run, interview: Interview) -> tuple[SmsSent, ...]:
        """The SMS this write records as sent: their pointers go with it (a reply or a receipt finds the nudge)."""
        sms = run.unrecorded.get("sms")
        if sms is None or sms.status != "sent" or not sms.message_id or not interview.candidate.phone:
            return ()
        expires_at = int((self.now() + SMS_POINTERS_KEPT).timestamp())
        return (SmsSent(sms.message_id, interview.id, run.payload.step, address_key("sms", interview.candidate.phone),
                        expires_at),)

    def _written(self, run: _Run, stored: Interview, stop: str | None) -> str | None:
        run.interview, run.claimed, run.unrecorded = stored, True, {}
        return stop

    def _apply(self, run: _Run, interview: Interview, intent: str | None) -> str | None:
        """The change of one write, on ``interview`` (a copy); returns why the delivery stops, if it does."""
        payload = run.payload
        if not run.claimed:
            reason = self._unclaimable(interview, payload)
            if reason is not None:
                return reason
            self._claim(run, interview)
        follow_up = interview.follow_ups.get(payload.step)
        if follow_up is None:  # a claimed follow-up is never removed but by erasure
            return "gone"
        for channel, delivery in run.unrecorded.items():
            if delivery is None:
                follow_up.deliveries.pop(channel, None)
            else:
                follow_up.deliveries[channel] = delivery
        if follow_up.status != "sending":  # a cancel won: keep its status, send nothing more
            return "cancelled"
        if intent is not None:
            follow_up.deliveries[intent] = Delivery(status="sending", at=self.now().isoformat())
            return None
        self._end(run, follow_up)
        return None

    def _claim(self, run: _Run, interview: Interview) -> None:
        follow_up = interview.follow_ups[run.payload.step]
        interview.tokens = [*live(interview.tokens, self.now()), *run.grants]  # expired grants are dropped
        follow_up.status = "sending"
        follow_up.attempts += 1
        follow_up.lease_until = int(self.now().timestamp()) + int(LEASE.total_seconds())
        for channel, delivery in follow_up.deliveries.items():
            if delivery.status == "sending":  # an earlier invocation's intent with no result: never sent again
                follow_up.deliveries[channel] = Delivery(status="sent", reason="unconfirmed", at=delivery.at)
                count("FollowUpUnconfirmed", step=run.payload.step, channel=channel)
                logger.warning("channel unconfirmed", extra={"interview_id": interview.id, "step": run.payload.step,
                                                             "channel": channel})

    def _end(self, run: _Run, follow_up: FollowUp) -> None:
        if not run.failed:
            follow_up.status = "sent"
        elif follow_up.attempts >= self.settings.max_delivery_attempts:
            follow_up.status = "failed"
        follow_up.lease_until = 0  # released: a retry may claim what is left


def _open(interview: Interview, channels: list[str]) -> list[str]:
    """The channels whose destination may be on the opt-out list: verified and not stopped (others are skipped)."""
    return [c for c in channels if c in interview.verified_channels and c not in interview.stopped]


def _is_write_of(stored: Interview, tried: Interview) -> bool:
    """Whether ``stored`` is ``tried`` as written (the write landed though its answer was lost)."""
    return stored.revision == tried.revision + 1 and replace(stored, revision=tried.revision) == tried
