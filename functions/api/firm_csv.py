"""The firm's CSV import: one interview a row, each validated as the public form's body, errors by column.

The file: UTF-8 (a byte-order mark is fine), a header row naming the columns, then up to ``MAX_ROWS`` rows.
Columns (any order; the optional ones may be left out of the header):
``candidate_name, preferred_name, email, phone, time_zone, locale, language, channels, sms_consent, company, role,
interviewer_name, interviewer_title, interview_at, expected_decision_days``. ``channels`` lists ``email``
and/or ``sms`` (any case) separated by spaces or semicolons; ``sms_consent`` is ``true`` or ``false`` (empty: false);
an empty cell is a field left out. ``preferred_name`` and ``locale`` are taken where the form takes them.
``language`` is a language the product speaks, by its code or its name in English or in itself (``es``,
``Spanish``, ``Español``, any case): it becomes the candidate's locale (with ``locale``'s region when both are
given, else the firm's); empty, the firm's default.

A file that cannot be read as such (empty, not CSV, an unknown or missing column, no row) is refused whole
(``InvalidFields`` naming the column, or ``file``); more than ``MAX_ROWS`` rows is ``TooLarge``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from followup.api.requests import CandidateIn, InterviewSubmission
from followup.domain.errors import InvalidFields, TooLarge

MAX_ROWS = 500
MAX_BYTES = 1024 * 1024
COLUMNS = (
    "candidate_name", "preferred_name", "email", "phone", "time_zone", "locale", "language", "channels",
    "sms_consent", "company", "role", "interviewer_name", "interviewer_title", "interview_at", "expected_decision_days",
)
# What a spreadsheet may write in the language column, folded to lower case: each code, and each language's name
# in English and in itself, with and without its accent.
LANGUAGE_NAMES: dict[str, str] = {"en": "en", "english": "en", "inglés": "en", "ingles": "en",
                                  "es": "es", "spanish": "es", "español": "es", "espanol": "es"}
REQUIRED = ("candidate_name", "time_zone", "channels", "company", "role", "interviewer_name", "interview_at")
# Where each column goes in the form's body, and back (a field's errors are reported by its column).
FIELD_OF_COLUMN: dict[str, tuple[str, ...]] = {
    "candidate_name": ("candidate", "name"),
    "preferred_name": ("candidate", "preferred_name"),
    "email": ("candidate", "email"),
    "phone": ("candidate", "phone"),
    "time_zone": ("candidate", "time_zone"),
    "locale": ("candidate", "locale"),
    "language": ("candidate", "locale"),
    "channels": ("channels",),
    "sms_consent": ("sms_consent",),
    "company": ("company",),
    "role": ("role",),
    "interviewer_name": ("interviewer", "name"),
    "interviewer_title": ("interviewer", "title"),
    "interview_at": ("interview_at",),
    "expected_decision_days": ("expected_decision_days",),
}
COLUMN_OF_FIELD = {".".join(path): column for column, path in FIELD_OF_COLUMN.items() if column != "language"}


@dataclass(frozen=True)
class Row:
    number: int  # the row's number in the file, the header being 1 (as a spreadsheet numbers it)
    submission: InterviewSubmission | None
    errors: list[tuple[str, str]]  # (column, message)


def column_of(field: str) -> str:
    """The column a field of the form's body (``candidate.email``, ``channels.0``) came from."""
    parts = field.split(".")
    for size in range(len(parts), 0, -1):
        column = COLUMN_OF_FIELD.get(".".join(parts[:size]))
        if column is not None:
            return column
    return "row"


def read(body: bytes) -> list[Row]:
    """Every row of the file, validated; raises for a file that cannot be imported at all.

    ``UnicodeDecodeError`` for bytes that are not UTF-8 (answered 400 like any body that is not text)."""
    import csv  # the import's alone: not loaded by any other request (cold start)
    import io

    text = body.decode("utf-8-sig")
    if not text.strip():
        raise InvalidFields("the file is empty", fields=[("file", "is empty: send a header row and one row per interview")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        lines = []
        for number, line in enumerate(reader, start=2):  # a blank row is skipped, and still counted
            if any(cell.strip() for cell in line):
                lines.append((number, line))
            if len(lines) > MAX_ROWS:
                raise TooLarge(f"the file has more than {MAX_ROWS} rows; split it into files of at most {MAX_ROWS}")
    except csv.Error as exc:
        raise InvalidFields("the file is not valid CSV", fields=[("file", f"is not valid CSV: {exc}")]) from None
    _check_header(header)
    if not lines:
        raise InvalidFields("the file has no rows", fields=[("file", "has a header row but no interview rows")])
    return [_row(number, header, cells) for number, cells in lines]


def _check_header(header: list[str]) -> None:
    problems = [(name or "(blank)", f"is not a column of the import; the columns are {', '.join(COLUMNS)}")
                for name in header if name not in COLUMNS]
    problems += [(name, "appears twice in the header row") for name in sorted(set(header)) if header.count(name) > 1]
    problems += [(name, "is missing from the header row") for name in REQUIRED if name not in header]
    if problems:
        raise InvalidFields("the header row is not the import's", fields=problems)


def _row(number: int, header: list[str], cells: list[str]) -> Row:
    if len(cells) > len(header):
        return Row(number, None, [("row", f"has {len(cells)} values but the header has {len(header)} columns")])
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
    language = values.pop("language", "")
    refused = []
    if language:
        if language.lower() not in LANGUAGE_NAMES:
            refused = [("language", "is not a language the messages are written in: write English or Spanish "
                                    "(en or es), or leave it empty for the firm's default")]
        else:  # the language, in the locale's region when the row gives one
            region = values.get("locale", "").replace("_", "-").partition("-")[2]
            values["locale"] = "-".join(part for part in (LANGUAGE_NAMES[language.lower()], region) if part)
    try:
        submission = InterviewSubmission.model_validate(body_of(values))
    except ValueError as exc:  # pydantic's ValidationError
        return Row(number, None, refused + errors_of(exc))
    return Row(number, None, refused) if refused else Row(number, submission, [])


def body_of(values: dict[str, str]) -> dict[str, Any]:
    """The form's JSON body for one row: empty cells left out, the two typed columns read from text."""
    body: dict[str, Any] = {}
    for column, value in values.items():
        if value == "" or column not in FIELD_OF_COLUMN:
            continue
        if column in ("preferred_name", "locale") and column not in CandidateIn.model_fields:
            continue  # a column the form does not take yet
        parsed: Any = value
        if column == "channels":
            parsed = [part.lower() for part in re.split(r"[\s;,]+", value) if part]
        elif column == "sms_consent" and value.lower() in ("true", "false"):
            parsed = value.lower() == "true"
        elif column == "expected_decision_days" and value.isdigit():
            parsed = int(value)
        *parents, leaf = FIELD_OF_COLUMN[column]
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = parsed
    return body


def errors_of(exc: Any) -> list[tuple[str, str]]:
    found = []
    for problem in exc.errors():
        loc = [str(part) for part in problem.get("loc", ()) if "[" not in str(part)]
        column = column_of(".".join(loc))
        if column == "row" and loc and loc[0] in ("candidate", "interviewer") and len(loc) == 1:
            column = "candidate_name" if loc[0] == "candidate" else "interviewer_name"
        found.append((column, problem.get("msg", "is invalid")))
    return found
