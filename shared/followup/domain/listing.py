"""The firm's list of interviews: which index, which filters, and the cursor that pages through it. Pure.

Two sparse global secondary indexes of the one table hold every interview (the table's other items, limits,
counters, pointers and opt-outs, carry none of their keys):

- ``ByRecruiter``: partition ``recruiter_key`` = the Cognito ``sub`` of the recruiter who enrolled it, or
  ``"public"`` (``PUBLIC``) for a submission of the public form; a recruiter's own list, an admin's
  ``recruiter=<sub>`` list, and an admin's ``recruiter=public`` list of the public form's submissions (a sub
  is a UUID, never ``public``);
- ``ByFirm``: partition ``firm_key`` = ``"FIRM"`` for every one of them; an admin's list of everyone's,
  public submissions included.

An interview written before public submissions were indexed joins both with its next write.

Both sort by ``created_key`` = the moment of enrolment in UTC then the id (``2026-03-10T19:00:00.000000Z#<id>``),
read newest first (``ScanIndexForward`` false). One constant partition is enough at a firm's scale: a GSI
partition takes 1,000 writes a second, and an interview is written a handful of times in its life. A firm
a thousand times larger would shard ``firm_key`` by a digit of the id and merge the shards' pages.

Filters (combined with AND; each a DynamoDB filter, applied after the Query reads the items):
- ``status``: the interview's status (``awaiting_confirmation``, ``active``, ``decided``, ``cancelled``);
- ``step``: interviews whose NEXT follow-up still to go out is that step: it is pending (``planned`` while
  awaiting confirmation, ``scheduled``, or in flight) and no earlier step is. ``step=check_in`` lists those
  whose thank-you nudge went (or ended) and whose check-in is still to come.
Expired interviews (past ``expires_at``, not yet deleted by TTL) are never listed.

The cursor is opaque to clients: base64url of the last item's key (its id, its partition, its sort key).
One that does not decode to a key of this very list is refused (``InvalidFields`` naming ``cursor``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from followup.domain.errors import InvalidFields
from followup.domain.models import STEPS, Interview, InterviewStatus, Step

BY_RECRUITER = "ByRecruiter"
BY_FIRM = "ByFirm"
RECRUITER_KEY = "recruiter_key"
FIRM_KEY = "firm_key"
CREATED_KEY = "created_key"
FIRM_PARTITION = "FIRM"
PUBLIC = "public"  # recruiter_key of the public form's submissions (recruiter=public)
INDEX_ATTRIBUTES = (RECRUITER_KEY, FIRM_KEY, CREATED_KEY)
PENDING = ("planned", "scheduled", "sending")  # a follow-up still to go out
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
MAX_CURSOR = 512
_ID = re.compile(r"[0-9a-f]{1,64}")


@dataclass(frozen=True)
class ListQuery:
    """One page of the list: everyone's (``recruiter`` None), one recruiter's, or the public form's (``PUBLIC``),
    filtered, after ``cursor``."""

    recruiter: str | None = None
    status: InterviewStatus | None = None
    step: Step | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT

    @property
    def index(self) -> str:
        return BY_FIRM if self.recruiter is None else BY_RECRUITER

    @property
    def partition_attribute(self) -> str:
        return FIRM_KEY if self.recruiter is None else RECRUITER_KEY

    @property
    def partition(self) -> str:
        return FIRM_PARTITION if self.recruiter is None else self.recruiter


@dataclass(frozen=True)
class Page:
    items: list[Interview]
    next_cursor: str | None


@dataclass(frozen=True)
class Position:
    """Where a page ended: the last item's id and its index keys."""

    interview_id: str
    partition: str
    created_key: str


def created_key(interview: Interview) -> str:
    """The sort key: enrolment in UTC (fixed width, so text order is time order), then the id (a tie-break)."""
    moment = datetime.fromisoformat(interview.created_at).astimezone(UTC)
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{interview.id}"


def index_attributes(interview: Interview) -> dict[str, str]:
    """The attributes that put an interview in both indexes: under its recruiter, or ``PUBLIC`` for a submission
    of the public form."""
    return {RECRUITER_KEY: recruiter_key(interview), FIRM_KEY: FIRM_PARTITION, CREATED_KEY: created_key(interview)}


def recruiter_key(interview: Interview) -> str:
    """Whose list in ``ByRecruiter`` the interview is on: its recruiter's ``sub``, or ``PUBLIC``."""
    return interview.recruiter.id if interview.recruiter is not None else PUBLIC


def encode_cursor(position: Position) -> str:
    raw = json.dumps([position.interview_id, position.partition, position.created_key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


BAD_CURSOR = "is not a cursor this list gave: start again without it"


def decode_cursor(cursor: str, query: ListQuery) -> Position:
    """The position a cursor names, if it is one of this list's (same partition); else ``InvalidFields``."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        interview_id, partition, created = json.loads(raw.decode())
        position = Position(interview_id, partition, created)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidFields("the cursor is invalid", fields=[("cursor", BAD_CURSOR)]) from None
    well_formed = (
        all(isinstance(v, str) for v in (position.interview_id, position.partition, position.created_key))
        and _ID.fullmatch(position.interview_id) is not None
        and position.created_key.endswith(f"#{position.interview_id}")
    )
    if not well_formed or position.partition != query.partition:
        raise InvalidFields("the cursor is invalid", fields=[("cursor", BAD_CURSOR)])
    return position


def position_of(interview: Interview, query: ListQuery) -> Position:
    return Position(interview.id, query.partition, created_key(interview))


def matches(interview: Interview, query: ListQuery, now_epoch: int) -> bool:
    """The filters as the store applies them (``followup.adapters.store`` writes the same as a FilterExpression)."""
    if interview.expires_at and interview.expires_at <= now_epoch:
        return False
    if query.status is not None and interview.status != query.status:
        return False
    return query.step is None or next_step(interview) == query.step


def next_step(interview: Interview) -> str | None:
    """The first follow-up, in step order, still to go out."""
    return next((s for s in STEPS if s in interview.follow_ups and interview.follow_ups[s].status in PENDING), None)


def earlier_steps(step: str) -> tuple[str, ...]:
    return STEPS[: STEPS.index(step)]  # type: ignore[arg-type]
