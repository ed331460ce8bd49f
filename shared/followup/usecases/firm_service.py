"""The firm's use cases: what a signed-in recruiter or admin may do, on top of the candidate's service.

Who may see an interview: the recruiter who enrolled the candidate, and any admin. Anyone else gets the
same ``InterviewNotFound`` as for an unknown id. Each action is the candidate's own transition, with the
same rules (``followup.domain.transitions``), applied by the same unit of work; only the access check differs
(the signed-in user instead of a manage token). The recruiter is not emailed about their own actions.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from followup.domain import transitions
from followup.domain.errors import Forbidden, InvalidFields
from followup.domain.identity import FirmUser
from followup.domain.listing import ListQuery, Page
from followup.domain.models import Interview, Recruiter, Step
from followup.runtime.observability import logger
from followup.usecases.service import FollowUpService
from followup.usecases.unit_of_work import Change

if TYPE_CHECKING:  # the API's commands, read here by their fields only: no pydantic in a use case's imports
    from followup.api.commands import RecordDecision, SubmitInterview

RECRUITER_WANTED = ("leave it out for everyone's interviews, or give a recruiter's id (an admin), or public for the "
                    "public form's submissions (an admin)")


def recruiter_of(user: FirmUser) -> Recruiter:
    return Recruiter(id=user.sub, name=user.name, email=user.email)


class FirmService:
    def __init__(self, service: FollowUpService) -> None:
        self.service = service
        self.work = service.work

    def enrol(self, user: FirmUser, command: SubmitInterview, *, idempotency_key: str | None = None) -> dict:
        """As the public form, under ``user``'s name and without the per-address limit."""
        return self.service.submissions.submit(command, client=None, idempotency_key=idempotency_key,
                                               recruiter=recruiter_of(user))

    def list(self, user: FirmUser, query: ListQuery) -> Page:
        """A recruiter's own interviews; an admin's everyone's, one recruiter's (``query.recruiter``), or the public
        form's submissions (``listing.PUBLIC``). An empty ``recruiter`` is refused, naming it (no partition is
        empty: DynamoDB would refuse the Query)."""
        if query.recruiter is not None and not query.recruiter:
            raise InvalidFields("recruiter is empty", fields=[("recruiter", RECRUITER_WANTED)])
        if not user.is_admin:
            if query.recruiter not in (None, user.sub):
                raise Forbidden("only the firm's admins may list another recruiter's interviews")
            query = ListQuery(user.sub, query.status, query.step, query.cursor, query.limit)
        return self.service.store.list_interviews(query, int(self.service.now().timestamp()))

    def get(self, user: FirmUser, interview_id: str) -> Interview:
        return self.work.load_where(interview_id, lambda interview: may_see(user, interview))

    def decide(self, user: FirmUser, interview_id: str, command: RecordDecision) -> Interview:
        """The decision's rules are checked in the transition, once ``user`` may act on the interview: another
        recruiter's is 404 whatever the body."""
        settings = self.service.settings

        def change(interview: Interview, now: datetime) -> transitions.Transition:
            return transitions.decide(interview, command, now=now, nudge_hour=settings.nudge_hour,
                                      default_country=settings.default_country)

        return self._apply(user, interview_id, change, "decision recorded by the firm")

    def correct_decision(self, user: FirmUser, interview_id: str, command: RecordDecision) -> Interview:
        """As the candidate's correction (a correction that changes nothing writes nothing), emailing nobody."""
        return self._apply(user, interview_id, lambda i, _now: transitions.correct_decision(i, command),
                           "decision corrected by the firm")

    def mark_done(self, user: FirmUser, interview_id: str, step: Step) -> Interview:
        return self._apply(user, interview_id, lambda i, _now: transitions.mark_done(i, step),
                           "follow-up marked done by the firm")

    def cancel(self, user: FirmUser, interview_id: str) -> Interview:
        """Every pending nudge stopped, the interview ``cancelled``; it stays on the list. Again: no change."""

        def change(interview: Interview, _now: datetime) -> transitions.Transition:
            if interview.status == "cancelled":
                return transitions.Transition(interview, transitions.ScheduleChanges())
            return transitions.unsubscribe(interview, reason="firm")

        return self._apply(user, interview_id, change, "interview cancelled by the firm")

    def _apply(self, user: FirmUser, interview_id: str, change: Change, what: str) -> Interview:
        changed = self.work.apply_where(interview_id, lambda interview: may_see(user, interview), change)
        logger.info(what, extra={"interview_id": interview_id})
        return changed


def may_see(user: FirmUser, interview: Interview) -> bool:
    return user.is_admin or (interview.recruiter is not None and interview.recruiter.id == user.sub)

