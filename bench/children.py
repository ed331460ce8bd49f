"""Running a measured program in a child process of its own, with the environment Lambda's python runtime
gives a function (``bench/coldstart.py``, ``bench/overhead.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any


def run_child(args: list[str], env: dict[str, str], *, timeout: float = 120) -> tuple[float, dict[str, Any]]:
    """Run ``python -P <args>`` with ``env``; answers its wall time (spawn to exit) and the JSON it printed on
    stderr's last line. Its stdout (the handlers' logs and metrics, CloudWatch's on Lambda) goes nowhere."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, "-P", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{args} failed ({done.returncode}):\n" + "\n".join(lines[-30:]))
    return wall, json.loads(lines[-1])


def lambda_runtime(function: str) -> dict[str, str]:
    """The variables Lambda's python runtime always sets that change what the code does at init.

    With ``LAMBDA_TASK_ROOT`` the X-Ray SDK (imported by powertools' Tracer) takes its Lambda path, a local
    sampler; without it, it builds a centralized sampler that creates two botocore X-Ray clients at import,
    ~100 ms no deployed function pays.
    """
    from local import provision

    memory = provision.template().get("Globals", {}).get("Function", {}).get("MemorySize", 128)
    return {
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_LAMBDA_FUNCTION_NAME": f"interview-follow-up-{function}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",  # a plain cold start (SnapStart's init says snap-start)
    }


def child_environment(env: dict[str, str], function: str) -> dict[str, str]:
    """A clean environment for a child: PATH and locale from ours, then the function's own, as on Lambda."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    }
    return {**keep, **env, **lambda_runtime(function)}
