"""What the tests of template.yaml share (test_template*.py): the functions, the routes, and helpers that read
references, cycles, environment reads and policy statements."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from followup.domain.models import STEPS, function_logical_id

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
CONFIG_MODULE = ROOT / "shared" / "followup" / "runtime" / "config.py"
# Runs before any other import of a function (config included) to pause the garbage collector,
# and may read two variables, which Lambda's runtime sets and no template does.
COLDSTART_MODULE = ROOT / "shared" / "followup" / "runtime" / "coldstart.py"
COLDSTART_READS = {"LAMBDA_TASK_ROOT", "AWS_LAMBDA_INITIALIZATION_TYPE"}

API_FUNCTION = "ApiFunction"
STEP_FUNCTIONS = tuple(function_logical_id(step) for step in STEPS)
FEEDBACK_FUNCTION = "FeedbackFunction"  # SES's events through an EventBridge rule, texts and SMS receipts
FEEDBACK_RULE = f"{FEEDBACK_FUNCTION}SesEvents"  # the AWS::Events::Rule SAM makes of its event (<function><event>)
ALIAS = "live"  # template Globals AutoPublishAlias: what the HTTP API, the schedules and the rule invoke
FUNCTIONS = (API_FUNCTION, *STEP_FUNCTIONS, FEEDBACK_FUNCTION)
# every function that sends email (the confirmations, the nudges, a candidate's text forwarded to their recruiter)
EMAIL_SENDERS = (API_FUNCTION, *STEP_FUNCTIONS, FEEDBACK_FUNCTION)
ASYNC_FUNCTIONS = (*STEP_FUNCTIONS, FEEDBACK_FUNCTION)  # invoked asynchronously: Lambda retries, then dead-letters
DLQ = "FollowUpDeadLetterQueue"
TABLE = "InterviewsTable"
CONFIGURATION_SET = "EmailConfigurationSet"

ROUTES = {
    "POST /interviews",
    "GET /interviews/{id}",
    "PATCH /interviews/{id}",
    "DELETE /interviews/{id}",
    "POST /interviews/{id}/confirm",
    "POST /interviews/{id}/confirmations",
    "POST /interviews/{id}/decision",
    "PUT /interviews/{id}/decision",
    "POST /interviews/{id}/follow-ups/{step}/done",
    "GET /interviews/{id}/check-in.ics",
    "GET /unsubscribe",
    "POST /unsubscribe",
    "GET /openapi.json",
    "GET /",
    "GET /manage/{id}",
    "GET /static/{name}",
    "GET /firm/",
    "GET /firm",
    # the firm's JSON API (functions/api/firm.py), each behind the JWT authorizer
    "GET /firm/me",
    "GET /firm/interviews",
    "POST /firm/interviews",
    "POST /firm/interviews:import",
    "GET /firm/interviews/{id}",
    "POST /firm/interviews/{id}/decision",
    "PUT /firm/interviews/{id}/decision",
    "POST /firm/interviews/{id}/follow-ups/{step}/done",
    "POST /firm/interviews/{id}/cancel",
    "GET /firm/report",  # functions/api/report.py, the firm's admins only
}
# The firm's JSON routes: behind the JWT authorizer. The firm's page itself (/firm/, HTML holding no data) is not.
FIRM_ROUTES = {route for route in ROUTES if route.split(" ", 1)[1].startswith("/firm/")
               and route.split(" ", 1)[1] not in ("/firm/", "/firm")}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method"}


# ------------------------------------------------------------ helpers


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def referenced_resources(node: Any) -> set[str]:
    """Every logical id a piece of template refers to through Ref, Fn::GetAtt or Fn::Sub."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text, variables = (value[0], value[1]) if isinstance(value, list) else (value, {})
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text)} - set(variables)
                found |= referenced_resources(variables)
            else:
                found |= referenced_resources(value)
    elif isinstance(node, list):
        for item in node:
            found |= referenced_resources(item)
    return found


def dependency_cycle(resources: dict[str, dict[str, Any]]) -> list[str]:
    """One cycle in the resources' dependency graph (Ref, GetAtt, Sub, DependsOn), or []."""
    edges = {
        name: sorted(
            (
                referenced_resources(resource.get("Properties", {}))
                | set(as_list(resource.get("DependsOn", [])))
            )
            & resources.keys()
        )
        for name, resource in resources.items()
    }
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in edges[node]:
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = "done"
        return []

    for start in sorted(resources):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def environment_reads(source: str) -> list[tuple[int, str]]:
    """(line, variable name) of every os.environ[...], os.environ.get(...) and os.getenv(...)."""
    tree = ast.parse(source)
    os_aliases, environ_aliases, getenv_aliases = {"os"}, set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "os"}
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            environ_aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "environ"}
            getenv_aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "getenv"}

    def is_os_attribute(node: ast.AST, attribute: str, aliases: set[str]) -> bool:
        if isinstance(node, ast.Name):
            return node.id in aliases
        return (
            isinstance(node, ast.Attribute)
            and node.attr == attribute
            and isinstance(node.value, ast.Name)
            and node.value.id in os_aliases
        )

    def name_of(node: ast.AST | None) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return "<computed name>"

    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_os_attribute(node.value, "environ", environ_aliases):
            reads.append((node.lineno, name_of(node.slice)))
        elif isinstance(node, ast.Call):
            function = node.func
            first_argument = node.args[0] if node.args else None
            if (
                isinstance(function, ast.Attribute)
                and function.attr == "get"
                and is_os_attribute(function.value, "environ", environ_aliases)
            ) or is_os_attribute(function, "getenv", getenv_aliases):
                reads.append((node.lineno, name_of(first_argument)))
    return reads


def python_sources() -> list[Path]:
    return sorted(
        path
        for folder in (ROOT / "shared", ROOT / "functions")
        for path in folder.rglob("*.py")
        if "__pycache__" not in path.parts
    )


def defines_top_level(source: str, name: str) -> bool:
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return True
    return False


def allow_statements(policy_documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        statement
        for document in policy_documents
        for statement in as_list(document["Statement"])
        if statement["Effect"] == "Allow"
    ]


def statements_granting(template: dict[str, Any], logical_id: str, action: str) -> list[dict[str, Any]]:
    policies = template["Resources"][logical_id]["Properties"]["Policies"]
    return [s for s in allow_statements(policies) if action in as_list(s["Action"])]


