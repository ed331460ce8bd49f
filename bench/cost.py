"""What the service costs a month on AWS for N candidates, by service, beside a poll-every-minute design.

    python -m bench.cost [N]          (make cost N=5000; N defaults to 1000)

Usage per candidate is one interview's whole lifecycle as measured and asserted by the test suite
(``bench.calls.CALLS_PER_PHASE``, or ``CALLS_PER_PHASE_EMAIL_ONLY`` without SMS): the submission, three
nudges, a decision, a delete. Prices are AWS's public us-east-1 list prices as the author knew them in
2025; nothing is fetched (the bench runs offline). Check them against the pages named beside each before
quoting the result. Free tiers are shown as a separate line, not netted into the services.

The other design, the hand-rolled cron job a firm might write instead: one Lambda invoked every minute
(43,200 times a month) that Scans the whole table for due follow-ups, then sends and records them as
ours does. It makes no Scheduler calls, and every scan reads every resident item, due or not.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from bench.calls import CALLS_PER_PHASE, CALLS_PER_PHASE_EMAIL_ONLY, FUNCTION_OF_PHASE, total

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
# Amazon CloudWatch Logs, standard class, https://aws.amazon.com/cloudwatch/pricing/
CLOUDWATCH_LOGS_INGESTED_GB = 0.50
# Amazon API Gateway HTTP API, https://aws.amazon.com/api-gateway/pricing/ (first 300 million a month)
HTTP_API_REQUEST = 1.00 / 1_000_000

# ---- usage assumptions (named so they can be argued with) ---------------------------------------

LAMBDA_MEMORY_GB = 256 / 1024  # template.yaml Globals.Function.MemorySize
# Billed time of one invocation on AWS, where calls take milliseconds rather than moto's microseconds:
# ~10 ms a DynamoDB call, ~40 ms a Scheduler call, ~80 ms an SES or SNS send, plus the code's own time.
# Invocations minutes to days apart are cold: their init (~0.5 s, make bench's cold start) is billed too.
API_INVOCATION_S = 0.15
STEP_INVOCATION_S = 0.35
COLD_INIT_S = 0.5
COLD_SHARE = 1.0  # every invocation cold: the worst case for a firm with candidates spread over the month
# DynamoDB units: the stored interview stays under 2 KB (make bench measures ~0.9 KB at submission, ~2.0 KB
# after three sends), so a write is 2 WRU; a consistent read under 4 KB is 1 RRU; a transaction writes two
# items (interview + idempotency record, or their deletes) at twice the units.
ITEM_KB = 2
WRU_PER_WRITE = ITEM_KB
RRU_PER_CONSISTENT_READ = 1
WRU_PER_TRANSACTION = 2 * 2 * ITEM_KB
SMS_PARTS = 1  # every SMS fits one segment (tests/unit/test_messages.py)
# Logs: make bench measures ~6 KB of the service's JSON logs and metric lines per lifecycle; Lambda adds
# its START/END/REPORT lines to every invocation.
LOG_BYTES_PER_CANDIDATE = 6_200
LOG_BYTES_PER_INVOCATION = 350
# The poll design's table: an interview is resident while active (~14 days) and for the 90-day retention
# after its last follow-up (TTL), so about 3.5 months' candidates are in every scan.
RESIDENT_MONTHS = (14 + 90) / 30
POLLS_PER_MONTH = 30 * 24 * 60  # 43,200
POLL_BASE_S = 0.2  # a poll that finds nothing due
POLL_S_PER_MB_SCANNED = 0.1


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
)


def invocation_seconds(warm: float) -> float:
    return warm + COLD_SHARE * COLD_INIT_S


def usage(candidates: int, *, sms: bool, poll: bool = False) -> Usage:
    """A month's usage for ``candidates`` (one lifecycle each), evented (ours) or polled every minute."""
    per_phase = CALLS_PER_PHASE if sms else CALLS_PER_PHASE_EMAIL_ONLY
    calls = total(per_phase)
    api_invocations = sum(1 for phase in per_phase if FUNCTION_OF_PHASE[phase] == "api")
    step_invocations = len(per_phase) - api_invocations
    reads = calls["dynamodb:GetItem"] * RRU_PER_CONSISTENT_READ
    writes = (calls["dynamodb:PutItem"] + calls["dynamodb:DeleteItem"]) * WRU_PER_WRITE
    writes += calls["dynamodb:TransactWriteItems"] * WRU_PER_TRANSACTION
    seconds = api_invocations * invocation_seconds(API_INVOCATION_S)
    resident_gb = candidates * RESIDENT_MONTHS * ITEM_KB / 1024 / 1024
    if poll:
        invocations = candidates * api_invocations + POLLS_PER_MONTH
        scanned_kb = candidates * RESIDENT_MONTHS * ITEM_KB
        scan_reads = (
            POLLS_PER_MONTH * math.ceil(scanned_kb / 4) * 0.5
        )  # eventually consistent: half a unit per 4 KB
        poll_seconds = POLLS_PER_MONTH * invocation_seconds(
            POLL_BASE_S + POLL_S_PER_MB_SCANNED * scanned_kb / 1024
        )
        gb_seconds = (candidates * seconds + poll_seconds) * LAMBDA_MEMORY_GB
        # The same reads and writes per delivery, now inside the poller.
        scheduler = 0.0
    else:
        invocations = candidates * (api_invocations + step_invocations)
        scan_reads = 0
        gb_seconds = (
            candidates
            * (seconds + step_invocations * invocation_seconds(STEP_INVOCATION_S))
            * LAMBDA_MEMORY_GB
        )
        scheduler = candidates * step_invocations
    return Usage(
        http_requests=candidates * api_invocations,
        lambda_requests=invocations,
        lambda_gb_seconds=gb_seconds,
        read_units=candidates * reads + scan_reads,
        write_units=candidates * writes,
        stored_gb=resident_gb,
        scheduler_invocations=scheduler,
        emails=candidates * calls["sesv2:SendEmail"],
        sms_parts=candidates * calls["sns:Publish"] * SMS_PARTS,
        log_gb=(candidates * LOG_BYTES_PER_CANDIDATE + invocations * LOG_BYTES_PER_INVOCATION) / 1e9,
    )


def bill(used: Usage) -> dict[str, float]:
    """Dollars a month, by service (no free tier)."""
    return {name: getattr(used, field) * price for name, field, price in SERVICES}


def free_tier(used: Usage) -> float:
    """What the permanent free tiers (Lambda, Scheduler) take off that bill, in an account of its own."""
    return (
        min(used.lambda_requests, LAMBDA_FREE_REQUESTS) * LAMBDA_REQUEST
        + min(used.lambda_gb_seconds, LAMBDA_FREE_GB_SECONDS) * LAMBDA_ARM64_GB_SECOND
        + min(used.scheduler_invocations, SCHEDULER_FREE_INVOCATIONS) * SCHEDULER_INVOCATION
    )


COLUMNS = (
    ("ours, email", False, False),
    ("ours, email + SMS", True, False),
    ("poll/minute, email", False, True),
    ("poll/minute, email + SMS", True, True),
)


def table(candidates: int) -> str:
    usages = [usage(candidates, sms=sms, poll=poll) for _, sms, poll in COLUMNS]
    bills = [bill(u) for u in usages]
    lines = [
        f"Monthly AWS cost for {candidates:,} candidates (one interview each), USD; prices: {PRICES_AS_OF}",
        "",
        "| service | " + " | ".join(name for name, _, _ in COLUMNS) + " |",
        "|---|" + "---:|" * len(COLUMNS),
    ]
    for name, _, _ in SERVICES:
        lines.append(f"| {name} | " + " | ".join(f"{b[name]:,.4f}" for b in bills) + " |")
    totals = [sum(b.values()) for b in bills]
    lines.append("| **total** | " + " | ".join(f"**{t:,.2f}**" for t in totals) + " |")
    lines.append(
        "| free tiers (Lambda, Scheduler) | " + " | ".join(f"-{free_tier(u):,.4f}" for u in usages) + " |"
    )
    lines.append("| per candidate | " + " | ".join(f"{t / candidates:,.5f}" for t in totals) + " |")
    per = usages[1]
    lines += [
        "",
        f"Per candidate (email + SMS): {per.lambda_requests / candidates:.0f} Lambda invocations, "
        f"{per.read_units / candidates:.0f} RRU, {per.write_units / candidates:.0f} WRU, "
        f"{per.scheduler_invocations / candidates:.0f} schedules fired, {per.emails / candidates:.0f} "
        "emails, "
        f"{per.sms_parts / candidates:.0f} SMS. The poll design also scans "
        f"{candidates * RESIDENT_MONTHS:,.0f} resident items {POLLS_PER_MONTH:,} times a month.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        candidates = int(args[0]) if args else 1000
    except ValueError:
        print(
            f"usage: python -m bench.cost [N]  (N candidates a month, a whole number; got {args[0]!r})",
            file=sys.stderr,
        )
        return 2
    if candidates < 1:
        print("N must be at least 1", file=sys.stderr)
        return 2
    print(table(candidates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
