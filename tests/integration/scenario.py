"""The scale scenario: many interviews across zones and channels, a clock advanced a day at a time,
every nudge checked to go out exactly once. Run small by tests/integration/test_scale_small.py over the
real handlers on ``mock_aws``, and at 1,000 interviews by ``make bench`` (bench/scale.py) through the
local stack over HTTP.

The interviews mix five zones (Lord Howe's half-hour DST included), three channel choices (email, SMS,
both), interview times from five days before the submission (late: the thank-you card is skipped) to
three days after, decision timelines of 3-14 days, and every fourth one gets a decision (offer or not
selected) on day 4. After the clock has moved, every interview is checked:

- its view (``GET /interviews/{id}``): no follow-up is left ``scheduled`` or ``failed``; a follow-up due
  before the decision (or any, without one) is ``sent`` unless ``skipped``; after a decision the card
  is ``sent``;
- the outbox (what moto recorded): each candidate got exactly one email and one SMS per ``sent``
  follow-up on their channels (none to an opted-out number), and every message the product recorded
  against a follow-up is in the outbox exactly once, and nothing else is.

Each interview is confirmed from its confirmation messages right after its submission, as the candidate
would; those messages are counted apart (``confirmations``). A number that opted out gets no confirmation,
so an SMS-only interview to one is never confirmed: it sends nothing, and expires.
"""

from __future__ import annotations

import os
import resource
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Protocol

from followup.domain.models import STEPS
from tests.integration.forms import submission

REGION = "us-east-1"
INTERVIEWS = 1000
DAYS = 30
DECISION_DAY = 4
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday; the interviews fall around it
ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "America/Los_Angeles")
PHONES = {  # valid numbers of each place; the index makes them unique (moto opts out those ending in 99)
    "America/New_York": "+1212555{:04d}",
    "Europe/London": "+447400{:06d}",
    "Asia/Kolkata": "+9198765{:05d}",
    "Australia/Lord_Howe": "+61491570{:03d}",
    "America/Los_Angeles": "+1310555{:04d}",
}
CHANNELS = (("email",), ("sms",), ("email", "sms"))
SMS_COUNTRIES = ("US", "CA", "GB", "IN", "AU")  # the SMS_COUNTRIES a stack running the scenario needs
OPTED_OUT_SUFFIX = "99"  # moto's CheckIfPhoneNumberIsOptedOut answers true for these


@dataclass(frozen=True)
class Plan:
    index: int
    body: dict[str, Any]
    decision: dict[str, Any] | None

    @property
    def email(self) -> str | None:
        return self.body["candidate"].get("email")

    @property
    def phone(self) -> str | None:
        return self.body["candidate"].get("phone")


def plan(index: int, start: datetime) -> Plan:
    zone = ZONES[index % len(ZONES)]
    channels = CHANNELS[(index // len(ZONES)) % len(CHANNELS)]
    hours = (index * 37) % 192 - 120  # from 120 hours before the submission to 71 after
    body = submission(
        zone=zone,
        channels=channels,
        interview_at=start + timedelta(hours=hours),
        email=f"candidate{index}@example.com",
        phone=PHONES[zone].format(index),
        expected_decision_days=3 + index % 12,
    )
    body["candidate"]["name"] = f"Candidate {index}"
    decision = None
    if index % 4 == 1:
        decision = (
            {"outcome": "offer", "supervisor": {"name": "Marcus Chen"}}
            if index % 8 == 1
            else {"outcome": "not_selected"}
        )
    return Plan(index, body, decision)


class Driver(Protocol):
    """How the scenario reaches a stack: the API, and the clock that fires what falls due."""

    def now(self) -> datetime: ...

    def api(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]: ...

    def advance(self, delta: timedelta) -> list[str]: ...


@dataclass
class Outbox:
    emails: list[tuple[str, str]]  # (message id, recipient)
    sms: list[tuple[str, str]]  # (message id, phone)


def read_outbox(region: str = REGION) -> Outbox:
    """What moto recorded, in this process (the local stack runs moto in-process; so does mock_aws)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    # moto lists a raw message's recipient twice (the Destination and the To header): one recipient each here.
    emails = [
        (m.id, ",".join(sorted(set(getattr(m, "destinations", None) or []))))
        for m in ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages
    ]
    sms = [
        (message_id, phone)
        for message_id, (phone, _) in sns_backends[DEFAULT_ACCOUNT_ID][region].sms_messages.items()
    ]
    return Outbox(emails, sms)


@cache
def _dynamodb(endpoint: str | None) -> Any:
    import boto3

    return boto3.client("dynamodb", region_name=REGION)


def read_deliveries(interview_id: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Each follow-up's recorded deliveries (channel -> status, message id), straight from the table."""
    from boto3.dynamodb.types import TypeDeserializer

    item = _dynamodb(os.environ.get("AWS_ENDPOINT_URL")).get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"pk": {"S": f"INTERVIEW#{interview_id}"}},
        ConsistentRead=True,
    )["Item"]
    follow_ups = TypeDeserializer().deserialize(item["follow_ups"])
    return {step: follow_up.get("deliveries", {}) for step, follow_up in follow_ups.items()}


def run(
    interviews: int,
    driver: Driver,
    *,
    days: int = DAYS,
    progress: Callable[[str], None] | None = None,
    outbox: Callable[[], Outbox] = read_outbox,
    manage_tokens: Callable[[], dict[str, dict[str, str]]] | None = None,
) -> dict[str, Any]:
    """Submit, confirm, advance, verify; answers the figures and the list of problems (empty: exactly once).
    ``manage_tokens`` reads the manage token of each interview's latest message, by interview id and channel
    (default: moto in-process); a manage token lasts 30 days, so the views are read with the latest ones."""
    if manage_tokens is None:
        from tests.integration.harness import latest_manage_tokens

        manage_tokens = latest_manage_tokens
    plans = [plan(index, driver.now()) for index in range(interviews)]
    created: dict[int, dict[str, Any]] = {}
    started = time.perf_counter()
    for p in plans:
        status, answer = driver.api(
            "POST", "/interviews", body=p.body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        if status != 202:
            raise RuntimeError(f"interview {p.index}: POST /interviews answered {status}: {answer}")
        created[p.index] = {"id": answer["id"]}
    tokens = manage_tokens()
    for p in plans:
        view = created[p.index]
        for token in tokens.get(view["id"], {}).values():
            status, answer = driver.api("POST", f"/interviews/{view['id']}/confirm", token=token)
            if status != 200:
                raise RuntimeError(f"interview {p.index}: confirm answered {status}: {answer}")
            view.setdefault("manage_token", token)
    confirmation_messages = outbox()
    submitted = time.perf_counter()
    if progress:
        progress(f"scale: {interviews} interviews submitted in {submitted - started:.1f} s")
    fired: list[str] = []
    for day in range(1, days + 1):
        if day == DECISION_DAY:
            for p in plans:
                if p.decision and "manage_token" in created[p.index]:
                    view = created[p.index]
                    status, answer = driver.api(
                        "POST",
                        f"/interviews/{view['id']}/decision",
                        token=view["manage_token"],
                        body=p.decision,
                    )
                    if status != 200:
                        raise RuntimeError(f"interview {p.index}: decision answered {status}: {answer}")
        fired += driver.advance(timedelta(days=1))
        if progress and day % 5 == 0:
            progress(f"scale: day {day}, {len(fired)} schedules fired")
    advanced = time.perf_counter()
    latest = manage_tokens()
    for view in created.values():
        if "manage_token" in view:
            view["manage_token"] = next(iter(latest[view["id"]].values()))
    sent = _after(outbox(), confirmation_messages)
    problems, expected = verify(plans, created, driver, sent)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    nudges = len(sent.emails) + len(sent.sms)
    return {
        "interviews": interviews,
        "days": days,
        "schedules_fired": len(fired),
        "follow_ups_sent": expected["follow_ups_sent"],
        "confirmations": len(confirmation_messages.emails) + len(confirmation_messages.sms),
        "emails": len(sent.emails),
        "sms": len(sent.sms),
        "nudges": nudges,
        "expected_nudges": expected["emails"] + expected["sms"],
        "expected_emails": expected["emails"],
        "expected_sms": expected["sms"],
        "submit_s": submitted - started,
        "advance_s": advanced - submitted,
        "wall_s": advanced - started,
        "nudges_per_s": nudges / (advanced - submitted),
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "problems": problems,
    }


def _after(sent: Outbox, before: Outbox) -> Outbox:
    """What went out after ``before``: the nudges, without the confirmations."""
    return Outbox(sent.emails[len(before.emails):], sent.sms[len(before.sms):])


def verify(
    plans: list[Plan], created: dict[int, dict[str, Any]], driver: Driver, sent: Outbox
) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    expected_emails: Counter[str] = Counter()
    expected_sms: Counter[str] = Counter()
    recorded_emails: Counter[str] = Counter()
    recorded_sms: Counter[str] = Counter()
    follow_ups_sent = 0
    for p in plans:
        first = created[p.index]
        if "manage_token" not in first:  # never confirmed (SMS only, to an opted-out number): nothing to expect
            continue
        status, view = driver.api("GET", f"/interviews/{first['id']}", token=first["manage_token"])
        if status != 200:
            problems.append(f"interview {p.index}: GET answered {status}")
            continue
        decided_at = datetime.fromisoformat(view["decision"]["decided_at"]) if view["decision"] else None
        deliveries = read_deliveries(first["id"])
        channels = set(view["channels"])
        for follow_up in view["follow_ups"]:
            step, state, due = (
                follow_up["step"],
                follow_up["status"],
                datetime.fromisoformat(follow_up["due_at"]),
            )
            where = f"interview {p.index} {step} (due {follow_up['due_at']})"
            if step == STEPS[-1]:  # the decision card
                should = "sent"
            elif state == "skipped":
                should = "skipped"
            elif decided_at is not None and due > decided_at:
                should = "cancelled"
            else:
                should = "sent"
            if state != should:
                problems.append(f"{where}: {state}, expected {should}")
            recorded = deliveries.get(step, {})
            if state != "sent":
                if recorded:
                    problems.append(f"{where}: {state} but recorded deliveries {sorted(recorded)}")
                continue
            follow_ups_sent += 1
            wanted = set()
            if "email" in channels:
                wanted.add("email")
                expected_emails[p.email or ""] += 1
            if "sms" in channels and not (p.phone or "").endswith(OPTED_OUT_SUFFIX):
                wanted.add("sms")
                expected_sms[p.phone or ""] += 1
            # sent, or what SES or SNS told of it since (the local stack hears back from SES: delivered)
            got = {channel for channel, d in recorded.items() if d.get("status") in ("sent", "delivered")}
            if got != wanted:
                problems.append(f"{where}: sent on {sorted(got)}, expected {sorted(wanted)}")
            for channel in got:
                (recorded_emails if channel == "email" else recorded_sms)[
                    recorded[channel]["message_id"]
                ] += 1
    outbox_emails = Counter(message_id for message_id, _ in sent.emails)
    outbox_sms = Counter(message_id for message_id, _ in sent.sms)
    problems += _compare("emails per recipient", Counter(to for _, to in sent.emails), expected_emails)
    problems += _compare("SMS per number", Counter(to for _, to in sent.sms), expected_sms)
    problems += _compare("email message ids", outbox_emails, recorded_emails)
    problems += _compare("SMS message ids", outbox_sms, recorded_sms)
    return problems, {
        "emails": sum(expected_emails.values()),
        "sms": sum(expected_sms.values()),
        "follow_ups_sent": follow_ups_sent,
    }


def _compare(what: str, got: Counter[str], expected: Counter[str]) -> list[str]:
    wrong = sorted(k for k in set(got) | set(expected) if got[k] != expected[k])
    return [f"{what}: {k!r} {got[k]} times, expected {expected[k]}" for k in wrong[:20]]
