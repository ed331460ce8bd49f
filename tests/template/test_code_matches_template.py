"""The code and the template agree: every AWS call a function makes is allowed by its own policy.

A whole lifecycle runs through the real handlers on moto while ``local.calls.CallRecorder`` records every
call of every botocore client in the process (any service, any session) and the product module that made
it. Each call becomes what IAM authorises (an action on a resource, with its condition keys), and one of
the function's Allow statements must match all three once the template's references are resolved to the
provisioned resources: the table it grants, the schedule group it grants, the SchedulerRole it may pass,
the SenderEmail it may send from. Only the adapters (``followup/adapters/``) make clients or calls.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from moto.core import DEFAULT_ACCOUNT_ID

from followup.adapters import notify
from followup.domain.models import STEPS
from local import handlers
from local.calls import ADAPTERS, PRODUCT, CallRecorder, Request, requests_of
from local.provision import LocalResources, table_definition
from tests.conftest import load_event
from tests.integration.harness import (
    START,
    Clock,
    call_api,
    confirmation_tokens,
    firm_claims,
    provisioned_account,
    runner,
    submit_confirmed,
)
from tests.ses_feedback import envelope, record_of
from tests.sms_feedback import inbound, log_batch, receipt

FUNCTION_OF_STEP = {step: "".join(w.capitalize() for w in step.split("_")) + "Function" for step in STEPS}
FUNCTIONS = ("ApiFunction", *FUNCTION_OF_STEP.values(), "FeedbackFunction")


# ---- the recorded lifecycle ----------------------------------------------------------------------


def record_lifecycle() -> tuple[CallRecorder, LocalResources]:
    """Every route and every step once, each call labelled with the function that made it."""
    clock = Clock()
    recorder = CallRecorder()
    with provisioned_account(clock) as resources, recorder:
        body = json.loads(load_event("submit_interview.json")["body"])
        with recorder.as_function("ApiFunction"):
            created = submit_confirmed(body, headers={"Idempotency-Key": "k-1"})
            call_api("POST", "/interviews", body=body, headers={"Idempotency-Key": "k-1"})
            token = created["manage_token"]
            path = f"/interviews/{created['id']}"
            call_api("GET", path, token=token)
            call_api("PATCH", path, token=token, body={"expected_decision_days": 8})
        engine = runner(resources, set_time=clock.set)
        for invocation in engine.pending():
            with recorder.as_function(FUNCTION_OF_STEP[invocation.payload["step"]]):
                engine.fire(invocation)
        with recorder.as_function("FeedbackFunction"):
            hear_the_thank_you_note_delivered(created["id"], body["candidate"]["email"], resources)
            text_back(created["id"], body["candidate"]["phone"], "Done", resources, expected="done")
        forward_a_text_to_the_recruiter({**body, "company": "Initech"}, engine, recorder, resources, clock)
        with recorder.as_function("ApiFunction"):
            call_api("POST", f"{path}/decision", token=token,
                     body={"outcome": "offer", "supervisor": {"name": "M. Chen"}})
        with recorder.as_function(FUNCTION_OF_STEP["decision_thank_you"]):
            engine.fire_due(clock() + timedelta(days=3))
        with recorder.as_function("ApiFunction"):
            call_api("POST", f"{path}/follow-ups/decision_thank_you/done", token=token)
            call_api("GET", "/unsubscribe", query=f"token={created['unsubscribe_token']}")
            call_api("POST", "/unsubscribe", query=f"token={created['unsubscribe_token']}")
            call_api("DELETE", path, token=token)
            pending = submit_confirmed(body)  # given a new address (its opt-outs read), then erased while it waits
            call_api("PATCH", f"/interviews/{pending['id']}", token=pending["manage_token"],
                     body={"candidate": {"email": "moved@example.com"}})
            call_api("DELETE", f"/interviews/{pending['id']}", token=pending["manage_token"])
            record_firm_routes(body)
            call_api("GET", "/firm/report", query="from=2026-01-01&to=2026-12-31",
                     claims=firm_claims("admin-1", groups="admins"))
    return recorder, resources


def hear_the_thank_you_note_delivered(interview_id: str, address: str, resources: LocalResources) -> None:
    """SES's event of the thank-you note's email delivered, through the feedback function: its read and its write
    (the interview's Put and the counters' Update, in one transaction). A bounce's suppression is one more PutItem
    on the same table; it would stop the email the decision's card needs later in this lifecycle."""
    item = boto3.client("dynamodb", region_name=resources.region).get_item(
        TableName=resources.table_name, Key={"pk": {"S": f"INTERVIEW#{interview_id}"}}, ConsistentRead=True)["Item"]
    message_id = TypeDeserializer().deserialize(item["follow_ups"])["thank_you_note"]["deliveries"]["email"]["message_id"]
    tags = {"interview": interview_id, "kind": "thank_you_note", "channel": "email"}
    answer = handlers.invoke("feedback", envelope(record_of(address, message_id, tags, "Delivery",
                                                            "2026-03-13T14:02:05.000Z")))
    assert answer == {"result": "applied"}, answer


def sms_message_id(interview_id: str, resources: LocalResources, step: str = "thank_you_note") -> str:
    item = boto3.client("dynamodb", region_name=resources.region).get_item(
        TableName=resources.table_name, Key={"pk": {"S": f"INTERVIEW#{interview_id}"}}, ConsistentRead=True)["Item"]
    return TypeDeserializer().deserialize(item["follow_ups"])[step]["deliveries"]["sms"]["message_id"]


def text_back(interview_id: str, phone: str, body: str, resources: LocalResources, *, expected: str) -> None:
    """The candidate's text answering the thank-you note's SMS, and SNS's receipt of that SMS, through the feedback
    function: a DONE answers by text, another text of a recruiter's candidate is emailed to the recruiter."""
    message_id = sms_message_id(interview_id, resources)
    answer = handlers.invoke("feedback", inbound(phone, body, inbound_id=f"in-{interview_id}", previous=message_id))
    assert answer == {"result": [expected]}, answer
    receipts = handlers.invoke("feedback", log_batch(receipt(message_id, "SUCCESS", destination=phone)))
    assert receipts == {"result": {"delivered": 1}}, receipts


def forward_a_text_to_the_recruiter(body: dict[str, Any], engine: Any, recorder: CallRecorder,
                                    resources: LocalResources, clock: Clock) -> None:
    """A recruiter's candidate, confirmed on both channels, is texted the thank-you note and texts back (on the
    interview's day, the clock put back where it was after)."""
    now = clock()
    clock.set(START)
    with recorder.as_function("ApiFunction"):
        enrolled = call_api("POST", "/firm/interviews", body=body, claims=firm_claims("rec-9")).json()["id"]
        for token in confirmation_tokens(enrolled).values():
            call_api("POST", f"/interviews/{enrolled}/confirm", token=token)
    note = next(s for s in engine.pending() if s.payload["interview_id"] == enrolled
                and s.payload["step"] == "thank_you_note")
    with recorder.as_function(FUNCTION_OF_STEP["thank_you_note"]):
        engine.fire(note)
    with recorder.as_function("FeedbackFunction"):
        text_back(enrolled, body["candidate"]["phone"], "Who is this?", resources, expected="forwarded")
    clock.set(now)


def record_firm_routes(body: dict[str, Any]) -> None:
    """Every /firm/ route once (the lists by each index), and a candidate's decision, corrected, that
    emails the recruiter who enrolled them."""
    recruiter, admin = firm_claims("rec-1"), firm_claims("adm-1", groups="admins")
    enrolled = call_api("POST", "/firm/interviews", body=body, claims=recruiter).json()["id"]
    csv = "candidate_name,email,time_zone,channels,company,role,interviewer_name,interview_at\n" \
          f"Sam Lee,sam@example.com,America/New_York,email,Initech,Analyst,Dana Whitfield,{body['interview_at']}\n"
    answers = [call_api("POST", "/firm/interviews:import", raw=csv, headers={"content-type": "text/csv"},
                        claims=recruiter)]
    answers.append(call_api("GET", "/firm/me", claims=recruiter))
    answers.append(call_api("GET", "/firm/interviews", query="status=awaiting_confirmation", claims=recruiter))
    answers.append(call_api("GET", "/firm/interviews", query="step=check_in", claims=admin))
    answers.append(call_api("GET", f"/firm/interviews/{enrolled}", claims=recruiter))
    token = confirmation_tokens(enrolled)["email"]
    answers.append(call_api("POST", f"/interviews/{enrolled}/confirm", token=token))
    decision = {"outcome": "offer", "supervisor": {"name": "M. Chen"}}
    answers.append(call_api("POST", f"/interviews/{enrolled}/decision", token=token, body=decision))
    answers.append(call_api("PUT", f"/interviews/{enrolled}/decision", token=token, body={"outcome": "not_selected"}))
    answers.append(call_api("PUT", f"/firm/interviews/{enrolled}/decision", body=decision, claims=recruiter))
    answers.append(call_api("POST", f"/firm/interviews/{enrolled}/follow-ups/decision_thank_you/done",
                            claims=recruiter))
    answers.append(call_api("POST", f"/firm/interviews/{enrolled}/cancel", claims=recruiter))
    assert [a.status for a in answers] == [200] * 11, [(a.status, a.text) for a in answers]
    assert answers[0].json()["created"] == 1


@pytest.fixture(scope="module")
def recorded() -> tuple[CallRecorder, LocalResources]:
    return record_lifecycle()


# ---- the template's statements, resolved, and IAM's matching -------------------------------------


def resolver(resources: LocalResources) -> Callable[[Any], Any]:
    """Resolve the template's intrinsics (Ref, GetAtt, Sub) to the provisioned resources' values."""
    names = {
        "AWS::Partition": "aws",
        "AWS::Region": resources.region,
        "AWS::AccountId": DEFAULT_ACCOUNT_ID,
        "FollowUpScheduleGroup": resources.schedule_group,
        "SenderEmail": resources.sender_email,
        "InterviewsTable.Arn": f"arn:aws:dynamodb:{resources.region}:{DEFAULT_ACCOUNT_ID}:table/{resources.table_name}",
        "SchedulerRole.Arn": resources.scheduler_role_arn,
        **resources.configuration_sets,
    }

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                return names[value["Ref"]]
            if set(value) == {"Fn::GetAtt"}:
                return names[".".join(value["Fn::GetAtt"])]
            if set(value) == {"Fn::Sub"}:
                return re.sub(r"\$\{([^}]+)\}", lambda m: names[m[1]], value["Fn::Sub"])
            return {k: resolve(v) for k, v in value.items()}
        return value

    return resolve


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, value: str) -> bool:
    """IAM's wildcards: ``*`` any run of characters, ``?`` one; case-sensitive (case-insensitive for actions)."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None


def allows(statement: dict[str, Any], request: Request) -> bool:
    """Whether one resolved Allow statement grants ``request``: action, resource and every condition."""
    if not any(_matches(a.lower(), request.action.lower()) for a in _listed(statement["Action"])):
        return False
    if not any(_matches(r, request.resource) for r in _listed(statement["Resource"])):
        return False
    context = dict(request.context)
    for operator, keys in statement.get("Condition", {}).items():
        if operator != "StringEquals":
            raise NotImplementedError(f"condition operator {operator} (teach this test)")
        for key, wanted in keys.items():
            if context.get(key) not in _listed(wanted):  # an absent key fails StringEquals, as in IAM
                return False
    return True


def denied(recorder: CallRecorder, function: str, statements: list[dict[str, Any]]) -> list[str]:
    """The requests of ``function``'s calls that none of ``statements`` allows."""
    return [
        f"{call.name} -> {request}"
        for call in recorder.product_calls(function)
        for request in requests_of(call, DEFAULT_ACCOUNT_ID)
        if not any(allows(s, request) for s in statements)
    ]


@pytest.fixture
def statements_of(template, recorded) -> Callable[[str], list[dict[str, Any]]]:
    resolve = resolver(recorded[1])

    def statements(function: str) -> list[dict[str, Any]]:
        policies = template["Resources"][function]["Properties"]["Policies"]
        return [
            resolve(s) for p in policies for s in _listed(p["Statement"]) if s["Effect"] == "Allow"
        ]

    return statements


@contextmanager
def line_added_to(function: Any, line: str) -> Iterator[None]:
    """``function`` (a product function) with ``line`` as the first statement of its body, in its own
    module's file, as if a developer had typed it there."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    tree.body[0].body.insert(0, ast.parse(line).body[0])
    namespace = dict(function.__globals__)
    exec(compile(ast.fix_missing_locations(tree), function.__code__.co_filename, "exec"), namespace)  # noqa: S102
    original = function.__code__
    function.__code__ = namespace[function.__name__].__code__
    try:
        yield
    finally:
        function.__code__ = original


# ---- the tests -----------------------------------------------------------------------------------


def test_every_aws_call_of_each_function_is_allowed_by_its_policy_on_that_resource(recorded, statements_of):
    recorder, _ = recorded
    for function in FUNCTIONS:
        assert recorder.product_calls(function), f"{function} made no call: the lifecycle did not exercise it"
        assert denied(recorder, function, statements_of(function)) == []


def test_each_function_policy_grants_no_action_the_code_never_calls(recorded, template, function_policy_actions):
    recorder, _ = recorded
    for function in FUNCTIONS:
        allowed = function_policy_actions(template, function)
        made = {
            request.action
            for call in recorder.product_calls(function)
            for request in requests_of(call, DEFAULT_ACCOUNT_ID)
        }
        assert allowed == made, f"{function}: unused {sorted(allowed - made)}, ungranted {sorted(made - allowed)}"


def test_a_call_to_any_other_service_added_to_send_sms_is_caught(statements_of):
    # Given send_sms with one more line, a call to a service no policy grants
    with line_added_to(notify.AwsSenders.send_sms, 'client("sqs").list_queues()'):
        # When the lifecycle runs
        recorder, _ = record_lifecycle()

    # Then the step functions' calls include it, and their policies deny it
    step_function = FUNCTION_OF_STEP[STEPS[0]]
    assert "sqs:ListQueues" in recorder.operations(step_function)
    assert [d for d in denied(recorder, step_function, statements_of(step_function)) if "sqs:ListQueues" in d]


def test_a_call_on_another_table_or_group_or_from_another_sender_is_denied(recorded, statements_of):
    # Given the resolved statements of the API and of a step function
    api, step = statements_of("ApiFunction"), statements_of(FUNCTION_OF_STEP[STEPS[0]])
    _, resources = recorded
    table = f"arn:aws:dynamodb:{resources.region}:{DEFAULT_ACCOUNT_ID}:table/{resources.table_name}"
    group = f"arn:aws:scheduler:{resources.region}:{DEFAULT_ACCOUNT_ID}:schedule/{resources.schedule_group}/s"
    identity = f"arn:aws:ses:{resources.region}:{DEFAULT_ACCOUNT_ID}:identity/{resources.sender_email}"
    to_scheduler = (("iam:PassedToService", "scheduler.amazonaws.com"),)

    # Then the granted resource is allowed and its neighbours are not
    assert any(allows(s, Request("dynamodb:GetItem", table)) for s in api)
    assert not any(allows(s, Request("dynamodb:GetItem", table + "-other")) for s in api)
    assert all(any(allows(s, Request("dynamodb:Query", f"{table}/index/{index}")) for s in api)
               for index in ("ByRecruiter", "ByFirm"))
    assert any(allows(s, Request("dynamodb:Query", table)) for s in api)  # one key, filtered on a token
    assert not any(allows(s, Request("dynamodb:Query", table)) for s in step)
    assert any(allows(s, Request("dynamodb:BatchGetItem", table)) for s in api)
    assert not any(allows(s, Request("dynamodb:BatchGetItem", table + "-other")) for s in api)
    assert not any(allows(s, Request("dynamodb:Query", f"{table}/index/Other")) for s in api)
    assert not any(allows(s, Request("dynamodb:Scan", f"{table}/index/ByFirm")) for s in api)
    assert not any(allows(s, Request("dynamodb:Query", f"{table}/index/ByFirm")) for s in step)
    assert any(allows(s, Request("scheduler:CreateSchedule", group)) for s in api)
    assert not any(allows(s, Request("scheduler:CreateSchedule", group.replace("/s", "-other/s"))) for s in api)
    assert any(allows(s, Request("iam:PassRole", resources.scheduler_role_arn, to_scheduler)) for s in api)
    assert not any(allows(s, Request("iam:PassRole", resources.scheduler_role_arn)) for s in api)
    assert not any(allows(s, Request("iam:PassRole", resources.scheduler_role_arn + "-x", to_scheduler)) for s in api)
    assert any(allows(s, Request("ses:SendRawEmail", identity, (("ses:FromAddress", resources.sender_email),)))
               for s in step)
    assert not any(allows(s, Request("ses:SendRawEmail", identity, (("ses:FromAddress", "x@evil.example"),)))
                   for s in step)


def test_only_the_adapters_make_aws_clients_and_calls(recorded):
    recorder, _ = recorded
    product_clients = [made for made in recorder.clients if made.caller is not None]

    assert product_clients, "the lifecycle made no client: the recorder saw nothing"
    assert [m for m in product_clients if not m.caller.is_relative_to(ADAPTERS)] == []
    assert [c.name for c in recorder.product_calls() if not c.caller.is_relative_to(ADAPTERS)] == []


def test_a_client_made_outside_the_adapters_is_seen(recorded):
    # Given a function compiled as if it were part of the product's delivery module
    namespace: dict[str, Any] = {}
    source = "def make():\n    import boto3\n    return boto3.client('sqs', region_name='us-east-1')\n"
    exec(compile(source, str(PRODUCT / "delivery.py"), "exec"), namespace)  # noqa: S102

    # When it makes a client while recorded
    with CallRecorder() as recorder:
        namespace["make"]()

    # Then the recorder names delivery.py, not an adapter, as its maker
    assert [(m.service, m.caller.name) for m in recorder.clients if m.caller] == [("sqs", "delivery.py")]


def test_no_scan_happens_anywhere_and_the_table_is_queried_only_by_one_interviews_key(recorded):
    recorder, _ = recorded
    operations = recorder.operations()
    queries = [call for call in recorder.product_calls() if call.operation == "Query"]
    of_table = [call.params for call in queries if not call.params.get("IndexName")]
    batches = [call.params for call in recorder.product_calls() if call.operation == "BatchGetItem"]

    assert operations
    assert not [op for op in operations if op.endswith(":Scan")]
    assert {call.params.get("IndexName") for call in queries} == {None, "ByRecruiter", "ByFirm", "CountsByMonth"}
    # The table itself: a read for a token, of exactly one interview's key (never a range of keys)
    assert {(q["KeyConditionExpression"], q["ExpressionAttributeValues"][":pk"]["S"].split("#")[0]) for q in of_table} \
        == {("pk = :pk", "INTERVIEW")}
    # Batches read only the firm-wide opt-outs of an edit's new destinations, by key
    keys = [key["pk"]["S"] for batch in batches for request in batch["RequestItems"].values() for key in request["Keys"]]
    assert keys and {key.split("#")[0] for key in keys} == {"OPTOUT"}


def test_the_moto_table_is_built_from_the_templates_key_schema(template):
    props = template["Resources"]["InterviewsTable"]["Properties"]

    definition = table_definition("t")

    assert definition["KeySchema"] == props["KeySchema"]
    assert definition["AttributeDefinitions"] == props["AttributeDefinitions"]
    assert definition["BillingMode"] == props["BillingMode"]
