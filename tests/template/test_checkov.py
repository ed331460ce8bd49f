"""checkov on template.yaml: every function's concurrency is capped (CKV_AWS_115), and each finding we accept
is skipped in the template with its reason (``# checkov:skip=ID:reason``), so a new one fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = {"ApiFunction", "ThankYouNoteFunction", "CheckInFunction", "DecisionThankYouFunction",
             "FeedbackFunction"}


@pytest.fixture(scope="module")
def report() -> dict:
    # BC_SKIP_MAPPING: no download of Prisma Cloud's guideline mappings (no network but the registries).
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    done = subprocess.run(  # noqa: S603 - checkov from this venv
        [sys.executable, "-m", "checkov.main", "-f", "template.yaml", "--framework", "cloudformation", "-o", "json",
         "--compact"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout)["results"]


def resources_of(checks: list[dict], check_id: str) -> set[str]:
    return {c["resource"].rsplit(".", 1)[-1] for c in checks if c["check_id"] == check_id}


def test_every_function_has_reserved_concurrency_as_checkov_sees_it(report):
    assert resources_of(report["failed_checks"], "CKV_AWS_115") == set()
    assert resources_of(report["passed_checks"], "CKV_AWS_115") == FUNCTIONS


def test_every_other_finding_is_skipped_in_the_template_with_a_reason(report):
    failed = sorted(f"{c['check_id']} {c['resource']}" for c in report["failed_checks"])
    assert failed == []
    assert all(c["check_result"].get("suppress_comment", "").strip() for c in report["skipped_checks"])
