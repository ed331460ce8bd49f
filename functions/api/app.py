"""HTTP API Lambda: the JSON API, validated by pydantic through powertools. This module only wires it.

Thin: each route parses its request, maps it to a domain command, calls one method of the shared
service and shapes the answer; domain errors become HTTP statuses in one exception handler. The routes are
powertools ``Router``s beside this file, one per resource: interviews.py (submit, confirm, read, edit, erase),
decisions.py (the decision, the follow-ups, the check-in's calendar event), unsubscribe.py, web_pages.py (the
HTML pages and static files), openapi_doc.py (``/openapi.json``), and the firm's firm.py and report.py,
included with the first request that can reach them. The request gate is gate.py; the error mapping
errors_http.py; the request in flight current.py.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

# This folder's modules (the routers beside this file) import as Lambda imports them, from its task root,
# also where app.py is loaded by its path (the local stack, the tests).
if str(FilePath(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(FilePath(__file__).resolve().parent))

from followup.runtime import coldstart

coldstart.pause_collector()  # before the imports below: no garbage collection through the cold start

from followup.runtime import lazy_packages

# Before powertools' event handler is imported: only the HTTP API resolver and its event class load.
lazy_packages.install("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")

import current
import decisions
import firm_paths
import gate
import interviews
import openapi_doc
import unsubscribe
import web_pages
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from conversions import decision_command, edit_command, submit_command  # noqa: F401 - tests
from errors_http import domain_error, not_found, unexpected
from openapi_doc import OPENAPI_PATH

from followup.api.requests import InterviewSubmission
from followup.domain.errors import FollowUpError
from followup.runtime.config import get_settings
from followup.runtime.observability import logger, tracer

if TYPE_CHECKING:  # an annotation only: powertools' module costs ~15 ms of cold start to import
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=current.parse_json)

# In this order: /openapi.json lists the paths as they were registered.
ROUTERS: list[Router] = [current.request, interviews.router, decisions.router, unsubscribe.router, web_pages.router,
                         openapi_doc.router]
for included in ROUTERS:
    app.include_router(included)

app.exception_handler(FollowUpError)(domain_error)
app.use(middlewares=[gate.json_only])
app.exception_handler(RequestValidationError)(gate.invalid_request)
app.exception_handler(RequestUnsupportedContentType)(gate.unsupported_content_type)
app.exception_handler(UnicodeDecodeError)(gate.not_utf8)
app.not_found(not_found)
app.exception_handler(Exception)(unexpected)


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
    ROUTERS.extend((firm.router, report.router))


def reaches_firm_routes(event: dict) -> bool:
    """A path under /firm/, or the OpenAPI document that describes every route."""
    path = event.get("rawPath") or ""
    return path.startswith(firm_paths.PREFIX) or path == OPENAPI_PATH


def _bind_routers() -> None:
    """Each router reads the request through the resolver that last included it. The routers' modules are
    shared by every copy of this module a process loads by its path (the tests load more than one), so each
    copy points them at its own resolver before it answers."""
    for included in ROUTERS:
        included.api_resolver = app


@coldstart.resumes_collector
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    refused = gate.too_large(event)
    if refused is not None:
        return refused
    if reaches_firm_routes(event):
        include_firm_routes()
    _bind_routers()
    return gate.not_stored(app.resolve(gate.without_multipart(gate.json_in_lower_case(event)), context))


if coldstart.snapshotting():  # SnapStart's init: load now, into the snapshot, what the first request loads
    from followup.runtime import snapshot

    snapshot.load_for_api(get_settings(), InterviewSubmission.model_validate)
    include_firm_routes()
