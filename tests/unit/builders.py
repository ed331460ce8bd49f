"""What the unit tests build on: settings, a submission, and a world of fakes around the service."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from followup.api.commands import SubmitInterview
from followup.domain.models import Candidate, Interviewer
from followup.runtime.config import settings_from
from followup.usecases.delivery import Deliverer, DeliveryResult
from followup.usecases.service import FollowUpService
from tests.fakes import FakeClock, FakeLimiter, FakeScheduler, FakeSenders, FakeStore

SETTINGS = settings_from({"TABLE_NAME": "t", "FIRM_NAME": "Acme Staffing", "SENDER_EMAIL": "f@acme.example",
                          "PUBLIC_BASE_URL": "https://followup.example.com"})
SUBMISSION = SubmitInterview(
    candidate=Candidate(name="Jordan Rivera", email="jordan@example.com", phone="+14155550123",
                        time_zone="America/New_York"),
    channels=["email", "sms"],
    sms_consent=True,
    company="Globex",
    role="Analyst",
    interviewer=Interviewer(name="Dana Whitfield"),
    interview_at=datetime(2026, 3, 10, 14, 0),
    expected_decision_days=7,
)
INTERVIEW_DAY = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # 15:00 in New York, an hour after the interview


class World:
    """The service and the delivery on fakes; the store and the scheduler share one journal."""

    def __init__(self, store: FakeStore | None = None) -> None:
        self.journal: list[str] = []
        self.store = store or FakeStore()
        self.store.journal = self.journal
        self.scheduler = FakeScheduler(self.journal)
        self.senders = FakeSenders()
        self.clock = FakeClock(INTERVIEW_DAY)
        self.limiter = FakeLimiter()
        self.store.limiter = self.store.limiter or self.limiter  # the limits a write takes with it share the counts
        self.counters = self.store.counters
        self.service = FollowUpService(SETTINGS, self.store, self.scheduler, self.limiter, self.senders, self.clock,
                                       counters=self.counters)
        self.waits: list[float] = []  # the delivery's backoff waits, recorded instead of slept
        self.deliverer = Deliverer(SETTINGS, self.store, self.senders, self.clock, sleep=self.waits.append)

    def submit(self, command: SubmitInterview = SUBMISSION, key: str | None = None, client: str = "203.0.113.17") -> dict:
        return self.service.submit(command, client=client, idempotency_key=key)

    def confirmation_tokens(self) -> dict[str, str]:
        """The manage token of each confirmation message sent so far, by channel (the last one wins)."""
        found = {}
        for email in self.senders.emails:
            found["email"] = _token_in(email.text)
        for _, text in self.senders.sms:
            found["sms"] = _token_in(text)
        return found

    def submit_confirmed(self, command: SubmitInterview = SUBMISSION, key: str | None = None,
                         channels: tuple[str, ...] | None = None) -> dict:
        """Submit, then confirm from each confirmation message (or those of ``channels``), as the candidate
        would; the outbox is emptied after, so a test sees only the nudges. Answers the submission's answer
        with ``manage_token`` (the email's, else the SMS's) and ``tokens`` by channel."""
        answer = dict(self.submit(command, key=key))
        tokens = self.confirmation_tokens()
        link = self.senders.emails[-1].unsubscribe_url if self.senders.emails else None
        unsubscribe = link.split("token=")[1].split("&")[0] if link else None  # the link goes on with its language
        for channel in channels or tuple(tokens):
            self.service.confirm(answer["id"], tokens[channel])
        self.senders.emails.clear()
        self.senders.sms.clear()
        return {**answer, "tokens": tokens, "manage_token": tokens.get("email") or tokens.get("sms"),
                "unsubscribe_token": unsubscribe}

    def deliver(self, interview_id: str, step: str, version: int = 1, *, handler_step: str | None = None) -> DeliveryResult:
        payload = {"interview_id": interview_id, "step": step, "version": version}
        return self.deliverer.deliver(payload, expected_step=handler_step or step)

    def versions(self, interview_id: str) -> dict[str, int]:
        return {step: s.version for step, s in self.scheduler.of(interview_id).items()}

    def since(self, mark: int) -> list[str]:
        return self.journal[mark:]


def _token_in(text: str) -> str:
    match = re.search(r"/manage/[0-9a-f]+\?token=([A-Za-z0-9_.-]+)", text)
    if match is None:
        raise AssertionError("no manage link in the message")
    return match.group(1)
