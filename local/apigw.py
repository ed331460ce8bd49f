"""Turn an HTTP request into an API Gateway HTTP API (payload 2.0) event, shaped like events/*.json."""

from __future__ import annotations

import base64
import copy
import json
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parent.parent / "events"


@cache
def _sample() -> dict[str, Any]:
    return json.loads((EVENTS / "submit_interview.json").read_text())


def http_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """An event as API Gateway sends it: lower-case headers, raw path and query, body text or base64."""
    event = copy.deepcopy(_sample())
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    lowered.setdefault("host", "127.0.0.1")
    if isinstance(body, str):
        body = body.encode()
    text_body: str | None = None
    encoded = False
    if body:
        try:
            text_body = body.decode("utf-8")
        except UnicodeDecodeError:
            text_body, encoded = base64.b64encode(body).decode(), True
        lowered["content-length"] = str(len(body))
    now = time.time()
    event.update(
        routeKey="$default",
        rawPath=path,
        rawQueryString=query,
        headers=lowered,
        body=text_body,
        isBase64Encoded=encoded,
    )
    if query:
        from urllib.parse import parse_qsl

        params: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value
        event["queryStringParameters"] = params
    context = event["requestContext"]
    context.update(
        requestId=uuid.uuid4().hex[:16],
        routeKey="$default",
        timeEpoch=int(now * 1000),
        time=time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        domainName=lowered["host"],
    )
    context["http"].update(method=method.upper(), path=path, sourceIp=source_ip,
                           userAgent=lowered.get("user-agent", ""))
    return event
