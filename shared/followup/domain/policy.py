"""When each follow-up is due: ``thank_you_note`` two days after the interview day, ``check_in`` after
the timeline the interviewer gave plus three days' grace, ``decision_thank_you`` the day after the
decision; each at the nudge hour in the candidate's zone.

The two card nudges say "mail a card today", so they land on a MAILING day: not a Sunday and not a
public holiday of the candidate's country (else the next mailing day). ``check_in`` says "email or call
the hiring manager", so it lands on a WORKING day: not a Saturday, Sunday or public holiday. Holidays
come from the ``holidays`` library (its default, public category: for India the gazetted holidays),
imported on the first plan and for the one country asked; ``country`` None means weekends only.

Pure functions: no clock is read (callers pass ``now``), no I/O, no AWS. Every moment is computed in
the candidate's IANA zone and returned with ``tzinfo`` set to that same ``ZoneInfo``, so
``isoformat()`` shows the local offset.

Wall times are built with ``tzinfo=zone`` on a local date, never by adding timedeltas to an aware
datetime, so a daylight-saving change does not move the nudge hour. Instants are compared in UTC:
Python compares two datetimes that share a ``tzinfo`` by wall time alone, which is wrong around a
fall-back hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from followup.domain.models import STEPS

_THANK_YOU_NOTE, _CHECK_IN, _DECISION_THANK_YOU = STEPS

DEFAULT_EXPECTED_DECISION_DAYS = 7
MIN_EXPECTED_DECISION_DAYS, MAX_EXPECTED_DECISION_DAYS = 1, 60
CHECK_IN_GRACE_DAYS = 3
THANK_YOU_DAYS_AFTER = 2
THANK_YOU_WINDOW_DAYS = 3  # the window ends at the end of day 3 after the interview (local)
AWAKE_FROM_HOUR, AWAKE_UNTIL_HOUR = 8, 20  # a late step may go out "now" when 08:00 <= local time < 20:00

_SATURDAY, _SUNDAY = 5, 6
_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class PlannedFollowUp:
    """One follow-up step and the moment it is due, in the candidate's zone.

    For a skipped step (a late ``thank_you_note`` past its window) ``due_at`` is the moment it would
    have had.
    """

    step: str
    due_at: datetime
    skipped: bool = False

    def __post_init__(self) -> None:
        if self.step not in STEPS:
            raise ValueError(f"step must be one of {STEPS}, not {self.step!r}")
        _require_aware(self.due_at, "due_at")


def plan_follow_ups(
    interview_at: datetime,
    zone: ZoneInfo,
    *,
    expected_decision_days: int,
    now: datetime,
    nudge_hour: int,
    country: str | None = None,
) -> list[PlannedFollowUp]:
    """Plan ``thank_you_note`` and ``check_in`` (in that order) for an interview.

    A step whose moment is not after ``now`` goes out at the next allowed moment instead, except a
    ``thank_you_note`` whose window has passed by then: that one is returned ``skipped``.
    """
    _require_zone(zone)
    _require_aware(interview_at, "interview_at")
    _require_aware(now, "now")
    _require_nudge_hour(nudge_hour)
    _require_expected_decision_days(expected_decision_days)

    interview_day = interview_at.astimezone(zone).date()
    now_utc = now.astimezone(UTC)
    return [
        _plan_thank_you_note(interview_day, zone, now_utc, nudge_hour, country),
        _plan_check_in(interview_day, zone, now_utc, nudge_hour, expected_decision_days, country),
    ]


def plan_decision_thank_you(
    decided_at: datetime, zone: ZoneInfo, *, nudge_hour: int, country: str | None = None
) -> PlannedFollowUp:
    """Plan ``decision_thank_you``: the first mailing day after the decision (local), at the nudge hour."""
    _require_zone(zone)
    _require_aware(decided_at, "decided_at")
    _require_nudge_hour(nudge_hour)

    decision_day = decided_at.astimezone(zone).date()
    day = next_mailing_day(decision_day + _ONE_DAY, country)
    return PlannedFollowUp(_DECISION_THANK_YOU, nudge_moment(day, zone, nudge_hour))


def is_public_holiday(day: date, country: str | None) -> bool:
    """Whether ``day`` is a public holiday of ``country`` (ISO 3166 alpha-2) in the ``holidays`` library.

    A country the library does not know has none (weekends still count)."""
    return country is not None and day in _holidays(country.upper(), day.year)


def next_mailing_day(day: date, country: str | None) -> date:
    """``day`` or the first day after it that is neither a Sunday nor a public holiday: the post goes out."""
    while day.weekday() == _SUNDAY or is_public_holiday(day, country):
        day += _ONE_DAY
    return day


def next_working_day(day: date, country: str | None) -> date:
    """``day`` or the first day after it that is neither a weekend day nor a public holiday."""
    while day.weekday() >= _SATURDAY or is_public_holiday(day, country):
        day += _ONE_DAY
    return day


@lru_cache(maxsize=32)
def _holidays(country: str, year: int) -> frozenset[date]:
    # Imported on a process's first plan (a submission, a confirmation, an edit or a decision), and then
    # only the one country's module and the calendars and holiday groups it uses: the packages' __init__
    # would import all ~280 countries and every lunar calendar's tables (followup.runtime.lazy_packages).
    from followup.runtime import lazy_packages

    lazy_packages.install("holidays.calendars", "holidays.groups", "holidays.countries")
    import holidays

    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the library has no calendar for
        return frozenset()


def at_expression(due_at: datetime) -> str:
    """EventBridge Scheduler's one-time expression for ``due_at``: its LOCAL wall time.

    Pair it with ``ScheduleExpressionTimezone = str(due_at.tzinfo)`` (the IANA key), so ``due_at``
    must carry a ``ZoneInfo`` with a key; a fixed offset has no IANA name and is refused.
    """
    _require_aware(due_at, "due_at")
    if not isinstance(due_at.tzinfo, ZoneInfo) or not due_at.tzinfo.key:
        raise ValueError("due_at must carry a ZoneInfo with an IANA key (the schedule's time zone)")
    return f"at({due_at.strftime('%Y-%m-%dT%H:%M:%S')})"


# --- the steps ---------------------------------------------------------------------------------


def _plan_thank_you_note(
    interview_day: date, zone: ZoneInfo, now_utc: datetime, nudge_hour: int, country: str | None
) -> PlannedFollowUp:
    due_day = next_mailing_day(interview_day + timedelta(days=THANK_YOU_DAYS_AFTER), country)
    due_at = nudge_moment(due_day, zone, nudge_hour)
    if _utc(due_at) > now_utc:
        return PlannedFollowUp(_THANK_YOU_NOTE, due_at)
    late_at = _next_allowed_moment(now_utc, zone, nudge_hour)
    if next_mailing_day(late_at.date(), country) != late_at.date():
        late_at = nudge_moment(next_mailing_day(late_at.date(), country), zone, nudge_hour)
    window_ends = _wall_moment(interview_day + timedelta(days=THANK_YOU_WINDOW_DAYS + 1), time(0), zone)
    if _utc(late_at) >= _utc(window_ends):
        return PlannedFollowUp(_THANK_YOU_NOTE, due_at, skipped=True)
    return PlannedFollowUp(_THANK_YOU_NOTE, late_at)


def _plan_check_in(
    interview_day: date, zone: ZoneInfo, now_utc: datetime, nudge_hour: int, expected_decision_days: int,
    country: str | None,
) -> PlannedFollowUp:
    due_day = next_working_day(interview_day + timedelta(days=expected_decision_days + CHECK_IN_GRACE_DAYS), country)
    due_at = nudge_moment(due_day, zone, nudge_hour)
    if _utc(due_at) > now_utc:
        return PlannedFollowUp(_CHECK_IN, due_at)
    late_at = _next_allowed_moment(now_utc, zone, nudge_hour)
    if next_working_day(late_at.date(), country) != late_at.date():
        late_at = nudge_moment(next_working_day(late_at.date(), country), zone, nudge_hour)
    return PlannedFollowUp(_CHECK_IN, late_at)


# --- moments -----------------------------------------------------------------------------------


def _next_allowed_moment(now_utc: datetime, zone: ZoneInfo, nudge_hour: int) -> datetime:
    """The next whole minute strictly after now if it falls in waking hours, else the next nudge hour."""
    next_minute = (now_utc.replace(second=0, microsecond=0) + _ONE_MINUTE).astimezone(zone)
    if AWAKE_FROM_HOUR <= next_minute.hour < AWAKE_UNTIL_HOUR:
        return next_minute
    today = now_utc.astimezone(zone).date()
    todays_nudge = nudge_moment(today, zone, nudge_hour)
    if _utc(todays_nudge) > now_utc:
        return todays_nudge
    return nudge_moment(today + _ONE_DAY, zone, nudge_hour)


def nudge_moment(day: date, zone: ZoneInfo, nudge_hour: int) -> datetime:
    return _wall_moment(day, time(nudge_hour), zone)


def _wall_moment(day: date, wall_time: time, zone: ZoneInfo) -> datetime:
    """``day`` at ``wall_time`` local. Ambiguous (fall-back): the first occurrence (fold=0).
    Non-existent (spring-forward gap): the first instant after the gap."""
    moment = datetime.combine(day, wall_time, tzinfo=zone)
    if _exists(moment):
        return moment
    return _end_of_gap(moment)


def _exists(moment: datetime) -> bool:
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _end_of_gap(moment: datetime) -> datetime:
    """The transition instant that opened the gap ``moment`` falls in, as a local time.

    In a gap, fold=1 maps with the offset after the transition (an instant before it) and fold=0
    with the offset before it (an instant after it); bisect between the two to the second.
    """
    zone = moment.tzinfo
    before = moment.replace(fold=1).astimezone(UTC)
    after = moment.replace(fold=0).astimezone(UTC)
    offset_after = after.astimezone(zone).utcoffset()
    while after - before > _ONE_SECOND:
        middle = before + timedelta(seconds=int((after - before).total_seconds()) // 2)
        if middle.astimezone(zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return after.astimezone(zone)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# --- argument checks ---------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _require_zone(zone: ZoneInfo) -> None:
    if not isinstance(zone, ZoneInfo):
        raise ValueError(f"zone must be a zoneinfo.ZoneInfo, not {type(zone).__name__}")


def _require_nudge_hour(nudge_hour: int) -> None:
    if isinstance(nudge_hour, bool) or not isinstance(nudge_hour, int) or not 0 <= nudge_hour <= 23:
        raise ValueError(f"nudge_hour must be an integer from 0 to 23, not {nudge_hour!r}")


def _require_expected_decision_days(days: int) -> None:
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not MIN_EXPECTED_DECISION_DAYS <= days <= MAX_EXPECTED_DECISION_DAYS
    ):
        raise ValueError(
            f"expected_decision_days must be an integer from {MIN_EXPECTED_DECISION_DAYS} "
            f"to {MAX_EXPECTED_DECISION_DAYS}, not {days!r}"
        )
