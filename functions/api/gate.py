"""The request gate: what every request passes before a route answers it, and how a refused one is answered.

In order: a body over 16 KiB (1 MiB for the firm's CSV import) is 413 before anything else (``too_large``); a
JSON Content-Type reaches powertools in lower case and a multipart one as an unsupported type
(``json_in_lower_case``, ``without_multipart``); a body nested deeper than 32 levels is malformed JSON
(``current.parse_json``, the resolver's deserializer); a body sent as anything but JSON is 415 (the ``json_only``
middleware); invalid fields are 422 in plain words (``invalid_request``). Every refusal of a route behind a
token is answered 401/404 first when the token does not open it (``authenticated_first``); every answer that
does not say otherwise is ``Cache-Control: no-store`` (``not_stored``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import firm_paths
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from current import JSON, answer_language, bearer_token, request, request_json, service
from errors_http import domain_error, error
from unsubscribe import link_gone_page, unsubscribe_link_broken

from followup.api.schema import ErrorBody
from followup.domain.errors import FollowUpError, InterviewNotFound

MAX_BODY_BYTES = 16 * 1024
IMPORT_BODY_BYTES = 1024 * 1024  # the firm's CSV import (firm_csv.MAX_BYTES)




# ---- before the resolver: the raw event -------------------------------------------------------


def too_large(event: dict) -> dict | None:
    """The 413 answer to a body over its limit, before powertools reads it; None for any other."""
    limit = _body_limit(event)
    if _body_size(event) > limit:
        return {
            "statusCode": 413,
            "headers": {"Content-Type": JSON, "Cache-Control": "no-store"},
            "body": ErrorBody(message=f"the body is larger than {limit // 1024} KiB").model_dump_json(),
        }
    return None


def _body_limit(event: dict) -> int:
    """16 KiB, but for the CSV import (up to 500 rows)."""
    route = ((event.get("requestContext") or {}).get("http") or {})
    if route.get("method") == "POST" and event.get("rawPath") == firm_paths.IMPORT_PATH:
        return IMPORT_BODY_BYTES
    return MAX_BODY_BYTES


def _body_size(event: dict) -> int:
    body = event.get("body") or ""
    return len(base64.b64decode(body)) if event.get("isBase64Encoded") else len(body.encode())


def json_in_lower_case(event: dict) -> dict:
    """Powertools reads a body as JSON only under a Content-Type that starts with ``application/json`` as written,
    case and all: ``APPLICATION/JSON`` would be an unsupported type. A media type is case-insensitive, so a JSON one
    reaches it in lower case, its parameters kept; any other is left as it is (``json_body_refused`` decides)."""
    headers = event.get("headers") or {}
    given = headers.get("content-type")
    if given is None or media_type(given) != JSON or given.strip().startswith(JSON):
        return event
    _, semicolon, parameters = given.partition(";")
    return {**event, "headers": {**headers, "content-type": JSON + semicolon + parameters}}


def without_multipart(event: dict) -> dict:
    """Powertools parses a multipart body itself and fails on a malformed one (no boundary, non-Latin-1
    text) with an error of its own. This API takes JSON only: a multipart body reaches it as an unsupported
    content type, answered 415 after the token check like any other."""
    headers = event.get("headers") or {}
    if not (headers.get("content-type") or "").strip().lower().startswith("multipart/"):
        return event
    return {**event, "headers": {**headers, "content-type": "application/octet-stream"}}


def not_stored(answer: dict) -> dict:
    """Every answer that does not say otherwise (the static files do) carries ``Cache-Control: no-store``: an
    interview's view holds personal data, and no browser or proxy cache should keep it."""
    headers = answer.setdefault("headers", {})
    if not any(name.lower() == "cache-control" for name in headers):
        headers["Cache-Control"] = "no-store"
    return answer


# ---- on the way out: auth first ----------------------------------------------------------------

# A request on an interview route is answered 401/404 before anything about its body (auth first):
# validation errors are for those allowed to act. Powertools validates the body before any middleware
# runs, so a rejected body checks the token here, on the way out; an accepted one is checked by the route.


def authenticated_first(answer: Callable[[], Response[str]]) -> Response[str]:
    route = request.context.get("_route")
    if getattr(route, "security", None):
        match = route.rule.match(request.current_event.path) if route is not None else None
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
    route = request.context.get("_route")
    takes_body = route is not None and route.body_field is not None
    return takes_body and media_type(request.current_event.headers.get("content-type")) not in ("", JSON)


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
    from followup.domain import form_errors  # on the first invalid body, not at cold start

    fields: dict[str, str] = {}
    language = answer_language()  # each field's words in the candidate's language; the summary names the fields
    for problem in problems:
        field = form_errors.field_of(problem)
        fields.setdefault(field, form_errors.plain_message(field, problem, language))
    if request.current_event.path == "/interviews" and request.current_event.http_method == "POST":
        fields.update(form_errors.contact_problems(request_json(), set(fields), language))
    return error(422, "some fields need a look: " + ", ".join(sorted(fields)), list(fields.items()))


def unsupported_content_type(exc: RequestUnsupportedContentType) -> Response[str]:
    return authenticated_first(unsupported_media)


def not_utf8(exc: UnicodeDecodeError) -> Response[str]:
    # Raised by powertools decoding a base64 body that is not UTF-8 text.
    return authenticated_first(lambda: error(400, "the body is not UTF-8 text"))
