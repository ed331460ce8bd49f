"""What the service costs a month on AWS for N candidates, by service, beside a fair polling design.

    python -m bench.cost [N] [--calls calls.json]     (make cost N=5000; N defaults to 1000)

Usage per candidate is one interview's whole lifecycle as ``python -m bench.calls`` measures it (run here
unless ``--calls`` gives its JSON): the AWS calls of each phase, the stored item's size after each phase
(which sets the read and write units), the bytes of logs and metric lines the handlers print, and the
distinct CloudWatch metric series they emit. Prices are AWS's public us-east-1 list prices as the author
knew them in 2025; nothing is fetched (the bench runs offline). Check them against the pages named beside
each before quoting the result. Free tiers are shown as a separate line, not netted into the services.

The other design, the cron job a firm might write instead, made as cheap as it fairly can be: one Lambda
invoked every minute (43,200 times a month) that Queries a sparse global secondary index keyed on the
next due time and reads only the items due (the index projects the whole item, so no GetItem follows),
then sends and records them as ours does. It makes no Scheduler calls; every write of an interview with
a follow-up due is written to the index too, and a Query that finds nothing still costs half a unit.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup.domain.models import STEPS

PRICES_AS_OF = "2025, us-east-1 list prices as known to the author (not fetched: no network)"
# AWS Lambda, arm64, https://aws.amazon.com/lambda/pricing/
LAMBDA_REQUEST = 0.20 / 1_000_000  # per request
LAMBDA_ARM64_GB_SECOND = 0.0000133334  # first 7.5 billion GB-s a month
LAMBDA_FREE_REQUESTS = 1_000_000  # a month, every account
LAMBDA_FREE_GB_SECONDS = 400_000
# Amazon DynamoDB on-demand, https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 cut)
DYNAMODB_WRITE_REQUEST_UNIT = 0.625 / 1_000_000
DYNAMODB_READ_REQUEST_UNIT = 0.125 / 1_000_000
DYNAMODB_STORAGE_GB_MONTH = 0.25  # first 25 GB a month free
# Amazon EventBridge Scheduler, https://aws.amazon.com/eventbridge/pricing/ (creating and deleting
# schedules is free)
SCHEDULER_INVOCATION = 1.00 / 1_000_000
SCHEDULER_FREE_INVOCATIONS = 14_000_000  # a month
# Amazon SES, https://aws.amazon.com/ses/pricing/
SES_EMAIL = 0.10 / 1_000
# Amazon SNS SMS to the US (AWS End User Messaging SMS), https://aws.amazon.com/end-user-messaging/pricing/:
# the base price per message part; carrier fees (about $0.002-0.003 a part, by carrier and number type)
# and the origination number's monthly lease (10DLC or toll-free) come on top.
SMS_US_MESSAGE = 0.00581
# Amazon CloudWatch, https://aws.amazon.com/cloudwatch/pricing/: Logs ingestion (standard class); a custom
# metric (each distinct name and dimensions: one series) a month, first 10,000 tier; a standard-resolution
# alarm a month. The first 10 metrics and 10 alarms are free.
CLOUDWATCH_LOGS_INGESTED_GB = 0.50
CLOUDWATCH_METRIC_MONTH = 0.30
CLOUDWATCH_ALARM_MONTH = 0.10
CLOUDWATCH_FREE_METRICS = CLOUDWATCH_FREE_ALARMS = 10
# Amazon API Gateway HTTP API, https://aws.amazon.com/api-gateway/pricing/ (first 300 million a month)
HTTP_API_REQUEST = 1.00 / 1_000_000

# ---- usage assumptions (named so they can be argued with) ---------------------------------------

# Billed time of one invocation on AWS, where calls take milliseconds rather than moto's microseconds:
# ~10 ms a DynamoDB call, ~40 ms a Scheduler call, ~80 ms an SES or SNS send, plus the code's own time.
# Invocations minutes to days apart are cold: their init (~0.5 s, make bench's cold start) is billed too.
API_INVOCATION_S = 0.15
STEP_INVOCATION_S = 0.35
COLD_INIT_S = 0.5
COLD_SHARE = 1.0  # every invocation cold: the worst case for a firm with candidates spread over the month
# DynamoDB: a write costs one unit per KB of the item written, a consistent read one unit per 4 KB, an
# eventually consistent one half that; a transaction twice the units of its items. The idempotency record
# a transaction writes beside the interview is under 1 KB.
WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
IDEMPOTENCY_RECORD_UNITS = 1
# An SMS is billed per segment: each language's lifecycle texts are rendered and measured (sms_parts_of); every
# one fits in at most two (tests/unit/test_messages_sms.py).
LOG_BYTES_PER_INVOCATION = 350  # Lambda's own START/END/REPORT lines, on top of what the code prints
# The table holds an interview while active (~14 days) and for the 90-day retention after its last
# follow-up (TTL): about 3.5 months' candidates, stored.
RESIDENT_MONTHS = (14 + 90) / 30
POLLS_PER_MONTH = 30 * 24 * 60  # 43,200
POLL_S = 0.05  # a warm poll (every minute keeps it warm): one Query


@dataclass(frozen=True)
class Measured:
    """One lifecycle as ``bench.calls`` measured it: what the cost model reads from the run."""

    per_phase: dict[str, dict[str, int]]  # phase -> "service:Operation" -> count
    item_bytes: dict[str, int]  # phase -> the stored interview's size after it (absent once deleted)
    log_bytes: int  # the handlers' logs and metric lines, the whole lifecycle
    metric_series: int  # distinct CloudWatch metric series a firm's month emits

    @classmethod
    def of(cls, result: dict[str, Any]) -> Measured:
        """From one lifecycle of ``bench.calls.measure()``. FollowUpFailed is emitted only when a send
        fails (none does in the run): it has one series for each FollowUpSent series (the same
        dimensions), counted here as a month with failures would have them."""
        seen = [tuple(series) for series in json.loads(json.dumps(result["metric_series"]))]
        sent = sum(1 for name, _ in seen if name == "FollowUpSent")
        return cls(
            per_phase=result["per_phase"],
            item_bytes=result["item_bytes"],
            log_bytes=sum(result["log_bytes"].values()),
            metric_series=len(seen) + sent,
        )

    @property
    def largest_item_bytes(self) -> int:
        return max(self.item_bytes.values())


@dataclass(frozen=True)
class Usage:
    """One month's usage of each priced unit."""

    http_requests: float = 0
    lambda_requests: float = 0
    lambda_gb_seconds: float = 0
    read_units: float = 0
    write_units: float = 0
    stored_gb: float = 0
    scheduler_invocations: float = 0
    emails: float = 0
    sms_parts: float = 0
    log_gb: float = 0
    metric_series: float = 0
    alarms: float = 0


SERVICES = (
    ("API Gateway HTTP API", "http_requests", HTTP_API_REQUEST),
    ("Lambda requests", "lambda_requests", LAMBDA_REQUEST),
    ("Lambda duration (arm64)", "lambda_gb_seconds", LAMBDA_ARM64_GB_SECOND),
    ("DynamoDB reads", "read_units", DYNAMODB_READ_REQUEST_UNIT),
    ("DynamoDB writes", "write_units", DYNAMODB_WRITE_REQUEST_UNIT),
    ("DynamoDB storage", "stored_gb", DYNAMODB_STORAGE_GB_MONTH),
    ("EventBridge Scheduler", "scheduler_invocations", SCHEDULER_INVOCATION),
    ("SES email", "emails", SES_EMAIL),
    ("SMS (US, before carrier fees)", "sms_parts", SMS_US_MESSAGE),
    ("CloudWatch Logs ingestion", "log_gb", CLOUDWATCH_LOGS_INGESTED_GB),
    ("CloudWatch custom metrics", "metric_series", CLOUDWATCH_METRIC_MONTH),
    ("CloudWatch alarms", "alarms", CLOUDWATCH_ALARM_MONTH),
)


def template_memory_gb() -> float:
    """The functions' memory as template.yaml's Globals set it."""
    from local import provision

    return provision.template()["Globals"]["Function"]["MemorySize"] / 1024


def template_alarms() -> int:
    """The CloudWatch alarms template.yaml deploys."""
    from local import provision

    return sum(1 for r in provision.template()["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm")


def units(size: int, unit_bytes: int) -> int:
    return max(1, math.ceil(size / unit_bytes))


def invocation_seconds(warm: float) -> float:
    return warm + COLD_SHARE * COLD_INIT_S


def sms_parts_of(language: str) -> float:
    """The segments an SMS of ``language`` is billed as, on average over one lifecycle's texts (the confirmation,
    the first nudge with its opt-out line, the check-in, the offer's cards), rendered with usual values (a
    two-word name, a company and a role of a few words, the firm's name, a real manage link)."""
    from datetime import date

    from followup.domain import messages
    from followup.domain.drafts import MessageContext
    from followup.domain.sms import sms_segments
    from followup.domain.tokens import manage_url

    link = manage_url("https://followup.acme-staffing.example", "0f3c9a2b7d1e", "0f3c9a2b7d1e.Q2h1Y2sgTm9ycmlzIGZhbg")
    ctx = MessageContext(firm_name="Acme Staffing", candidate_name="María José Hernández", company="Globex",
                         role="Data Analyst", interviewer_name="Dana Whitfield", interviewer_title="Head of Data",
                         interview_date=date(2026, 11, 24), manage_url=link, unsubscribe_url=link,
                         locale=f"{language}-US")
    offer = MessageContext(**{**vars(ctx), "outcome": "offer", "hiring_manager_name": "Sam Lee",
                              "supervisor_name": "Ana Ruiz"})
    texts = [messages.render_confirmation(ctx).sms, messages.render("thank_you_note", ctx, first_sms=True).sms,
             messages.render("check_in", ctx).sms, messages.render("decision_thank_you", offer).sms]
    return sum(sms_segments(text)[1] for text in texts) / len(texts)


def usage(candidates: int, measured: Measured, *, poll: bool = False, alarms: int | None = None,
          sms_parts: float = 1.0) -> Usage:
    """A month's usage for ``candidates`` (one lifecycle each), evented (ours) or polled every minute; each SMS
    billed as ``sms_parts`` segments (``sms_parts_of`` its language)."""
    reads = writes = 0
    size = 0
    api_invocations = step_invocations = 0
    index_writes = 0
    deliveries: list[str] = []
    for phase, calls in measured.per_phase.items():
        size = measured.item_bytes.get(phase, size)  # the delete writes the item as it was
        item_write = units(size, WRITE_UNIT_BYTES)
        per_write = calls.get("dynamodb:PutItem", 0) + calls.get("dynamodb:DeleteItem", 0)
        writes += per_write * item_write
        writes += calls.get("dynamodb:TransactWriteItems", 0) * 2 * (item_write + IDEMPOTENCY_RECORD_UNITS)
        gets = calls.get("dynamodb:GetItem", 0)
        if phase in STEPS:
            step_invocations += 1
            deliveries.append(phase)
            if poll:
                gets = 0  # the poller's Query returned the item
        else:
            api_invocations += 1
        reads += gets * units(size, READ_UNIT_BYTES)
        if poll:  # the sparse index holds the interview while a follow-up is due: every write, again
            index_writes += (per_write + calls.get("dynamodb:TransactWriteItems", 0)) * item_write
    calls_total: dict[str, int] = {}
    for calls in measured.per_phase.values():
        for op, n in calls.items():
            calls_total[op] = calls_total.get(op, 0) + n
    api_seconds = api_invocations * invocation_seconds(API_INVOCATION_S)
    stored_gb = candidates * RESIDENT_MONTHS * measured.largest_item_bytes / 1024**3
    if poll:
        invocations = candidates * api_invocations + POLLS_PER_MONTH
        due_reads = candidates * sum(
            units(measured.item_bytes[phase], READ_UNIT_BYTES) for phase in deliveries
        ) * 0.5  # eventually consistent
        query_reads = POLLS_PER_MONTH * 0.5 + due_reads  # a Query costs half a unit even when empty
        seconds = candidates * (api_seconds + step_invocations * STEP_INVOCATION_S) + POLLS_PER_MONTH * POLL_S
        scheduler = 0.0
        writes += index_writes
        stored_gb *= 1 + 1 / RESIDENT_MONTHS / 2  # the index holds about two weeks of the items again
    else:
        invocations = candidates * (api_invocations + step_invocations)
        query_reads = 0
        seconds = candidates * (api_seconds + step_invocations * invocation_seconds(STEP_INVOCATION_S))
        scheduler = candidates * step_invocations
    return Usage(
        http_requests=candidates * api_invocations,
        lambda_requests=invocations,
        lambda_gb_seconds=seconds * template_memory_gb(),
        read_units=candidates * reads + query_reads,
        write_units=candidates * writes,
        stored_gb=stored_gb,
        scheduler_invocations=scheduler,
        emails=candidates * calls_total.get("sesv2:SendEmail", 0),
        sms_parts=candidates * calls_total.get("sns:Publish", 0) * sms_parts,
        log_gb=(candidates * measured.log_bytes + invocations * LOG_BYTES_PER_INVOCATION) / 1e9,
        metric_series=measured.metric_series,
        alarms=template_alarms() if alarms is None else alarms,
    )


def bill(used: Usage) -> dict[str, float]:
    """Dollars a month, by service (no free tier)."""
    return {name: getattr(used, field) * price for name, field, price in SERVICES}


def free_tier(used: Usage) -> float:
    """What the permanent free tiers (Lambda, Scheduler, CloudWatch metrics and alarms) take off that bill,
    in an account of its own."""
    return (
        min(used.lambda_requests, LAMBDA_FREE_REQUESTS) * LAMBDA_REQUEST
        + min(used.lambda_gb_seconds, LAMBDA_FREE_GB_SECONDS) * LAMBDA_ARM64_GB_SECOND
        + min(used.scheduler_invocations, SCHEDULER_FREE_INVOCATIONS) * SCHEDULER_INVOCATION
        + min(used.metric_series, CLOUDWATCH_FREE_METRICS) * CLOUDWATCH_METRIC_MONTH
        + min(used.alarms, CLOUDWATCH_FREE_ALARMS) * CLOUDWATCH_ALARM_MONTH
    )


COLUMNS = (  # name, lifecycle measured (bench.calls.LIFECYCLES), polled, the SMS's language
    ("ours, email", "email", False, "en"),
    ("ours, email + SMS", "email+sms", False, "en"),
    ("ours, email + SMS in Spanish", "email+sms", False, "es"),
    ("poll/minute, email", "email", True, "en"),
    ("poll/minute, email + SMS", "email+sms", True, "en"),
)


LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def column_usages(candidates: int, measured: dict[str, Measured]) -> dict[str, Usage]:
    """Each column's month, by its name, its SMS billed at its language's segments."""
    parts = {language: sms_parts_of(language) for *_, language in COLUMNS}
    return {name: usage(candidates, measured[lifecycle], poll=poll, sms_parts=parts[language])
            for name, lifecycle, poll, language in COLUMNS}


def table(candidates: int, measured: dict[str, Measured]) -> str:
    usages = list(column_usages(candidates, measured).values())
    parts = {language: sms_parts_of(language) for *_, language in COLUMNS}
    bills = [bill(u) for u in usages]
    lines = [
        f"Monthly AWS cost for {candidates:,} candidates (one interview each), USD; prices: {PRICES_AS_OF}",
        "",
        "| service | " + " | ".join(name for name, *_ in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for name, _, _ in SERVICES:
        lines.append(f"| {name} | " + " | ".join(f"{b[name]:,.4f}" for b in bills) + " |")
    totals = [sum(b.values()) for b in bills]
    lines.append("| **total** | " + " | ".join(f"**{t:,.2f}**" for t in totals) + " |")
    lines.append(
        "| free tiers (Lambda, Scheduler, CloudWatch) | " + " | ".join(f"-{free_tier(u):,.4f}" for u in usages) + " |"
    )
    lines.append("| per candidate | " + " | ".join(f"{t / candidates:,.5f}" for t in totals) + " |")
    per, both = usages[1], measured["email+sms"]
    lines += [
        "",
        f"Per candidate (email + SMS): {per.lambda_requests / candidates:.0f} Lambda invocations, "
        f"{per.read_units / candidates:.0f} RRU, {per.write_units / candidates:.0f} WRU, "
        f"{per.scheduler_invocations / candidates:.0f} schedules fired, {per.emails / candidates:.0f} emails, "
        f"{per.sms_parts / candidates:.0f} SMS; measured: the stored item reaches {both.largest_item_bytes:,} "
        f"bytes, {both.log_bytes:,} bytes of logs and metric lines a lifecycle, {both.metric_series} metric "
        f"series ({per.alarms:.0f} alarm). The poll design Queries its due-time index {POLLS_PER_MONTH:,} "
        "times a month. An SMS is billed per segment: "
        + ", ".join(f"{LANGUAGE_NAMES[lang]} {n:.2f}" for lang, n in parts.items())
        + " segments a text on average over a lifecycle's (a Spanish text with á, í, ó or ú is UCS-2: 70 "
        "characters a segment, where GSM-7 has 160).",
    ]
    return "\n".join(lines)


def measured_lifecycles(results: dict[str, Any]) -> dict[str, Measured]:
    """``bench.calls.measure()``'s results (or its JSON) as the cost model's inputs."""
    return {name: Measured.of(result) for name, result in results.items()}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    calls_json = None
    if "--calls" in args:
        at = args.index("--calls")
        calls_json = Path(args[at + 1])
        del args[at : at + 2]
    try:
        candidates = int(args[0]) if args else 1000
    except ValueError:
        print(
            f"usage: python -m bench.cost [N] [--calls calls.json]  (N candidates a month, a whole number; "
            f"got {args[0]!r})",
            file=sys.stderr,
        )
        return 2
    if candidates < 1:
        print("N must be at least 1", file=sys.stderr)
        return 2
    if calls_json:
        results = json.loads(calls_json.read_text())
    else:
        from bench import calls
        from bench.env import quiet_stdout

        with quiet_stdout():
            results = calls.measure()
    print(table(candidates, measured_lifecycles(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
