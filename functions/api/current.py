"""The request being answered, for every module beside app.py, and what the candidate's routes read of it.

``request`` is a powertools ``Router`` with no routes: app.py includes it with the others and binds them all to
its resolver before each event, so ``request.current_event`` and ``request.context`` are the request in flight
wherever they are read (the gate, the error mapping, the routes' helpers).
"""

from __future__ import annotations

import json
import re
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from followup.api.schema import InterviewView
from followup.domain.errors import Unauthorized
from followup.domain.models import Interview
from followup.runtime.config import SettingsError, get_settings
from followup.usecases.service import FollowUpService, service_for

request = Router()
JSON = "application/json"
BEARER = [{"manage_token": []}]


def service() -> FollowUpService:
    return service_for(get_settings())


def view_of(interview: Interview) -> InterviewView:
    from followup.api.views import interview_view  # the drafts and Babel load with the first view, not at cold start

    return interview_view(interview, get_settings())


def bearer_token() -> str:
    header = request.current_event.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def client() -> str:
    """The caller's address for the per-client limit: the source IP, or a trusted proxy's word for it."""
    settings = get_settings()
    source = request.current_event.request_context.http.source_ip
    if not settings.trusted_proxy_header:
        return source
    from followup.api.client_address import client_address

    return client_address(source, request.current_event.headers, settings.trusted_proxy_header,
                          settings.trusted_proxy_ranges)


def answer_language() -> str:
    """The language of an error a candidate reads: the submission's or the edit's own ``candidate.locale`` when its
    body names one the product speaks, else the page's (its scripts send their ``<html lang>`` as ``Accept-Language``) or the
    browser's, else the firm's default. The firm's routes answer in English, as their page is."""
    from followup.api.pages import page_language
    from followup.domain.i18n import SOURCE, spoken

    event = getattr(request, "current_event", None)  # none outside a request: an error built by itself
    if event is None or event.path.startswith("/firm"):
        return SOURCE
    try:
        default = get_settings().default_locale
    except SettingsError:  # no settings: only outside a deployed function (which fails at init without them)
        return SOURCE
    return spoken(_body_locale()) or page_language(None, event.headers.get("accept-language"), default)


def _body_locale() -> str | None:
    body = request_json()
    candidate = body.get("candidate") if isinstance(body, dict) else None
    locale = candidate.get("locale") if isinstance(candidate, dict) else None
    return locale if isinstance(locale, str) and len(locale) <= 35 else None


def request_json() -> object:
    """The request's body as JSON (``parse_json``), or None for a body that is none (not JSON, not UTF-8)."""
    try:
        return parse_json(request.current_event.decoded_body or "")
    except (ValueError, UnicodeDecodeError):
        return None


MAX_JSON_DEPTH = 32


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
