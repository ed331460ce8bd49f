"""The api includes the firm's routes (functions/api/firm.py, report.py) with the first request that can reach
one, a path under /firm/ or the OpenAPI document, and not before: a candidate's requests never load them.

The api is loaded in a child process as Lambda loads it and asked, in turn, the requests given; after each it
reports which of the firm's modules are in memory and what it answered. None of these requests reaches AWS.
"""

from __future__ import annotations

import json
from typing import Any

from tests.unit.function_child import LOAD_APP, ROOT, run_function

FIRM_MODULES = ["firm", "report", "followup.usecases.firm_service", "followup.api.firm_views", "followup.domain.identity"]

ASK = """
import json
from local.handlers import LambdaContext
""" + LOAD_APP + """
firm_modules = json.loads(sys.argv[2])
seen = [{"after": "import", "loaded": [name for name in firm_modules if name in sys.modules]}]
for event in json.loads(sys.argv[3]):
    answer = module.lambda_handler(event, LambdaContext(function_name="api"))
    body = json.loads(answer["body"]) if answer["body"].startswith("{") else {}
    seen.append({"after": event["rawPath"], "status": answer["statusCode"],
                 "loaded": [name for name in firm_modules if name in sys.modules],
                 "firm_paths": sorted(path for path in body.get("paths", {}) if path.startswith("/firm/"))})
print(json.dumps(seen))
"""


def _event(method: str, path: str, body: str | None = None) -> dict[str, Any]:
    event = json.loads((ROOT / "events" / "get_interview.json").read_text())
    event["requestContext"]["http"].update(method=method, path=path)
    headers = {"content-type": "application/json", "accept": "application/json"}
    return {**event, "rawPath": path, "routeKey": "$default", "pathParameters": {}, "headers": headers,
            "body": body, "isBase64Encoded": False}


def _ask(*events: dict[str, Any]) -> list[dict[str, Any]]:
    return run_function("api", ASK, json.dumps(FIRM_MODULES), json.dumps(list(events)))


def test_a_candidates_requests_leave_the_firms_routes_unloaded_and_the_first_firm_request_includes_them():
    seen = _ask(_event("POST", "/interviews", "{}"), _event("GET", "/firm/me"), _event("GET", "/firm/me"))

    assert [(s["after"], s.get("status"), s["loaded"]) for s in seen] == [
        ("import", None, []),
        ("/interviews", 422, []),  # refused by its own validation: the firm's code not loaded for it
        ("/firm/me", 401, FIRM_MODULES),  # the firm's route, reached: not signed in
        ("/firm/me", 401, FIRM_MODULES),  # included once
    ]


def test_the_openapi_document_describes_the_firms_routes_when_it_is_the_first_request():
    (_, first) = _ask(_event("GET", "/openapi.json"))

    assert first["status"] == 200
    assert first["firm_paths"] == [
        "/firm/interviews", "/firm/interviews/{interview_id}", "/firm/interviews/{interview_id}/cancel",
        "/firm/interviews/{interview_id}/decision", "/firm/interviews/{interview_id}/follow-ups/{step}/done",
        "/firm/interviews:import", "/firm/me", "/firm/report",
    ]
