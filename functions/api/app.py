"""HTTP API Lambda: the JSON API, validated by pydantic through powertools.

Thin: each route parses its request, maps it to a domain command, calls one method of the shared
service and shapes the answer; domain errors become HTTP statuses in one exception handler.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any, Literal

# This folder's modules (the routers beside this file) import as Lambda imports them, from its task root,
# also where app.py is loaded by its path (the local stack, the tests).
if str(FilePath(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(FilePath(__file__).resolve().parent))

from followup import coldstart

coldstart.pause_collector()  # before the imports below: no garbage collection through the cold start

from followup import lazy_packages

# Before powertools' event handler is imported: only the HTTP API resolver and its event class load.
lazy_packages.install("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")

import firm_paths  # noqa: E402 - functions/api/firm_paths.py
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from conversions import decision_command, edit_command, submit_command  # noqa: E402, F401 - submit_command: tests
from pydantic import Field, create_model

from followup import pages
from followup.config import get_settings
from followup.errors import (
    Conflict,
    FollowUpError,
    Forbidden,
    InterviewNotFound,
    InvalidFields,
    RateLimited,
    TooLarge,
    Unauthorized,
    UnsupportedMedia,
)
from followup.models import Channel, Interview, Step
from followup.observability import logger, tracer
from followup.requests import DecisionRequest, InterviewSubmission, InterviewUpdate
from followup.schema import (
    ConfirmationSent,
    ErrorBody,
    InterviewView,
    Strict,
    SubmittedInterviewView,
    UnsubscribedView,
    to_view,
)
from followup.service import FollowUpService, service_for

if TYPE_CHECKING:  # an annotation only: powertools' module costs ~15 ms of cold start to import
    from aws_lambda_powertools.utilities.typing import LambdaContext

MAX_BODY_BYTES = 16 * 1024
IMPORT_BODY_BYTES = 1024 * 1024  # the firm's CSV import (firm_csv.MAX_BYTES)
MAX_JSON_DEPTH = 32
JSON = "application/json"
BEARER = [{"manage_token": []}]


def parse_json(text: str) -> Any:
    """The body's JSON, refused before parsing when it nests deeper than ``MAX_JSON_DEPTH`` (a deep
    document would exhaust the parser's recursion). Strings are skipped whole, so brackets in text count
    for nothing. Raised as a ``JSONDecodeError``, powertools answers it as malformed JSON."""
    depth = 0
    for token in _JSON_STRUCTURE.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise json.JSONDecodeError(f"nested deeper than {MAX_JSON_DEPTH} levels", text, token.start())
        elif bracket in "]}":
            depth -= 1
    return json.loads(text)


_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')

app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json)
OPENAPI_PATH = "/openapi.json"  # the document of every route, the firm's included


@cache
def include_firm_routes() -> None:
    """The firm's /firm/... routes (functions/api/firm.py) and its report (functions/api/report.py), once.

    Included with the first request that can reach one (``reaches_firm_routes``), not at import: a
    candidate's requests never load the firm's API (~10 ms of cold start). No other route's path is under
    /firm/, so a route matches the same request either way.
    """
    import firm
    import report

    app.include_router(firm.router)
    app.include_router(report.router)


def reaches_firm_routes(event: dict) -> bool:
    """A path under /firm/, or the OpenAPI document that describes every route."""
    path = event.get("rawPath") or ""
    return path.startswith(firm_paths.PREFIX) or path == OPENAPI_PATH


def service() -> FollowUpService:
    return service_for(get_settings())


def error(status: int, message: str, fields: list[tuple[str, str]] | None = None) -> Response[str]:
    body = ErrorBody(message=message, errors=[{"field": f, "message": m} for f, m in fields or []])
    return Response(status_code=status, content_type=JSON, body=body.model_dump_json())


def view_of(interview: Interview) -> InterviewView:
    return to_view(interview, get_settings())


def bearer_token() -> str:
    header = app.current_event.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def client() -> str:
    """The caller's address for the per-client limit: the source IP, or a trusted proxy's word for it."""
    settings = get_settings()
    source = app.current_event.request_context.http.source_ip
    if not settings.trusted_proxy_header:
        return source
    from followup.client_address import client_address

    return client_address(source, app.current_event.headers, settings.trusted_proxy_header,
                          settings.trusted_proxy_ranges)


# ---- routes ---------------------------------------------------------------------------------

# What each route documents in /openapi.json: its success (given here, powertools then adds none of its
# own) and its error answers, each an ErrorBody.
ERROR_MEANINGS = {
    400: "the body is not UTF-8 text, or not JSON (malformed, or nested deeper than 32 levels)",
    401: "no manage token: send Authorization: Bearer <manage_token>",
    404: "a wrong token or an unknown id (indistinguishable)",
    405: "a method this path does not take (the Allow header lists those it does)",
    409: "the interview is not in a state that allows this",
    413: "the body is larger than 16 KiB",
    415: "a body sent with a Content-Type other than application/json (compared case-insensitively, parameters such "
         "as charset allowed; a body with no Content-Type is read as JSON)",
    422: "invalid fields, each named with what is wrong",
    429: "over a limit (submissions per client address per hour, confirmations per destination per day); "
         "Retry-After says when to try again",
}
BODY_ERRORS = (400, 405, 413, 415, 422)
TOKEN_ERRORS = (401, 404, 405, 422)


def answers(status: int, description: str, model: type | None, errors: tuple[int, ...]) -> dict[int, Any]:
    success: dict[str, Any] = {"description": description}
    if model is not None:
        success["content"] = {JSON: {"model": model}}
    failures = {code: {"description": ERROR_MEANINGS[code], "content": {JSON: {"model": ErrorBody}}}
                for code in sorted(set(errors))}
    return {status: success, **failures}


@app.post(
    "/interviews",
    status_code=202,
    summary="Submit an interview; sends each chosen destination a confirmation (no token in the answer)",
    responses=answers(202, "Awaiting confirmation: where the confirmation messages went, masked",
                      SubmittedInterviewView, (*BODY_ERRORS, 429)),
)
def submit(submission: Annotated[InterviewSubmission, Body()]) -> Response[str]:
    key = app.current_event.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 255:
        raise InvalidFields("the Idempotency-Key header must be 1-255 characters",
                            fields=[("Idempotency-Key", "must be 1-255 characters")])
    answer = SubmittedInterviewView(**service().submit(submit_command(submission), client=client(),
                                                       idempotency_key=key))
    return Response(status_code=202, content_type=JSON, body=answer.model_dump_json())


@app.post(
    "/interviews/<interview_id>/confirm",
    security=BEARER,
    summary="Confirm with the token from a confirmation message: verifies that channel and, the first time, "
            "schedules the follow-ups; again, changes nothing",
    responses=answers(200, "the interview, its follow-ups scheduled", InterviewView, TOKEN_ERRORS),
)
def confirm(interview_id: Annotated[str, Path(max_length=64)]) -> InterviewView:
    return view_of(service().confirm(interview_id, bearer_token()))


@app.get("/interviews/<interview_id>", security=BEARER, summary="Read an interview and its follow-ups",
         responses=answers(200, "the interview", InterviewView, TOKEN_ERRORS))
def read(interview_id: Annotated[str, Path(max_length=64)]) -> InterviewView:
    return view_of(service().get(interview_id, bearer_token()))


@app.patch("/interviews/<interview_id>", security=BEARER,
           summary="Edit an interview; reschedules pending follow-ups; a new email or phone gets its own confirmation",
           responses=answers(200, "the interview, edited", InterviewView, TOKEN_ERRORS + BODY_ERRORS + (409, 429)))
def edit(interview_id: Annotated[str, Path(max_length=64)], patch: Annotated[InterviewUpdate, Body()]) -> InterviewView:
    return view_of(service().update(interview_id, bearer_token(), edit_command(patch), client=client()))


# Built from its types, not from annotations: this module may be loaded by its path (the local stack, the tests),
# where pydantic cannot look its names up again.
ConfirmationRequest = create_model(
    "ConfirmationRequest", __base__=Strict,
    channel=(Channel, Field(description="email or sms: a channel the reminders go by that is not confirmed yet")))


@app.post("/interviews/<interview_id>/confirmations", security=BEARER, status_code=202,
          summary="Send a chosen channel that is not confirmed yet a new confirmation message, with a fresh link "
                  "bound to its address; 409 once confirmed; counts against the destination's and the client's limits",
          responses=answers(202, "sent: where it went, masked", ConfirmationSent,
                            TOKEN_ERRORS + BODY_ERRORS + (409, 429)))
def resend_confirmation(interview_id: Annotated[str, Path(max_length=64)],
                        request: Annotated[ConfirmationRequest, Body()]) -> Response[str]:
    from followup.phones import mask_email, mask_phone

    interview = service().resend_confirmation(interview_id, bearer_token(), request.channel, client=client())
    to = interview.candidate.email if request.channel == "email" else interview.candidate.phone
    masked = mask_email(to or "") if request.channel == "email" else mask_phone(to or "")
    answer = ConfirmationSent(channel=request.channel, destination=masked)
    return Response(status_code=202, content_type=JSON, body=answer.model_dump_json())


@app.post("/interviews/<interview_id>/decision", security=BEARER, summary="Record the hiring decision",
          responses=answers(200, "the interview, decided", InterviewView, TOKEN_ERRORS + BODY_ERRORS + (409,)))
def decide(interview_id: Annotated[str, Path(max_length=64)], decision: Annotated[DecisionRequest, Body()]) -> InterviewView:
    return view_of(service().decide(interview_id, bearer_token(), decision_command(decision)))


@app.put("/interviews/<interview_id>/decision", security=BEARER,
         summary="Correct the hiring decision, until its thank-you nudge has gone out (then 409)",
         responses=answers(200, "the interview, its decision corrected", InterviewView,
                           TOKEN_ERRORS + BODY_ERRORS + (409,)))
def correct_decision(interview_id: Annotated[str, Path(max_length=64)],
                     decision: Annotated[DecisionRequest, Body()]) -> InterviewView:
    return to_view(service().correct_decision(interview_id, bearer_token(), decision_command(decision)))


@app.post("/interviews/<interview_id>/follow-ups/<step>/done", security=BEARER, summary="Mark a follow-up done",
          responses=answers(200, "the interview", InterviewView, TOKEN_ERRORS + (409,)))
def mark_done(interview_id: Annotated[str, Path(max_length=64)], step: Annotated[Step, Path()]) -> InterviewView:
    return view_of(service().mark_done(interview_id, bearer_token(), step))


@app.get(
    "/interviews/<interview_id>/check-in.ics", security=BEARER,
    summary="The check-in as a calendar event (iCalendar), at its due time in the candidate's zone",
    responses={
        200: {"description": "an iCalendar file with one event",
              "content": {"text/calendar": {"schema": {"type": "string"}}}},
        **{code: meaning for code, meaning in answers(200, "", None, TOKEN_ERRORS + (409,)).items() if code != 200},
    },
)
def check_in_calendar(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    from followup import clock, ics  # here: icalendar loads with the first calendar asked for, not at cold start

    interview = service().get(interview_id, bearer_token())
    body = ics.check_in_event(interview, get_settings().firm_name, clock.now()).decode("utf-8")
    return Response(status_code=200, content_type="text/calendar; charset=utf-8", body=body,
                    headers={"Content-Disposition": 'attachment; filename="check-in.ics"', "Cache-Control": "no-store"})


@app.delete(
    "/interviews/<interview_id>", security=BEARER, status_code=204, summary="Cancel everything and erase the personal data",
    responses=answers(204, "erased: every pending schedule deleted, the personal data gone", None, TOKEN_ERRORS),
)
def erase(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    service().delete(interview_id, bearer_token())
    return Response(status_code=204, body="")


UNSUBSCRIBE_TOKEN = Query(min_length=1, max_length=128, description="the unsubscribe token of the link")
UNSUBSCRIBE_SCOPE = Query(description="interview (the default): this interview's messages; firm: also every message "
                                      "from the firm to the email address the link was sent to, for good")


@app.get(
    "/unsubscribe",
    summary="The unsubscribe page: one button; opening it changes nothing (mail scanners open links)",
    responses={
        200: {"description": "An HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown, erased or expired token (or none): a page saying the link no longer works",
              "content": {"text/html": {"schema": {"type": "string"}}}},
    },
)
def unsubscribe_page(token: Annotated[str, UNSUBSCRIBE_TOKEN]) -> Response[str]:
    try:
        from_firm = service().can_leave_firm(token)
    except InterviewNotFound:
        return link_gone_page()
    return html_page(pages.unsubscribe_page(get_settings().firm_name, token, from_firm=from_firm))


@app.post(
    "/unsubscribe",
    summary="RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click, or empty): stops every further "
            "message; the answer holds no personal data",
    responses={
        200: {"description": "Unsubscribed: a page for a browser, else this JSON",
              "content": {JSON: {"model": UnsubscribedView}, "text/html": {"schema": {"type": "string"}}}},
        404: {"description": "Unknown, erased or expired token, or not an unsubscribe token (a page for a browser, "
                             "else JSON)",
              "content": {JSON: {"model": ErrorBody}, "text/html": {"schema": {"type": "string"}}}},
    },
)
def unsubscribe(token: Annotated[str, UNSUBSCRIBE_TOKEN],
                scope: Annotated[Literal["interview", "firm"], UNSUBSCRIBE_SCOPE] = "interview") -> Response[str]:
    try:
        service().unsubscribe(token, from_firm=scope == "firm")
    except InterviewNotFound:
        if wants_a_page():
            return link_gone_page()
        raise
    if wants_a_page():
        return html_page(pages.unsubscribed_page(get_settings().firm_name, from_firm=scope == "firm"))
    return Response(status_code=200, content_type=JSON, body=UnsubscribedView(status="unsubscribed").model_dump_json())


@app.get("/", include_in_schema=False)
def form_page() -> Response[str]:
    from followup import clock

    settings = get_settings()
    return html_page(pages.form_page(settings.firm_name, settings.default_time_zone, clock.now().isoformat(),
                                     settings.sms_countries))


@app.get("/manage/<interview_id>", include_in_schema=False)
def manage_page(interview_id: Annotated[str, Path(max_length=64)]) -> Response[str]:
    # The page reads its token from the URL and calls the JSON API with it; no data is rendered here.
    return html_page(pages.manage_page(get_settings().firm_name, interview_id))


@app.get("/firm/", include_in_schema=False)
@app.get("/firm", include_in_schema=False)
def firm_page() -> Response[str]:
    # The firm's page: sign-in, then the list and the actions, all from the JSON API. It holds no data, only where
    # to sign in (the app client and Cognito's endpoint, which its CSP lets it reach) and the firm's branding.
    # The same page with or without the slash: its links and calls are absolute paths.
    from followup import firm_page as page  # this route's alone (cold start)

    config = page.FirmPageConfig.from_settings(get_settings())
    return html_page(page.firm_page(config), config.security_headers())


def html_page(body: str, headers: dict[str, str] | None = None, status: int = 200) -> Response[str]:
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body,
                    headers=headers or pages.SECURITY_HEADERS)


def wants_a_page() -> bool:
    """A browser's request (``Accept`` names HTML), not a mail client's one-click unsubscribe."""
    return "text/html" in (app.current_event.headers.get("accept") or "").lower()


def link_gone_page() -> Response[str]:
    """A dead unsubscribe link, in a browser: a page in the site's layout saying so and what to do, with 404."""
    settings = get_settings()
    return html_page(pages.unsubscribe_gone_page(settings.firm_name, settings.contact_email), status=404)


def unsubscribe_link_broken() -> bool:
    """A browser's request to /unsubscribe whose token (or scope) is missing or malformed: the link is as dead as one
    whose interview is gone (GET is always a browser's: mail scanners and people open the link)."""
    event = app.current_event
    return event.path == "/unsubscribe" and (event.http_method == "GET" or wants_a_page())


@app.get("/static/<name>", include_in_schema=False)
def static_asset(name: Annotated[str, Path(max_length=64)]) -> Response[str]:
    # Only the pages' own stylesheet and scripts, under their current content hash: any other name is 404.
    asset = pages.asset(name)
    if asset is None:
        return error(404, "not found")
    return Response(status_code=200, content_type=asset.content_type, body=asset.body, headers=pages.ASSET_HEADERS)


@app.get(OPENAPI_PATH, include_in_schema=False)
def openapi() -> Response[str]:
    # Imported here: the OpenAPI models are ~80 pydantic classes that no other route needs (cold start).
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    schema = app.get_openapi_json_schema(
        title="Interview Follow-Up",
        version="1.0.0",
        description="Coaches a candidate through the follow-ups after a job interview.",
        security_schemes={"manage_token": HTTPBearer(bearerFormat="manage token"),
                          firm_paths.SCHEME: HTTPBearer(bearerFormat="JWT", description="a Cognito ID token of the firm's "
                                                  "user pool, verified by the HTTP API's JWT authorizer")},
    )
    return Response(status_code=200, content_type=JSON, body=schema)


# ---- errors: the one place that maps failures to statuses -------------------------------------


# Each domain error's status; a subclass answers as its nearest listed class.
STATUS_OF_ERROR: dict[type[FollowUpError], int] = {
    InvalidFields: 422,
    Unauthorized: 401,
    Forbidden: 403,
    InterviewNotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    UnsupportedMedia: 415,
    RateLimited: 429,
    FollowUpError: 500,
}


def status_of(exc: FollowUpError) -> int:
    return next(STATUS_OF_ERROR[cls] for cls in type(exc).__mro__ if cls in STATUS_OF_ERROR)


@app.exception_handler(FollowUpError)
def domain_error(exc: FollowUpError) -> Response[str]:
    answer = error(status_of(exc), exc.message, exc.fields)
    if isinstance(exc, RateLimited):
        answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


# A request on an interview route is answered 401/404 before anything about its body (auth first):
# validation errors are for those allowed to act. Powertools validates the body before any middleware
# runs, so a rejected body checks the token here, on the way out; an accepted one is checked by the route.


def authenticated_first(answer: Callable[[], Response[str]]) -> Response[str]:
    route = app.context.get("_route")
    if getattr(route, "security", None):
        match = route.rule.match(app.current_event.path) if route is not None else None
        interview_id = (match.groupdict().get("interview_id") if match else None) or ""
        if route.security == firm_paths.FIRM_JWT:  # the firm's routes: signed in, and allowed to see the interview
            from firm import check_access  # included with the route

            try:
                check_access(interview_id if "interview_id" in (match.groupdict() if match else {}) else None)
            except FollowUpError as exc:
                return domain_error(exc)
            return answer()
        try:
            if len(interview_id) > 64:  # what the route's own validation refuses: no such interview
                raise InterviewNotFound()
            service().get(interview_id, bearer_token())
        except FollowUpError as exc:
            return domain_error(exc)
    return answer()


def json_body_refused() -> bool:
    """A request to a route that takes a JSON body, sent with another media type than ``application/json``
    (``media_type``: absent means JSON)."""
    route = app.context.get("_route")
    takes_body = route is not None and route.body_field is not None
    return takes_body and media_type(app.current_event.headers.get("content-type")) not in ("", JSON)


def media_type(content_type: str | None) -> str:
    """The type/subtype of a Content-Type, in lower case (RFC 9110: case-insensitive), its parameters left out:
    ``"APPLICATION/JSON; charset=UTF-8"`` is ``application/json``; "" when there is none."""
    return (content_type or "").split(";")[0].strip().lower()


def unsupported_media() -> Response[str]:
    return error(415, "send the body as JSON, with Content-Type: application/json")


def json_only(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
    # After validation: a form-encoded body that happens to validate is still refused.
    if json_body_refused():
        return authenticated_first(unsupported_media)
    return next_middleware(app)


app.use(middlewares=[json_only])


@app.exception_handler(RequestValidationError)
def invalid_request(exc: RequestValidationError) -> Response[str]:
    if unsubscribe_link_broken():
        return link_gone_page()
    return authenticated_first(lambda: unsupported_media() if json_body_refused() else invalid_body(exc))


def invalid_body(exc: RequestValidationError) -> Response[str]:
    problems = exc.errors()
    invalid_json = [p for p in problems if p.get("type") == "json_invalid"]
    if invalid_json:
        reason = (invalid_json[0].get("ctx") or {}).get("error", "")
        return error(400, "the body is not valid JSON" + (f": {reason}" if "nested" in reason else ""))
    # In plain words, one message per field, and a submission's cross-field rules with them (all at once).
    from followup import form_errors  # on the first invalid body, not at cold start

    fields: dict[str, str] = {}
    for problem in problems:
        field = form_errors.field_of(problem)
        fields.setdefault(field, form_errors.plain_message(field, problem))
    if app.current_event.path == "/interviews" and app.current_event.http_method == "POST":
        fields.update(form_errors.contact_problems(_raw_body(), set(fields)))
    return error(422, "some fields need a look: " + ", ".join(sorted(fields)), list(fields.items()))


def _raw_body() -> object:
    try:
        return parse_json(app.current_event.decoded_body or "")
    except (ValueError, UnicodeDecodeError):
        return None


@app.exception_handler(RequestUnsupportedContentType)
def unsupported_content_type(exc: RequestUnsupportedContentType) -> Response[str]:
    return authenticated_first(unsupported_media)


@app.exception_handler(UnicodeDecodeError)
def not_utf8(exc: UnicodeDecodeError) -> Response[str]:
    # Raised by powertools decoding a base64 body that is not UTF-8 text.
    return authenticated_first(lambda: error(400, "the body is not UTF-8 text"))


@app.not_found
def not_found(exc: NotFoundError) -> Response[str]:
    # A known path asked with another method is 405 with the methods it has. (Powertools keeps its
    # routes in these two lists; tests/integration/test_bad_input.py notices if that ever changes.)
    path = app.current_event.path
    allowed = sorted({r.method for r in app._static_routes + app._dynamic_routes if r.rule.match(path)})
    if allowed:
        allow = ", ".join(allowed)
        answer = error(405, f"{app.current_event.http_method} is not allowed here; use {allow}")
        answer.headers["Allow"] = allow
        return answer
    return error(404, "not found")


@app.exception_handler(Exception)
def unexpected(exc: Exception) -> Response[str]:
    # Logged with its type only: messages of AWS errors can echo request data.
    logger.error("unhandled error", extra={"error": type(exc).__name__})
    return error(500, "something went wrong on our side; nothing was lost, please try again")


# ---- entry point ------------------------------------------------------------------------------


def _body_limit(event: dict) -> int:
    """16 KiB, but for the CSV import (up to 500 rows)."""
    route = ((event.get("requestContext") or {}).get("http") or {})
    if route.get("method") == "POST" and event.get("rawPath") == firm_paths.IMPORT_PATH:
        return IMPORT_BODY_BYTES
    return MAX_BODY_BYTES


def _body_size(event: dict) -> int:
    body = event.get("body") or ""
    return len(base64.b64decode(body)) if event.get("isBase64Encoded") else len(body.encode())


@coldstart.resumes_collector
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    limit = _body_limit(event)
    if _body_size(event) > limit:
        return {
            "statusCode": 413,
            "headers": {"Content-Type": JSON, "Cache-Control": "no-store"},
            "body": ErrorBody(message=f"the body is larger than {limit // 1024} KiB").model_dump_json(),
        }
    if reaches_firm_routes(event):
        include_firm_routes()
    return _not_stored(app.resolve(_without_multipart(_json_in_lower_case(event)), context))


def _not_stored(answer: dict) -> dict:
    """Every answer that does not say otherwise (the static files do) carries ``Cache-Control: no-store``: an
    interview's view holds personal data, and no browser or proxy cache should keep it."""
    headers = answer.setdefault("headers", {})
    if not any(name.lower() == "cache-control" for name in headers):
        headers["Cache-Control"] = "no-store"
    return answer


if coldstart.snapshotting():  # SnapStart's init: load now, into the snapshot, what the first request loads
    from followup import snapshot

    snapshot.load_for_api(get_settings(), InterviewSubmission.model_validate)
    include_firm_routes()


def _json_in_lower_case(event: dict) -> dict:
    """Powertools reads a body as JSON only under a Content-Type that starts with ``application/json`` as written,
    case and all: ``APPLICATION/JSON`` would be an unsupported type. A media type is case-insensitive, so a JSON one
    reaches it in lower case, its parameters kept; any other is left as it is (``json_body_refused`` decides)."""
    headers = event.get("headers") or {}
    given = headers.get("content-type")
    if given is None or media_type(given) != JSON or given.strip().startswith(JSON):
        return event
    _, semicolon, parameters = given.partition(";")
    return {**event, "headers": {**headers, "content-type": JSON + semicolon + parameters}}


def _without_multipart(event: dict) -> dict:
    """Powertools parses a multipart body itself and fails on a malformed one (no boundary, non-Latin-1
    text) with an error of its own. This API takes JSON only: a multipart body reaches it as an unsupported
    content type, answered 415 after the token check like any other."""
    headers = event.get("headers") or {}
    if not (headers.get("content-type") or "").strip().lower().startswith("multipart/"):
        return event
    return {**event, "headers": {**headers, "content-type": "application/octet-stream"}}
