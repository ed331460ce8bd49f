"""A cold start of one function: a fresh interpreter imports its handler and serves one payload.

    python -P bench/child_handler.py <function> <event.json>

The environment carries the function's settings and the moto endpoint. Prints, as stderr's last line,
JSON with the time to import the handler, the time of the call, and what it answered.
"""

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from local import handlers  # noqa: E402


def main() -> None:
    function, event_path = sys.argv[1], sys.argv[2]
    handlers.handler(function)  # the Lambda init phase: functions/<function>/app.py at module level
    loaded = time.perf_counter()
    with open(event_path) as source:
        event = json.load(source)
    answer = handlers.invoke(function, event)
    done = time.perf_counter()
    if function == "api":
        outcome = {"status": answer["statusCode"], "id": json.loads(answer["body"]).get("id")}
    else:
        outcome = {"result": answer["result"], "channels": answer.get("channels", {})}
    print(json.dumps({"init": loaded - START, "call": done - loaded, **outcome}), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # answered: a Lambda sandbox is frozen here, it never pays the interpreter's teardown


main()
