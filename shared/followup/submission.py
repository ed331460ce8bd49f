"""Submitting an interview, and its idempotency.

A client may send ``Idempotency-Key`` with a submission. Within ``IDEMPOTENCY_WINDOW``:
- the same key with the same submission (a retry) gets the first answer back, and nothing new is made;
- the same key with another submission is refused (``IdempotencyKeyReused``), naming the header;
- two twins racing with one key: the store lets one win (the interview and its record are written in
  one transaction); the loser's schedules are deleted and it answers the winner's result;
- a key whose interview was erased since answers ``InterviewNotFound``: the first answer went with it.
Keys and submissions are kept as digests only.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from followup import transitions
from followup.commands import SubmitInterview
from followup.config import Settings
from followup.errors import (
    ConcurrentModification,
    IdempotencyKeyReused,
    IdempotencyKeyTaken,
    InterviewNotFound,
    RateLimited,
)
from followup.models import CreatedInterviewView, to_view
from followup.observability import logger
from followup.ports import IdempotencyRecord, Limiter, Store
from followup.tokens import hash_token, manage_url, new_token
from followup.unit_of_work import UnitOfWork

IDEMPOTENCY_WINDOW = timedelta(hours=24)
SUBMISSION_WINDOW = timedelta(hours=1)  # SUBMISSIONS_PER_HOUR_PER_CLIENT counts in this window


def digest(text: str) -> str:
    """A fingerprint of an Idempotency-Key or of a submission, to find and compare them (SHA-256, hex)."""
    return hashlib.sha256(text.encode()).hexdigest()


class Submissions:
    def __init__(
        self, settings: Settings, store: Store, work: UnitOfWork, limiter: Limiter, now: Callable[[], datetime]
    ) -> None:
        self.settings = settings
        self.store = store
        self.work = work
        self.limiter = limiter
        self.now = now

    def submit(self, command: SubmitInterview, *, client: str, idempotency_key: str | None = None) -> dict:
        """Store a new interview and schedule its follow-ups; answers the created view as a JSON-ready dict."""
        request_hash = digest(command.model_dump_json())
        key_hash = digest(idempotency_key) if idempotency_key else None
        if key_hash:
            replay = self._replay(key_hash, request_hash)
            if replay is not None:
                return replay

        now = self.now()
        interview_id = secrets.token_hex(6)
        token = new_token(interview_id)
        interview, schedules = transitions.submit(
            command,
            interview_id=interview_id,
            token_hash=hash_token(token),
            idempotency_key_hash=key_hash,
            now=now,
            nudge_hour=self.settings.nudge_hour,
        )
        # Counted once the submission is known to be valid (a refused one changes nothing), before anything is
        # written; a replay above is not a new submission and is not counted.
        wait = self.limiter.take("submissions", client, self.settings.submissions_per_hour_per_client,
                                 SUBMISSION_WINDOW, now)
        if wait is not None:
            logger.info("submission limit reached", extra={"retry_after": wait})
            raise RateLimited("too many submissions from this address; try again later", retry_after=wait)
        created = CreatedInterviewView(
            **to_view(interview).model_dump(),
            manage_token=token,
            manage_url=manage_url(self.settings.base_url, interview_id, token),
        ).model_dump(mode="json")
        record = None
        if key_hash:
            record = IdempotencyRecord(
                key_hash=key_hash,
                request_hash=request_hash,
                interview_id=interview_id,
                response=json.dumps(created),
                expires_at=int((now + IDEMPOTENCY_WINDOW).timestamp()),
            )
        try:
            self.work.create(interview, schedules, record)
        except IdempotencyKeyTaken:
            replay = self._replay(key_hash or "", request_hash)
            if replay is None:
                raise ConcurrentModification() from None
            return replay
        logger.info(
            "interview submitted",
            extra={"interview_id": interview_id, "follow_ups": {s: f.status for s, f in interview.follow_ups.items()}},
        )
        return created

    def _replay(self, key_hash: str, request_hash: str) -> dict | None:
        record = self.store.load_idempotency(key_hash)
        if record is None or record.expires_at < int(self.now().timestamp()):
            return None
        if record.request_hash != request_hash:
            raise IdempotencyKeyReused(fields=[("Idempotency-Key", IdempotencyKeyReused.message)])
        if self.store.load(record.interview_id) is None:
            raise InterviewNotFound()  # submitted, then deleted: the first answer is gone with it
        logger.info("idempotent replay", extra={"interview_id": record.interview_id})
        return json.loads(record.response)
