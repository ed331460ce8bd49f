"""What the firm's report counts, read off what each write changes: pure, no I/O.

A count is kept per day and metric as the event happens. The day is the firm's (``DEFAULT_TIME_ZONE``),
so "March" in the report is March where the firm works. Most events are a change of the stored interview,
so ``changes(before, after, now, zone)`` derives them from the write that makes them happen, and the store
adds them in that same transaction (``ports.Store``): a write that loses its revision check, is retried,
or is replayed counts nothing more, and one that lands counts once. The one event that is not a write
(a confirmation message sent) is counted after the send (``ports.Counters.add``).

A metric is its parts joined by ``#``: a name, then its step, channel, reason or recruiter id. Never
personal data: a recruiter is named by their Cognito ``sub``, an opaque id.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from followup.domain.models import STEPS, Interview

# (day "YYYY-MM-DD" in the firm's zone, metric) -> how much to add (a correction subtracts)
Counts = dict[tuple[str, str], int]

ENROLLED = "enrolled"  # enrolled#public | enrolled#recruiter#<sub>
CONFIRMATION_SENT = "confirmation_sent"  # confirmation_sent#<channel>
CONFIRMED = "confirmed"  # confirmed#<channel>: a destination proved by its confirmation link
NUDGE_SENT = "nudge_sent"  # nudge_sent#<step>#<channel>
NUDGE_UNCONFIRMED = "nudge_unconfirmed"  # nudge_unconfirmed#<step>#<channel>: of the sent, those whose answer was lost
NUDGE_SKIPPED = "nudge_skipped"  # nudge_skipped#<step>#<channel>#<reason>; channel "all" for a whole step
NUDGE_FAILED = "nudge_failed"  # nudge_failed#<step>#<channel>: failed for good (every attempt)
CANCELLED = "cancelled"  # cancelled#<reason>: unsubscribed (an opt-out) | replaced | firm (a recruiter cancelled)
OUTCOME = "outcome"  # outcome#<offer|not_selected>, on the day the decision was recorded
CORRECTION = "correction"  # a recorded outcome changed to the other one
ALL_CHANNELS = "all"  # a step skipped as a whole (too late to be useful), before any channel
# What the provider told after a send (followup.domain.feedback):
DELIVERED = "delivered"  # delivered#<step>#<channel>: the receiving server took the nudge
REJECTED = "rejected"  # rejected#<step>#<channel>: SES refused to send it (a virus)
STOPPED = "stopped"  # stopped#<channel>#<bounced|complained|stop|blocked|unreachable>: an interview's channel stopped
REPLIED = "replied"  # replied#<channel>#<done|stop|start|text>: a text the candidate sent back, once
# The rates AWS watches an SES account by (of the emails sent): it reviews the account at the first figure and
# may pause its sending at the second.
RATE_THRESHOLDS = {"bounce": (0.05, 0.10), "complaint": (0.001, 0.005)}


def metric(*parts: str) -> str:
    for part in parts:
        if not part or "#" in part:
            raise ValueError(f"a metric part may not be empty or hold '#': {part!r}")
    return "#".join(parts)


def day_of(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat()


def month_of(day: date | str) -> str:
    return str(day)[:7]


def changes(before: Interview | None, after: Interview, now: datetime, zone: ZoneInfo) -> Counts:
    """What writing ``after`` over ``before`` (None: a new interview) counts, on ``now``'s day in ``zone``."""
    today = day_of(now, zone)
    counts: Counter[tuple[str, str]] = Counter()

    def add(*parts: str, day: str = today, n: int = 1) -> None:
        counts[(day, metric(*parts))] += n

    if before is None:
        recruiter = after.recruiter  # who enrolled them (the firm's side); None: the public form
        add(*((ENROLLED, "recruiter", recruiter.id) if recruiter is not None else (ENROLLED, "public")))
    for channel in after.verified_channels:
        if before is None or channel not in before.verified_channels:
            add(CONFIRMED, channel)
    _follow_ups(before, after, add)
    for channel, why in after.stopped.items():
        if before is None or before.stopped.get(channel) != why:
            add(STOPPED, channel, why)
    known = {reply.inbound_id for reply in before.replies} if before is not None else set()
    for reply in after.replies:
        if reply.inbound_id not in known:
            add(REPLIED, "sms", reply.keyword or "text")
    if after.status == "cancelled" and (before is None or before.status != "cancelled"):
        add(CANCELLED, after.cancel_reason or "unknown")
    _outcomes(before, after, zone, add)
    return {key: n for key, n in counts.items() if n}


def _follow_ups(before: Interview | None, after: Interview, add) -> None:  # noqa: ANN001 - the local adder
    # A step skipped as a whole counts once the interview is live (one never confirmed never nudges anyone).
    was_live = before is not None and before.status != "awaiting_confirmation"
    live = after.status != "awaiting_confirmation"
    for step in STEPS:
        now_ = after.follow_ups.get(step)
        if now_ is None:
            continue
        then = before.follow_ups.get(step) if before is not None else None
        if live and now_.status == "skipped" and (not was_live or then is None or then.status != "skipped"):
            add(NUDGE_SKIPPED, step, ALL_CHANNELS, "too_late")
        for channel, delivery in now_.deliveries.items():
            old = then.deliveries.get(channel) if then is not None else None
            if delivery.status == "sending" or (old is not None and old.status == delivery.status):
                continue
            if delivery.status in ("delivered", "bounced", "complained", "failed"):  # told after the send
                # A complaint proves the delivery: one that came first counts it (the delivery after it changes
                # nothing), so the counts are the same in any order.
                if delivery.status == "delivered" or (delivery.status == "complained" and
                                                      (old is None or old.status != "delivered")):
                    add(DELIVERED, step, channel)
                if delivery.status == "failed" and delivery.reason == "rejected":
                    add(REJECTED, step, channel)
                continue  # a bounce or a complaint counts once per channel stopped (below), confirmations included
            if delivery.status == "sent":
                add(NUDGE_SENT, step, channel)
                if delivery.reason == "unconfirmed":
                    add(NUDGE_UNCONFIRMED, step, channel)
            else:
                add(NUDGE_SKIPPED, step, channel, delivery.reason or "unknown")
        if now_.status == "failed" and (then is None or then.status != "failed"):
            for channel in after.channels:
                if channel not in now_.deliveries:  # what never went: the channels that failed
                    add(NUDGE_FAILED, step, channel)


def _outcomes(before: Interview | None, after: Interview, zone: ZoneInfo, add) -> None:  # noqa: ANN001
    """An outcome counts on the day its decision was recorded; a correction moves it (-1 from the old outcome
    on the old decision's day, +1 to the new one on the new decision's day) and counts as one correction."""
    old = before.decision if before is not None else None
    new = after.decision
    if new is None or (old is not None and old.outcome == new.outcome):
        return
    if old is not None:
        add(OUTCOME, old.outcome, day=day_of(datetime.fromisoformat(old.decided_at), zone), n=-1)
        add(CORRECTION)
    add(OUTCOME, new.outcome, day=day_of(datetime.fromisoformat(new.decided_at), zone))


# ---- the report: totals per metric (``ports.Counters.read``) shaped for the firm ------------------

CSV_COLUMNS = ("metric", "step", "channel", "reason", "recruiter", "count")
# A stored metric's name -> the report's name for it (outcome#offer -> offer; cancelled#unsubscribed -> opt_out).
_ROW_ORDER = ("enrolled", "confirmation_sent", "destination_confirmed", "nudge_sent", "nudge_unconfirmed",
              "nudge_skipped", "nudge_failed", "delivered", "rejected", "bounced", "complained", "texts_stopped", "replied",
              "opt_out", "cancelled",
              "offer", "not_selected", "correction")


def rows(totals: dict[str, int]) -> list[dict[str, str | int]]:
    """One row per counted thing, in ``CSV_COLUMNS``: the CSV's lines (and what ``summary`` is built from)."""
    found = []
    for stored, n in totals.items():
        name, *parts = stored.split("#")
        row: dict[str, str | int] = dict.fromkeys(CSV_COLUMNS, "")
        if name == ENROLLED:
            # The reason says which: a spreadsheet reader should not have to know an empty recruiter means the form.
            by_recruiter = parts[0] == "recruiter"
            row.update(metric="enrolled", reason="by_recruiter" if by_recruiter else "public_form",
                       recruiter=parts[1] if by_recruiter else "")
        elif name in (CONFIRMATION_SENT, CONFIRMED):
            row.update(metric="confirmation_sent" if name == CONFIRMATION_SENT else "destination_confirmed",
                       channel=parts[0])
        elif name in (NUDGE_SENT, NUDGE_UNCONFIRMED, NUDGE_FAILED, NUDGE_SKIPPED) and parts[0] in STEPS:
            row.update(metric=name, step=parts[0], channel=parts[1], reason=parts[2] if name == NUDGE_SKIPPED else "")
        elif name in (DELIVERED, REJECTED) and parts[0] in STEPS:
            row.update(metric=name, step=parts[0], channel=parts[1])
        elif name == STOPPED and parts[1] in ("bounced", "complained"):
            row.update(metric=parts[1], channel=parts[0])
        elif name == STOPPED and parts[1] in ("stop", "blocked", "unreachable"):
            row.update(metric="texts_stopped", channel=parts[0], reason=parts[1])
        elif name == REPLIED:
            row.update(metric="replied", channel=parts[0], reason=parts[1])
        elif name == CANCELLED:
            row.update(metric="opt_out" if parts[0] == "unsubscribed" else "cancelled",
                       reason="" if parts[0] == "unsubscribed" else parts[0])
        elif name == OUTCOME:
            row.update(metric=parts[0])
        elif name == CORRECTION:
            row.update(metric="correction")
        else:
            continue  # a metric this version does not report (written by a newer one): left out, not guessed
        row["count"] = n
        found.append(row)
    return sorted(found, key=lambda r: (_ROW_ORDER.index(str(r["metric"])), *(str(r[c]) for c in CSV_COLUMNS[1:5])))


def summary(totals: dict[str, int]) -> dict:
    """The report as nested JSON: every step and channel present (0 when nothing happened), reasons and
    recruiters as they occurred."""
    channels = ("email", "sms")
    report: dict = {
        "enrolled": {"total": 0, "public": 0, "by_recruiter": {}},
        "confirmations_sent": dict.fromkeys(channels, 0),
        "destinations_confirmed": dict.fromkeys(channels, 0),
        "nudges": {step: {"sent": dict.fromkeys(channels, 0), "unconfirmed": dict.fromkeys(channels, 0),
                          "skipped": {}, "failed": dict.fromkeys(channels, 0)} for step in STEPS},
        "opt_outs": 0,
        "cancelled": {},
        "outcomes": {"offer": 0, "not_selected": 0},
        "corrections": 0,
        "feedback": {channel: {"delivered": 0, "bounced": 0, "complained": 0, "rejected": 0, "replied": 0,
                               "stopped": {}} for channel in channels},
    }
    for row in rows(totals):
        metric_, step, channel, reason, n = row["metric"], row["step"], row["channel"], row["reason"], int(row["count"])
        if metric_ == "enrolled":
            report["enrolled"]["total"] += n
            if row["recruiter"]:
                report["enrolled"]["by_recruiter"][row["recruiter"]] = n
            else:
                report["enrolled"]["public"] += n
        elif metric_ in ("confirmation_sent", "destination_confirmed"):
            report["confirmations_sent" if metric_ == "confirmation_sent" else "destinations_confirmed"][channel] = n
        elif metric_ == "nudge_skipped":
            report["nudges"][step]["skipped"].setdefault(channel, {})[reason] = n
        elif metric_ in ("nudge_sent", "nudge_unconfirmed", "nudge_failed"):
            report["nudges"][step][str(metric_).removeprefix("nudge_")][channel] = n
        elif metric_ == "opt_out":
            report["opt_outs"] = n
        elif metric_ == "cancelled":
            report["cancelled"][reason] = n
        elif metric_ in ("offer", "not_selected"):
            report["outcomes"][metric_] = n
        elif metric_ == "correction":
            report["corrections"] = n
        elif metric_ in ("delivered", "bounced", "complained", "rejected", "replied"):
            report["feedback"][channel][metric_] += n
        elif metric_ == "texts_stopped":
            report["feedback"][channel]["stopped"][reason] = n
    emails = report["confirmations_sent"]["email"] + sum(step["sent"]["email"] for step in report["nudges"].values())
    report["rates"] = {"email": {
        kind: {"rate": round(report["feedback"]["email"][counted] / emails, 6) if emails else None,
               "review_at": review, "paused_at": paused}
        for kind, counted, (review, paused) in (("bounce", "bounced", RATE_THRESHOLDS["bounce"]),
                                                ("complaint", "complained", RATE_THRESHOLDS["complaint"]))}}
    return report
