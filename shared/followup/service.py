"""The API's use cases: submit, read, edit, decide, mark done, delete, unsubscribe.

A facade: each use case is a pure transition (``followup.transitions``) applied by the unit of work
(``followup.unit_of_work``, where the write/schedule ordering rule lives); submission and its
idempotency are ``followup.submission``. It takes domain commands (``followup.commands``), never an
API request model, and its ports (store, scheduler, clock) as arguments; ``service_for`` wires the
deployed adapters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from followup import clock, transitions
from followup.adapters.limits import DynamoLimiter
from followup.adapters.schedules import FollowUpScheduler
from followup.adapters.store import InterviewStore
from followup.commands import EditInterview, RecordDecision, SubmitInterview
from followup.config import Settings
from followup.models import Interview, Step
from followup.observability import logger
from followup.ports import Limiter, Scheduler, Store
from followup.submission import Submissions
from followup.tokens import interview_id_of
from followup.unit_of_work import UnitOfWork


class FollowUpService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        scheduler: Scheduler,
        limiter: Limiter,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self.settings = settings
        self.work = UnitOfWork(store, scheduler, now)
        self.submissions = Submissions(settings, store, self.work, limiter, now)

    def submit(self, command: SubmitInterview, *, client: str, idempotency_key: str | None = None) -> dict:
        """Store a new interview and schedule its follow-ups; answers the created view as a JSON-ready dict.
        ``client`` is the caller's address, which the submissions-per-hour limit counts."""
        return self.submissions.submit(command, client=client, idempotency_key=idempotency_key)

    def get(self, interview_id: str, token: str) -> Interview:
        return self.work.load(interview_id, token)

    def update(self, interview_id: str, token: str, command: EditInterview) -> Interview:
        def change(interview: Interview, now: datetime) -> transitions.Transition:
            return transitions.edit(interview, command, now=now, nudge_hour=self.settings.nudge_hour)

        return self.work.apply(interview_id, token, change)

    def decide(self, interview_id: str, token: str, command: RecordDecision) -> Interview:
        transitions.check_decision(command)

        def change(interview: Interview, now: datetime) -> transitions.Transition:
            return transitions.decide(interview, command, now=now, nudge_hour=self.settings.nudge_hour)

        return self.work.apply(interview_id, token, change)

    def mark_done(self, interview_id: str, token: str, step: Step) -> Interview:
        return self.work.apply(interview_id, token, lambda interview, _now: transitions.mark_done(interview, step))

    def delete(self, interview_id: str, token: str) -> None:
        self.work.erase(interview_id, token)
        logger.info("interview erased", extra={"interview_id": interview_id})

    def unsubscribe(self, token: str) -> Interview:
        interview_id = interview_id_of(token)
        interview = self.work.apply(interview_id, token, lambda interview, _now: transitions.unsubscribe(interview))
        logger.info("unsubscribed", extra={"interview_id": interview_id})
        return interview


def service_for(settings: Settings) -> FollowUpService:
    """The service as deployed: DynamoDB, EventBridge Scheduler and the system clock."""
    return FollowUpService(settings, InterviewStore(settings.table_name), FollowUpScheduler(settings),
                           DynamoLimiter(settings.table_name), clock.now)
