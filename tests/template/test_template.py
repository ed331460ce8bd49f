"""template.yaml: it lints, it transforms offline, and it agrees with the code beside it."""

from __future__ import annotations

import ast
import importlib
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import lint_file

from followup.models import STEPS, function_env_name, function_logical_id
from tests.conftest import load_event
from tests.integration.harness import call_api

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
CONFIG_MODULE = ROOT / "shared" / "followup" / "config.py"
# Runs before any other import of a function (config included) to pause the garbage collector,
# and may read two variables, which Lambda's runtime sets and no template does.
COLDSTART_MODULE = ROOT / "shared" / "followup" / "coldstart.py"
COLDSTART_READS = {"LAMBDA_TASK_ROOT", "AWS_LAMBDA_INITIALIZATION_TYPE"}

API_FUNCTION = "ApiFunction"
STEP_FUNCTIONS = tuple(function_logical_id(step) for step in STEPS)
ALIAS = "live"  # template Globals AutoPublishAlias: what the HTTP API and the schedules invoke
FUNCTIONS = (API_FUNCTION, *STEP_FUNCTIONS)
DLQ = "FollowUpDeadLetterQueue"
TABLE = "InterviewsTable"

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


# ------------------------------------------------------------ lint and transform


def test_cfn_lint_reports_no_errors():
    # Given the template as it will be deployed
    # When cfn-lint checks it (it runs the SAM transform itself)
    matches = lint_file(TEMPLATE_PATH)

    # Then it finds no errors (warnings and informational notes are allowed)
    errors = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_sam_transform_makes_four_functions_one_shared_layer_and_the_sdk_layer_only_on_request(transformed_template):
    # Given the template transformed offline
    # When its resources are counted by type
    functions = resources_of_type(transformed_template, "AWS::Lambda::Function")
    layers = resources_of_type(transformed_template, "AWS::Lambda::LayerVersion")

    # Then there is one function per handler, one shared layer always, and the X-Ray SDK's only with XRaySdk=on
    assert sorted(functions) == sorted(FUNCTIONS)
    conditions = sorted(str(layer.get("Condition")) for layer in layers.values())
    assert conditions == ["None", "XRaySdkOn"]


def test_sam_transform_gives_the_http_api_exactly_the_contract_routes(transformed_template):
    # Given the HTTP API the transform produced
    (api,) = resources_of_type(transformed_template, "AWS::ApiGatewayV2::Api").values()

    # When its route keys are read from its OpenAPI body
    route_keys = {
        f"{method.upper()} {path}"
        for path, operations in api["Properties"]["Body"]["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }

    # Then they are the routes of the API contract (README, openapi.json), no more and no fewer
    assert route_keys == ROUTES


def test_api_function_events_declare_the_same_routes_as_the_api_body(template):
    # Given the routes written in the HttpApi body and the ApiFunction events (SAM makes one invoke
    # permission per event)
    events = template["Resources"][API_FUNCTION]["Properties"]["Events"].values()
    body_paths = template["Resources"]["HttpApi"]["Properties"]["DefinitionBody"]["paths"]

    # When both are read as route keys
    event_routes = {f"{e['Properties']['Method'].upper()} {e['Properties']['Path']}" for e in events}
    body_routes = {
        f"{m.upper()} {path}" for path, ops in body_paths.items() for m in ops if m in HTTP_METHODS
    }

    # Then they agree, and every event is attached to the one HTTP API
    assert event_routes == body_routes == ROUTES
    assert {e["Type"] for e in events} == {"HttpApi"}
    assert all(e["Properties"]["ApiId"] == {"Ref": "HttpApi"} for e in events)


def test_every_firm_json_route_and_only_those_is_behind_the_jwt_authorizer(transformed_template):
    # Given the HTTP API the transform produced
    (api,) = resources_of_type(transformed_template, "AWS::ApiGatewayV2::Api").values()

    # When the routes whose operation requires the FirmAuthorizer are read
    guarded = {
        f"{method.upper()} {path}"
        for path, operations in api["Properties"]["Body"]["paths"].items()
        for method, operation in operations.items()
        if method in HTTP_METHODS and {"FirmAuthorizer": []} in operation.get("security", [])
    }

    # Then they are the firm's JSON routes (functions/api/firm.py), and the candidate's routes are not
    assert len(FIRM_ROUTES) >= 9
    assert guarded == FIRM_ROUTES


def test_the_table_has_the_two_indexes_the_firms_list_queries_and_the_reports(template):
    # Given the table's indexes and what followup.listing and the report's counters query
    from followup import listing
    from followup.adapters import counters

    indexes = {i["IndexName"]: i for i in template["Resources"][TABLE]["Properties"]["GlobalSecondaryIndexes"]}
    report = indexes.pop(counters.INDEX)

    # Then each list index is partitioned by its key and sorted by the moment of enrolment, with every attribute
    assert {name: [k["AttributeName"] for k in i["KeySchema"]] for name, i in indexes.items()} == {
        listing.BY_RECRUITER: [listing.RECRUITER_KEY, listing.CREATED_KEY],
        listing.BY_FIRM: [listing.FIRM_KEY, listing.CREATED_KEY],
    }
    # and the report's by month, sorted by day and metric, with the count alone
    assert [k["AttributeName"] for k in report["KeySchema"]] == ["count_month", "count_key"]
    assert report["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}
    assert {i["Projection"]["ProjectionType"] for i in indexes.values()} == {"ALL"}


def test_every_api_route_may_invoke_the_api_function(transformed_template):
    # Given the Lambda permissions the transform made for ApiFunction's events
    permissions = resources_of_type(transformed_template, "AWS::Lambda::Permission").values()

    # When each permission's source ARN is reduced to "METHOD /path"
    allowed = {
        re.sub(r"^.*\$\{__Stage__\}/([A-Z]+)(/.*)$", r"\1 \2", p["Properties"]["SourceArn"]["Fn::Sub"][0])
        for p in permissions
        if p["Properties"]["FunctionName"] == {"Ref": f"{API_FUNCTION}Alias{ALIAS}"}
    }

    # Then each contract route (path parameters as wildcards, SAM's ARNs drop a trailing slash) has its permission,
    # on the "live" alias
    assert allowed == {re.sub(r"(?<=[^ ])/$", "", re.sub(r"\{[^}]+\}", "*", route)) for route in ROUTES}


def test_api_integrations_name_the_api_function_by_its_fixed_name(transformed_template):
    # Given the integrations of every route and the ApiFunction's declared name
    (api,) = resources_of_type(transformed_template, "AWS::ApiGatewayV2::Api").values()
    uris = {
        operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
        for operations in api["Properties"]["Body"]["paths"].values()
        for method, operation in operations.items()
        if method in HTTP_METHODS
    }
    function_name = transformed_template["Resources"][API_FUNCTION]["Properties"]["FunctionName"]["Fn::Sub"]

    # When the function name is read out of the one integration URI
    (uri,) = uris
    named = re.fullmatch(r"arn:.*:lambda:path/2015-03-31/functions/arn:.*:function:(.+):([^:/]+)/invocations", uri)

    # Then it is the ApiFunction's name, qualified by the alias every deploy publishes
    assert named is not None
    assert named.group(1) == function_name
    assert named.group(2) == ALIAS


def test_snapstart_is_off_by_default_and_on_with_its_parameter(transformed_template):
    # Given the functions as the transform wrote them, and the condition the SnapStart parameter sets
    functions = resources_of_type(transformed_template, "AWS::Lambda::Function")
    condition = transformed_template["Conditions"]["SnapStartOn"]

    # Then every function publishes versions behind the alias, and SnapStart follows the parameter
    assert condition == {"Fn::Equals": [{"Ref": "SnapStart"}, "on"]}
    assert transformed_template["Parameters"]["SnapStart"]["Default"] == "off"
    for logical_id, function in functions.items():
        assert function["Properties"]["SnapStart"] == {"ApplyOn": {"Fn::If": ["SnapStartOn", "PublishedVersions", "None"]}}
        aliases = [a for a in resources_of_type(transformed_template, "AWS::Lambda::Alias").values()
                   if a["Properties"]["FunctionName"] == {"Ref": logical_id}]
        assert [a["Properties"]["Name"] for a in aliases] == [ALIAS]


def test_schedules_target_the_step_functions_alias(template, function_environment):
    # Given the ARNs the API hands to EventBridge Scheduler as targets
    env = function_environment(template, API_FUNCTION)

    # Then each is the step function's ARN qualified by the alias (SnapStart runs only on published versions)
    for step in STEPS:
        assert env[function_env_name(step)] == {"Fn::Sub": f"${{{function_logical_id(step)}.Arn}}:{ALIAS}"}


def test_transformed_template_has_no_dependency_cycle(transformed_template):
    # Given every resource of the transformed template (cfn-lint skips cycles through SAM resources)
    # When its Ref / GetAtt / Sub / DependsOn graph is searched for a cycle
    cycle = dependency_cycle(transformed_template["Resources"])

    # Then there is none (CloudFormation would refuse the change set)
    assert cycle == []


def test_dependency_cycle_finds_a_cycle_through_a_sub():
    # Given two resources that refer to each other, one through a Fn::Sub
    resources = {
        "Api": {"Properties": {"Uri": {"Fn::Sub": "arn:${Fn.Arn}/invocations"}}},
        "Fn": {"Properties": {"Url": {"Fn::Sub": "https://${Api}.example"}}},
    }

    # When a cycle is looked for
    cycle = dependency_cycle(resources)

    # Then the loop is reported
    assert cycle == ["Api", "Fn", "Api"]


# ------------------------------------------------------------ code agrees with template


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_function_handler_is_defined_in_its_code(template, logical_id):
    # Given a function's CodeUri and Handler ("module.function")
    properties = template["Resources"][logical_id]["Properties"]
    module, function = properties["Handler"].rsplit(".", 1)
    source = ROOT / properties["CodeUri"] / f"{module.replace('.', '/')}.py"

    # When the handler module is parsed (not imported)
    assert source.is_file(), f"{logical_id}: {source.relative_to(ROOT)} does not exist"
    defined = defines_top_level(source.read_text(encoding="utf-8"), function)

    # Then it defines the handler at module level
    assert defined, f"{source.relative_to(ROOT)} defines no top-level {function}"


def test_globals_set_every_variable_every_function_reads(template):
    # Given the names the config module says every function reads
    config = importlib.import_module("followup.config")

    # When they are compared with the Globals environment
    global_vars = template["Globals"]["Function"]["Environment"]["Variables"]
    missing = sorted(set(config.COMMON_ENV) - set(global_vars))

    # Then none is missing
    assert missing == []


def test_api_function_sets_every_variable_the_api_reads(template, function_environment):
    # Given the names the config module says the API reads beyond the common ones
    config = importlib.import_module("followup.config")

    # When they are compared with the ApiFunction's environment (Globals merged in)
    missing = sorted(set(config.API_ENV) - set(function_environment(template, API_FUNCTION)))

    # Then none is missing
    assert missing == []


def test_only_the_config_module_reads_the_environment():
    # Given every Python file of the layer and the functions except followup/config.py
    sources = [path for path in python_sources() if path != CONFIG_MODULE]
    assert COLDSTART_MODULE in sources

    # When they are searched for reads of the environment
    reads = [
        f"{path.relative_to(ROOT)}:{line} reads {name}"
        for path in sources
        for line, name in environment_reads(path.read_text(encoding="utf-8"))
        if not (path == COLDSTART_MODULE and name in COLDSTART_READS)
    ]

    # Then there are none: config.py is the one place that reads the environment (but for the runtime's
    # LAMBDA_TASK_ROOT in coldstart.py, which must not import config)
    assert reads == []


def test_environment_reads_finds_each_way_of_reading_a_variable():
    # Given code that reads the environment in each way the rule forbids
    source = (
        "import os\n"
        "from os import environ, getenv as ge\n"
        "a = os.environ['TABLE_NAME']\n"
        "b = os.environ.get('FIRM_NAME', 'x')\n"
        "c = os.getenv('NUDGE_HOUR')\n"
        "d = environ.get('SENDER_EMAIL')\n"
        "e = ge('DEFAULT_TIME_ZONE')\n"
        "f = os.environ[name]\n"
        "g = {}.get('NOT_THE_ENVIRONMENT')\n"
    )

    # When it is scanned
    reads = environment_reads(source)

    # Then every read is found, with its line, and the plain dict lookup is not
    assert reads == [
        (3, "TABLE_NAME"),
        (4, "FIRM_NAME"),
        (5, "NUDGE_HOUR"),
        (6, "SENDER_EMAIL"),
        (7, "DEFAULT_TIME_ZONE"),
        (8, "<computed name>"),
    ]


@pytest.mark.parametrize("logical_id", STEP_FUNCTIONS)
def test_delivery_attempts_match_the_lambda_async_retries(template, function_environment, logical_id):
    # Given a step function's async retry setting and the attempts the code counts on
    retries = template["Resources"][logical_id]["Properties"]["EventInvokeConfig"]["MaximumRetryAttempts"]
    attempts = function_environment(template, logical_id)["MAX_DELIVERY_ATTEMPTS"]

    # When they are compared
    # Then one first attempt plus the retries is exactly the attempts the code expects
    assert int(attempts) == 1 + retries == 3


# ------------------------------------------------------------ least privilege


def test_scheduler_role_may_invoke_only_the_three_step_functions(template):
    # Given the scheduler role's statements that allow invoking Lambda
    role = template["Resources"]["SchedulerRole"]["Properties"]
    documents = [policy["PolicyDocument"] for policy in role["Policies"]]
    invoke = [s for s in allow_statements(documents) if "lambda:InvokeFunction" in as_list(s["Action"])]

    # When their resources are read
    resources = [resource for statement in invoke for resource in as_list(statement["Resource"])]

    # Then they are the three step functions and their qualified forms, and nothing else
    assert sorted(map(repr, resources)) == sorted(
        repr(resource)
        for fn in STEP_FUNCTIONS
        for resource in ({"Fn::GetAtt": [fn, "Arn"]}, {"Fn::Sub": f"${{{fn}.Arn}}:*"})
    )


def test_scheduler_role_allows_nothing_but_invoking_steps_and_dead_lettering(template):
    # Given every statement of the scheduler role
    role = template["Resources"]["SchedulerRole"]["Properties"]
    statements = allow_statements([policy["PolicyDocument"] for policy in role["Policies"]])

    # When the actions and the dead-letter target are read
    actions = {action for statement in statements for action in as_list(statement["Action"])}
    (send,) = [s for s in statements if "sqs:SendMessage" in as_list(s["Action"])]

    # Then it may invoke and send to the dead-letter queue only, and no statement allows everything
    assert actions == {"lambda:InvokeFunction", "sqs:SendMessage"}
    assert send["Resource"] == {"Fn::GetAtt": [DLQ, "Arn"]}
    assert all("*" not in as_list(statement["Resource"]) for statement in statements)


def test_scheduler_role_trusts_only_the_scheduler_of_this_account(template):
    # Given the scheduler role's trust policy
    trust = template["Resources"]["SchedulerRole"]["Properties"]["AssumeRolePolicyDocument"]

    # When its one statement is read
    (statement,) = trust["Statement"]

    # Then only EventBridge Scheduler, acting for this account, may assume it
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_api_function_manages_schedules_only_in_the_stacks_group(template):
    # Given the ApiFunction's statement that allows creating schedules
    (statement,) = statements_granting(template, API_FUNCTION, "scheduler:CreateSchedule")

    # When its resource is read
    # Then it covers the schedules of the stack's own group only
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:"
        "schedule/${FollowUpScheduleGroup}/*"
    }


def test_api_function_may_pass_the_scheduler_role_only_to_the_scheduler(template):
    # Given the ApiFunction's statement that allows passing a role
    (statement,) = statements_granting(template, API_FUNCTION, "iam:PassRole")

    # When its resource and condition are read
    # Then it passes the scheduler role, and only to EventBridge Scheduler
    assert statement["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}


@pytest.mark.parametrize("logical_id", STEP_FUNCTIONS)
def test_step_functions_send_email_only_from_the_firms_sender(template, logical_id):
    # Given a step function's statement that allows sending email
    (statement,) = statements_granting(template, logical_id, "ses:SendEmail")

    # When its resource and condition are read
    # Then it covers this account's SES identities, with the firm's sender as the From address
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
    }
    assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_table_access_is_limited_to_the_interviews_table(template, logical_id):
    # Given every statement of a function that allows a DynamoDB item action
    statements = [
        s
        for s in allow_statements(template["Resources"][logical_id]["Properties"]["Policies"])
        if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
    ]

    # When their resources are read, the item actions' apart from the firm list's Query
    queries = [s for s in statements if as_list(s["Action"]) == ["dynamodb:Query"]]
    items = [s for s in statements if s not in queries]
    resources = [resource for statement in items for resource in as_list(statement["Resource"])]

    # Then the item actions name the interviews table only, and a Query only its two indexes (never the
    # table itself, so a Query of the table is as denied as a Scan), and the report its counters' index: the API's alone
    assert resources == [{"Fn::GetAtt": [TABLE, "Arn"]}]
    assert [r for s in queries for r in as_list(s["Resource"])] == (
        [{"Fn::Sub": f"${{{TABLE}.Arn}}/index/{index}"} for index in ("ByRecruiter", "ByFirm", "CountsByMonth")]
        if logical_id == API_FUNCTION else [])
    assert not any("dynamodb:Scan" in as_list(s["Action"]) for s in statements)


# ------------------------------------------------------------ resources


def test_dead_letter_queue_is_encrypted_and_keeps_messages_fourteen_days(template):
    # Given the dead-letter queue
    queue = template["Resources"][DLQ]["Properties"]

    # Then it is encrypted with SQS-managed keys and keeps messages for the maximum 14 days
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 60 * 60


def test_only_this_accounts_scheduler_may_write_to_the_dead_letter_queue(template):
    # Given the dead-letter queue's resource policy
    policy = template["Resources"]["FollowUpDeadLetterQueuePolicy"]["Properties"]

    # When its one statement is read
    (statement,) = policy["PolicyDocument"]["Statement"]

    # Then it lets EventBridge Scheduler of this account send messages to this queue only
    assert policy["Queues"] == [{"Ref": DLQ}]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert as_list(statement["Action"]) == ["sqs:SendMessage"]
    assert statement["Resource"] == {"Fn::GetAtt": [DLQ, "Arn"]}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_an_alarm_fires_when_a_message_reaches_the_dead_letter_queue(template):
    # Given the dead-letter queue alarm
    alarm = template["Resources"]["DeadLetterQueueAlarm"]["Properties"]

    # Then one visible message in one minute breaches it, and silence does not
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [DLQ, "QueueName"]}}]
    assert (alarm["MetricName"], alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == (
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        60,
        1,
    )
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    assert alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("logical_id", STEP_FUNCTIONS)
def test_step_functions_retry_twice_then_dead_letter(template, logical_id):
    # Given a step function, which EventBridge Scheduler invokes asynchronously
    properties = template["Resources"][logical_id]["Properties"]

    # Then Lambda retries a failed invocation twice and then sends the event to the DLQ
    assert properties["EventInvokeConfig"]["MaximumRetryAttempts"] == 2
    assert properties["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": [DLQ, "Arn"]}}


def test_the_table_expires_items_by_the_attribute_the_store_stamps_in_epoch_seconds(template, aws_env, fake_clock):
    # Given the attribute the table's TTL reads
    ttl = template["Resources"][TABLE]["Properties"]["TimeToLiveSpecification"]

    # When an interview is submitted and its stored item read
    created = call_api("POST", "/interviews", body=json.loads(load_event("submit_interview.json")["body"]))
    item = boto3.client("dynamodb").get_item(
        TableName=aws_env.table_name, Key={"pk": {"S": f"INTERVIEW#{created.json()['id']}"}}
    )["Item"]

    # Then TTL is on, and the item carries that attribute as a number of seconds in the future
    assert ttl["Enabled"] is True
    assert int(item[ttl["AttributeName"]]["N"]) > fake_clock().timestamp()


def test_every_table_survives_stack_deletion_and_can_be_restored(template):
    # Given every table of the template (candidates' data lives only there)
    tables = resources_of_type(template, "AWS::DynamoDB::Table")
    assert tables

    # Then deleting or replacing the stack keeps it, and point-in-time recovery is on
    for table in tables.values():
        assert (table.get("DeletionPolicy"), table.get("UpdateReplacePolicy")) == ("Retain", "Retain")
        assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_every_function_logs_to_a_group_of_its_own_with_a_retention(template):
    # Given the log groups of the template, by the function their name follows
    names = {
        logical_id: g["Properties"].get("LogGroupName", {}).get("Fn::Sub", "")
        for logical_id, g in resources_of_type(template, "AWS::Logs::LogGroup").items()
    }
    groups = {
        name.removeprefix("/aws/lambda/${").removesuffix("}"): template["Resources"][logical_id]
        for logical_id, name in names.items()
        if name.startswith("/aws/lambda/${")
    }

    # Then every function has one, and none keeps its logs forever
    assert set(groups) == set(resources_of_type(template, "AWS::Serverless::Function"))
    assert all(g["Properties"].get("RetentionInDays") for g in groups.values())


def _evaluate(value: Any, template: dict[str, Any], parameters: dict[str, str]) -> Any:
    """CloudFormation's Fn::If / Fn::And / Fn::Not / Fn::Equals / Ref / Fn::Sub over ``parameters`` (else each
    parameter's Default); resources stay names."""
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return _parameter(argument, template, parameters)
        if function == "Fn::Equals":
            return _evaluate(argument[0], template, parameters) == _evaluate(argument[1], template, parameters)
        if function == "Fn::Not":
            return not _evaluate(argument[0], template, parameters)
        if function == "Fn::And":
            return all(_evaluate(item, template, parameters) for item in argument)
        if function == "Fn::If":
            condition = _evaluate(template["Conditions"][argument[0]], template, parameters)
            return _evaluate(argument[1] if condition else argument[2], template, parameters)
        if function == "Fn::Sub":
            return re.sub(r"\$\{([^}]+)\}", lambda m: _parameter(m[1], template, parameters), argument)
    return value


def _parameter(name: str, template: dict[str, Any], parameters: dict[str, str]) -> str:
    if name in parameters:
        return parameters[name]
    return str(template["Parameters"].get(name, {}).get("Default", f"<{name}>"))


CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


@pytest.mark.parametrize(("given", "domain", "expected"), [
    ("", "", None),
    ("https://followups.acme.example", "", "https://followups.acme.example"),
    ("", "links.acme.example", "https://links.acme.example"),
    ("https://followups.acme.example", "links.acme.example", "https://followups.acme.example"),
])
def test_public_base_url_is_the_parameter_else_the_custom_domain_else_the_http_apis_own_url(
    template, given, domain, expected
):
    # Given the PUBLIC_BASE_URL every function sees, and the ApiUrl output
    value = template["Globals"]["Function"]["Environment"]["Variables"]["PUBLIC_BASE_URL"]
    api_url = template["Outputs"]["ApiUrl"]["Value"]

    # When CloudFormation evaluates it with the parameters given or left empty
    url = _evaluate(value, template, {"PublicBaseUrl": given, "CustomDomainName": domain,
                                      "CustomDomainCertificateArn": CERTIFICATE if domain else ""})

    # Then it is the parameter, or else https://<custom domain>, or else the HTTP API's own URL (the stack's output)
    assert url == (expected or _evaluate(api_url, template, {}))


def test_every_output_names_a_resource_of_the_stack_and_says_what_it_is(template):
    for name, output in template["Outputs"].items():
        value = output["Value"]
        target = value.get("Ref") or (value.get("Fn::GetAtt") or [None])[0]
        if target is None:  # a Sub: every ${Name} it names is a resource or a pseudo parameter
            targets = re.findall(r"\$\{([^}.]+)", value["Fn::Sub"])
            assert all(t in template["Resources"] or t.startswith("AWS::") for t in targets), name
        else:
            assert target in template["Resources"], name
        assert output.get("Description"), name


def test_sam_deploy_defaults_grant_the_iam_capability_the_template_needs_and_ask_before_changing():
    # Given samconfig.toml and the template's IAM roles (SAM makes one per function with Policies)
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    template = TEMPLATE_PATH.read_text()

    # Then sam deploy may create them, and shows the change set first
    assert ("Policies:" in template or "AWS::IAM::Role" in template) and "CAPABILITY_IAM" in deploy["capabilities"]
    assert deploy["confirm_changeset"] is True
    assert config["default"]["global"]["parameters"]["stack_name"]
