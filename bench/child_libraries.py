"""The api's libraries without the product: what the api's cold start would cost with no code of ours.

    python -P bench/child_libraries.py <event.json> <calls.json>

The same submission event as the handler's and the same AWS calls as the floor's, served by a program
that uses each library the api's first submission uses, once, the way the api uses it, and nothing of
the product: powertools' HTTP resolver with its request validation, Logger and Metrics around the
handler (the Tracer is imported with them; as deployed by default, without the X-Ray SDK, it records
nothing); a pydantic body model with pydantic's email check (email-validator) and a phonenumbers check;
zoneinfo; Babel's date, time and zone names for the candidate's locale; the country's holidays. The
route then replays the calls with a plain ``boto3.client`` per service, as the floor does. It loads the
way the api loads (the collector paused, powertools' event handler and holidays' country tables
registered to load name by name: followup/runtime/coldstart.py, followup/runtime/lazy_packages.py), so that the
difference between this child and the handler is the product's own code. Prints, as stderr's last
line, JSON with the time to import and the time of the call, as the other children do.
"""

import time

START = time.perf_counter()

import gc  # noqa: E402

gc.disable()  # as the functions do through their cold start (followup/runtime/coldstart.py)

import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Annotated, Literal  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import boto3  # noqa: E402

from followup.runtime import lazy_packages  # noqa: E402 - the loader the api uses, no product logic

lazy_packages.install("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")

from aws_lambda_powertools import Logger, Metrics  # noqa: E402 - its __init__ imports the Tracer too
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response  # noqa: E402
from aws_lambda_powertools.event_handler.openapi.params import Body  # noqa: E402
from aws_lambda_powertools.metrics import MetricUnit  # noqa: E402
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator  # noqa: E402

logger = Logger()
metrics = Metrics()
app = APIGatewayHttpResolver(enable_validation=True)
CALLS: list = []


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=200)


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    time_zone: str
    email: EmailStr | None = None
    phone: str | None = None
    locale: str | None = None

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        import phonenumbers

        number = phonenumbers.parse(value, None)
        if not phonenumbers.is_valid_number(number):
            raise ValueError("not a phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Submission(BaseModel):
    model_config = ConfigDict(extra="forbid")
    candidate: Candidate
    channels: list[Literal["email", "sms"]]
    sms_consent: bool = False
    company: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=200)
    interviewer: Person
    interview_at: datetime
    expected_decision_days: int = Field(ge=1, le=90)


class Submitted(BaseModel):
    id: str
    status: str
    follow_ups: list[str]


def decode(value):
    # child_floor.py's, repeated: the floor imports nothing but boto3, so it has no module to share.
    if isinstance(value, dict):
        if set(value) == {"__bytes__"}:
            return base64.b64decode(value["__bytes__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


@app.post("/interviews")
def submit(body: Annotated[Submission, Body()]) -> Response[Submitted]:
    from babel import Locale
    from babel.dates import format_skeleton, format_time, get_timezone_location

    lazy_packages.install("holidays.calendars", "holidays.groups", "holidays.countries")  # as the api's policy does
    import holidays

    locale = Locale.parse((body.candidate.locale or "en-US").replace("-", "_"))
    zone = ZoneInfo(body.candidate.time_zone)
    moment = body.interview_at.replace(tzinfo=zone)
    days = [
        format_skeleton("MMMEd", moment.date(), locale=locale),
        format_time(moment.replace(tzinfo=None), "short", locale=locale),
        get_timezone_location(zone, locale=locale),
    ]
    closed = holidays.country_holidays(locale.territory or "US", years=moment.year)
    clients = {}
    for call in CALLS:
        if call["service"] not in clients:
            clients[call["service"]] = boto3.client(call["service"])
        getattr(clients[call["service"]], call["method"])(**call["params"])
    metrics.add_metric(name="InterviewsSubmitted", unit=MetricUnit.Count, value=1)
    answer = Submitted(id="x", status="pending", follow_ups=[*days, str(len(closed))])
    return Response(status_code=202, body=answer, content_type="application/json")


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event, context):
    return app.resolve(event, context)


class Context:
    function_name = "interview-follow-up-api"
    memory_limit_in_mb = 256
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:interview-follow-up-api"


def main() -> None:
    loaded = time.perf_counter()
    with open(sys.argv[1]) as source:
        event = json.load(source)
    with open(sys.argv[2]) as source:
        CALLS.extend(decode(json.load(source)))
    answer = handler(event, Context())
    done = time.perf_counter()
    outcome = {"status": answer["statusCode"], "id": json.loads(answer["body"]).get("id")}
    print(json.dumps({"init": loaded - START, "call": done - loaded, **outcome}), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # answered, as the other children


main()
