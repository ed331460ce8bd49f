"""Every function runs its cold start without the garbage collector, in a Lambda sandbox only
(followup.runtime.coldstart)."""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest

from followup.domain.models import STEPS
from tests.unit.function_child import LOAD_APP, ROOT, run_function

FUNCTIONS = ("api", *STEPS)

# Loads functions/<name>/app.py as Lambda does and invokes it twice with an event it answers without AWS (a
# step refuses an event that names no interview, the api has no such route), noting the collector each time.
LOAD_AND_INVOKE = """
import gc, json
from local.handlers import LambdaContext
seen = {"enabled_before_load": gc.isenabled()}
""" + LOAD_APP + """
seen["enabled_after_load"] = gc.isenabled()
event = json.loads(sys.argv[2])
for invocation in ("first", "second"):
    try:
        answer = module.lambda_handler(event, LambdaContext(function_name=sys.argv[3]))
        seen[f"{invocation}_answer"] = answer.get("statusCode") or answer.get("result")
    except Exception as failure:
        seen[f"{invocation}_answer"] = type(failure).__name__
    seen[f"enabled_after_{invocation}"] = gc.isenabled()
    seen[f"frozen_after_{invocation}"] = gc.get_freeze_count()
print(json.dumps(seen))
"""


def _event(function: str) -> dict[str, Any]:
    if function != "api":
        return {"step": function}
    event = json.loads((ROOT / "events" / "get_interview.json").read_text())
    return {**event, "rawPath": "/nowhere", "routeKey": "$default", "pathParameters": {}}


def _run(function: str, *, in_lambda: bool) -> dict[str, Any]:
    # With settings a step accepts (function_child.SETTINGS), so that it gets as far as the event (and refuses it).
    return run_function(function, LOAD_AND_INVOKE, json.dumps(_event(function)), function, in_lambda=in_lambda)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_in_a_sandbox_the_collector_is_off_from_import_to_the_end_of_the_first_invocation(function):
    seen = _run(function, in_lambda=True)

    assert seen["enabled_before_load"] and not seen["enabled_after_load"]
    # The first invocation ended however it ended (a refused event here), and the collector is back, with
    # the cold start's heap frozen out of its way; the second invocation changes nothing.
    assert seen["first_answer"] == seen["second_answer"] == (404 if function == "api" else "InvalidPayload")
    assert seen["enabled_after_first"] and seen["enabled_after_second"]
    assert seen["frozen_after_first"] > 10_000
    assert seen["frozen_after_second"] <= seen["frozen_after_first"]  # not frozen again (frozen objects may die)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_outside_a_sandbox_the_collector_is_left_alone(function):
    seen = _run(function, in_lambda=False)

    assert seen["enabled_after_load"] and seen["enabled_after_first"]
    assert seen["frozen_after_first"] == 0


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_pauses_the_collector_before_any_import_but_the_pause_itself(function):
    tree = ast.parse((ROOT / "functions" / function / "app.py").read_text())
    pause = next(i for i, node in enumerate(tree.body)
                 if isinstance(node, ast.Expr) and ast.unparse(node) == "coldstart.pause_collector()")
    imported_before = [ast.unparse(node) for node in tree.body[:pause] if isinstance(node, ast.ImportFrom | ast.Import)]

    assert [line for line in imported_before if "followup" in line] == ["from followup.runtime import coldstart"]
