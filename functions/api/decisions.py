"""The hiring decision (record it, correct it) and the follow-ups (mark one done, the check-in as a calendar
event)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from conversions import decision_command
from current import BEARER, bearer_token, service, view_of
from errors_http import BODY_ERRORS, TOKEN_ERRORS, answers

from followup.api.requests import DecisionRequest
from followup.api.schema import InterviewView
from followup.domain.models import Step
from followup.runtime.config import get_settings

router = Router()


@router.post("/interviews/<interview_id>/decision", security=BEARER, summary="Record the hiring decision",
             responses=answers(200, "the interview, decided", InterviewView, TOKEN_ERRORS + BODY_ERRORS + (409,)))
def decide(interview_id: Annotated[str, Path(max_length=64)], decision: Annotated[DecisionRequest, Body()]) -> InterviewView:
    return view_of(service().decide(interview_id, bearer_token(), decision_command(decision)))


@router.put("/interviews/<interview_id>/decision", security=BEARER,
            summary="Correct the hiring decision, until its thank-you nudge has gone out (then 409)",
            responses=answers(200, "the interview, its decision corrected", InterviewView,
                              TOKEN_ERRORS + BODY_ERRORS + (409,)))
def correct_decision(interview_id: Annotated[str, Path(max_length=64)],
                     decision: Annotated[DecisionRequest, Body()]) -> InterviewView:
    return view_of(service().correct_decision(interview_id, bearer_token(), decision_command(decision)))


@router.post("/interviews/<interview_id>/follow-ups/<step>/done", security=BEARER, summary="Mark a follow-up done",
             responses=answers(200, "the interview", InterviewView, TOKEN_ERRORS + (409,)))
def mark_done(interview_id: Annotated[str, Path(max_length=64)], step: Annotated[Step, Path()]) -> InterviewView:
    return view_of(service().mark_done(interview_id, bearer_token(), step))


@router.get(
    "/interviews/<interview_id>/check-in.ics", security=BEARER,
    summary="The check-in as a calendar event (iCalendar), at its due time in the candidate's zone",
    responses={
        200: {"description": "an iCalendar file with one event",
              "content": {"text/calendar": {"schema": {"type": "string"}}}},
        **{code: meaning for code, meaning in answers(200, "", None, TOKEN_ERRORS + (409,)).items() if code != 200},
    },
)
def check_in_calendar(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    from followup.api import ics
    from followup.domain import clock  # here: icalendar loads with the first calendar asked for, not at cold start

    interview = service().get(interview_id, bearer_token())
    settings = get_settings()
    body = ics.check_in_event(interview, settings.firm_name, clock.now(), settings=settings).decode("utf-8")
    return Response(status_code=200, content_type="text/calendar; charset=utf-8", body=body,
                    headers={"Content-Disposition": 'attachment; filename="check-in.ics"', "Cache-Control": "no-store"})
