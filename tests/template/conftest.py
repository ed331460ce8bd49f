"""Fixtures and helpers for reading template.yaml the way CloudFormation and SAM will.

`template` is the template as written (intrinsics decoded by cfn-lint: `!Ref X` reads as
`{"Ref": "X"}`, `!GetAtt X.Arn` as `{"Fn::GetAtt": ["X", "Arn"]}`); `transformed_template` is what
the SAM transform makes of it, offline. `function_policy_actions(template, logical_id)` and
`function_environment(template, logical_id)` are helpers, offered as fixtures that return the
function (ask for the fixture instead of importing conftest).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as plain dicts, lists and strings (no cfn-lint node types)."""
    return json.loads(json.dumps(cfn_yaml.load(str(path))))


def function_policy_statements(template: dict[str, Any], logical_id: str) -> list[dict[str, Any]]:
    """The Allow statements of a function's inline `Policies` (SAM's own additions not included)."""
    properties = template["Resources"][logical_id]["Properties"]
    statements: list[dict[str, Any]] = []
    for policy in properties.get("Policies", []):
        if not (isinstance(policy, dict) and "Statement" in policy):
            raise ValueError(
                f"{logical_id}: only inline policy documents are understood here, not {policy!r}"
            )
        for statement in _as_list(policy["Statement"]):
            if statement.get("Effect") == "Allow":
                statements.append(statement)
    return statements


def function_policy_actions(template: dict[str, Any], logical_id: str) -> set[str]:
    """The IAM actions a function's own `Policies` allow, e.g. {"dynamodb:GetItem", ...}."""
    return {
        action
        for statement in function_policy_statements(template, logical_id)
        for action in _as_list(statement["Action"])
    }


def function_environment(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """A function's environment variables as deployed: Globals merged with its own (its own win)."""
    global_vars = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    own_vars = template["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {})
    return {**global_vars, **own_vars}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _with_remote_code(template: dict[str, Any]) -> dict[str, Any]:
    """The template as `sam package` leaves it: every local code path replaced by an S3 URI."""
    packaged = copy.deepcopy(template)
    for logical_id, resource in packaged["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = f"s3://artifacts-bucket/{logical_id}.zip"
    return packaged


class _NoManagedPolicies:
    """Stands in for the loader that would list AWS managed policies through IAM (no network)."""

    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def transformed_template() -> Iterator[dict[str, Any]]:
    from samtranslator.translator.transform import transform

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield transform(_with_remote_code(load_template()), {}, _NoManagedPolicies())


@pytest.fixture(name="function_policy_actions")
def function_policy_actions_fixture() -> Callable[[dict[str, Any], str], set[str]]:
    return function_policy_actions


@pytest.fixture(name="function_environment")
def function_environment_fixture() -> Callable[[dict[str, Any], str], dict[str, Any]]:
    return function_environment
