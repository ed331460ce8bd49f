"""The floor of a cold start: a fresh interpreter imports boto3 and makes the same AWS calls directly.

    python -P bench/child_floor.py <calls.json> [--collector-paused]

``calls.json`` lists ``{service, method, params}`` as the handler made them (bytes as base64). Prints, as
stderr's last line, JSON with the time to import boto3 and the time of the calls. With
``--collector-paused`` the garbage collector is off from the first line, as the product's functions pause
it for their cold start (followup/runtime/coldstart.py): the floor that isolates the product's own code.
"""

import time

START = time.perf_counter()

import gc  # noqa: E402
import sys  # noqa: E402

if "--collector-paused" in sys.argv[2:]:
    gc.disable()

import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

import boto3  # noqa: E402


def decode(value):
    if isinstance(value, dict):
        if set(value) == {"__bytes__"}:
            return base64.b64decode(value["__bytes__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def main() -> None:
    loaded = time.perf_counter()
    with open(sys.argv[1]) as source:
        calls = decode(json.load(source))
    clients = {}
    for call in calls:
        if call["service"] not in clients:
            clients[call["service"]] = boto3.client(call["service"])
        getattr(clients[call["service"]], call["method"])(**call["params"])
    done = time.perf_counter()
    print(json.dumps({"init": loaded - START, "call": done - loaded, "calls": len(calls)}), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # answered: a Lambda sandbox is frozen here, it never pays the interpreter's teardown


main()
