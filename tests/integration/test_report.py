"""The firm's report after a scripted month, through the real handlers on moto.

Given candidates who each live one script (confirm every destination or one, or none; get an offer or not;
opt out after the first nudge; have an address the provider refuses; be replaced by a newer submission; be
enrolled by a recruiter, who cancels, or corrects the decision), when the month has run (every schedule
fired, with Lambda's retries), then ``GET /firm/report`` for that month answers, as JSON and as CSV,
exactly the counts the script implies: derived from the plans below by ``expected``, and checked against
what moto's SES and SNS delivered. The report reads one Query per month of the range on the counters'
index, and nothing else; a recruiter gets 403, a bad range 422 naming ``from`` or ``to``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup.adapters import notify
from followup.domain.models import STEPS
from followup.ports import SendFailed
from followup.runtime.config import get_settings
from local.calls import CallRecorder
from tests.integration.forms import submission
from tests.integration.harness import (
    START,
    Clock,
    call_api,
    clear_outbox,
    confirmation_tokens,
    emails,
    firm_claims,
    provisioned_account,
    runner,
    sms,
    submit_confirmed,
)

THANK_YOU_NOTE, CHECK_IN, DECISION_THANK_YOU = STEPS
ADMIN = firm_claims("admin-sub-1", groups="admins recruiters")
RECRUITER = firm_claims("recruiter-sub-1", groups="recruiters")
Row = tuple[str, str, str, str, str]  # metric, step, channel, reason, recruiter


@dataclass(frozen=True)
class Plan:
    name: str
    channels: tuple[str, ...] = ("email", "sms")
    confirms: tuple[str, ...] | None = None  # the destinations the candidate confirms; None: every one
    outcome: str | None = None
    corrected_to: str | None = None  # the firm corrects the outcome to this one
    opts_out: bool = False  # unsubscribes after the first nudge
    enrolled_by: str | None = None  # the recruiter (their sub) who enrolled them; None: the public form
    firm_cancels: bool = False  # the recruiter cancels after the first nudge
    email_refused: bool = False  # the provider refuses their address for every nudge (it fails for good)
    company: str | None = None  # the same company, destination and day as an earlier plan: that one is replaced

    @property
    def confirmed(self) -> tuple[str, ...]:
        return self.channels if self.confirms is None else self.confirms

    @property
    def email(self) -> str:  # one candidate per plan, but the same one again for the same company
        return f"{(self.company or self.name).lower()}@example.com"


PLANS = (
    Plan("offer", outcome="offer"),
    Plan("half", confirms=("email",), outcome="not_selected"),
    Plan("corrected", channels=("email",), outcome="not_selected", corrected_to="offer", enrolled_by=RECRUITER["sub"]),
    Plan("enrolled", enrolled_by=RECRUITER["sub"], firm_cancels=True),
    Plan("optsout", channels=("email",), opts_out=True),
    Plan("refused", email_refused=True),
    Plan("silent", channels=("sms",), confirms=()),
    Plan("older", channels=("email",), company="Initech"),
    Plan("newer", channels=("email",), company="Initech", outcome="offer"),
)


def replaced(plan: Plan) -> bool:
    later = PLANS[PLANS.index(plan) + 1:]
    return plan.company is not None and any(p.company == plan.company and p.confirmed for p in later)


def expected(plans: tuple[Plan, ...] = PLANS) -> Counter[Row]:
    """What the script implies, in the report's CSV vocabulary."""
    rows: Counter[Row] = Counter()
    for plan in plans:
        rows[("enrolled", "", "", "by_recruiter" if plan.enrolled_by else "public_form", plan.enrolled_by or "")] += 1
        for channel in plan.channels:
            rows[("confirmation_sent", "", channel, "", "")] += 1
        for channel in plan.confirmed:
            rows[("destination_confirmed", "", channel, "", "")] += 1
        if not plan.confirmed:
            continue
        if replaced(plan):
            rows[("cancelled", "", "", "replaced", "")] += 1
            continue
        ended = plan.opts_out or plan.firm_cancels  # after the first nudge
        steps = [THANK_YOU_NOTE, *(() if ended else (CHECK_IN,)), *((DECISION_THANK_YOU,) if plan.outcome else ())]
        for step in steps:
            for channel in plan.channels:
                if channel not in plan.confirmed:
                    rows[("nudge_skipped", step, channel, "unverified", "")] += 1
                elif channel == "email" and plan.email_refused:
                    rows[("nudge_failed", step, channel, "", "")] += 1
                else:
                    rows[("nudge_sent", step, channel, "", "")] += 1
        if plan.opts_out:
            rows[("opt_out", "", "", "", "")] += 1
        if plan.firm_cancels:
            rows[("cancelled", "", "", "firm", "")] += 1
        if plan.outcome:
            rows[(plan.corrected_to or plan.outcome, "", "", "", "")] += 1
            rows[("correction", "", "", "", "")] += 1 if plan.corrected_to else 0
    return +rows


def enrol_confirmed(body: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """Enrolled by the recruiter, then confirmed by the candidate from each confirmation message."""
    enrolled = call_api("POST", "/firm/interviews", body=body, claims=firm_claims(plan.enrolled_by or ""))
    assert enrolled.status == 202, enrolled.text
    interview_id = enrolled.json()["id"]
    tokens = confirmation_tokens(interview_id)
    for channel in plan.confirmed:
        assert call_api("POST", f"/interviews/{interview_id}/confirm", token=tokens[channel]).status == 200
    return {"id": interview_id, "manage_token": tokens.get("email") or tokens.get("sms")}


@dataclass
class Month:
    first: date
    last: date
    first_day: date  # the day the candidates were submitted, in the firm's zone
    outbox: dict[str, int]  # what moto delivered: confirmations and nudges, by channel


def refusing(refused: set[str]):  # noqa: ANN201 - a replacement of AwsSenders.send_email
    original = notify.AwsSenders.send_email

    def send_email(self, email):  # noqa: ANN001, ANN202
        if email.to in refused:
            raise SendFailed("MessageRejected")
        return original(self, email)

    return send_email


def run_month(clock: Clock, resources: Any) -> Month:
    zone = ZoneInfo(get_settings().default_time_zone)
    engine = runner(resources, set_time=clock.set)
    held: dict[str, dict[str, Any]] = {}
    clock.set(START)
    for plan in PLANS:
        body = submission(now=START, channels=plan.channels, email=plan.email)
        body["company"] = plan.company or f"Company {plan.name}"
        if plan.enrolled_by:
            held[plan.name] = enrol_confirmed(body, plan)
        elif plan.confirmed:
            held[plan.name] = submit_confirmed(body, channels=plan.confirmed)
        else:
            assert call_api("POST", "/interviews", body=body).status == 202
    outbox = {"confirmation_email": len([m for m in emails() if "@example.com" in m["To"]]),
              "confirmation_sms": len(sms())}
    clear_outbox()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notify.AwsSenders, "send_email", refusing({p.email for p in PLANS if p.email_refused}))
        engine.fire_due(START + timedelta(days=3))  # the thank-you notes
        for plan in PLANS:
            if plan.opts_out:
                token = held[plan.name]["unsubscribe_token"]
                assert call_api("POST", "/unsubscribe", query=f"token={token}").status == 200
            if plan.firm_cancels:
                cancelled = call_api("POST", f"/firm/interviews/{held[plan.name]['id']}/cancel", claims=RECRUITER)
                assert cancelled.status == 200, cancelled.text
        engine.fire_due(START + timedelta(days=13))  # the check-ins
        clock.set(START + timedelta(days=15))
        for plan in PLANS:
            if plan.outcome:
                decision = {"outcome": plan.outcome, **({"supervisor": {"name": "Marcus Chen"}}
                                                        if plan.outcome == "offer" else {})}
                decided = call_api("POST", f"/interviews/{held[plan.name]['id']}/decision",
                                   token=held[plan.name]["manage_token"], body=decision)
                assert decided.status == 200, decided.text
            if plan.corrected_to:  # the recruiter hears otherwise, before the card goes out
                corrected = call_api("PUT", f"/firm/interviews/{held[plan.name]['id']}/decision", claims=RECRUITER,
                                     body={"outcome": plan.corrected_to, "supervisor": {"name": "Marcus Chen"}})
                assert corrected.status == 200, corrected.text
        engine.fire_due(START + timedelta(days=18))  # the decision cards
    assert engine.pending() == [] or all(p.due_at > clock() for p in engine.pending())
    # the candidates' (a recruiter is emailed when their candidate records a decision: not a nudge)
    outbox |= {"nudge_email": len([m for m in emails() if "@example.com" in m["To"]]), "nudge_sms": len(sms())}
    first_day = START.astimezone(zone).date()
    return Month(first_day.replace(day=1), date(2026, 3, 31), first_day, outbox)


@pytest.fixture(scope="module")
def month() -> Iterator[Month]:
    clock = Clock()
    with provisioned_account(clock, parameters={"SubmissionsPerHourPerClient": 1000,
                                                "ConfirmationsPerDayPerDestination": 1000}) as resources:
        ran = run_month(clock, resources)
        assert clock() < datetime(2026, 4, 1, tzinfo=ZoneInfo(get_settings().default_time_zone))
        yield ran


def report(query: str, claims: dict[str, str] | None = ADMIN, accept: str | None = None):  # noqa: ANN201
    return call_api("GET", "/firm/report", query=query, claims=claims,
                    headers={"accept": accept} if accept else None)


CSV_HEADER = ["metric", "step", "channel", "reason", "recruiter", "recruiter_name", "recruiter_email", "count"]


def csv_rows(text: str) -> Counter[Row]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == CSV_HEADER
    rows = list(reader)
    for r in rows:  # each recruiter named as they enrolled, by name and email; every other row names nobody
        named = (RECRUITER["name"], RECRUITER["email"]) if r["recruiter"] == RECRUITER["sub"] else ("", "")
        assert (r["recruiter_name"], r["recruiter_email"]) == named
    return Counter({(r["metric"], r["step"], r["channel"], r["reason"], r["recruiter"]): int(r["count"]) for r in rows})


def json_rows(body: dict[str, Any]) -> Counter[Row]:
    """The JSON answer read back into the CSV's vocabulary (zeros left out)."""
    rows: Counter[Row] = Counter()
    rows[("enrolled", "", "", "public_form", "")] = body["enrolled"]["public"]
    for recruiter in body["enrolled"]["by_recruiter"]:
        rows[("enrolled", "", "", "by_recruiter", recruiter["id"])] = recruiter["enrolled"]
    for key, metric in (("confirmations_sent", "confirmation_sent"), ("destinations_confirmed", "destination_confirmed")):
        for channel, n in body[key].items():
            rows[(metric, "", channel, "", "")] = n
    for step, counted in body["nudges"].items():
        for kind in ("sent", "unconfirmed", "failed"):
            for channel, n in counted[kind].items():
                rows[(f"nudge_{kind}", step, channel, "", "")] = n
        for channel, reasons in counted["skipped"].items():
            for reason, n in reasons.items():
                rows[("nudge_skipped", step, channel, reason, "")] = n
    rows[("opt_out", "", "", "", "")] = body["opt_outs"]
    for reason, n in body["cancelled"].items():
        rows[("cancelled", "", "", reason, "")] = n
    for outcome, n in body["outcomes"].items():
        rows[(outcome, "", "", "", "")] = n
    rows[("correction", "", "", "", "")] = body["corrections"]
    return +rows


def month_query(month: Month) -> str:
    return f"from={month.first}&to={month.last}"


# ---- the counts ----------------------------------------------------------------------------------


def test_the_script_is_what_moto_delivered(month):
    # The expected counts are the plans'; the month that ran must have sent exactly those messages.
    rows = expected()

    assert month.outbox == {
        "confirmation_email": rows[("confirmation_sent", "", "email", "", "")],
        "confirmation_sms": rows[("confirmation_sent", "", "sms", "", "")],
        "nudge_email": sum(n for (m, _, ch, _, _), n in rows.items() if m == "nudge_sent" and ch == "email"),
        "nudge_sms": sum(n for (m, _, ch, _, _), n in rows.items() if m == "nudge_sent" and ch == "sms"),
    }


def test_the_months_json_report_counts_exactly_what_the_script_did(month):
    answer = report(month_query(month))

    assert answer.status == 200, answer.text
    body = answer.json()
    assert (body["from"], body["to"], body["time_zone"]) == (str(month.first), str(month.last),
                                                            get_settings().default_time_zone)
    assert body["enrolled"]["total"] == len(PLANS)
    assert body["enrolled"]["by_recruiter"] == [{"name": RECRUITER["name"], "email": RECRUITER["email"],
                                                 "enrolled": sum(1 for p in PLANS if p.enrolled_by),
                                                 "id": RECRUITER["sub"]}]
    assert json_rows(body) == expected()


def test_the_months_csv_report_counts_exactly_what_the_script_did_and_downloads_as_a_file(month):
    answer = report(month_query(month), accept="text/csv")

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.headers["Content-Disposition"] == f'attachment; filename="report-{month.first}-{month.last}.csv"'
    assert csv_rows(answer.text) == expected()


def test_a_range_of_the_first_day_counts_only_what_happened_that_day(month):
    # Everything the candidates did on the day they were submitted: enrol, confirm (a newer one replacing an older)
    day_one = {"enrolled", "confirmation_sent", "destination_confirmed"}

    answer = report(f"from={month.first_day}&to={month.first_day}", accept="text/csv")

    assert csv_rows(answer.text) == Counter({row: n for row, n in expected().items()
                                             if row[0] in day_one or row[:4] == ("cancelled", "", "", "replaced")})


def test_a_month_with_nothing_in_it_answers_zeros_and_a_header_only(month):
    answer = report("from=2026-04-01&to=2026-04-30", accept="text/csv")

    assert answer.status == 200 and answer.text.splitlines() == [",".join(CSV_HEADER)]
    assert json_rows(report("from=2026-04-01&to=2026-04-30").json()) == Counter()


def test_the_report_reads_one_query_per_month_and_one_item_per_recruiter_it_names_and_nothing_else(month):
    recorder = CallRecorder().attach()
    try:
        answer = report("from=2025-11-15&to=2026-03-31")
    finally:
        recorder.detach()

    assert answer.status == 200
    calls = recorder.product_calls()
    assert [c.name for c in calls] == ["dynamodb:Query"] * 6  # Nov, Dec, Jan, Feb, Mar, then the one recruiter
    counted, (named,) = calls[:5], calls[5:]
    assert {c.params["IndexName"] for c in counted} == {"CountsByMonth"}
    assert [c.params["ExpressionAttributeValues"][":month"]["S"] for c in counted] == [
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert (named.params["IndexName"], named.params["Limit"]) == ("ByRecruiter", 1)
    assert named.params["ExpressionAttributeValues"] == {":part": {"S": RECRUITER["sub"]}}
    assert named.params["ProjectionExpression"] == "#who"


def test_a_month_without_enrolments_reads_no_recruiter(month):
    recorder = CallRecorder().attach()
    try:
        answer = report("from=2026-04-01&to=2026-04-30")
    finally:
        recorder.detach()

    assert answer.json()["enrolled"]["by_recruiter"] == []
    assert [c.params["IndexName"] for c in recorder.product_calls()] == ["CountsByMonth"]


# ---- who may ask, and what -------------------------------------------------------------------------


def test_a_recruiter_is_refused_403_before_anything_about_the_range(month):
    for query in (month_query(month), "from=nonsense"):
        answer = report(query, claims=RECRUITER)
        assert answer.status == 403, query
        assert "admin" in answer.json()["message"]


def test_no_claims_is_401(month):
    assert report(month_query(month), claims=None).status == 401


@pytest.mark.parametrize(("query", "field"), [
    ("to=2026-03-31", "from"),
    ("from=2026-03-01", "to"),
    ("from=2026-3-01&to=2026-03-31", "from"),
    ("from=2026-03-01&to=2026-02-30", "to"),
    ("from=2026-03-01&to=yesterday", "to"),
    ("from=2026-03-31&to=2026-03-01", "to"),
    ("from=2025-02-28&to=2026-03-01", "to"),  # 14 calendar months, though a year and a day
    ("from=" + "9" * 60 + "&to=2026-03-31", "from"),
])
def test_a_bad_range_is_422_naming_the_field(month, query, field):
    answer = report(query)

    assert answer.status == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_thirteen_calendar_months_are_allowed(month):
    assert report("from=2025-03-01&to=2026-03-31").status == 200


def test_the_report_is_in_the_openapi_document_behind_the_firms_jwt(month):
    schema = call_api("GET", "/openapi.json").json()

    operation = schema["paths"]["/firm/report"]["get"]
    assert operation["security"] == [{"firm_jwt": []}]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to"}
    assert {"application/json", "text/csv"} <= set(operation["responses"]["200"]["content"])
    assert {"401", "403", "422"} <= set(operation["responses"])
    scheme = schema["components"]["securitySchemes"]["firm_jwt"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
