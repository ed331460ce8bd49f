"""How a candidate reads names, dates, times, time zones and phone numbers: in their own locale.

Dates and times are formatted by Babel (CLDR), never by hand; a zone is shown by its city and UTC
offset ("New York (UTC−5)"); a phone number in its national format ("(415) 555-0123"), read with the
country of the candidate's time zone (tzdata's ``zone.tab``, the IANA list of each zone's country).

Babel and phonenumbers are imported inside the functions that need them: the API's cold start pays
for neither (a request that shows no date loads neither).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from followup.domain.i18n import DEFAULT_LOCALE, LANGUAGES

MINUS = "\u2212"  # a real minus sign, as CLDR writes UTC offsets


def first_name(name: str) -> str:
    """The name someone goes by when they have not said: the first word of the name.

    A first word that is an abbreviation ("Dr.", "Ms.") is a title, not a name: the whole name then.
    """
    words = name.split()
    if not words:
        return ""
    return " ".join(words) if words[0].endswith(".") else words[0]


def locale_tag(value: str) -> str | None:
    """``value`` as a canonical BCP 47 tag (``en_gb`` -> ``en-GB``, ``iw-IL`` -> ``he-IL``) of a locale CLDR
    has data for, or None (``tlh``, ``xx-QQ``).

    Read from the tag itself and the list of CLDR's locales (``cldr_locales.txt``), never from the tag's own
    locale data: the layer ships Babel's English locale data only (the messages and their dates are in
    English, see ``_locale``)."""
    from babel.core import get_global, parse_locale

    if not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", value or ""):
        return None
    try:
        language, territory, script, variant = parse_locale(value.replace("-", "_"))[:4]
    except ValueError:
        return None
    language = get_global("language_aliases").get(language, language)
    if not _has_data(language, script, territory):
        return None
    return "-".join(part for part in (language, script, territory, variant) if part)


@cache
def _cldr_locales() -> frozenset[str]:
    """The identifiers of every locale Babel has data for (``de_AT``, ``zh_Hant_TW``), as its own
    ``locale_identifiers()`` lists them where all the data is installed (tests/unit/test_layer.py)."""
    text = resources.files("followup.domain").joinpath("cldr_locales.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _has_data(language: str, script: str | None, territory: str | None) -> bool:
    known = _cldr_locales()
    if "_".join(part for part in (language, script, territory) if part) in known:
        return True
    # A region CLDR files under the language's usual script: zh-TW is zh_Hant_TW.
    return script is None and territory is not None and any(
        name.startswith(f"{language}_") and name.endswith(f"_{territory}") and name.count("_") == 2 for name in known
    )


@cache
def _locale(tag: str):  # -> babel.Locale
    """The locale dates are written in: the words' language (``followup.domain.i18n.LANGUAGES``; English for any
    other) as written in the candidate's region (es-MX: "viernes, 27 de noviembre"; de-DE -> en-DE: "Friday 2
    January"), else that language's own. Only the languages the product speaks have locale data in the layer."""
    from babel import Locale, UnknownLocaleError
    from babel.core import parse_locale

    default = Locale.parse(DEFAULT_LOCALE.replace("-", "_"))
    try:
        language, territory = parse_locale((tag or DEFAULT_LOCALE).replace("-", "_"))[:2]
    except ValueError:
        return default
    if language not in LANGUAGES:
        language = "en"
    if territory is None:
        return Locale(language) if language != "en" or not tag else Locale("en")
    try:
        return Locale(language, territory)
    except (UnknownLocaleError, ValueError):
        return Locale(language) if language != "en" else default


@cache
def _long_day_pattern(tag: str) -> str:
    """The locale's weekday, day and month without the year: CLDR's ``MMMMEEEEd`` skeleton where the locale
    has it, else its ``MMMMEd`` or ``MMMEd`` pattern widened to full names (how CLDR says to adjust a skeleton's
    widths): Spanish has ``MMMMEd`` only ("E, d 'de' MMMM": "viernes, 27 de noviembre")."""
    skeletons = _locale(tag).datetime_skeletons
    if "MMMMEEEEd" in skeletons:
        return skeletons["MMMMEEEEd"].pattern
    pattern = skeletons["MMMMEd" if "MMMMEd" in skeletons else "MMMEd"].pattern
    return re.sub("M{3,4}", "MMMM", re.sub("E{1,4}", "EEEE", pattern))


def long_day(day: date, tag: str) -> str:
    """``Friday, November 27`` (en-US), ``Friday 27 November`` (en-GB), ``Friday, 27 November`` (en-IN)."""
    from babel.dates import format_date

    return format_date(day, _long_day_pattern(tag), locale=_locale(tag))


def short_day(day: date, tag: str) -> str:
    """``Fri, Nov 27`` (en-US), ``Fri 27 Nov`` (en-GB)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", day, locale=_locale(tag))


def time_of_day(moment: datetime, tag: str) -> str:
    """``9:00 AM`` (en-US), ``09:00`` (en-GB)."""
    from babel.dates import format_time

    return format_time(moment.replace(tzinfo=None), "short", locale=_locale(tag))


def people(names: list[str], tag: str) -> str:
    """``Priya``, ``Priya and Sam``, ``Priya, Sam, and Dana`` (en-US) / ``Priya, Sam and Dana`` (en-GB)."""
    from babel.lists import format_list

    return format_list(names, locale=_locale(tag)) if names else ""


def zone_label(zone: str, tag: str, at: datetime | None = None) -> str:
    """``New York (UTC−5)``: the zone's exemplar city in the locale, and its offset at ``at`` (else now)."""
    from babel.dates import get_timezone_location

    tz = ZoneInfo(zone)
    moment = (at or datetime.now(tz)).astimezone(tz)
    try:
        city = get_timezone_location(tz, locale=_locale(tag), return_city=True)
    except (LookupError, ValueError):
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} ({utc_offset(moment.utcoffset() or timedelta(0))})"


def utc_offset(offset: timedelta) -> str:
    """``UTC−5``, ``UTC+5:30``, ``UTC``."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


# ---- countries --------------------------------------------------------------------------------


@cache
def _zone_countries() -> dict[str, str]:
    """Each IANA zone's country (ISO 3166 alpha-2), from tzdata's ``zone.tab``: one country per zone."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_ = line.split("\t")
            countries[zone] = code
    return countries


def country_of_zone(zone: str) -> str | None:
    """``America/New_York`` -> ``US``; a zone of no one country (``UTC``, ``Etc/GMT+5``) -> None.

    A backward-compatible link name (``US/Eastern``, ``Asia/Calcutta``, as some browsers still report India) is
    the country of the zone whose compiled rules it shares, byte for byte; a name shared by zones of several
    countries (``Europe/Zagreb`` and others are one zone's links) is the first in the table's order.
    """
    countries = _zone_countries()
    if zone in countries:
        return countries[zone]
    if _NO_PLACE.fullmatch(zone) or not _alias_of_a_place(zone):
        return None
    return _place_countries().get(_zone_digest(zone) or b"")


# A zone of no place: UTC and its names, the fixed offsets (Etc/GMT+5), the System V rules (EST5EDT) and
# abbreviations (EST, CET: tzdata links some to one city now, which a candidate choosing "EST" for New York would
# not mean), Factory. Refused even where their compiled bytes equal a place's (is_place_zone).
_NO_PLACE = re.compile(r"Etc/.*|Factory|posixrules|[CEMW]ET|[EMH]ST|[A-Z]{3}\d[A-Z]{3}|(?:GMT|UTC|UCT)(?:[+-]?0)?|Greenwich|"
                       r"Universal|Zulu")


def is_place_zone(zone: str) -> bool:
    """Whether ``zone`` is the zone of a place a candidate lives in: a zone of tzdata's ``zone.tab`` (which holds
    every zone of ``zone1970.tab`` too), or another name of one (``US/Eastern``, ``Asia/Calcutta``: its compiled
    rules are that zone's, byte for byte). ``UTC``, ``Etc/GMT+5``, ``EST5EDT``, ``Factory`` are not.

    The common case is a set lookup; the compiled zones are read once, for the first name not in the table."""
    if zone in _zone_countries():
        return True
    if _NO_PLACE.fullmatch(zone):
        return False
    return _alias_of_a_place(zone)


@cache
def _alias_of_a_place(zone: str) -> bool:
    # Called with names from tzdata's own list only (requests._zones): a bounded cache.
    digest = _zone_digest(zone)
    return digest is not None and digest in _place_digests()


@cache
def _place_digests() -> frozenset[bytes]:
    return frozenset(_place_countries())


@cache
def _place_countries() -> dict[bytes, str]:
    """Each place zone's compiled rules (digest) and its country, the first in the table's order where zones share."""
    countries: dict[bytes, str] = {}
    for zone, country in _zone_countries().items():
        digest = _zone_digest(zone)
        if digest is not None:
            countries.setdefault(digest, country)
    return countries


def _zone_digest(zone: str) -> bytes | None:
    import hashlib

    try:
        compiled = resources.files("tzdata").joinpath("zoneinfo", *zone.split("/")).read_bytes()
    except (OSError, ValueError):
        return None
    return hashlib.sha256(compiled).digest()


def country_for(phone: str | None, zone: str | None, default: str) -> str:
    """The candidate's country for public holidays: their phone number's, else their time zone's, else ``default``."""
    return country_of_phone(phone) or (country_of_zone(zone) if zone else None) or default


def country_of_phone(phone: str | None) -> str | None:
    """The country of an E.164 number: ``+447700900123`` -> ``GB``."""
    if not phone:
        return None
    import phonenumbers

    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region != "ZZ" else None


def national_phone(phone: str | None) -> str | None:
    """``+14155550123`` -> ``(415) 555-0123``: how the number reads at home."""
    if not phone:
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
