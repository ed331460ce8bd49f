"""Validation errors in words a candidate reads: what to enter, next to the field, all at once.

Pydantic's own wording ("Input should be less than or equal to 60", "value is not a valid email
address") never reaches a person: each problem is named by its field path and said the way the form
would say it. A submission's cross-field rules (email or SMS chosen without its contact, texts without
consent) are checked on the raw body too when its fields fail, so a missing email is reported together
with the other errors instead of on the next try.

Every message is in the request's language: the constants are the catalogue's message ids (marked with ``N_``),
translated where a message is made (``language`` of each function, English by default).
"""

from __future__ import annotations

import re

from followup.domain.i18n import N_, Words, words

EMAIL_NEEDED = N_("Enter your email address, or choose text messages only")
PHONE_NEEDED = N_("Enter a phone number we can text, like (415) 555-0123, or choose email only")
CONSENT_NEEDED = N_("Tick the box to agree to text messages, or choose email only")
PHONE_EXAMPLE = N_("Enter a phone number we can text, like (415) 555-0123")
DAYS = N_("Choose a number of days from 1 to 60")
SUPERVISOR_NEEDED = N_("Enter the name of your direct supervisor: they get a thank-you card too")
SUPERVISOR_ONLY_FOR_OFFER = N_("Leave the supervisor out: it is only for an offer")
# The tags of the decision's union (``requests.DecisionRequest``), which pydantic puts in an error's location.
DECISION_TAGS = frozenset({"offer", "not_selected"})
EMAIL_NOT_ASCII = N_("Enter an email address with only Latin letters, digits and . _ % + - before the @: "
                      "we can't deliver to this one")

# What to ask for, per field (list indices left out); the first line of every message about the field.
ASK: dict[str, str] = {
    "candidate": N_("Tell us about yourself: your name, time zone and how to reach you"),
    "candidate.name": N_("Enter your name"),
    "candidate.preferred_name": N_("Enter the name you go by, or leave it empty"),
    "candidate.email": N_("Enter your email address, like jordan@example.com"),
    "candidate.phone": PHONE_EXAMPLE,
    "candidate.time_zone": N_("Choose your time zone, like America/New_York"),
    "candidate.locale": N_("Choose a language and region we know, like en-US"),
    "channels": N_("Choose email, text messages, or both"),
    "sms_consent": N_("Tick the box (true) to agree to text messages, or leave it out (false)"),
    "company": N_("Enter the company's name"),
    "role": N_("Enter the job you interviewed for"),
    "interviewer": N_("Tell us who interviewed you"),
    "interviewer.name": N_("Enter your interviewer's name"),
    "interviewer.title": N_("Enter your interviewer's job title, or leave it empty"),
    "interview_at": N_("Enter the date and time of your interview, like 2026-03-10T14:00"),
    "expected_decision_days": DAYS,
    "outcome": N_("Choose the decision: offer or not_selected"),
    "hiring_manager": N_("Tell us who the hiring manager is"),
    "hiring_manager.name": N_("Enter the hiring manager's name"),
    "supervisor": N_("Tell us who your direct supervisor will be"),
    "supervisor.name": N_("Enter the name of your direct supervisor"),
}
THIS_FIELD = N_("This field")  # the label of a field the form does not name
LABEL: dict[str, str] = {
    "candidate.name": N_("Your name"),
    "candidate.preferred_name": N_("The name you go by"),
    "company": N_("The company's name"),
    "role": N_("The job"),
    "interviewer.name": N_("Your interviewer's name"),
    "interviewer.title": N_("Your interviewer's job title"),
    "hiring_manager.name": N_("The hiring manager's name"),
    "supervisor.name": N_("Your supervisor's name"),
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


def plain_message(path: str, problem: dict, language: str = "en") -> str:
    """One pydantic problem about the field at ``path`` said the way the form would say it, in ``language`` (the
    request's: ``followup.domain.i18n``)."""
    t = words(language)
    field = ".".join(part for part in path.split(".") if not part.isdigit())
    kind = problem.get("type", "")
    label = t(LABEL.get(field, THIS_FIELD))
    if field == "supervisor.name" and kind == "missing":
        return t(SUPERVISOR_NEEDED)
    if field == "supervisor" and kind == "extra_forbidden":
        return t(SUPERVISOR_ONLY_FOR_OFFER)
    if kind == "extra_forbidden":
        return t("%(field)s is not a field we know: leave it out", field=field)
    if kind == "link":
        return t("%(label)s can't contain a web address or a link", label=label)
    if kind == "control_character" or (kind == "string_unicode" and field in LABEL):  # "\ud800": a lone surrogate
        return t("%(label)s can't contain line breaks or hidden characters", label=label)
    if kind == "ip_address":
        return t("%(label)s can't contain an IP address", label=label)
    if kind == "phone_number":
        return t("%(label)s can't contain a phone number", label=label)
    if kind == "email_not_ascii":
        return t(EMAIL_NOT_ASCII)
    if kind == "string_too_long":
        limit = (problem.get("ctx") or {}).get("max_length")
        return (t("%(label)s must be %(limit)s characters or fewer", label=label, limit=limit) if limit
                else t("%(label)s is too long", label=label))
    if field == "channels" and kind == "value_error" and "repeat" in str(problem.get("msg", "")):
        return t("Choose each of email and text messages once")
    asked = ASK.get(field)  # an interviewer sent as null included: "Tell us who interviewed you"
    return t(asked) if asked else _generic(field, problem, t)


def _generic(field: str, problem: dict, t: Words) -> str:
    """A field the form has no words for (a client's own request): named by its path, as the API's schema does."""
    kind, named = problem.get("type", ""), re.sub(r"[._]", " ", field)
    if kind == "missing":
        return t("Enter %(field)s", field=named)
    if "null" in str(problem.get("msg", "")):
        return t("%(field)s may be left out but not emptied", field=named.capitalize())
    return t("Check %(field)s: it is not something we can use", field=named)


def contact_problems(body: object, already: set[str], language: str = "en") -> list[tuple[str, str]]:
    """A submission's cross-field rules, on the raw body: each problem not already reported for its field, in
    ``language``."""
    if not isinstance(body, dict) or not isinstance(body.get("channels"), list):
        return []
    t = words(language)
    channels = body["channels"]
    candidate = body.get("candidate") if isinstance(body.get("candidate"), dict) else {}
    problems = []
    if "email" in channels and not candidate.get("email"):
        problems.append(("candidate.email", t(EMAIL_NEEDED)))
    if "sms" in channels and not candidate.get("phone"):
        problems.append(("candidate.phone", t(PHONE_NEEDED)))
    if "sms" in channels and body.get("sms_consent") is not True:
        problems.append(("sms_consent", t(CONSENT_NEEDED)))
    return [(f, m) for f, m in problems if f not in already]
