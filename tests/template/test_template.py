"""template.yaml: cfn-lint, the SAM transform run offline, the routes, the indexes and the dependency graph."""

from __future__ import annotations

import re

from cfnlint.api import lint_file

from followup.domain.models import STEPS, function_env_name, function_logical_id
from tests.template.template_parts import (
    ALIAS,
    API_FUNCTION,
    FIRM_ROUTES,
    FUNCTIONS,
    HTTP_METHODS,
    ROUTES,
    TABLE,
    TEMPLATE_PATH,
    dependency_cycle,
    resources_of_type,
)

# ------------------------------------------------------------ lint and transform


def test_cfn_lint_reports_no_errors():
    # Given the template as it will be deployed
    # When cfn-lint checks it (it runs the SAM transform itself)
    matches = lint_file(TEMPLATE_PATH)

    # Then it finds no errors (warnings and informational notes are allowed)
    errors = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_sam_transform_makes_the_five_functions_one_shared_layer_and_the_sdk_layer_only_on_request(
    transformed_template,
):
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
    # Given the table's indexes and what followup.domain.listing and the report's counters query
    from followup.adapters import counters
    from followup.domain import listing

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


