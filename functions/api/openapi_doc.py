"""``GET /openapi.json``: the document of every route, the firm's included (app.py includes the firm's routers
before answering it)."""

from __future__ import annotations

import firm_paths
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from current import JSON

router = Router()
OPENAPI_PATH = "/openapi.json"  # the document of every route, the firm's included


@router.get(OPENAPI_PATH, include_in_schema=False)
def openapi() -> Response[str]:
    # Imported here: the OpenAPI models are ~80 pydantic classes that no other route needs (cold start).
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    schema = router.api_resolver.get_openapi_json_schema(
        title="Interview Follow-Up",
        version="1.0.0",
        description="Coaches a candidate through the follow-ups after a job interview.",
        security_schemes={"manage_token": HTTPBearer(bearerFormat="manage token"),
                          firm_paths.SCHEME: HTTPBearer(bearerFormat="JWT", description="a Cognito ID token of the firm's "
                                                  "user pool, verified by the HTTP API's JWT authorizer")},
    )
    return Response(status_code=200, content_type=JSON, body=schema)
