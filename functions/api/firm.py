"""The firm's JSON API (``/firm/...``): a powertools Router that app.py includes with the first request under
``/firm/`` (firm_paths.py).

Every route is behind the HTTP API's JWT authorizer (template.yaml: ``FirmAuthorizer``), which verifies the
Cognito ID token before the function runs; the handler reads the verified claims (``followup.domain.identity``):
no claims is 401, a user in neither the ``recruiters`` nor the ``admins`` group 403. A recruiter sees and acts
on the interviews they enrolled; another recruiter's interview answers 404, as an unknown id. Admins see all.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from conversions import decision_command, submit_command
from firm_paths import FIRM_JWT, IMPORT_PATH

from followup.api.firm_views import (
    FirmInterviewPage,
    FirmInterviewView,
    FirmUserView,
    ImportedRow,
    ImportResult,
    to_firm_view,
)
from followup.api.requests import DecisionRequest, InterviewSubmission
from followup.api.schema import ErrorBody, SubmittedInterviewView
from followup.domain.errors import InterviewNotFound, InvalidFields, TooLarge, UnsupportedMedia
from followup.domain.identity import FirmUser, firm_user
from followup.domain.listing import DEFAULT_LIMIT, MAX_LIMIT, ListQuery
from followup.domain.models import InterviewStatus, Step
from followup.runtime.config import get_settings
from followup.usecases.firm_service import FirmService
from followup.usecases.service import service_for

router = Router()
JSON = "application/json"

ERRORS = {
    400: "the body is not UTF-8 text, or not JSON",
    401: "not signed in: send Authorization: Bearer <ID token> (the HTTP API's authorizer refuses it first)",
    403: "signed in, but not in the firm's recruiters or admins group (or not an admin where one is needed)",
    404: "no such interview, or another recruiter's (indistinguishable)",
    405: "a method this path does not take (the Allow header lists those it does)",
    409: "the interview is not in a state that allows this",
    413: "the body is too large (a CSV: more than 500 rows, or over 1 MiB)",
    415: "a body in another content type than the route takes",
    422: "invalid fields (or query parameters, or CSV columns), each named with what is wrong",
    429: "over the confirmations-per-destination-per-day limit; Retry-After says when to try again",
}
AUTH = (401, 403)
ON_ONE = (*AUTH, 404, 405, 422)
WITH_BODY = (400, 413, 415, 422)


def answers(status: int, description: str, model: type | None, errors: tuple[int, ...]) -> dict[int, Any]:
    success: dict[str, Any] = {"description": description}
    if model is not None:
        success["content"] = {JSON: {"model": model}}
    return {status: success, **{code: {"description": ERRORS[code], "content": {JSON: {"model": ErrorBody}}}
                                for code in sorted(set(errors))}}


def firm() -> FirmService:
    return FirmService(service_for(get_settings()))


def user() -> FirmUser:
    return firm_user(router.current_event.raw_event)


def check_access(interview_id: str | None) -> None:
    """What a route checks before anything about its request (gate.py's authenticated_first): signed in as a
    member of the firm and, on one interview, allowed to see it. Raises the domain error to answer."""
    signed_in = user()
    if interview_id is not None:
        if len(interview_id) > 64:  # what the route's own validation refuses: no such interview
            raise InterviewNotFound()
        firm().get(signed_in, interview_id)


InterviewId = Annotated[str, Path(max_length=64)]


@router.get("/firm/me", security=FIRM_JWT, summary="Who is signed in: their name, email and groups",
            responses=answers(200, "the signed-in member of the firm", FirmUserView, AUTH))
def me() -> FirmUserView:
    signed_in = user()
    return FirmUserView(sub=signed_in.sub, name=signed_in.name, email=signed_in.email,
                        groups=sorted(signed_in.groups), is_admin=signed_in.is_admin)


@router.post(
    "/firm/interviews", status_code=202, security=FIRM_JWT,
    summary="Enrol a candidate (the public form's body): sends each destination its confirmation, which says "
            "who enrolled them; no per-address limit",
    responses=answers(202, "awaiting the candidate's confirmation", SubmittedInterviewView, (*AUTH, *WITH_BODY, 429)),
)
def enrol(submission: Annotated[InterviewSubmission, Body()]) -> Response[str]:
    key = router.current_event.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 255:
        raise InvalidFields("the Idempotency-Key header must be 1-255 characters",
                            fields=[("Idempotency-Key", "must be 1-255 characters")])
    answer = firm().enrol(user(), submit_command(submission), idempotency_key=key)
    return Response(status_code=202, content_type=JSON, body=SubmittedInterviewView(**answer).model_dump_json())


@router.post(
    IMPORT_PATH, security=FIRM_JWT,
    summary="Enrol up to 500 candidates from a CSV (text/csv, header row); every row answered: created, or "
            "refused with its errors by column (a refused row changes nothing). Each row is imported once: the same "
            "file, or the same row in another file, answers the interview it made. A request answers at most ~20 s "
            "of rows: 202 with status partial means send the same file again to go on",
    responses={**answers(200, "every row's outcome (status complete)", ImportResult, (*AUTH, 400, 413, 415, 422)),
               202: {"description": "the rows answered so far (status partial): send the same file again to go on",
                     "content": {JSON: {"model": ImportResult}}}},
)
def import_csv() -> Response[str]:
    import firm_csv  # the import's own module: no other request loads it (cold start)

    signed_in = user()
    event = router.current_event
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "application/csv"):
        raise UnsupportedMedia("send the file as CSV, with Content-Type: text/csv")
    body = _raw_body(event) if event.is_base64_encoded else (event.body or "").encode()
    if len(body) > firm_csv.MAX_BYTES:
        raise TooLarge("the file is larger than 1 MiB")
    import firm_import

    progress, done = firm_import.run(firm(), signed_in, body, firm_csv.read(body), firm_csv.column_of)
    rows = [ImportedRow.model_validate({k: v for k, v in row.items() if k != "retry"}) for row in progress.rows]
    created = sum(1 for r in rows if r.status == "created")
    result = ImportResult(status="complete" if done else "partial", total=progress.total, created=created,
                          refused=len(rows) - created, rows=rows)
    return Response(status_code=200 if done else 202, content_type=JSON, body=result.model_dump_json())


def _raw_body(event: Any) -> bytes:
    import base64

    return base64.b64decode(event.raw_event.get("body") or "")


@router.get(
    "/firm/interviews", security=FIRM_JWT,
    summary="The interviews the recruiter enrolled (an admin: everyone's, recruiter=<sub>'s, or recruiter=public: the "
            "public form's), newest first",
    responses=answers(200, "one page; next_cursor fetches the next", FirmInterviewPage, (*AUTH, 422)),
)
def list_interviews(
    status: Annotated[InterviewStatus | None, Query(description="the interview's status")] = None,
    step: Annotated[Step | None, Query(description="interviews whose next follow-up still to go out is this step")] = None,
    recruiter: Annotated[str | None, Query(max_length=128, description="admins: one recruiter's (their sub), or public "
                                                                   "for the public form's submissions; not empty")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="the next_cursor of the page before")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> FirmInterviewPage:
    page = firm().list(user(), ListQuery(recruiter, status, step, cursor, limit))
    return FirmInterviewPage(items=[to_firm_view(i, get_settings()) for i in page.items], next_cursor=page.next_cursor)


@router.get("/firm/interviews/<interview_id>", security=FIRM_JWT, summary="One interview, with its deliveries",
            responses=answers(200, "the interview", FirmInterviewView, ON_ONE))
def read(interview_id: InterviewId) -> FirmInterviewView:
    return to_firm_view(firm().get(user(), interview_id), get_settings())


@router.post("/firm/interviews/<interview_id>/decision", security=FIRM_JWT,
             summary="Record the hiring decision for the candidate (the candidate's rules)",
             responses=answers(200, "the interview, decided", FirmInterviewView, (*ON_ONE, *WITH_BODY, 409)))
def decide(interview_id: InterviewId, decision: Annotated[DecisionRequest, Body()]) -> FirmInterviewView:
    return to_firm_view(firm().decide(user(), interview_id, decision_command(decision)), get_settings())


@router.put("/firm/interviews/<interview_id>/decision", security=FIRM_JWT,
            summary="Correct the decision until its thank-you nudge has gone out (then 409)",
            responses=answers(200, "the interview, its decision corrected", FirmInterviewView,
                              (*ON_ONE, *WITH_BODY, 409)))
def correct(interview_id: InterviewId, decision: Annotated[DecisionRequest, Body()]) -> FirmInterviewView:
    return to_firm_view(firm().correct_decision(user(), interview_id, decision_command(decision)), get_settings())


@router.post("/firm/interviews/<interview_id>/follow-ups/<step>/done", security=FIRM_JWT,
             summary="Mark a follow-up done for the candidate: its nudge is cancelled",
             responses=answers(200, "the interview", FirmInterviewView, (*ON_ONE, 409)))
def mark_done(interview_id: InterviewId, step: Annotated[Step, Path()]) -> FirmInterviewView:
    return to_firm_view(firm().mark_done(user(), interview_id, step), get_settings())


@router.post("/firm/interviews/<interview_id>/cancel", security=FIRM_JWT,
             summary="Cancel: every pending nudge stopped; the interview stays on the list",
             responses=answers(200, "the interview, cancelled", FirmInterviewView, ON_ONE))
def cancel(interview_id: InterviewId) -> FirmInterviewView:
    return to_firm_view(firm().cancel(user(), interview_id), get_settings())
