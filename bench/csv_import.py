"""The firm's CSV import on the local stack: how long a file of 100 and of 500 rows takes, request by request.

The stack runs in a subprocess (``local.client.spawn``: moto, the real API handler behind its web server), a
seeded recruiter signs in, and each file (new addresses every time) is sent as the firm's page sends it: again
while the answer is ``202`` (partial), until ``200``. Per size: the whole file's wall time and each request's
(p50 and max; the HTTP API gives up on a request at 30 s), how many requests it took, and the same file sent
once more (answered from its record, creating nothing).

    python -m bench.csv_import [--files 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

SIZES = (100, 500)
HEADER = "candidate_name,email,time_zone,channels,company,role,interviewer_name,interview_at"


def csv_of(rows: int, tag: str, day: str) -> bytes:
    lines = [HEADER] + [f"Cand {n},c{tag}-{n}@example.com,America/New_York,email,Initech,Analyst,Dana Whitfield,{day}"
                        for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def measure(files: int) -> dict[str, Any]:
    from datetime import datetime

    from local.client import request, sign_in, spawn

    result: dict[str, Any] = {}
    with spawn(settings={"CONFIRMATIONS_PER_DAY_PER_DESTINATION": "1000"}) as base:
        token = sign_in(base, "recruiter@example.com", "Recruiter-local-1")["IdToken"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
        now = datetime.fromisoformat(request("GET", f"{base}/_local/clock").json()["now"])
        day = (now - timedelta(days=1)).strftime("%Y-%m-%dT10:00:00")
        for size in SIZES:
            totals, requests, parts, again = [], [], [], []
            for n in range(files):
                body = csv_of(size, f"{size}-{n}", day)
                started, answer, count = time.perf_counter(), None, 0
                while answer is None or answer.status == 202:
                    sent = time.perf_counter()
                    answer = request("POST", f"{base}/firm/interviews:import", body=body, headers=headers, timeout=120)
                    requests.append(time.perf_counter() - sent)
                    count += 1
                totals.append(time.perf_counter() - started)
                parts.append(count)
                if answer.status != 200 or answer.json()["created"] != size:
                    raise RuntimeError(f"import of {size} rows: {answer.status} {answer.text[:300]}")
                sent = time.perf_counter()
                repeat = request("POST", f"{base}/firm/interviews:import", body=body, headers=headers, timeout=120)
                again.append(time.perf_counter() - sent)
                if repeat.status != 200 or repeat.json() != answer.json():
                    raise RuntimeError("the same file again did not get the first answer")
                print(f"[csv_import] {size} rows: {totals[-1]:.1f} s in {count} requests", file=sys.stderr, flush=True)
            result[str(size)] = {
                "files": files,
                "file_p50_s": statistics.median(totals), "file_max_s": max(totals),
                "request_p50_s": statistics.median(requests), "request_max_s": max(requests),
                "requests_per_file_max": max(parts),
                "again_max_s": max(again),
            }
    return result


def render(result: dict[str, Any]) -> str:
    lines = ["| rows | files | whole file p50 / max | one request p50 / max | requests a file (max) "
             "| the same file again (max) |", "|---:|---:|---:|---:|---:|---:|"]
    for size, r in result.items():
        lines.append(f"| {size} | {r['files']} | {r['file_p50_s']:.1f} / {r['file_max_s']:.1f} s "
                     f"| {r['request_p50_s']:.1f} / {r['request_max_s']:.1f} s | {r['requests_per_file_max']} "
                     f"| {r['again_max_s']:.2f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    result = measure(args.files)
    print(render(result))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
