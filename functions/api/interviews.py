"""The candidate's interview: submit it, confirm it, send a confirmation again, read it, edit it, erase it."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from conversions import edit_command, submit_command
from current import BEARER, JSON, bearer_token, client, service, view_of
from errors_http import BODY_ERRORS, TOKEN_ERRORS, answers
from pydantic import Field, create_model

from followup.api.requests import InterviewSubmission, InterviewUpdate
from followup.api.schema import ConfirmationSent, InterviewView, Strict, SubmittedInterviewView
from followup.domain.errors import InvalidFields
from followup.domain.models import Channel

router = Router()


@router.post(
    "/interviews",
    status_code=202,
    summary="Submit an interview; sends each chosen destination a confirmation (no token in the answer)",
    responses=answers(202, "Awaiting confirmation: where the confirmation messages went, masked",
                      SubmittedInterviewView, (*BODY_ERRORS, 429)),
)
def submit(submission: Annotated[InterviewSubmission, Body()]) -> Response[str]:
    key = router.current_event.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 255:
        raise InvalidFields("the Idempotency-Key header must be 1-255 characters",
                            fields=[("Idempotency-Key", "must be 1-255 characters")])
    answer = SubmittedInterviewView(**service().submit(submit_command(submission), client=client(),
                                                       idempotency_key=key))
    return Response(status_code=202, content_type=JSON, body=answer.model_dump_json())


@router.post(
    "/interviews/<interview_id>/confirm",
    security=BEARER,
    summary="Confirm with the token from a confirmation message: verifies that channel and, the first time, "
            "schedules the follow-ups; again, changes nothing",
    responses=answers(200, "the interview, its follow-ups scheduled", InterviewView, TOKEN_ERRORS),
)
def confirm(interview_id: Annotated[str, Path(max_length=64)]) -> InterviewView:
    return view_of(service().confirm(interview_id, bearer_token()))


@router.get("/interviews/<interview_id>", security=BEARER, summary="Read an interview and its follow-ups",
            responses=answers(200, "the interview", InterviewView, TOKEN_ERRORS))
def read(interview_id: Annotated[str, Path(max_length=64)]) -> InterviewView:
    return view_of(service().get(interview_id, bearer_token()))


@router.patch("/interviews/<interview_id>", security=BEARER,
              summary="Edit an interview; reschedules pending follow-ups; a new email or phone gets its own "
                      "confirmation",
              responses=answers(200, "the interview, edited", InterviewView,
                                TOKEN_ERRORS + BODY_ERRORS + (409, 429)))
def edit(interview_id: Annotated[str, Path(max_length=64)], patch: Annotated[InterviewUpdate, Body()]) -> InterviewView:
    return view_of(service().update(interview_id, bearer_token(), edit_command(patch), client=client()))


# Built from its types (create_model), not from annotations that pydantic would look up again by name.
ConfirmationRequest = create_model(
    "ConfirmationRequest", __base__=Strict,
    channel=(Channel, Field(description="email or sms: a channel the reminders go by that is not confirmed yet")))


@router.post("/interviews/<interview_id>/confirmations", security=BEARER, status_code=202,
             summary="Send a chosen channel that is not confirmed yet a new confirmation message, with a fresh link "
                     "bound to its address; 409 once confirmed; counts against the destination's and the client's "
                     "limits",
             responses=answers(202, "sent: where it went, masked", ConfirmationSent,
                               TOKEN_ERRORS + BODY_ERRORS + (409, 429)))
def resend_confirmation(interview_id: Annotated[str, Path(max_length=64)],
                        request: Annotated[ConfirmationRequest, Body()]) -> Response[str]:
    from followup.domain.phones import mask_email, mask_phone

    interview = service().resend_confirmation(interview_id, bearer_token(), request.channel, client=client())
    to = interview.candidate.email if request.channel == "email" else interview.candidate.phone
    masked = mask_email(to or "") if request.channel == "email" else mask_phone(to or "")
    answer = ConfirmationSent(channel=request.channel, destination=masked)
    return Response(status_code=202, content_type=JSON, body=answer.model_dump_json())


@router.delete(
    "/interviews/<interview_id>", security=BEARER, status_code=204, summary="Cancel everything and erase the personal data",
    responses=answers(204, "erased: every pending schedule deleted, the personal data gone", None, TOKEN_ERRORS),
)
def erase(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    service().delete(interview_id, bearer_token())
    return Response(status_code=204, body="")
