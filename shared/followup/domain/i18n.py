"""The candidate's language: which one an interview speaks, and its words, from gettext catalogues.

Every candidate-facing string is written in English in the code (the source language) and looked up in the
language's catalogue, compiled from ``followup/locale/<language>/LC_MESSAGES/<domain>.po`` by Babel's tools
(``make messages`` extracts and updates; the build compiles the ``.mo`` files, which are not committed). Two
domains, as Django splits its own: ``messages`` (this package's Python: the messages, drafts, statuses, form
errors, the calendar file) and ``pages`` (the pages' templates and their scripts).

Placeholders are named (``%(company)s``), so a translation may put them in its own order; plurals go through
``Words.plural`` (gettext's ``ngettext``, the catalogue's own plural rule). A language is picked from the
candidate's locale (BCP 47): its language if there is a catalogue for it, else the firm's default's, else English.

The catalogues are read with the standard library's ``gettext`` (no Babel at run time), once per language and
process; English needs none.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup.domain.models import Interview

DEFAULT_LOCALE = "en-US"  # a firm that set none, and a candidate who gave none, read this way
SOURCE = "en"  # the language the code is written in: its catalogue is the code itself
# Each language the product speaks, by its code, with its name as its speakers write it (the form's list).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DOMAINS = ("messages", "pages")


def spoken(tag: str | None) -> str | None:
    """The language ``tag`` names (``es-MX``, ``es_mx`` -> ``es``) if the product speaks it, else None."""
    language = (tag or "").strip().replace("_", "-").split("-", 1)[0].lower()
    return language if language in LANGUAGES else None


def language_of(tag: str | None, default_tag: str | None = None) -> str:
    """The language an interview speaks: ``tag``'s (``es-MX`` -> ``es``) if the product has it, else
    ``default_tag``'s (the firm's ``DefaultLocale``), else English."""
    return spoken(tag) or spoken(default_tag) or SOURCE


def speaking(tag: str | None, default_tag: str | None = None) -> str:
    """``tag`` with the language the interview speaks (``language_of``) and the candidate's own region, as the
    dates are written: ``es-MX`` stays, ``fr-FR`` with an English firm is ``en-FR`` (French dates are not ours to
    write next to English words), a language alone takes the firm's region (``es`` with ``en-US``: ``es-US``), no
    tag at all is the firm's default."""
    language = language_of(tag, default_tag)
    parts = (tag or default_tag or language).replace("_", "-").split("-")
    if len(parts) == 1 and default_tag and "-" in default_tag.replace("_", "-"):
        parts.append(default_tag.replace("_", "-").split("-")[-1])  # a language alone, in the firm's region
    return "-".join([language, *parts[1:]])


def locale_of(interview: Interview, settings: object | None = None) -> str:
    """The locale ``interview``'s candidate reads words and dates in: their own, with the language it names if
    the product speaks it, else the firm's default language (``speaking``)."""
    return speaking(interview.candidate.locale, getattr(settings, "default_locale", "") or DEFAULT_LOCALE)


def language_for(interview: Interview, settings: object | None = None) -> str:
    """The language of every word ``interview``'s candidate reads: its locale's."""
    return language_of(locale_of(interview, settings))


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction, translate later"
    """Marks a module-level string for the catalogue; ``Words`` translates it where it is used."""
    return message


@cache
def catalogue(language: str, domain: str = "messages") -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` in ``domain``; English's is the identity. A language the product
    has but whose ``.mo`` is missing is a build error (``make messages`` or the layer's build compiles them)."""
    if language == SOURCE:
        return gettext.NullTranslations()
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for language {language!r}")
    path = resources.files("followup").joinpath("locale", language, "LC_MESSAGES", f"{domain}.mo")
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Words:
    """One language's words in one domain: ``words("Hi %(name)s,", name=...)``, ``words.plural(...)``.

    The extraction (``local.catalogues``) finds the calls by their names (``t``, ``plural``, ``N_``: its
    ``KEYWORDS``), so a message id is always a literal at the call: ``t = words(language)`` then ``t("...")``."""

    language: str = SOURCE
    domain: str = "messages"

    def __call__(self, message: str, /, **values: object) -> str:
        text = catalogue(self.language, self.domain).gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """``n`` (also a placeholder, ``%(n)s``) picks the form by the language's plural rule."""
        text = catalogue(self.language, self.domain).ngettext(singular, plural, n)
        return text % {"n": n, **values}


def words(language: str, domain: str = "messages") -> Words:
    return Words(language if language in LANGUAGES else SOURCE, domain)
