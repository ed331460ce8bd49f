"""The AWS calls of each kind of event the feedback function hears (SES's events, SNS's delivery receipts, the
candidate's replies), on an in-process moto: the calls that apply it (goal: at most 3, issue 21), the message it
sends, and its second delivery. ``tests/integration/test_hearing_calls.py`` asserts the same counts exactly.

    python -m bench.events [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

APPLY_GOAL = 3  # calls to apply one event (issue 21); tests/integration/hearing_calls.py holds the same


def measure() -> dict[str, dict[str, Any]]:
    from local import environment

    environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})
    from tests.integration.hearing_calls import measure as run

    return run()


def render(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"| event | calls to apply it (goal ≤ {APPLY_GOAL}) | message it sends | its second delivery | met? |",
        "|---|---|---|---|:---:|",
    ]
    for kind, r in results.items():
        met = "yes" if len(r["apply"]) <= APPLY_GOAL else "**no**"
        lines.append(f"| {kind} | {len(r['apply'])}: {', '.join(r['apply'])} | {', '.join(r['sends']) or '-'} "
                     f"| {len(r['again'])}: {', '.join(r['again'])} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.events", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    results = measure()
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
