"""How a nudge's content is laid out per channel: a plain-text email, an HTML email, one SMS.

``followup.domain.messages`` says what each nudge says, as blocks (paragraphs, bullet lists, drafts to copy);
this module turns the blocks into each format, its own words (the footer, the opt-out line) in the message's
language (``followup.domain.i18n``). Pure: no I/O.

How an SMS fits: English, the source language, is written to fit one GSM-7 segment beside the link, its names
cut when they must be (``render_sms``). Another language's wordings may carry letters GSM-7 lacks (Spanish's á, í,
ó, ú make a text UCS-2: 70 characters a segment), so each wording is tried as written, then in GSM-7 without its
accents (``sms.gsm7_text``): the first in one segment, else the first in two; never more than two.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup.domain.i18n import N_, SOURCE, words
from followup.domain.sms import GSM7_PART, GSM7_SINGLE, gsm7_text, plain_text, septets, sms_segments, truncate

if TYPE_CHECKING:
    from followup.domain.drafts import Branding

# Below this many characters left beside the link, a truncated text says nothing useful: the SMS
# then keeps its shortest wording and goes out in more than one part.
MIN_SMS_FREE_TEXT = 30
# The firm's name in an SMS: plain GSM-7, at most this many septets (cut at a word, "...").
SMS_FIRM_CAP = 30
# Below this many septets, a shortened firm name no longer says who sends the text: the first SMS then
# keeps the whole (capped) name and goes out in more than one part.
MIN_SMS_FIRM = 12
# What US carriers (CTIA, 10DLC) expect the first text to a number to end with, after who sends it. STOP in
# every language: it is the word AWS opts a number out on by itself.
OPT_OUT = N_("Reply STOP to opt out")
# Every SMS goes out in at most this many parts, whatever its language and the length of its names.
MAX_SMS_PARTS = 2


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    title: str
    lines: tuple[str, ...]  # "" separates paragraphs


Block = Para | Bullets | Draft


@dataclass(frozen=True)
class Content:
    subject: str
    blocks: tuple[Block, ...]
    sms_variants: tuple[str, ...]  # most complete first; the last one may be truncated
    # Names left out, short enough to fit beside the link, the firm and the opt-out line in one segment:
    # the last wording of a first SMS (``render_first_sms``).
    sms_brief: str


# --- email -----------------------------------------------------------------------------------

_MANAGE_NOTE = N_("mark a step done, record the decision, or stop the reminders")


def _why_you_get_this(company: str, language: str) -> str:
    t = words(language)
    return t("You get these reminders because a follow-up plan was set up for your interview at %(company)s.",
             company=company)


DEFAULT_COLOUR = "#1a5fb4"


def _signature(firm: str, branding: Branding | None) -> list[str]:
    """Who signs: the recruiter who enrolled the candidate, then the firm, then its contact details."""
    signer = " ".join((branding.signer if branding else "").split())
    return [line for line in (signer, firm) if line] + (branding.contacts() if branding else [])


def render_text(blocks: tuple[Block, ...], *, manage_url: str, unsubscribe_url: str, firm: str, company: str,
                branding: Branding | None = None, language: str = SOURCE) -> str:
    t = words(language)
    manage, note, unsubscribe = t("Manage your follow-ups"), t(_MANAGE_NOTE), t("Unsubscribe: %(link)s",
                                                                               link=unsubscribe_url)
    parts = [_block_text(block) for block in blocks]
    parts.append(f"{manage} ({note}):\n{manage_url}")
    parts.append("\n".join([t("Good luck,"), *_signature(firm, branding)]))
    parts.append(f"--\n{_why_you_get_this(company, language)}\n{unsubscribe}")
    return "\n\n".join(parts) + "\n"


def _block_text(block: Block) -> str:
    if isinstance(block, Para):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    body = "\n".join(f"    {line}" if line else "" for line in block.lines)
    return f"{block.title}:\n\n{body}"


def render_html(
    subject: str, blocks: tuple[Block, ...], *, manage_url: str, unsubscribe_url: str, firm: str, company: str,
    branding: Branding | None = None, language: str = SOURCE,
) -> str:
    """A small complete HTML document, ``<html lang>`` the message's language (the email's ``Content-Language``)."""
    e, t = html.escape, words(language)
    manage, note, luck, unsubscribe = t("Manage your follow-ups"), t(_MANAGE_NOTE), t("Good luck,"), t("Unsubscribe")
    colour = (branding.brand_colour if branding else "") or DEFAULT_COLOUR
    body = "\n".join(_block_html(block, colour) for block in blocks)
    logo = (
        f'<p><img src="{e(branding.logo_url)}" alt="{e(firm)}" style="max-height: 48px; max-width: 240px;"></p>\n'
        if branding and branding.logo_url else ""
    )
    signature = "<br>".join(e(line) for line in _signature(firm, branding))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(language)}">\n'
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{e(subject)}</title></head>\n"
        '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; '
        'color: #222; max-width: 600px;">\n'
        f'{logo}<div style="border-top: 4px solid {colour}; padding-top: 8px;">\n'
        f"{body}\n"
        f'<p><a href="{e(manage_url)}" style="color: {colour};">{e(manage)}</a> ({e(note)}).</p>\n'
        f"<p>{e(luck)}<br>{signature}</p>\n"
        "</div>\n"
        '<hr style="border: 0; border-top: 1px solid #ddd;">\n'
        f'<p style="font-size: 12px; color: #666;">{e(_why_you_get_this(company, language))} '
        f'<a href="{e(unsubscribe_url)}">{e(unsubscribe)}</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def _block_html(block: Block, colour: str = DEFAULT_COLOUR) -> str:
    e = html.escape
    if isinstance(block, Para):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{e(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    paragraphs: list[list[str]] = [[]]
    for line in block.lines:
        if line:
            paragraphs[-1].append(e(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    inner = "".join(f"<p>{'<br>'.join(lines)}</p>" for lines in paragraphs if lines)
    return (
        f'<h3 style="font-size: 15px; margin-bottom: 4px; color: {colour};">{e(block.title)}</h3>\n'
        f'<blockquote style="margin: 0 0 16px; padding: 4px 12px; border-left: 3px solid {colour}; '
        f'background: #f7f7f7;">{inner}</blockquote>'
    )


# --- SMS -------------------------------------------------------------------------------------


def sms_firm(firm: str, language: str = SOURCE) -> str:
    """The firm's name as an SMS shows it: plain GSM-7 (a generic name if nothing of it is), capped."""
    t = words(language)
    return truncate(plain_text(firm) or gsm7_text(t("Interview follow-up")), SMS_FIRM_CAP)


def render_sms(firm: str, variants: tuple[str, ...], url: str, language: str = SOURCE) -> str:
    """English: the first wording that fits one segment; else the shortest, its text truncated before the link.
    Another language: the first wording in the fewest parts, at most two (``fewest_parts``)."""
    prefix = f"{sms_firm(firm, language)}: "
    if language != SOURCE:
        fitted = fewest_parts([f"{prefix}{variant} {url}" for variant in variants])
        return fitted or _cut_to_two(gsm7_text(f"{prefix}{variants[-1]}"), url)
    for variant in variants:
        message = f"{prefix}{variant} {url}"
        if sms_segments(message) == ("GSM-7", 1):
            return message
    free_text = f"{prefix}{variants[-1]}"
    budget = GSM7_SINGLE - septets(url) - 1
    if budget < MIN_SMS_FREE_TEXT:
        whole = f"{free_text} {url}"
        return whole if sms_segments(whole)[1] <= MAX_SMS_PARTS else _cut_to_two(free_text, url)
    return f"{truncate(free_text, budget)} {url}"


def render_first_sms(firm: str, variants: tuple[str, ...], url: str, language: str = SOURCE) -> str:
    """The first text a number gets from an interview (its confirmation, its first SMS nudge), as US carriers
    expect (CTIA, 10DLC): it ends with who sends it and how to stop, ``<text> <link> - <firm>. Reply STOP to
    opt out`` (in the message's language).

    English: one GSM-7 segment whenever the link leaves room: the first of ``variants`` (the last one without
    names) that fits beside the firm's whole name; else the last one with the firm's name shortened, down to
    ``MIN_SMS_FIRM``; else the last one and the whole name, in more than one part. Another language: the first
    wording in the fewest parts, at most two (``fewest_parts``), beside the firm's whole name. The link and the
    opt-out line are never cut.
    """
    t = words(language)
    name, opt_out = sms_firm(firm, language), t(OPT_OUT)

    def message(text: str, who: str) -> str:
        return f"{text} {url} - {who}{'' if who.endswith('.') else '.'} {opt_out}"

    if language != SOURCE:
        return fewest_parts([message(variant, name) for variant in variants]) \
            or gsm7_text(message(variants[-1], name))
    for variant in variants:
        fitted = message(variant, name)
        if sms_segments(fitted) == ("GSM-7", 1):
            return fitted
    room = GSM7_SINGLE - septets(message(variants[-1], ""))
    if room >= MIN_SMS_FIRM:
        return message(variants[-1], truncate(name, room))
    return message(variants[-1], name)


def fewest_parts(messages: list[str]) -> str | None:
    """The first of ``messages`` (most complete first) that goes out in one segment, else the first in two, each as
    written (UCS-2 if it has a letter GSM-7 lacks); if none fits in two, the same search over them in GSM-7
    (``gsm7_text``: readable without its accents beats a third part). None when nothing fits in two."""
    for candidates in (messages, [gsm7_text(message) for message in messages]):
        for parts in range(1, MAX_SMS_PARTS + 1):
            for candidate in candidates:
                if sms_segments(candidate)[1] <= parts:
                    return candidate
    return None


def _cut_to_two(text: str, url: str) -> str:
    """``text`` (GSM-7) cut before ``url`` so that both go out in two parts; one septet a part is kept spare for an
    extension character that a part boundary moves on. Whole when the link alone leaves too little room."""
    budget = MAX_SMS_PARTS * (GSM7_PART - 1) - septets(url) - 1
    if budget < MIN_SMS_FREE_TEXT:
        return f"{text} {url}"
    return f"{truncate(text, budget)} {url}"
