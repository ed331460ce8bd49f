"""The one place a change reaches the store and the scheduler, and the one ordering rule they follow.

The stored interview is the source of truth, and a follow-up is never lost:

- a schedule is created **before** the write that makes it meaningful: one that fires for a write that
  never happened finds no matching follow-up (or an older version) and does nothing;
- a schedule is moved or deleted **after** the write that changes or ends its follow-up: one that fires
  in between finds a newer version, or a follow-up no longer pending, and does nothing.

The recruiter's coalesced alert (``followup.usecases.alerts``, schedule ``<id>-recruiter_alert``) follows the same rule:
created before the write that makes it due, deleted after the one that ends it.

A write replaces the whole interview under its ``revision``; a write that loses a race to another
writer is applied again, on a fresh copy, so neither side's change is lost. Erasing follows the same
rule: the interview is deleted first, then the schedules that could still fire.

Each write carries what it counts for the firm's report (``followup.domain.counts.changes`` of the stored copy
and the new one, on the day in ``zone``, the firm's): the store adds them in the same transaction, so a
write that loses its race, and is applied again, counts once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from followup.domain import counts, tokens, transitions
from followup.domain.errors import ConcurrentModification, IdempotencyKeyTaken, InterviewNotFound
from followup.domain.models import Interview, TokenGrant, TokenKind
from followup.domain.tokens import grant_of, live
from followup.domain.transitions import ScheduleChanges, Transition
from followup.ports import (
    DuplicatePointer,
    IdempotencyRecord,
    LimitReached,
    LimitUse,
    OnOptOutList,
    OptOutCheck,
    Scheduler,
    Store,
)
from followup.runtime.observability import count, logger
from followup.usecases import alerts

WRITE_ATTEMPTS = 4

Change = Callable[[Interview, datetime], Transition]  # the stored interview and now -> what to write and schedule
GrantedChange = Callable[[Interview, TokenGrant, datetime], Transition]  # the same, knowing the token's grant
Pointers = Callable[[Interview], tuple[DuplicatePointer, ...]]  # the interview to write -> the pointers it carries


class UnitOfWork:
    def __init__(self, store: Store, scheduler: Scheduler, now: Callable[[], datetime], zone: str = "UTC") -> None:
        self.store = store
        self.scheduler = scheduler
        self.now = now
        self.zone = ZoneInfo(zone)  # the firm's: the day each count falls on

    def load(self, interview_id: str, token: str, kind: TokenKind = "manage") -> Interview:
        """The interview, if the token is one of its own; any other case answers the same ``InterviewNotFound``."""
        return self.authorise(interview_id, token, kind)[0]

    def authorise(self, interview_id: str, token: str, kind: TokenKind = "manage") -> tuple[Interview, TokenGrant]:
        """The interview and the grant ``token`` holds on it for ``kind``: a token of another kind, expired,
        or not its own, and an interview past its expiry (TTL may take days to delete it), all answer
        the same ``InterviewNotFound``."""
        if not token.startswith(f"{interview_id}."):
            raise InterviewNotFound()
        now = self.now()
        digest = tokens.hash_token(token)
        # Read filtered on the token: a wrong token reads nothing, whether or not the id exists; what is read is
        # still checked here (kind, expiry), and a missing interview still compares the token against the dummy.
        interview = self.store.load_for_token(interview_id, digest)
        if interview is not None and interview.expires_at and interview.expires_at <= int(now.timestamp()):
            interview = None
        grant = grant_of(interview.tokens if interview is not None else [], digest, kind, now)
        if interview is None or grant is None:
            raise InterviewNotFound()
        return interview, grant

    def load_live(self, interview_id: str) -> Interview | None:
        """The stored interview unless it is past its expiry: what reads may see, with no token check."""
        interview = self.store.load(interview_id)
        if interview is None or (interview.expires_at and interview.expires_at <= int(self.now().timestamp())):
            return None
        return interview

    def apply(self, interview_id: str, token: str, change: Change, kind: TokenKind = "manage") -> Interview:
        """Load (with the access check), change, stamp, and write under the ordering rule; retry a lost race.
        A change that gives the same interview object back changes nothing: nothing is written."""
        return self._apply(interview_id, lambda: self.load(interview_id, token, kind), change)

    def apply_as(self, interview_id: str, token: str, change: GrantedChange, kind: TokenKind = "manage", *,
                 pointers: Pointers | None = None) -> Interview:
        """``apply`` for a change that depends on what the token may do (the channel a manage token is bound to);
        ``pointers``: the duplicate pointers the write carries, from the interview it writes (``PointerTaken``
        when one names another interview: nothing is written)."""
        held: dict[str, TokenGrant] = {}

        def load() -> Interview:
            interview, held["grant"] = self.authorise(interview_id, token, kind)
            return interview

        return self._apply(interview_id, load, lambda interview, now: change(interview, held["grant"], now), pointers)

    def apply_unchecked(self, interview_id: str, change: Change) -> Interview | None:
        """``apply`` on the service's own initiative (no token): None when the interview is gone or expired."""
        try:
            return self._apply(interview_id, lambda: self._must_exist(interview_id), change)
        except InterviewNotFound:
            return None

    def load_where(self, interview_id: str, allowed: Callable[[Interview], bool]) -> Interview:
        """The live interview if ``allowed`` says the caller may see it; else the same ``InterviewNotFound``
        as an unknown id (a recruiter cannot tell another recruiter's interview from none)."""
        interview = self.load_live(interview_id)
        if interview is None or not allowed(interview):
            raise InterviewNotFound()
        return interview

    def apply_where(self, interview_id: str, allowed: Callable[[Interview], bool], change: Change) -> Interview:
        """``apply`` for a caller with no token, whose right to the interview ``allowed`` decides (the firm)."""
        return self._apply(interview_id, lambda: self.load_where(interview_id, allowed), change)

    def _must_exist(self, interview_id: str) -> Interview:
        interview = self.load_live(interview_id)
        if interview is None:
            raise InterviewNotFound()
        return interview

    def _apply(self, interview_id: str, load: Callable[[], Interview], change: Change,
               pointers: Pointers | None = None) -> Interview:
        for attempt in range(WRITE_ATTEMPTS):
            interview = load()
            now = self.now()
            updated, schedules = change(interview, now)
            if updated is interview:
                return interview
            updated.tokens = live(updated.tokens, now)
            updated = transitions.stamped(updated, now)
            self._put(updated, schedules.create_before_write)
            try:
                stored = self.store.replace(updated, counts.changes(interview, updated, now, self.zone),
                                            pointers=pointers(updated) if pointers else ())
            except ConcurrentModification:
                logger.info("write conflict, retrying", extra={"interview_id": interview_id, "attempt": attempt})
                continue
            self._after_write(stored, schedules)
            return stored
        raise ConcurrentModification()

    def create(self, interview: Interview, schedules: ScheduleChanges, record: IdempotencyRecord | None,
               limits: tuple[LimitUse, ...] = (), also: counts.Counts | None = None,
               unlisted: OptOutCheck | None = None) -> None:
        """Store a new interview under the ordering rule, with the limit uses it takes and its counts (``also``:
        more the caller counts with it), in one write. If a twin request holding the same Idempotency-Key won
        (``IdempotencyKeyTaken``), or a limit refused (``LimitReached``), ours never existed, so neither do its
        schedules: they are deleted. ``unlisted``: the addresses the write checks are on no opt-out list."""
        self._put(interview, schedules.create_before_write)
        counted = counts.changes(None, interview, self.now(), self.zone)
        for key, n in (also or {}).items():
            counted[key] = counted.get(key, 0) + n
        try:
            self.store.create(interview, record, counted, limits, unlisted)
        except (IdempotencyKeyTaken, LimitReached, OnOptOutList):
            for step in schedules.create_before_write:
                self.scheduler.delete(interview.id, step)
            raise
        self._after_write(interview, schedules)

    def erase(self, interview_id: str, token: str) -> None:
        """Delete the interview (and its idempotency record), then every schedule that could still fire."""
        interview = self.load(interview_id, token)
        self.store.delete(interview)
        self._after_write(interview, transitions.erase(interview))

    def _after_write(self, stored: Interview, schedules: ScheduleChanges) -> None:
        self._put(stored, schedules.put_after_write)
        for step in schedules.delete_after_write:
            self.scheduler.delete(stored.id, step)
        for step in schedules.create_before_write:
            if step != alerts.SCHEDULE:
                count("FollowUpScheduled", step=step)  # counted once the write made it real

    def _put(self, interview: Interview, steps: Iterable[str]) -> None:
        for step in steps:
            if step == alerts.SCHEDULE:  # the recruiter's coalesced alert (followup.usecases.alerts), due in UTC
                self.scheduler.put(interview.id, step, interview.recruiter_alert.version,  # type: ignore[union-attr]
                                   alerts.due_at(interview))
                continue
            follow_up = interview.follow_ups[step]
            # The schedule names the zone, so the stored offset is turned back into the candidate's ZoneInfo.
            due_at = datetime.fromisoformat(follow_up.due_at).astimezone(ZoneInfo(interview.candidate.time_zone))
            self.scheduler.put(interview.id, step, follow_up.version, due_at)
