"""A Lambda's cold start without the cyclic garbage collector: its import and its first invocation.

A cold start creates ~130,000-150,000 objects that live as long as the sandbox: boto3's service models,
pydantic's schemas, powertools' routes, Babel's locale data. CPython's collector is triggered by the
allocations themselves and walks the growing heap again and again while they pile up; nearly all of it
survives (under a thousand objects of a cold start are cyclic garbage). `make bench` measures what that
walking costs a cold start (bench/results.md).

``functions/<name>/app.py`` calls :func:`pause_collector` before anything else and wraps its handler in
:func:`resumes_collector`. At the end of the first invocation, whatever it returned or raised, everything
alive is moved to the collector's permanent generation (``gc.freeze``), so later collections skip the
long-lived heap, and the collector runs again as usual. The few cyclic objects of the cold start itself
stay frozen with the rest: a few hundred KiB, once per sandbox.

Only inside a Lambda sandbox (``LAMBDA_TASK_ROOT`` is set): the tests, the local stack and anything else
that imports a handler keep the collector as it is. :func:`snapshotting` tells a SnapStart init apart.

Imports nothing but the standard library: it runs before the handler's imports.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar

Handler = TypeVar("Handler", bound=Callable[..., Any])

_paused = False


def in_lambda() -> bool:
    """Whether this process is a Lambda sandbox: the runtime always sets ``LAMBDA_TASK_ROOT``."""
    return bool(os.environ.get("LAMBDA_TASK_ROOT"))


def snapshotting() -> bool:
    """Whether this init is the one SnapStart snapshots: Lambda's runtime sets ``AWS_LAMBDA_INITIALIZATION_TYPE``
    to ``snap-start`` then (``on-demand`` in a plain cold start). What a first request would load lazily is
    better loaded now, into the snapshot (``followup.runtime.snapshot``)."""
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


def pause_collector() -> bool:
    """In a Lambda sandbox, the collector off until the first invocation ends; whether it was paused."""
    global _paused
    if in_lambda() and gc.isenabled():
        gc.disable()
        _paused = True
    return _paused


def resume_collector() -> None:
    """The heap so far frozen (skipped by later collections) and the collector on again, if it was paused."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def resumes_collector(handler: Handler) -> Handler:
    """``handler`` that resumes the collector when its first invocation ends, however it ends."""

    @functools.wraps(handler)
    def resuming(event: Any, context: Any) -> Any:
        try:
            return handler(event, context)
        finally:
            resume_collector()

    return resuming  # type: ignore[return-value]
