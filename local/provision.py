"""Provision, on moto, the AWS resources the functions use, as template.yaml declares them.

The test fixtures (``mock_aws``), the local stack (its in-process moto server) and the bench (a moto server
process) all create the table, schedule group, dead-letter queue, scheduler role, sender identity, the SES
configuration sets and the firm's user pool (with its app client and groups, ``local/cognito.py``) here.
The table is built from the template's own ``InterviewsTable`` properties (key schema, attributes, billing,
indexes, time to live), so the code runs against the deployed key schema; the other resources are created
by name only (their settings, such as the queue's retention, do not change what the code does on moto);
each ``AWS::SES::ConfigurationSet`` with its ``Name`` (else, as CloudFormation would, a name of the stack's)
and the options moto keeps; each ``AWS::SNS::Topic`` (the inbound texts' topic) and each ``AWS::Logs::LogGroup``
whose name resolves here (SNS's SMS delivery-status groups) by name. moto has no event destinations and runs no
subscriptions: ``local/feedback.py`` and ``local/texts.py`` read them from the template.
The sender is the ``SenderEmail`` parameter's Default if it gets one, else the caller's or
``followups@example.com``. The functions are not created: their ARNs name the handlers ``local/engine.py``
invokes. ``LocalResources`` says what each logical id resolves to here; ``local/environment.py`` builds
the functions' environment from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from followup.domain.models import STEPS, function_logical_id
from local.cognito import SignIn, provision_sign_in
from local.fake_aws import ACCOUNT, REGION
from local.intrinsics import Scope, Unresolvable, resolve

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
API_FUNCTION = "ApiFunction"
CONFIGURATION_SET = "AWS::SES::ConfigurationSet"
TOPIC = "AWS::SNS::Topic"
LOG_GROUP = "AWS::Logs::LogGroup"
# The configuration set's properties that SES v2's CreateConfigurationSet takes as CloudFormation writes them
# (DeliveryOptions and TrackingOptions name a dedicated pool or a domain the local stack does not have).
CONFIGURATION_SET_OPTIONS = ("SuppressionOptions", "ReputationOptions", "SendingOptions")
# step name -> the logical id of the Lambda function that sends it (not AWS Step Functions)
STEP_LAMBDAS: dict[str, str] = {step: function_logical_id(step) for step in STEPS}


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
    stack_name: str
    queue_name: str
    sign_in: SignIn
    configuration_sets: dict[str, str] = field(default_factory=dict)  # logical id -> the set's name
    topics: dict[str, str] = field(default_factory=dict)  # logical id -> the SNS topic's ARN
    log_groups: dict[str, str] = field(default_factory=dict)  # logical id -> the log group's name

    @property
    def user_pool_arn(self) -> str:
        return f"arn:aws:cognito-idp:{self.region}:{ACCOUNT}:userpool/{self.sign_in.user_pool_id}"

    def refs(self) -> dict[str, str]:
        """What ``!Ref`` of each provisioned resource answers (CloudFormation's return values)."""
        return {
            "InterviewsTable": self.table_name,
            "FollowUpScheduleGroup": self.schedule_group,
            "FollowUpDeadLetterQueue": self.dead_letter_url,
            "SchedulerRole": self.scheduler_role_arn.rsplit("/", 1)[-1],
            "FirmUserPool": self.sign_in.user_pool_id,
            "FirmUserPoolClient": self.sign_in.client_id,
            **self.sign_in.groups,
            **self.configuration_sets,
            **self.topics,
            **self.log_groups,
            **{STEP_LAMBDAS[step]: arn.rsplit(":", 1)[-1] for step, arn in self.function_arns.items()},
        }

    def attributes(self) -> dict[str, str]:
        """What ``!GetAtt LogicalId.Attribute`` answers for each provisioned resource."""
        table_arn = f"arn:aws:dynamodb:{self.region}:{ACCOUNT}:table/{self.table_name}"
        return {
            "InterviewsTable.Arn": table_arn,
            "FollowUpDeadLetterQueue.Arn": self.dead_letter_arn,
            "FollowUpDeadLetterQueue.QueueName": self.queue_name,
            "FollowUpDeadLetterQueue.QueueUrl": self.dead_letter_url,
            "SchedulerRole.Arn": self.scheduler_role_arn,
            "FirmUserPool.Arn": self.user_pool_arn,
            "FirmUserPool.UserPoolId": self.sign_in.user_pool_id,
            "FirmUserPool.ProviderName": f"cognito-idp.{self.region}.amazonaws.com/{self.sign_in.user_pool_id}",
            "FirmUserPool.ProviderURL": f"https://cognito-idp.{self.region}.amazonaws.com/{self.sign_in.user_pool_id}",
            "FirmUserPoolClient.ClientId": self.sign_in.client_id,
            **{f"{STEP_LAMBDAS[step]}.Arn": arn for step, arn in self.function_arns.items()},
            **{f"{logical}.TopicArn": arn for logical, arn in self.topics.items()},
            **{f"{logical}.TopicName": arn.rsplit(":", 1)[-1] for logical, arn in self.topics.items()},
            **{f"{logical}.Arn": f"arn:aws:logs:{self.region}:{ACCOUNT}:log-group:{name}:*"
               for logical, name in self.log_groups.items()},
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


def configuration_sets(session: Any, prefix: str, region: str) -> dict[str, str]:
    """Create each of the template's SES configuration sets; logical id -> name."""
    scope = Scope.of(template(), parameters={}, attributes={}, refs={
        "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::Region": region, "AWS::AccountId": ACCOUNT,
        "AWS::StackName": prefix,
    })
    sesv2 = session.client("sesv2", region_name=region)
    made: dict[str, str] = {}
    for logical_id, declared in template()["Resources"].items():
        if declared.get("Type") != CONFIGURATION_SET:
            continue
        props = resolve(declared.get("Properties") or {}, scope)
        name = str(props.get("Name") or f"{prefix}-{logical_id}")
        sesv2.create_configuration_set(ConfigurationSetName=name,
                                       **{key: props[key] for key in CONFIGURATION_SET_OPTIONS if key in props})
        made[logical_id] = name
    return made


def topics(session: Any, prefix: str, region: str) -> dict[str, str]:
    """Create each of the template's SNS topics, by name (its ``TopicName``, else one of the stack's, as
    CloudFormation would); logical id -> ARN. The inbound-texts topic is where ``local/texts.py`` publishes."""
    sns = session.client("sns", region_name=region)
    made: dict[str, str] = {}
    for logical_id, declared in template()["Resources"].items():
        if declared.get("Type") != TOPIC:
            continue
        name = (declared.get("Properties") or {}).get("TopicName")
        name = str(name) if isinstance(name, str) else f"{prefix}-{logical_id}"
        made[logical_id] = sns.create_topic(Name=name)["TopicArn"]
    return made


def log_groups(session: Any, prefix: str, region: str) -> dict[str, str]:
    """Create each of the template's log groups whose name resolves here (SNS's delivery-status groups; the
    functions' own groups name functions the stack does not create); logical id -> name."""
    scope = Scope.of(template(), parameters={}, attributes={}, refs={
        "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::Region": region, "AWS::AccountId": ACCOUNT,
        "AWS::StackName": prefix,
    })
    logs = session.client("logs", region_name=region)
    made: dict[str, str] = {}
    for logical_id, declared in template()["Resources"].items():
        if declared.get("Type") != LOG_GROUP or "LogGroupName" not in (declared.get("Properties") or {}):
            continue
        try:
            name = str(resolve(declared["Properties"]["LogGroupName"], scope))
        except Unresolvable:
            continue
        logs.create_log_group(logGroupName=name)
        made[logical_id] = name
    return made


def provision(session: Any, *, prefix: str = "interview-follow-up-local", sender_email: str | None = None,
              region: str = REGION) -> LocalResources:
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
    queue_name = f"{prefix}-dead-letters"
    queue_url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    session.client("sesv2", region_name=region).create_email_identity(EmailIdentity=sender)
    role = session.client("iam", region_name=region).create_role(
        RoleName=f"{prefix}-scheduler",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    )["Role"]["Arn"]
    sign_in = provision_sign_in(session, template(), prefix=prefix, region=region)
    functions = {
        step: f"arn:aws:lambda:{region}:{ACCOUNT}:function:{prefix}-{logical}"
        for step, logical in STEP_LAMBDAS.items()
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
        stack_name=prefix,
        queue_name=queue_name,
        sign_in=sign_in,
        configuration_sets=configuration_sets(session, prefix, region),
        topics=topics(session, prefix, region),
        log_groups=log_groups(session, prefix, region),
    )
