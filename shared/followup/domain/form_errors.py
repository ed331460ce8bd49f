"""Validation errors in words a candidate reads: what to enter, next to the field, all at once.

Pydantic's own wording ("Input should be less than or equal to 60", "value is not a valid email
address") never reaches a person: each problem is named by its field path and said the way the form
would say it. A submission's cross-field rules (email or SMS chosen without its contact, texts without
consent) are checked on the raw body too when its fields fail, so a missing email is reported together
with the other errors instead of on the next try.
"""

from __future__ import annotations

import re

EMAIL_NEEDED = "Enter your email address, or choose text messages only"
PHONE_NEEDED = "Enter a phone number we can text, like (415) 555-0123, or choose email only"
CONSENT_NEEDED = "Tick the box to agree to text messages, or choose email only"
PHONE_EXAMPLE = "Enter a phone number we can text, like (415) 555-0123"
DAYS = "Choose a number of days from 1 to 60"
SUPERVISOR_NEEDED = "Enter the name of your direct supervisor: they get a thank-you card too"
SUPERVISOR_ONLY_FOR_OFFER = "Leave the supervisor out: it is only for an offer"
# The tags of the decision's union (``requests.DecisionRequest``), which pydantic puts in an error's location.
DECISION_TAGS = frozenset({"offer", "not_selected"})
EMAIL_NOT_ASCII = ("Enter an email address with only Latin letters, digits and . _ % + - before the @: "
                   "we can't deliver to this one")

# What to ask for, per field (list indices left out); the first line of every message about the field.
ASK: dict[str, str] = {
    "candidate": "Tell us about yourself: your name, time zone and how to reach you",
    "candidate.name": "Enter your name",
    "candidate.preferred_name": "Enter the name you go by, or leave it empty",
    "candidate.email": "Enter your email address, like jordan@example.com",
    "candidate.phone": PHONE_EXAMPLE,
    "candidate.time_zone": "Choose your time zone, like America/New_York",
    "candidate.locale": "Choose a language and region we know, like en-US",
    "channels": "Choose email, text messages, or both",
    "sms_consent": "Tick the box (true) to agree to text messages, or leave it out (false)",
    "company": "Enter the company's name",
    "role": "Enter the job you interviewed for",
    "interviewer": "Tell us who interviewed you",
    "interviewer.name": "Enter your interviewer's name",
    "interviewer.title": "Enter your interviewer's job title, or leave it empty",
    "interview_at": "Enter the date and time of your interview, like 2026-03-10T14:00",
    "expected_decision_days": DAYS,
    "outcome": "Choose the decision: offer or not_selected",
    "hiring_manager": "Tell us who the hiring manager is",
    "hiring_manager.name": "Enter the hiring manager's name",
    "supervisor": "Tell us who your direct supervisor will be",
    "supervisor.name": "Enter the name of your direct supervisor",
}
LABEL: dict[str, str] = {
    "candidate.name": "Your name",
    "candidate.preferred_name": "The name you go by",
    "company": "The company's name",
    "role": "The job",
    "interviewer.name": "Your interviewer's name",
    "interviewer.title": "Your interviewer's job title",
    "hiring_manager.name": "The hiring manager's name",
    "supervisor.name": "Your supervisor's name",
}


def field_path(loc: tuple | list) -> str:
    """``("body", "candidate", "phone")`` -> ``candidate.phone``, ``channels.1``; pydantic's union tags left out."""
    parts = [str(p) for p in loc if p not in ("body", "path", "query")]
    return ".".join(p for p in parts if "[" not in p and p not in DECISION_TAGS) or "body"


def field_of(problem: dict) -> str:
    """The field a pydantic problem is about, as the form names it: the decision's outcome for a missing or
    unknown tag of its union, ``supervisor.name`` for an offer's missing supervisor (the form's input)."""
    kind, field = problem.get("type", ""), field_path(problem.get("loc", ()))
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return "outcome"
    if field == "supervisor" and kind == "missing":
        return "supervisor.name"
    return field


def plain_message(path: str, problem: dict) -> str:
    """One pydantic problem about the field at ``path`` said the way the form would say it."""
    field = ".".join(part for part in path.split(".") if not part.isdigit())
    kind = problem.get("type", "")
    label = LABEL.get(field, "This field")
    if field == "supervisor.name" and kind == "missing":
        return SUPERVISOR_NEEDED
    if field == "supervisor" and kind == "extra_forbidden":
        return SUPERVISOR_ONLY_FOR_OFFER
    if kind == "extra_forbidden":
        return f"{field} is not a field we know: leave it out"
    if kind == "link":
        return f"{label} can't contain a web address or a link"
    if kind == "control_character" or (kind == "string_unicode" and field in LABEL):  # "\ud800": a lone surrogate
        return f"{label} can't contain line breaks or hidden characters"
    if kind == "ip_address":
        return f"{label} can't contain an IP address"
    if kind == "phone_number":
        return f"{label} can't contain a phone number"
    if kind == "email_not_ascii":
        return EMAIL_NOT_ASCII
    if kind == "string_too_long":
        limit = (problem.get("ctx") or {}).get("max_length")
        return f"{label} must be {limit} characters or fewer" if limit else f"{label} is too long"
    if field == "channels" and kind == "value_error" and "repeat" in str(problem.get("msg", "")):
        return "Choose each of email and text messages once"
    if field == "interviewer" and kind == "value_error" and "null" in str(problem.get("msg", "")):
        return ASK["interviewer"]
    return ASK.get(field, _generic(field, problem))


def _generic(field: str, problem: dict) -> str:
    kind = problem.get("type", "")
    if kind == "missing":
        return f"Enter {_words(field)}"
    if "null" in str(problem.get("msg", "")):
        return f"{_words(field).capitalize()} may be left out but not emptied"
    return f"Check {_words(field)}: it is not something we can use"


def _words(field: str) -> str:
    return re.sub(r"[._]", " ", field)


def contact_problems(body: object, already: set[str]) -> list[tuple[str, str]]:
    """A submission's cross-field rules, on the raw body: each problem not already reported for its field."""
    if not isinstance(body, dict) or not isinstance(body.get("channels"), list):
        return []
    channels = body["channels"]
    candidate = body.get("candidate") if isinstance(body.get("candidate"), dict) else {}
    problems = []
    if "email" in channels and not candidate.get("email"):
        problems.append(("candidate.email", EMAIL_NEEDED))
    if "sms" in channels and not candidate.get("phone"):
        problems.append(("candidate.phone", PHONE_NEEDED))
    if "sms" in channels and body.get("sms_consent") is not True:
        problems.append(("sms_consent", CONSENT_NEEDED))
    return [(f, m) for f, m in problems if f not in already]
