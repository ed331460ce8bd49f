"""The firm's CSV import, run so that a retry never duplicates and no request outlives the API's timeout.

- **Each row once.** A row is enrolled with an Idempotency-Key of its natural key (the recruiter's, by the
  submission's own idempotency): its canonical destinations, the company and the interview's day. The same
  row sent again, in a retried request or in another file, answers the interview it made the first time and
  sends nothing; the same key with other details is refused for that row. A row repeating an earlier row of
  the same file is refused, naming it.
- **Each request bounded.** Rows are enrolled until ``BUDGET`` has passed; what was answered so far is kept
  (``Store.save_import``, under a digest of the recruiter and the file's bytes) and the request answers
  ``202`` with ``status: "partial"``: sending the same file again goes on from there. Once every row is
  answered, the answer is ``200``, and the same file sent again within ``KEPT`` gets that answer back at once.

The HTTP API gives up on a request after 30 seconds; 500 rows take longer than that on a cold, slow moment
(each row is a write, its limit and a confirmation sent), so the page sends the file again while it is partial.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from conversions import submit_command

from followup.api.requests import InterviewSubmission
from followup.domain.destinations import canonical
from followup.domain.errors import FollowUpError, IdempotencyKeyReused
from followup.domain.identity import FirmUser
from followup.ports import ImportProgress
from followup.runtime.observability import logger
from followup.usecases.firm_service import FirmService

BUDGET = 18.0  # seconds of rows a request enrols before it answers partial (the API waits at most 30)
SAVE_EVERY = 25  # rows between two records of the progress: a request cut short redoes at most these (as replays)
KEPT = timedelta(hours=24)  # how long a finished import's answer is kept for the same file


def natural_key(submission: InterviewSubmission) -> str:
    """What makes a row the same interview: where it sends (canonically), the company and the day."""
    email, phone = submission.candidate.email, submission.candidate.phone
    company = " ".join(submission.company.casefold().split())
    return "\n".join(("csv-import", canonical("email", email) if email else "", phone or "", company,
                      submission.interview_at.date().isoformat()))


def import_key(user: FirmUser, body: bytes) -> str:
    return hashlib.sha256(f"{user.sub}\n".encode() + hashlib.sha256(body).digest()).hexdigest()


def run(service: FirmService, user: FirmUser, body: bytes, rows: list[Any], column_of: Callable[[str], str], *,
        budget: float | None = None, clock: Callable[[], float] = time.monotonic) -> tuple[ImportProgress, bool]:
    """Answer the file's rows from where the last request for it stopped, until done or ``budget`` (default
    ``BUDGET``) runs out. Returns the progress and whether every row is answered."""
    budget = BUDGET if budget is None else budget
    store = service.service.store
    key = import_key(user, body)
    now = service.service.now()
    progress = store.load_import(key)
    if progress is None or progress.expires_at <= int(now.timestamp()) or progress.total != len(rows):
        progress = ImportProgress(key=key, total=len(rows), rows=[], expires_at=int((now + KEPT).timestamp()))
    retry = next((i for i, answer in enumerate(progress.rows) if answer.get("retry")), len(progress.rows))
    progress = ImportProgress(key, len(rows), progress.rows[:retry], progress.expires_at)  # a fault's row is tried again
    first_of: dict[str, int] = {}
    for row in rows:
        if row.submission is not None:
            first_of.setdefault(natural_key(row.submission), row.number)
    started, answered = clock(), list(progress.rows)
    for row in rows[len(answered):]:  # at least one row a request: each one goes on
        answered.append(_answer(service, user, row, first_of, column_of))
        if len(answered) % SAVE_EVERY == 0:
            store.save_import(ImportProgress(key, len(rows), answered, progress.expires_at))
        if clock() - started > budget:
            break
    if answered != progress.rows or not answered:
        store.save_import(ImportProgress(key, len(rows), answered, progress.expires_at))
    progress = ImportProgress(key, len(rows), answered, progress.expires_at)
    done = len(answered) == len(rows)
    logger.info("csv import", extra={"rows": len(rows), "answered": len(answered), "done": done})
    return progress, done


def _answer(service: FirmService, user: FirmUser, row: Any, first_of: dict[str, int],
            column_of: Callable[[str], str]) -> dict:
    if row.submission is None:
        return _refused(row.number, row.errors)
    key = natural_key(row.submission)
    if first_of[key] != row.number:
        return _refused(row.number, [("row", f"is the same interview as row {first_of[key]} (the same address, "
                                             "company and day): it was left out")])
    try:
        answer = service.enrol(user, submit_command(row.submission), idempotency_key=key)
    except IdempotencyKeyReused:
        return _refused(row.number, [("row", "an interview for this address, company and day was already imported "
                                             "with other details: change it on the interview instead")])
    except FollowUpError as exc:  # a rule of the form or a limit: this row only, nothing of it stored
        return _refused(row.number, [(column_of(f), m) for f, m in exc.fields] or [("row", exc.message)])
    except Exception as exc:  # noqa: BLE001 - an AWS fault on this row: the others are answered all the same
        logger.error("csv row failed", extra={"row": row.number, "error": type(exc).__name__})
        return {**_refused(row.number, [("row", "could not be stored; import the file again to retry this row")]),
                "retry": True}
    return {"row": row.number, "status": "created", "id": answer["id"]}


def _refused(number: int, errors: list[tuple[str, str]]) -> dict:
    return {"row": number, "status": "refused", "errors": [{"column": c, "message": m} for c, m in errors]}
