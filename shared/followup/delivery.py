"""One follow-up delivery, shared by the three step Lambdas.

At least once in, at most once out per channel:
1. A payload for another step's function (``misrouted``), for an erased interview (``gone``), whose version
   is not the stored one (``stale``), or whose follow-up is no longer pending (``not_pending``) does nothing.
2. The follow-up is claimed by a conditional write (``scheduled -> sending``, with a short lease, and one
   more attempt counted); a twin invocation that finds a live lease does nothing (``in_flight``).
3. Each channel not yet delivered is sent and recorded with its message id before the next one (the last
   one with the final state, in the same write).
4. All sent: ``sent``. A channel failed: the lease is released and ``DeliveryFailed`` is raised so the
   invocation is retried for what is left; on the last attempt the follow-up ends ``failed`` and the
   raised error dead-letters the event.

The Lambda entry point that wires the deployed adapters in is ``followup.handlers.step_handler``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from followup import messages
from followup.config import Settings
from followup.errors import ConcurrentModification, DeliveryFailed
from followup.models import Delivery, FollowUp, Interview, Step
from followup.observability import count, logger
from followup.ports import Email, Senders, SendFailed, Store
from followup.tokens import live, manage_url, mint, unsubscribe_url

LEASE = timedelta(seconds=60)  # longer than one invocation (Lambda timeout 30 s), shorter than a retry's wait
RECORD_ATTEMPTS = 5


class SchedulePayload(BaseModel):
    """What a schedule carries: ids and a version, never personal data."""

    model_config = ConfigDict(extra="ignore")

    interview_id: str
    step: Step
    version: int


# What one invocation did. A delivery that fails on a channel returns nothing: it raises DeliveryFailed.
Result = Literal["sent", "stale", "gone", "not_pending", "in_flight", "misrouted"]


@dataclass(frozen=True)
class DeliveryResult:
    result: Result  # sent, or why nothing was sent (see the steps of the module's docstring)
    channels: dict[str, str]  # channel -> sent | skipped, for a delivery that went out


def message_context(interview: Interview, firm_name: str, links: tuple[str, str]) -> messages.MessageContext:
    manage, unsubscribe = links
    decision = interview.decision
    return messages.MessageContext(
        firm_name=firm_name,
        candidate_name=interview.candidate.name,
        company=interview.company,
        role=interview.role,
        interviewer_name=interview.interviewer.name,
        interviewer_title=interview.interviewer.title,
        interview_date=datetime.fromisoformat(interview.interview_at).date(),
        manage_url=manage,
        unsubscribe_url=unsubscribe,
        outcome=decision.outcome if decision else None,
        hiring_manager_name=decision.hiring_manager.name if decision else None,
        supervisor_name=decision.supervisor.name if decision and decision.supervisor else None,
    )


class Deliverer:
    def __init__(self, settings: Settings, store: Store, senders: Senders, now: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.senders = senders
        self.now = now

    def deliver(self, event: dict, expected_step: str) -> DeliveryResult:
        payload = SchedulePayload.model_validate(event)
        ids = {"interview_id": payload.interview_id, "step": payload.step, "version": payload.version}
        if payload.step != expected_step:
            logger.error("payload for another step", extra={**ids, "handler_step": expected_step})
            return DeliveryResult("misrouted", {})
        claimed = self._claim(payload)
        if isinstance(claimed, str):
            logger.info("nothing to deliver", extra={**ids, "result": claimed})
            return DeliveryResult(claimed, {})
        interview, link_tokens = claimed
        unsubscribe = unsubscribe_url(self.settings.base_url, link_tokens["unsubscribe"])
        # Each channel's message carries a manage link bound to that channel, and the unsubscribe-only link.
        rendered = {
            channel: messages.render(payload.step, message_context(
                interview, self.settings.firm_name,
                (manage_url(self.settings.base_url, interview.id, token), unsubscribe)))
            for channel, token in link_tokens.items() if channel != "unsubscribe"
        }

        failed: list[str] = []
        todo = [c for c in interview.channels if c not in interview.follow_ups[payload.step].deliveries]
        last: tuple[str, Delivery] | None = None
        for channel in todo:
            try:
                delivery = self._send(channel, interview, rendered.get(channel), unsubscribe)
            except SendFailed as exc:
                failed.append(channel)
                logger.warning("channel failed", extra={**ids, "channel": channel, "error": exc.code})
                continue
            if channel == todo[-1]:
                last = (channel, delivery)  # nothing comes after it: the final write records it
            else:
                interview = self._record(payload, interview, channel, delivery)
            if delivery.status == "sent":
                count("FollowUpSent", step=payload.step, channel=channel)
            logger.info("channel delivered", extra={**ids, "channel": channel, "status": delivery.status})

        final = self._finish(payload, interview, failed, last)
        result = {ch: d.status for ch, d in final.deliveries.items()} | {ch: "failed" for ch in failed}
        if failed:
            if final.status == "failed":
                for channel in failed:
                    count("FollowUpFailed", step=payload.step, channel=channel)
                logger.error("delivery failed for good", extra={**ids, "channels": result})
            raise DeliveryFailed(f"{payload.step} failed on {', '.join(failed)} (attempt {final.attempts})")
        return DeliveryResult("sent", result)

    # ---- steps ----------------------------------------------------------------------------

    def _claim(self, payload: SchedulePayload) -> tuple[Interview, dict[str, str]] | str:
        for _ in range(RECORD_ATTEMPTS):
            interview = self.store.load(payload.interview_id)
            if interview is None:
                return "gone"
            follow_up = interview.follow_ups.get(payload.step)
            if follow_up is None or follow_up.version != payload.version:
                return "stale"
            now = int(self.now().timestamp())
            if follow_up.status == "sending" and follow_up.lease_until > now:
                return "in_flight"
            if follow_up.status not in ("scheduled", "sending"):
                return "not_pending"
            # The links this delivery's messages carry: a manage token per verified channel still to send, bound
            # to it, and one unsubscribe token; only their hashes are stored (expired ones are dropped).
            moment = self.now()
            link_tokens: dict[str, str] = {}
            grants = []
            for channel in [c for c in interview.channels if c in interview.verified_channels
                            and c not in follow_up.deliveries]:
                link_tokens[channel], grant = mint(interview.id, "manage", moment, channel)
                grants.append(grant)
            link_tokens["unsubscribe"], grant = mint(interview.id, "unsubscribe", moment)
            interview.tokens = [*live(interview.tokens, moment), *grants, grant]
            follow_up.status = "sending"
            follow_up.attempts += 1
            follow_up.lease_until = now + int(LEASE.total_seconds())
            try:
                stored = self.store.replace(interview)
            except ConcurrentModification:
                continue
            return stored, link_tokens
        return "in_flight"

    def _send(self, channel: str, interview: Interview, rendered: messages.RenderedMessage | None,
              unsubscribe: str) -> Delivery:
        at = self.now().isoformat()
        if channel not in interview.verified_channels or rendered is None:
            return Delivery(status="skipped", reason="unverified", at=at)  # never confirmed: not a proven destination
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
                )
            )
            return Delivery(status="sent", message_id=message_id, at=at)
        phone = interview.candidate.phone or ""
        if not interview.sms_consent:
            return Delivery(status="skipped", reason="no_consent", at=at)
        if self.senders.phone_opted_out(phone):
            return Delivery(status="skipped", reason="opted_out", at=at)
        return Delivery(status="sent", message_id=self.senders.send_sms(phone, rendered.sms), at=at)

    def _write(self, payload: SchedulePayload, interview: Interview, change: Callable[[FollowUp], None]) -> Interview:
        """Apply ``change`` to the follow-up and write it; on a write race, reload and apply again.

        What is recorded here has already happened (a message is out), so a race must not lose it.
        """
        for _ in range(RECORD_ATTEMPTS):
            change(interview.follow_ups[payload.step])
            try:
                return self.store.replace(interview)
            except ConcurrentModification:
                reloaded = self.store.load(payload.interview_id)
                if reloaded is None or payload.step not in reloaded.follow_ups:
                    raise DeliveryFailed("interview erased during delivery") from None
                interview = reloaded
        raise ConcurrentModification()

    def _record(self, payload: SchedulePayload, interview: Interview, channel: str, delivery: Delivery) -> Interview:
        def record(follow_up: FollowUp) -> None:
            follow_up.deliveries[channel] = delivery

        return self._write(payload, interview, record)

    def _finish(
        self, payload: SchedulePayload, interview: Interview, failed: list[str], last: tuple[str, Delivery] | None
    ) -> FollowUp:
        def finish(follow_up: FollowUp) -> None:
            if last is not None:
                follow_up.deliveries[last[0]] = last[1]
            if follow_up.status != "sending":
                return
            if not failed:
                follow_up.status = "sent"
            elif follow_up.attempts >= self.settings.max_delivery_attempts:
                follow_up.status = "failed"
            follow_up.lease_until = 0  # released: a retry may claim what is left

        return self._write(payload, interview, finish).follow_ups[payload.step]

