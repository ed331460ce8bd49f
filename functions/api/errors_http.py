"""The one place that maps failures to statuses: each domain error's status, the JSON body every error answers
with, what each status means in /openapi.json, 404 or 405 for a request no route takes, 500 for the unexpected.

app.py registers these handlers; the request gate (gate.py) answers its refusals through ``error`` and
``domain_error``.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from current import JSON, answer_language, request

from followup.api.schema import ErrorBody
from followup.domain.errors import (
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
from followup.runtime.observability import logger


def error(status: int, message: str, fields: list[tuple[str, str]] | None = None) -> Response[str]:
    body = ErrorBody(message=message, errors=[{"field": f, "message": m} for f, m in fields or []])
    return Response(status_code=status, content_type=JSON, body=body.model_dump_json())


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


def domain_error(exc: FollowUpError) -> Response[str]:
    message, fields = exc.in_language(answer_language())  # a candidate reads it in their language
    answer = error(status_of(exc), message, fields)
    if isinstance(exc, RateLimited):
        answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


def not_found(exc: NotFoundError) -> Response[str]:
    # A known path asked with another method is 405 with the methods it has. (Powertools keeps its
    # routes in these two lists; tests/integration/test_bad_input.py notices if that ever changes.)
    path = request.current_event.path
    app = request.api_resolver
    allowed = sorted({r.method for r in app._static_routes + app._dynamic_routes if r.rule.match(path)})
    if allowed:
        allow = ", ".join(allowed)
        answer = error(405, f"{request.current_event.http_method} is not allowed here; use {allow}")
        answer.headers["Allow"] = allow
        return answer
    return error(404, "not found")


def unexpected(exc: Exception) -> Response[str]:
    # Logged with its type only: messages of AWS errors can echo request data.
    logger.error("unhandled error", extra={"error": type(exc).__name__})
    return error(500, "something went wrong on our side; nothing was lost, please try again")
