"""Free text that the messages echo under the firm's name (names, company, role, title): plain words only.

A name is shown in an email, a text message and a calendar file that the firm sends, so whatever in it a mail
client, a phone or a person would follow is refused: a web address (with its scheme, "www." or as a bare
domain, also written with spaces or brackets around the dot: ``evil . com``, ``evil[.]com``), an IP address, a
phone number; and whatever makes text read as something else: control characters, line breaks and the
bidirectional embeddings, overrides and isolates ("Trojan Source").

The text is first made what it looks like (``normalise``): the Unicode default-ignorable code points, which show
as nothing, are removed, and NFKC turns look-alikes into the characters they imitate (a full-width colon into
``:``, a one-dot leader into ``.``), so ``paypal\u2024com`` and ``evil\u200b.com`` are seen as the links they render
as. The normalised text is what is stored and echoed.

A few names that have the shape of a domain are the names real candidates type: brands whose name is their
web address (``Booking.com``) and technologies whose suffix is not a link (``Node.js``, ``ASP.NET``). They are
accepted as a whole word, exactly as listed (any case): ``ALLOWED_BRANDS`` and ``_TECH_TERMS``.

Plain Python (``re``, ``unicodedata``): no pydantic here. What costs is paid by the first text that needs it, not at
import (the API's cold start): the patterns by the first text, ``unicodedata`` by the first that is not ASCII,
``ipaddress`` by one with two colons, phonenumbers by one with seven digits or more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class Refused(ValueError):
    """What is wrong with a text: ``kind`` (``control_character``, ``link``, ``ip_address``, ``phone_number``) and
    a message in plain words."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


CONTROL = "control_character"
LINK = "link"
IP_ADDRESS = "ip_address"
PHONE_NUMBER = "phone_number"
MESSAGES = {
    CONTROL: "must not contain control characters or text-direction marks",
    LINK: "must not contain a web address or a link",
    IP_ADDRESS: "must not contain an IP address",
    PHONE_NUMBER: "must not contain a phone number",
}

class _Lazy:
    """A pattern compiled by its first use, not when the module is imported (the API's cold start: a request
    that carries no free text, a page, pays for none; all of them take a few milliseconds to compile)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


# Refused, not removed: C0 and C1 controls (newlines and tabs included), the line and paragraph separators, the
# bidirectional embeddings, overrides and isolates, and lone surrogates (a JSON "\ud800" decodes to one; no
# encoder would store it). Checked on the text as sent, before the default-ignorables (which include the
# bidirectional controls) are removed: an override is refused, never silently dropped.
_CONTROL = _Lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Unicode's default-ignorable code points (DerivedCoreProperties.txt): shown as nothing, so removed before the
# text is read. This includes the soft hyphen, the zero-width space, (non-)joiners and the marks LRM, RLM and ALM,
# the word joiner, variation selectors, the byte-order mark and the tag characters. Used on a text that is not ASCII
# only (an ASCII text holds none, and NFKC leaves it as it is).
IGNORABLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

_IGNORABLE = _Lazy(IGNORABLE)


# Names whose shape is a domain but which real candidates type as a company or a role. Kept short on purpose:
# each is a brand whose own web address is its name (a link to it leads where the name says, and the brand is a
# common employer), not "every company with a .com". Anything else of a domain's shape stays refused. Accepted only
# as a whole word as listed, in any case: "Booking.com" and "booking.com", never "Booking.com/login",
# "evil.Booking.com" or "Booking . com".
ALLOWED_BRANDS = frozenset({
    "amazon.com", "booking.com", "hotels.com", "salesforce.com", "ancestry.com", "match.com", "overstock.com",
    "monster.com", "zillow.com", "shutterfly.com", "cars.com", "realtor.com", "alibaba.com", "trip.com",
    "j.crew", "e.on", "l.l.bean",  # companies with a dot in the name, not a web address
})
# Technologies whose dotted suffix is not a link: any "<name>.js" (.js is no top-level domain), and .NET's family.
# Unlike the brands, these may touch a slash ("C#/.NET", "Node.js/React"), as roles write them; a .NET name may
# not be followed by one ("ASP.NET/x" would be a link to asp.net).
_TECH_TERMS = _Lazy(
    r"(?<![\w.@:\\-])(?:(?!www\d*\.)[^\W_][\w-]*\.js(?![\w@:\\-]|\.\w)|(?:asp|vb|ado)?\.net(?![\w@/:\\-]|\.\w))",
    re.IGNORECASE,
)
_WORD = _Lazy(r"\S+")
_OPENING, _CLOSING = "([{<\"'", ".,;:!?)]}>\"'"  # around a word, not part of it: "(Booking.com)", "Amazon.com,"

# The dots IDNA reads as dots (NFKC has already made the full-width and one-dot-leader ones "."), and a dot
# written to dodge a filter: with spaces before it (" . ", " .com"), or in brackets ("[.]", "(dot)", "{.}").
_DOT = "[.\u3002]"
_SEP = rf"(?:{_DOT}|\s*[\[({{<]\s*(?:{_DOT}|dot)\s*[\])}}>]\s*|\s+{_DOT}\s*)"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})(?![\w-])"
# What a mail client or a phone would turn into a link: a scheme ("https://", "mailto:"), "www.", or a bare domain
# ("evil.example/login"): a dotted name ending in a label of letters. Stricter than any linkifier on purpose (no
# list of top-level domains, which grows): "St.Louis" must be written "St. Louis".
_LINK = _Lazy(
    rf"[a-z][a-z0-9+.-]*://|\b(?:mailto|javascript|data|tel|sms):|\bwww\d*{_SEP}|{_LABEL}{_SEP}{_TLD}",
    re.IGNORECASE,
)
_IPV4 = _Lazy(rf"(?<![\w.])\d{{1,3}}(?:{_SEP}\d{{1,3}}){{3}}(?![\w])")
_IPV6_SHAPE = _Lazy(r"(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\w+)?(?![\w:])", re.IGNORECASE)
_DIGIT = _Lazy(r"\d")
PHONE_DIGITS = 7  # fewer digits than this make no phone number any region dials: phonenumbers is not asked


def normalise(text: str) -> str:
    """``text`` as it shows: the default-ignorable code points removed, then NFKC (idempotent: no NFKC result holds
    a default-ignorable), stripped of surrounding white space. Refuses control characters first (``Refused``)."""
    if _CONTROL.search(text):
        raise Refused(CONTROL, MESSAGES[CONTROL])
    if text.isascii():
        return text.strip()
    import unicodedata

    return unicodedata.normalize("NFKC", _IGNORABLE.sub("", text)).strip()


def _without_allowed_names(text: str) -> str:
    """``text`` with each allowed brand and technology name blanked out (NULs: no link, word or space joins them)."""
    text = _TECH_TERMS.sub(lambda m: "\0" * len(m.group()), text)
    if "." not in text:
        return text
    for word in _WORD.finditer(text):
        name = word.group().lstrip(_OPENING)
        start = word.start() + len(word.group()) - len(name)
        name = name.rstrip(_CLOSING) or name
        if name.casefold() in ALLOWED_BRANDS:
            text = text[:start] + "\0" * len(name) + text[start + len(name):]
    return text


def link_problem(text: str) -> str | None:
    """The kind of link ``text`` (normalised) holds, ``link`` or ``ip_address``; None when it holds none."""
    seen = _without_allowed_names(text)
    if _IPV4.search(seen):
        return IP_ADDRESS
    if seen.count(":") >= 2 and _ipv6_in(seen):
        return IP_ADDRESS
    if _LINK.search(seen):
        return LINK
    return None


def _ipv6_in(text: str) -> bool:
    import ipaddress  # only for a text with two colons or more

    for match in _IPV6_SHAPE.finditer(text):
        candidate = match.group()
        if not re.search(r"[0-9a-f]", candidate, re.IGNORECASE):
            continue  # "::" alone, as in "Foo :: Bar"
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        return True
    return False


def has_phone_number(text: str, region: str | Callable[[], str]) -> bool:
    """Whether ``text`` holds a valid phone number: international ("+1 415 555 0100") or as dialled in ``region``
    ("(415) 555-0100" in the US). A text of fewer than seven digits never loads phonenumbers, nor asks ``region``
    (a function is called only then: the firm's settings)."""
    if len(_DIGIT.findall(text)) < PHONE_DIGITS:
        return False
    import phonenumbers  # on the first text with enough digits: see the module's docstring

    country = region() if callable(region) else region
    matches = phonenumbers.PhoneNumberMatcher(text, country, leniency=phonenumbers.Leniency.VALID)
    return next(iter(matches), None) is not None


def check(text: str, region: str | Callable[[], str] = "US") -> str:
    """``text`` normalised, or ``Refused`` naming what it holds. ``region`` (ISO 3166 alpha-2, or a function that
    says it) reads national phone numbers."""
    value = normalise(text)
    problem = link_problem(value)
    if problem:
        raise Refused(problem, MESSAGES[problem])
    if has_phone_number(value, region):
        raise Refused(PHONE_NUMBER, MESSAGES[PHONE_NUMBER])
    return value
