"""template.yaml's optional custom domain: the HTTP API under the firm's own name (CustomDomainName with its ACM
certificate, CustomDomainCertificateArn), created only when both are set, the output the firm's DNS points at,
and the candidate's links on that name when PublicBaseUrl is empty."""

from __future__ import annotations

import re
from typing import Any

import pytest

from local import environment
from local.intrinsics import Scope, condition, resolve

DOMAIN = "links.acme-staffing.example"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
WITH_DOMAIN = {"CustomDomainName": DOMAIN, "CustomDomainCertificateArn": CERTIFICATE}


def scope(template: dict[str, Any], parameters: dict[str, str]) -> Scope:
    return Scope.of(template, parameters={"SenderEmail": "followups@acme-staffing.example", **parameters},
                    refs={"HttpApi": "a1b2c3d4e5", "AWS::Region": "us-east-1", "AWS::URLSuffix": "amazonaws.com"},
                    attributes={})


def created(template: dict[str, Any], parameters: dict[str, str]) -> set[str]:
    """The logical ids of the resources CloudFormation creates with ``parameters``."""
    where = scope(template, parameters)
    return {logical_id for logical_id, resource in template["Resources"].items()
            if "Condition" not in resource or condition(resource["Condition"], where)}


def rules_refusing(template: dict[str, Any], parameters: dict[str, str]) -> list[str]:
    """The Rules whose assertions fail with ``parameters`` (CloudFormation then refuses the stack)."""
    where = scope(template, parameters)
    refusing = []
    for name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not resolve(rule["RuleCondition"], where):
            continue
        if not all(resolve(assertion["Assert"], where) for assertion in rule["Assertions"]):
            refusing.append(name)
    return refusing


def of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {logical_id: r for logical_id, r in template["Resources"].items() if r["Type"] == kind}


def test_without_the_parameters_the_stack_has_no_custom_domain_and_no_output_for_dns(template):
    # Given the template's defaults
    resources = created(template, {})
    domains = {*of_type(template, "AWS::ApiGatewayV2::DomainName"), *of_type(template, "AWS::ApiGatewayV2::ApiMapping")}

    # Then no domain and no mapping is created, and no output names one
    assert domains and not domains & resources
    where = scope(template, {})
    outputs = [name for name, output in template["Outputs"].items()
               if "Condition" not in output or condition(output["Condition"], where)]
    assert not [name for name in outputs if "CustomDomain" in name]


def test_with_a_domain_and_its_certificate_the_api_is_mapped_at_the_root_of_that_name(template, transformed_template):
    # Given a domain name and its certificate
    resources = created(template, WITH_DOMAIN)
    (domain_id, domain), = of_type(template, "AWS::ApiGatewayV2::DomainName").items()
    (mapping_id, mapping), = of_type(template, "AWS::ApiGatewayV2::ApiMapping").items()

    # Then the domain and its mapping are created: a regional endpoint on that name with that certificate, TLS 1.2
    assert {domain_id, mapping_id} <= resources
    properties = domain["Properties"]
    assert properties["DomainName"] == {"Ref": "CustomDomainName"}
    (configuration,) = properties["DomainNameConfigurations"]
    assert configuration == {"CertificateArn": {"Ref": "CustomDomainCertificateArn"}, "EndpointType": "REGIONAL",
                             "SecurityPolicy": "TLS_1_2"}
    # and the mapping puts the HTTP API's $default stage at the domain's root (no base path)
    assert mapping["Properties"]["DomainName"] == {"Ref": domain_id}
    assert mapping["Properties"]["ApiId"] == {"Ref": "HttpApi"}
    assert "ApiMappingKey" not in mapping["Properties"]
    stage = transformed_template["Resources"][mapping_id]["Properties"]["Stage"]["Ref"]
    assert transformed_template["Resources"][stage]["Properties"]["StageName"] == "$default"
    assert transformed_template["Resources"][stage]["Properties"]["ApiId"] == {"Ref": "HttpApi"}


def test_the_outputs_give_the_dns_target_of_the_domain_and_its_zone_for_an_alias(template):
    where = scope(template, WITH_DOMAIN)
    outputs = {name: output for name, output in template["Outputs"].items()
               if "Condition" in output and condition(output["Condition"], where)}
    (domain_id,) = of_type(template, "AWS::ApiGatewayV2::DomainName")

    assert outputs["CustomDomainTarget"]["Value"] == {"Fn::GetAtt": [domain_id, "RegionalDomainName"]}
    assert outputs["CustomDomainHostedZoneId"]["Value"] == {"Fn::GetAtt": [domain_id, "RegionalHostedZoneId"]}


@pytest.mark.parametrize(("parameters", "refused"), [
    ({}, False),
    (WITH_DOMAIN, False),
    ({"CustomDomainName": DOMAIN}, True),
    ({"CustomDomainCertificateArn": CERTIFICATE}, True),
])
def test_the_domain_and_its_certificate_are_given_together_or_not_at_all(template, parameters, refused):
    assert bool(rules_refusing(template, parameters)) is refused


@pytest.mark.parametrize(("parameter", "value", "accepted"), [
    ("CustomDomainName", DOMAIN, True),
    ("CustomDomainName", "", True),
    ("CustomDomainName", "https://links.acme-staffing.example", False),
    ("CustomDomainName", "links.acme-staffing.example/", False),
    ("CustomDomainName", "Links.Acme.example", False),
    ("CustomDomainName", "localhost", False),
    ("CustomDomainCertificateArn", CERTIFICATE, True),
    ("CustomDomainCertificateArn", "", True),
    ("CustomDomainCertificateArn", "arn:aws:iam::123456789012:server-certificate/links", False),
])
def test_the_parameters_take_a_host_name_and_an_acm_certificate_arn(template, parameter, value, accepted):
    pattern = template["Parameters"][parameter]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted


def test_with_the_domain_and_no_public_base_url_the_links_use_the_domain(aws_env):
    # When the functions' environment is resolved with the domain set and PublicBaseUrl left empty
    variables = environment.function_environment("ApiFunction", aws_env, public_base_url="", parameters=WITH_DOMAIN)

    # Then the links in the messages point at the firm's domain
    assert variables["PUBLIC_BASE_URL"] == f"https://{DOMAIN}"


def test_a_public_base_url_given_wins_over_the_domain(aws_env):
    variables = environment.function_environment("ThankYouNoteFunction", aws_env,
                                                 public_base_url="https://followups.acme.example", parameters=WITH_DOMAIN)

    assert variables["PUBLIC_BASE_URL"] == "https://followups.acme.example"
