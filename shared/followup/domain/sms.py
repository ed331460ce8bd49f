"""SMS arithmetic: the GSM-7 alphabet, how many parts a text is sent as, and plain GSM-7 text.

Pure: no I/O. ``followup.domain.layout`` uses it to fit each nudge into one segment where it can, and every
nudge into at most two; the cost model counts a text's parts with ``sms_segments``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# GSM 03.38 default alphabet; ESC (0x1B) only introduces the extension table, so it is not a character.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each one is sent as ESC + character, two septets.
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

_ELLIPSIS = "..."
# A truncated text ends at a word boundary when one is at most this many characters back.
_WORD_BOUNDARY_REACH = 12

# Letters that NFKD does not decompose, and typographic punctuation, mapped before NFKD.
_SMS_FALLBACKS = str.maketrans(
    {
        "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d",
        "Ħ": "H", "ħ": "h", "ı": "i", "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
        "Þ": "Th", "þ": "th",
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    }
)


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 default alphabet or its extension table."""
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text)


def sms_segments(text: str) -> tuple[str, int]:
    """The encoding an SMS of ``text`` needs and the number of parts it is sent as.

    GSM-7: 160 septets in a single message, 153 per part when split; an extension character
    counts 2 and is never split across parts. UCS-2 (any character outside GSM-7): 70 UTF-16 units
    single, 67 per part, a surrogate pair never split. The empty text is 0 parts.
    """
    if is_gsm7(text):
        return "GSM-7", _parts([2 if ch in _GSM7_EXTENDED else 1 for ch in text], GSM7_SINGLE, GSM7_PART)
    return "UCS-2", _parts([len(ch.encode("utf-16-le")) // 2 for ch in text], UCS2_SINGLE, UCS2_PART)


def plain_text(value: str) -> str:
    """``value`` as plain ASCII, GSM-7 safe: NFKD transliteration, what cannot be represented dropped."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_SMS_FALLBACKS))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(ch for ch in ascii_only if ch.isprintable() and is_gsm7(ch)).split())


def gsm7_text(value: str) -> str:
    """``value`` in the GSM-7 alphabet: what is GSM-7 already is kept (Spanish's ñ, é, ü, ¿, ¡), anything else
    transliterated as ``plain_text`` does (á -> a, ó -> o) or dropped. A Spanish text a third UCS-2 segment would
    carry goes out readable in fewer parts: accents lost, never its letters."""
    return "".join(ch if is_gsm7(ch) else plain_text(ch) for ch in value)


def truncate(text: str, budget: int, *, ellipsis: str = _ELLIPSIS, size: Callable[[str], int] | None = None) -> str:
    """``text`` cut to ``budget`` with a trailing ``ellipsis``, at a word boundary where one is near.

    ``budget`` is in septets by default (an SMS); ``size=len`` measures characters (an email subject).
    """
    measure = size or septets
    if measure(text) <= budget:
        return text
    room = budget - measure(ellipsis)
    cut = ""
    for ch in text:
        if measure(cut + ch) > room:
            break
        cut += ch
    space = cut.rfind(" ")
    if space > 0 and len(cut) - space <= _WORD_BOUNDARY_REACH:
        cut = cut[:space]
    return cut.rstrip(" ,;:-(&") + ellipsis


def septets(text: str) -> int:
    return sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)


def _parts(sizes: list[int], single: int, per_part: int) -> int:
    total = sum(sizes)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts
