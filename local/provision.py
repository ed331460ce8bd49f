"""Provision AWS resources from template.yaml's own properties, on moto.

Tests (``mock_aws``) and the local stack (moto server) both build their table, schedule group,
dead-letter queue and sender identity from here, so local and deployed cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
ACCOUNT = "123456789012"
STEP_FUNCTIONS = {
    "thank_you_note": "ThankYouNoteFunction",
    "check_in": "CheckInFunction",
    "decision_thank_you": "DecisionThankYouFunction",
}


@cache
def template() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.load(str(TEMPLATE))


def resource(logical_id: str) -> dict[str, Any]:
    return template()["Resources"][logical_id]["Properties"]


def parameter_default(name: str) -> Any:
    return template()["Parameters"][name].get("Default")


@dataclass(frozen=True)
class LocalResources:
    region: str
    table_name: str
    schedule_group: str
    dead_letter_url: str
    dead_letter_arn: str
    scheduler_role_arn: str
    sender_email: str
    function_arns: dict[str, str]

    def environment(self, *, firm_name: str, public_base_url: str) -> dict[str, str]:
        """The environment template.yaml gives the functions, with local values."""
        return {
            "TABLE_NAME": self.table_name,
            "FIRM_NAME": firm_name,
            "SENDER_EMAIL": self.sender_email,
            "PUBLIC_BASE_URL": public_base_url,
            "NUDGE_HOUR": str(parameter_default("NudgeHour")),
            "DEFAULT_TIME_ZONE": str(parameter_default("DefaultTimeZone")),
            "MAX_DELIVERY_ATTEMPTS": "3",
            "SCHEDULE_GROUP_NAME": self.schedule_group,
            "SCHEDULER_ROLE_ARN": self.scheduler_role_arn,
            "SCHEDULER_DLQ_ARN": self.dead_letter_arn,
            "THANK_YOU_NOTE_FUNCTION_ARN": self.function_arns["thank_you_note"],
            "CHECK_IN_FUNCTION_ARN": self.function_arns["check_in"],
            "DECISION_THANK_YOU_FUNCTION_ARN": self.function_arns["decision_thank_you"],
            "POWERTOOLS_SERVICE_NAME": "interview-follow-up",
            "POWERTOOLS_METRICS_NAMESPACE": "InterviewFollowUp",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }


def table_definition(name: str) -> dict[str, Any]:
    """CreateTable arguments from the template's InterviewsTable."""
    props = resource("InterviewsTable")
    definition: dict[str, Any] = {
        "TableName": name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        definition["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    return definition


def provision(session: Any, *, prefix: str = "interview-follow-up-local", sender_email: str | None = None,
              region: str = "us-east-1") -> LocalResources:
    """Create every resource the functions use, from the template, through ``session``'s clients."""
    sender = sender_email or str(parameter_default("SenderEmail") or "followups@example.com")
    table_name = f"{prefix}-interviews"
    dynamodb = session.client("dynamodb", region_name=region)
    dynamodb.create_table(**table_definition(table_name))
    ttl = resource("InterviewsTable").get("TimeToLiveSpecification")
    if ttl:
        dynamodb.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)

    group = f"{prefix}-follow-ups"
    session.client("scheduler", region_name=region).create_schedule_group(Name=group)

    sqs = session.client("sqs", region_name=region)
    queue_url = sqs.create_queue(QueueName=f"{prefix}-dead-letters")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    session.client("sesv2", region_name=region).create_email_identity(EmailIdentity=sender)
    role = session.client("iam", region_name=region).create_role(
        RoleName=f"{prefix}-scheduler",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    )["Role"]["Arn"]
    functions = {
        step: f"arn:aws:lambda:{region}:{ACCOUNT}:function:{prefix}-{logical}"
        for step, logical in STEP_FUNCTIONS.items()
    }
    return LocalResources(
        region=region,
        table_name=table_name,
        schedule_group=group,
        dead_letter_url=queue_url,
        dead_letter_arn=queue_arn,
        scheduler_role_arn=role,
        sender_email=sender,
        function_arns=functions,
    )
