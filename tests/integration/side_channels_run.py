"""Run by tests/integration/test_side_channels.py in a process of its own: one interview's whole life (and an
unsubscribe, and a refused submission) with the X-Ray SDK tracing every handler, method and AWS call.

Logs and metrics (EMF) go to this process's stdout, as in Lambda; the trace segments, serialized as X-Ray
would send them, go to ``<out>/segments.json``; the personal data and every token the run handled go to
``<out>/secrets.json``, for the test to look for. A process of its own: patching botocore for X-Ray lasts
for the life of a process.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from local import environment

environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})

from aws_xray_sdk.core import patch, xray_recorder  # noqa: E402

from followup.runtime import observability  # noqa: E402
from tests.integration.forms import sample_submission  # noqa: E402
from tests.integration.harness import (  # noqa: E402
    ApiResponse,
    Clock,
    call_api,
    emails,
    provisioned_account,
    run_lifecycle,
    runner,
    sms,
    submit_confirmed,
)


class MemoryEmitter:
    """Keeps each segment and streamed subsegment as the daemon would receive it."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_entity(self, entity: Any) -> None:
        self.sent.append(entity.serialize())

    def set_daemon_address(self, address: str | None) -> None: ...

    @property
    def ip(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return 2000


def main(out: Path) -> None:
    emitter = MemoryEmitter()
    xray_recorder.configure(emitter=emitter, sampling=False, context_missing="IGNORE_ERROR", service="followup")
    patch(["botocore"])  # a subsegment per AWS call, as the SDK layer's auto-patching gives
    # The service's own Tracer, as deployed with XRaySdk=on: the SDK's recorder is its provider.
    observability.tracer.provider = xray_recorder
    observability.tracer.disabled = False

    tokens: set[str] = set()

    def api(*args: Any, **kwargs: Any) -> ApiResponse:
        answer = call_api(*args, **kwargs)
        tokens.update(re.findall(r"[0-9a-f]{12}\.[\w-]{16,}", answer.text))
        return answer

    clock = Clock()
    with provisioned_account(clock) as resources:
        xray_recorder.begin_segment("lifecycle")
        run_lifecycle(runner(resources, set_time=clock.set), clock, api=api)
        # A second interview, unsubscribed; and a refused submission carrying personal data.
        created = submit_confirmed(sample_submission(), api=api)
        api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}")
        api("POST", "/interviews", body={**sample_submission(), "company": "see evil.example/login"})
        xray_recorder.end_segment()
        sent = [m.as_string() for m in emails()] + [text for _, text in sms()]
        tokens.update(t for message in sent for t in re.findall(r"token=([0-9a-f]{12}\.[\w-]{16,})", message))
    candidate = sample_submission()["candidate"]
    secrets = {"name": candidate["name"], "email": candidate["email"], "phone": candidate["phone"],
               "tokens": sorted(tokens), "messages_sent": len(sent)}
    (out / "segments.json").write_text(json.dumps(emitter.sent))
    (out / "secrets.json").write_text(json.dumps(secrets))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
