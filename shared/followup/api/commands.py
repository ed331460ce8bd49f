"""What a caller asks the service to do, as plain domain commands.

The API validates each request with its own models (``followup.api.requests``, with the field libraries)
and maps it to one of these; the service knows nothing of HTTP bodies. The models here use no field
library, so the step Lambdas never load one.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict

from followup.api.schema import Model
from followup.domain.models import Candidate, Channel, Interviewer, Outcome, Person


class Command(Model):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubmitInterview(Command):
    """A new interview. ``interview_at`` without an offset is wall time in the candidate's zone.

    The fields and their order follow the API's submission body, so the submission's fingerprint (the
    JSON of this command) is the one earlier versions recorded for an Idempotency-Key.
    """

    candidate: Candidate
    channels: list[Channel]
    sms_consent: bool
    company: str
    role: str
    interviewer: Interviewer
    interview_at: datetime
    expected_decision_days: int


class EditInterview(Command):
    """Change the fields named in ``given``; the others keep their stored value.

    ``candidate`` holds only the candidate's fields that were given: ``None`` there removes an optional
    contact (email, phone). The interview's own fields may be given but not ``None``.
    """

    given: frozenset[str]
    candidate: dict[str, str | None] = {}
    channels: list[Channel] | None = None
    sms_consent: bool | None = None
    company: str | None = None
    role: str | None = None
    interviewer: Interviewer | None = None
    interview_at: datetime | None = None
    expected_decision_days: int | None = None


class RecordDecision(Command):
    """The hiring decision; the hiring manager defaults to the interviewer, a supervisor is for an offer."""

    outcome: Outcome
    hiring_manager: Person | None = None
    supervisor: Person | None = None
