"""``GET /firm/report``: the firm's counts over a range of days, for its admins, as JSON or CSV.

The counts are kept as the events happen (``followup.domain.counts``; counter items in the one table), so the
report reads one Query per month of the range (``ports.Counters.read``). The counters name a recruiter by their
Cognito ``sub`` only (no personal data); the report names them as their newest interview recorded them when they
enrolled it (``InterviewStore.recruiters``: one Query of one item per recruiter in the report, on ``ByRecruiter``). Days are
the firm's (``DEFAULT_TIME_ZONE``). Who asks is checked before anything about the query: a caller the JWT
authorizer let through who is not an admin gets 403; then bad or missing dates are 422 naming ``from`` or
``to``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from firm_paths import FIRM_JWT
from pydantic import ConfigDict, Field

from followup.adapters.counters import DynamoCounters, months
from followup.adapters.store import InterviewStore
from followup.api.schema import ErrorBody, Model
from followup.domain import counts
from followup.domain.errors import Forbidden, InvalidFields
from followup.domain.identity import firm_user
from followup.domain.models import Recruiter
from followup.ports import Counters
from followup.runtime.config import get_settings

router = Router()

JSON = "application/json"
CSV = "text/csv"
MAX_MONTHS = 13  # a year and the month before it: at most 13 Queries
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def counters() -> Counters:
    return DynamoCounters(get_settings().table_name)


def recruiters(ids: list[str]) -> dict[str, Recruiter]:
    """Who each recruiter id of the report is (their name and email as they enrolled their newest interview)."""
    return InterviewStore(get_settings().table_name).recruiters(ids) if ids else {}


# ---- who asks ----------------------------------------------------------------------------------------


def require_admin(event: Mapping[str, Any]) -> None:
    """The caller is one of the firm's admins (the claims the HTTP API's JWT authorizer verified): else
    ``Unauthorized`` (no claims) or ``Forbidden``."""
    if not firm_user(event).is_admin:
        raise Forbidden("only the firm's admins may read the report")


# ---- the range ---------------------------------------------------------------------------------------


def day_param(name: str, value: str | None) -> date:
    if not value:
        raise InvalidFields(f"{name} is required", fields=[(name, "required: a day, YYYY-MM-DD")])
    try:
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidFields(f"{name} is not a day", fields=[(name, "must be a day, YYYY-MM-DD")]) from None


def report_range(first_text: str | None, last_text: str | None) -> tuple[date, date]:
    first, last = day_param("from", first_text), day_param("to", last_text)
    if last < first:
        raise InvalidFields("to is before from", fields=[("to", "must be on or after from")])
    if len(months(first, last)) > MAX_MONTHS:
        raise InvalidFields("the range is too long",
                            fields=[("to", f"the range may span at most {MAX_MONTHS} calendar months")])
    return first, last


# ---- the answer --------------------------------------------------------------------------------------

ByChannel = dict[str, int]


class RecruiterCount(Model):
    name: str | None = Field(description="as they enrolled their newest interview; null when none is kept any more")
    email: str | None
    enrolled: int
    id: str = Field(description="their Cognito sub: GET /firm/interviews?recruiter=<id> lists theirs")


class EnrolledCounts(Model):
    total: int
    public: int = Field(description="through the public form")
    by_recruiter: list[RecruiterCount] = Field(description="by the recruiter who enrolled them, most first")


class HeardBack(Model):
    delivered: int = Field(description="nudges the receiving server (or the phone) took")
    bounced: int = Field(description="interviews whose address bounced (a nudge or a confirmation), each once")
    complained: int = Field(description="interviews whose candidate marked an email as spam, each once")
    rejected: int = Field(description="nudges SES refused to send")
    replied: int = Field(description="texts the candidates sent back")
    stopped: dict[str, int] = Field(description="interviews whose texts stopped, by why (stop, blocked, unreachable)")


class Rate(Model):
    rate: float | None = Field(description="of the emails sent (confirmations and nudges); null when none was sent")
    review_at: float = Field(description="the rate at which AWS reviews the firm's SES account")
    paused_at: float = Field(description="the rate at which AWS may pause its sending")


class EmailRates(Model):
    bounce: Rate
    complaint: Rate


class Rates(Model):
    email: EmailRates


class StepCounts(Model):
    sent: ByChannel
    unconfirmed: ByChannel = Field(description="of the sent, those whose provider's answer was lost")
    skipped: dict[str, dict[str, int]] = Field(description="channel (or all) -> reason -> count")
    failed: ByChannel = Field(description="failed for good, after every attempt")


class ReportView(Model):
    model_config = ConfigDict(populate_by_name=True)

    first: date = Field(alias="from")
    last: date = Field(alias="to")
    time_zone: str = Field(description="the zone whose days the counts fall on (the firm's)")
    enrolled: EnrolledCounts
    confirmations_sent: ByChannel
    destinations_confirmed: ByChannel
    nudges: dict[str, StepCounts] = Field(description="by step")
    opt_outs: int = Field(description="candidates who unsubscribed")
    cancelled: dict[str, int] = Field(description="interviews ended for another reason (replaced by a newer one)")
    outcomes: dict[str, int] = Field(description="decisions recorded (offer, not_selected); a correction moves one")
    corrections: int
    feedback: dict[str, HeardBack] = Field(description="by channel: what SES and SNS told after the sends")
    rates: Rates


def _errors(*codes: int) -> dict[int, Any]:
    meanings = {401: "not signed in", 403: "signed in, but not one of the firm's admins",
                422: "from or to missing, not a day (YYYY-MM-DD), to before from, or more than 13 months"}
    return {code: {"description": meanings[code], "content": {JSON: {"model": ErrorBody}}} for code in codes}


DAY_QUERY = "a day, YYYY-MM-DD, in the firm's time zone (required)"


@router.get(
    "/firm/report",
    security=FIRM_JWT,
    summary="The firm's counts over a range of days (admins): JSON, or CSV with Accept: text/csv",
    responses={
        200: {"description": "the counts from `from` to `to`, both included",
              "content": {JSON: {"model": ReportView}, CSV: {"schema": {"type": "string"}}}},
        **_errors(401, 403, 422),
    },
)
def report(
    first: Annotated[str | None, Query(alias="from", description=DAY_QUERY, max_length=64)] = None,
    last: Annotated[str | None, Query(alias="to", description=DAY_QUERY, max_length=64)] = None,
) -> Response[str]:
    require_admin(router.current_event.raw_event)
    first_day, last_day = report_range(first, last)
    totals = counters().read(first_day, last_day)
    summary = counts.summary(totals)
    names = recruiters(list(summary["enrolled"]["by_recruiter"]))
    if CSV in (router.current_event.headers.get("accept") or "").lower():
        return Response(status_code=200, content_type=f"{CSV}; charset=utf-8", body=as_csv(totals, names), headers={
            "Content-Disposition": f'attachment; filename="report-{first_day}-{last_day}.csv"'})
    summary["enrolled"]["by_recruiter"] = by_recruiter(summary["enrolled"]["by_recruiter"], names)
    view = ReportView.model_validate({"from": first_day, "to": last_day, "time_zone": get_settings().default_time_zone,
                                      **summary})
    return Response(status_code=200, content_type=JSON, body=view.model_dump_json(by_alias=True))


def by_recruiter(enrolled: dict[str, int], names: dict[str, Recruiter]) -> list[dict[str, Any]]:
    """Each recruiter's count with their name and email, most first (then by name)."""
    found = [{"id": sub, "name": names[sub].name if sub in names else None,
              "email": names[sub].email if sub in names else None, "enrolled": n} for sub, n in enrolled.items()]
    return sorted(found, key=lambda r: (-r["enrolled"], (r["name"] or "").casefold(), r["id"]))


# The CSV's columns: the counters' own, with the recruiter's name and email after their id.
CSV_COLUMNS = (*counts.CSV_COLUMNS[:counts.CSV_COLUMNS.index("recruiter") + 1], "recruiter_name", "recruiter_email",
               *counts.CSV_COLUMNS[counts.CSV_COLUMNS.index("recruiter") + 1:])


def as_csv(totals: dict[str, int], names: dict[str, Recruiter] | None = None) -> str:
    import csv  # only the CSV answer needs it (cold start)
    import io

    names = names or {}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in counts.rows(totals):
        who = names.get(str(row["recruiter"]))
        writer.writerow({**row, "recruiter_name": _cell(who.name) if who else "",
                         "recruiter_email": _cell(who.email) if who else ""})
    return out.getvalue()


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not take for a formula (a leading =, +, -, @, tab or carriage return)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
