"""For the demo, the tests and the bench: a small HTTP client, and the local stack run in a subprocess."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from local.provision import ROOT

# The line `python -m local.server` prints once it serves (local/server.py).
READY_LINE = re.compile(r"local stack on (http://\S+?)/?$")


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def request(method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> HttpAnswer:
    """One HTTP request; a JSON body is encoded; 4xx and 5xx answers are returned, not raised."""
    sent = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            return HttpAnswer(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def sign_in(base_url: str, email: str, password: str) -> dict[str, Any]:
    """Sign in on a local stack as the firm's page does (InitiateAuth at its /_local/cognito-idp); Cognito's
    ``AuthenticationResult`` (``IdToken`` for ``Authorization: Bearer``). A refusal raises with its answer."""
    details = request("GET", f"{base_url}/_local/sign-in").json()
    answer = request("POST", details["endpoint"], body=json.dumps({
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": details["client_id"],
        "AuthParameters": {"USERNAME": email, "PASSWORD": password},
    }).encode(), headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                          "Content-Type": "application/x-amz-json-1.1"})
    result = answer.json().get("AuthenticationResult") if answer.status == 200 else None
    if result is None:
        raise RuntimeError(f"sign-in as {email} answered {answer.status}: {answer.text}")
    return result


@contextmanager
def spawn(*, start: datetime | None = None, firm_name: str | None = None, settings: dict[str, str] | None = None,
          timeout: float = 60) -> Iterator[str]:
    """Run ``python -m local.server`` on a free port in a subprocess; yields its base URL, stops it after.
    ``settings``: variables that override their template parameters (``{"SUBMISSIONS_PER_HOUR_PER_CLIENT": "1000"}``)."""
    command = [sys.executable, "-m", "local.server", "--port", "0", "--quiet"]
    if start is not None:
        command += ["--start", start.isoformat()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL") and k != "PORT"}
    if firm_name is not None:
        env["FIRM_NAME"] = firm_name
    env.update(settings or {})
    process = subprocess.Popen(  # noqa: S603 - our own module, no shell
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def drain() -> None:  # keep reading, or a full pipe would block the server
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        url = None
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise RuntimeError("the local stack did not start:\n" + "".join(seen))
            seen.append(line)
            found = READY_LINE.search(line.strip())
            url = found.group(1) if found else None
        yield url.rstrip("/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
