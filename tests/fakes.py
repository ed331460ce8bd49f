"""In-memory fakes of the ports (``followup.ports``): the store, the scheduler and the senders.

They keep what the adapters keep, with the same rules (a replace under the revision check, a create
with its idempotency record both or neither, a schedule per interview and step), so unit tests reach
the service and the delivery without moto. Each can be told to fail, to lose a race, or to let something
happen just before a call (a cancel arriving at that point).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from followup.domain import listing
from followup.domain.counts import Counts
from followup.domain.errors import ConcurrentModification, IdempotencyKeyTaken
from followup.domain.models import Interview
from followup.ports import (
    DuplicatePointer,
    Email,
    IdempotencyRecord,
    ImportProgress,
    LimitReached,
    LimitUse,
    OnOptOutList,
    OptOutCheck,
    PointerTaken,
    SendFailed,
    SendUnconfirmed,
    SmsPointer,
    SmsSent,
)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(UTC)

    def advance(self, **kwargs: float) -> datetime:
        self.current = self.current + timedelta(**kwargs)
        return self.current


class StoreFault(Exception):
    """What the store raises on a fault that is not a lost race (the adapter lets botocore's errors through)."""


class FakeCounters:
    """The report's counters by (day, metric), as ``adapters.counters.DynamoCounters`` keeps them. A
    ``FakeStore`` adds a write's counts here when, and only when, that write lands."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.faults = 0  # the next adds that fail (nothing counted)

    def add(self, counts: Counts) -> None:
        if self.faults > 0:
            self.faults -= 1
            raise StoreFault("ProvisionedThroughputExceededException")
        self.counts.update(counts)

    def read(self, first: date, last: date) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for (day, metric), n in self.counts.items():
            if first.isoformat() <= day <= last.isoformat():
                totals[metric] += n
        return {metric: n for metric, n in totals.items() if n}


class FakeStore:
    """Interviews by id and idempotency records by key digest, each copied in and out like a database; each
    write's counts go to ``counters`` with it."""

    def __init__(self, journal: list[str] | None = None, counters: FakeCounters | None = None,
                 limiter: FakeLimiter | None = None) -> None:
        self.counters = counters if counters is not None else FakeCounters()
        self.limiter = limiter  # the limits a write takes in its own transaction (``replace(limit=...)``)
        self.interviews: dict[str, Interview] = {}
        self.records: dict[str, IdempotencyRecord] = {}
        self.pointers: dict[str, str] = {}  # duplicate key -> interview id
        self.opt_outs: dict[str, tuple[str, int]] = {}  # address digest -> (reason, expires_at; 0 for good)
        self.sms_messages: dict[str, tuple[SmsPointer, int]] = {}  # message id -> (the nudge, expires_at)
        self.sms_numbers: dict[str, tuple[SmsPointer, int]] = {}  # number digest -> (the latest nudge, expires_at)
        self.imports: dict[str, ImportProgress] = {}  # import key -> how far it went
        self.journal = journal if journal is not None else []  # "create", "replace", "delete", in order
        # Another writer, once: called with a fresh copy of the stored interview just before the next
        # replace, its change is written first, so that replace loses the race.
        self.race: Callable[[Interview], None] | None = None
        self.faults = 0  # the next replaces that fail as the store would on a fault (nothing written)
        self.lost_answers = 0  # the next replaces that are written but whose answer is lost (a fault all the same)
        self.after_replace: Callable[[int], None] | None = None  # called with the replace's number once it is written
        self.replaces = 0

    def load(self, interview_id: str) -> Interview | None:
        stored = self.interviews.get(interview_id)
        return deepcopy(stored) if stored else None

    def load_for_token(self, interview_id: str, token_hash: str) -> Interview | None:
        stored = self.interviews.get(interview_id)
        return deepcopy(stored) if stored and any(g.hash == token_hash for g in stored.tokens) else None

    def create(self, interview: Interview, idempotency: IdempotencyRecord | None = None,
               counts: Counts | None = None, limits: tuple[LimitUse, ...] = (),
               unlisted: OptOutCheck | None = None) -> None:
        if idempotency is not None and idempotency.key_hash in self.records:
            raise IdempotencyKeyTaken(idempotency.key_hash)
        self._check(unlisted)
        self._take(limits)
        if interview.id in self.interviews:
            raise ConcurrentModification()
        self.interviews[interview.id] = deepcopy(interview)
        if idempotency is not None:
            self.records[idempotency.key_hash] = idempotency
        self.counters.counts.update(counts or {})
        self.journal.append("create")

    def replace(self, interview: Interview, counts: Counts | None = None, sms_sent: tuple[SmsSent, ...] = (), *,
                limit: LimitUse | None = None, opt_out: tuple[str, str] | None = None,
                pointers: tuple[DuplicatePointer, ...] = (), unlisted: OptOutCheck | None = None) -> Interview:
        if self.faults > 0:
            self.faults -= 1
            raise StoreFault("ProvisionedThroughputExceededException")
        if self.race is not None and interview.id in self.interviews:
            race, self.race = self.race, None
            other = deepcopy(self.interviews[interview.id])
            race(other)
            self.interviews[other.id] = replace(other, revision=other.revision + 1)
        current = self.interviews.get(interview.id)
        if current is None or current.revision != interview.revision:
            raise ConcurrentModification()
        taken = [p for p in pointers if self.pointers.get(p.key, p.interview_id) not in (p.interview_id, p.replacing)]
        if taken:  # the adapter's condition on each pointer: refused, nothing is written
            raise PointerTaken(taken[0].key)
        self._check(unlisted)
        self._take((limit,) if limit is not None else ())
        self.pointers.update({p.key: p.interview_id for p in pointers})
        if opt_out is not None:
            self.opt_outs[opt_out[0]] = (opt_out[1], 0)
        stored = replace(deepcopy(interview), revision=interview.revision + 1)
        self.interviews[interview.id] = stored
        self.counters.counts.update(counts or {})
        for sent in sms_sent:  # with the write, as the adapter's transaction
            self.sms_messages[sent.message_id] = SmsPointer(sent.interview_id, sent.step), sent.expires_at
            held = self.sms_numbers.get(sent.number)
            interviews = (held[0].interviews if held else frozenset()) | {sent.interview_id}
            self.sms_numbers[sent.number] = SmsPointer(sent.interview_id, sent.step, interviews), sent.expires_at
        self.journal.append("replace")
        self.replaces += 1
        if self.after_replace is not None:
            self.after_replace(self.replaces)
        if self.lost_answers > 0:
            self.lost_answers -= 1
            raise StoreFault("RequestTimeout")
        return deepcopy(stored)

    def _check(self, unlisted: OptOutCheck | None) -> None:
        """The adapter's condition checks: an address on the opt-out list refuses the write, saying why."""
        listed = {} if unlisted is None else {
            a: self.opt_outs[a][0] for a in unlisted.addresses if self._listed(a, unlisted.now_epoch)}
        if listed:
            raise OnOptOutList(listed)

    def _listed(self, address: str, now_epoch: int) -> bool:
        """On the opt-out list at ``now_epoch``: for good (no expiry), or until a later time."""
        held = self.opt_outs.get(address)
        return held is not None and (held[1] == 0 or held[1] > now_epoch)

    def _take(self, limits: tuple[LimitUse, ...]) -> None:
        """Each use in the write's transaction, as the adapter's: one refused, none is counted, nothing written."""
        if not limits:
            return
        if self.limiter is None:
            raise AssertionError("a write took a limit, but this store was given no limiter to keep it")
        refused = next((u for u in limits if self.limiter.left(u.scope, u.subject, u.limit, u.window, u.now) < 1), None)
        if refused is not None:
            raise LimitReached(refused)
        for use in limits:
            self.limiter.take(use.scope, use.subject, use.limit, use.window, use.now)

    def delete(self, interview: Interview) -> None:
        self.journal.append("delete")
        self.interviews.pop(interview.id, None)
        if interview.idempotency_key_hash is not None:
            self.records.pop(interview.idempotency_key_hash, None)

    def load_idempotency(self, key_hash: str) -> IdempotencyRecord | None:
        return self.records.get(key_hash)

    def load_pointer(self, key: str) -> str | None:
        return self.pointers.get(key)


    def load_import(self, key: str) -> ImportProgress | None:
        return self.imports.get(key)

    def save_import(self, progress: ImportProgress) -> None:
        self.imports[progress.key] = deepcopy(progress)

    def sms_pointer(self, message_id: str, now_epoch: int) -> SmsPointer | None:
        held = self.sms_messages.get(message_id)
        return held[0] if held and held[1] > now_epoch else None

    def latest_sms(self, number: str, now_epoch: int) -> SmsPointer | None:
        held = self.sms_numbers.get(number)
        return held[0] if held and held[1] > now_epoch else None

    def opted_out(self, addresses: list[str], now_epoch: int) -> dict[str, str]:
        return {a: self.opt_outs[a][0] for a in addresses if a in self.opt_outs
                and (not self.opt_outs[a][1] or self.opt_outs[a][1] > now_epoch)}

    def lift_opt_out(self, address: str, reason: str) -> None:
        if self.opt_outs.get(address, ("", 0))[0] == reason:
            del self.opt_outs[address]

    def opt_out(self, address: str, reason: str, expires_at: int = 0) -> None:
        held = self.opt_outs.get(address)
        if expires_at and held is not None and not held[1]:
            return  # as the adapter: one that expires never replaces one for good
        self.opt_outs[address] = (reason, expires_at)

    def list_interviews(self, query: listing.ListQuery, now_epoch: int) -> listing.Page:
        """The index read as the adapter reads it: the partition newest first, filtered, after the cursor."""
        after = listing.decode_cursor(query.cursor, query).created_key if query.cursor else None
        listed = [i for i in self.interviews.values()
                  if query.recruiter is None or listing.recruiter_key(i) == query.recruiter]
        ordered = sorted(listed, key=listing.created_key, reverse=True)
        found = [deepcopy(i) for i in ordered
                 if (after is None or listing.created_key(i) < after) and listing.matches(i, query, now_epoch)]
        if len(found) > query.limit:
            page = found[: query.limit]
            return listing.Page(page, listing.encode_cursor(listing.position_of(page[-1], query)))
        return listing.Page(found, None)


@dataclass(frozen=True)
class Schedule:
    version: int
    due_at: datetime


class FakeScheduler:
    """One schedule per (interview id, step); the calls go to the journal ("put <step>", "delete <step>").

    Share one journal with a ``FakeStore`` to see the order of the writes and the schedule calls.
    """

    def __init__(self, journal: list[str] | None = None) -> None:
        self.schedules: dict[tuple[str, str], Schedule] = {}
        self.journal = journal if journal is not None else []

    def put(self, interview_id: str, step: str, version: int, due_at: datetime) -> None:
        if due_at.tzinfo is None:
            raise ValueError("a schedule needs an aware due time")
        self.journal.append(f"put {step}")
        self.schedules[(interview_id, step)] = Schedule(version, due_at)

    def delete(self, interview_id: str, step: str) -> None:
        self.journal.append(f"delete {step}")
        self.schedules.pop((interview_id, step), None)

    def of(self, interview_id: str) -> dict[str, Schedule]:
        return {step: schedule for (owner, step), schedule in self.schedules.items() if owner == interview_id}


@dataclass
class FakeSenders:
    """Records what is sent; ``failures`` makes the next sends on a channel fail, that many times;
    ``before(call)`` runs just before each call ("email", "opt_out", "sms")."""

    opted_out: set[str] = field(default_factory=set)
    failures: dict[str, int] = field(default_factory=dict)  # "email" | "sms" -> how many sends still fail
    emails: list[Email] = field(default_factory=list)
    sms: list[tuple[str, str]] = field(default_factory=list)
    before: Callable[[str], None] | None = None
    lost_answers: set[str] = field(default_factory=set)  # channels whose next send goes out but its answer is lost

    def send_email(self, email: Email) -> str:
        self._before("email")
        self._maybe_fail("email")
        self.emails.append(email)
        self._maybe_lose_answer("email")
        return f"email-{len(self.emails)}"

    def phone_opted_out(self, phone: str) -> bool:
        self._before("opt_out")
        return phone in self.opted_out

    def send_sms(self, phone: str, text: str) -> str:
        self._before("sms")
        self._maybe_fail("sms")
        self.sms.append((phone, text))
        self._maybe_lose_answer("sms")
        return f"sms-{len(self.sms)}"

    def _before(self, call: str) -> None:
        if self.before is not None:
            self.before(call)

    def _maybe_lose_answer(self, channel: str) -> None:
        if channel in self.lost_answers:
            self.lost_answers.discard(channel)
            raise SendUnconfirmed("ReadTimeoutError")

    def _maybe_fail(self, channel: str) -> None:
        if self.failures.get(channel, 0) > 0:
            self.failures[channel] -= 1
            raise SendFailed("InternalError")


class FakeLimiter:
    """Counters per scope, subject and fixed window, as ``adapters.limits.DynamoLimiter`` keeps them."""

    def __init__(self) -> None:
        self.uses: dict[tuple[str, str, int], int] = {}

    def left(self, scope: str, subject: str, limit: int, window: timedelta, now: datetime) -> int:
        """Uses left in the window holding ``now``."""
        length = int(window.total_seconds())
        return limit - self.uses.get((scope, subject, int(now.timestamp()) // length * length), 0)

    def take(self, scope: str, subject: str, limit: int, window: timedelta, now: datetime) -> int | None:
        length = int(window.total_seconds())
        start = int(now.timestamp()) // length * length
        key = (scope, subject, start)
        if self.uses.get(key, 0) >= limit:
            return start + length - int(now.timestamp())
        self.uses[key] = self.uses.get(key, 0) + 1
        return None
