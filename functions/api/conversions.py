"""Each validated request to its domain command: the public routes' (interviews.py, decisions.py), the firm's (firm.py)."""

from __future__ import annotations

from followup.api.commands import EditInterview, RecordDecision, SubmitInterview
from followup.api.requests import DecisionRequest, InterviewSubmission, InterviewUpdate
from followup.domain.models import Candidate, Interviewer, Person


def submit_command(submission: InterviewSubmission) -> SubmitInterview:
    return SubmitInterview(
        candidate=Candidate(**submission.candidate.model_dump()),
        channels=list(submission.channels),
        sms_consent=submission.sms_consent,
        company=submission.company,
        role=submission.role,
        interviewer=Interviewer(**submission.interviewer.model_dump()),
        interview_at=submission.interview_at,
        expected_decision_days=submission.expected_decision_days,
    )


def edit_command(patch: InterviewUpdate) -> EditInterview:
    return EditInterview(
        given=frozenset(patch.model_fields_set),
        candidate=patch.candidate.model_dump(include=patch.candidate.model_fields_set) if patch.candidate else {},
        channels=patch.channels,
        sms_consent=patch.sms_consent,
        company=patch.company,
        role=patch.role,
        interviewer=Interviewer(**patch.interviewer.model_dump()) if patch.interviewer else None,
        interview_at=patch.interview_at,
        expected_decision_days=patch.expected_decision_days,
    )


def decision_command(decision: DecisionRequest) -> RecordDecision:
    return RecordDecision(
        outcome=decision.outcome,
        hiring_manager=Person(name=decision.hiring_manager.name) if decision.hiring_manager else None,
        supervisor=Person(name=decision.supervisor.name) if decision.supervisor else None,
    )
