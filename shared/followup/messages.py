"""What each follow-up nudge says, per channel: email (plain text and HTML) and SMS.

Pure: no I/O, no AWS, no clock. The coaching follows the staffing firm's advice on the three
follow-ups after an interview:

- ``thank_you_note``: mail (by post) a short handwritten card to the interviewer.
- ``check_in``: a few days past the timeline, a short email or call saying you are still interested,
  without asking whether you are still in the running or how the other interviews are going.
- ``decision_thank_you``: after an offer, cards to the hiring manager and the direct supervisor;
  when not selected, a card for the opportunity to interview.

Emails keep every name as given (HTML escapes each value); the SMS is plain GSM-7, one segment
whenever the manage link leaves room for it.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import get_args

from followup.models import STEPS, Outcome

OUTCOMES: tuple[str, ...] = get_args(Outcome)

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

# Below this many characters left beside the link, a truncated text says nothing useful: the SMS
# then keeps its shortest wording and goes out in more than one part.
_MIN_SMS_FREE_TEXT = 30
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

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@dataclass(frozen=True)
class MessageContext:
    firm_name: str
    candidate_name: str
    company: str
    role: str
    interviewer_name: str
    interviewer_title: str | None
    interview_date: date  # local date of the interview
    manage_url: str
    unsubscribe_url: str
    outcome: str | None = None  # None | "offer" | "not_selected" (decision_thank_you only)
    hiring_manager_name: str | None = None  # defaults to the interviewer
    supervisor_name: str | None = None  # offer only


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str  # plain-text email body
    html: str  # HTML email body, a small complete document
    sms: str  # the SMS text, GSM-7


def render(step: str, ctx: MessageContext) -> RenderedMessage:
    """The email (subject, text, HTML) and the SMS for one follow-up step.

    Raises ValueError for an unknown step, and for ``decision_thank_you`` without a known outcome.
    """
    if step == "thank_you_note":
        content = _thank_you_note(ctx)
    elif step == "check_in":
        content = _check_in(ctx)
    elif step == "decision_thank_you":
        if ctx.outcome == "offer":
            content = _offer(ctx)
        elif ctx.outcome == "not_selected":
            content = _not_selected(ctx)
        else:
            raise ValueError(f"decision_thank_you needs an outcome in {OUTCOMES}, got {ctx.outcome!r}")
    else:
        raise ValueError(f"unknown follow-up step {step!r}; expected one of {STEPS}")
    firm = _clean(ctx.firm_name)
    company = _clean(ctx.company)
    return RenderedMessage(
        subject=content.subject,
        text=_render_text(content.blocks, ctx, firm, company),
        html=_render_html(content.subject, content.blocks, ctx, firm, company),
        sms=_render_sms(firm, content.sms_variants, ctx.manage_url),
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


# --- content ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    text: str


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Draft:
    title: str
    lines: tuple[str, ...]  # "" separates paragraphs


_Block = _Para | _Bullets | _Draft


@dataclass(frozen=True)
class _Content:
    subject: str
    blocks: tuple[_Block, ...]
    sms_variants: tuple[str, ...]  # most complete first; the last one may be truncated


def _thank_you_note(ctx: MessageContext) -> _Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    interviewer, when = _clean(ctx.interviewer_name), _day(ctx.interview_date)
    title = _clean(ctx.interviewer_title or "")
    who = f"{interviewer} ({title})" if title else interviewer
    envelope = ", ".join(part for part in (interviewer, title, company) if part)
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), _sms_text(ctx.company)
    return _Content(
        subject=f"Time to mail a thank-you card to {interviewer}",
        blocks=(
            _Para(f"Hi {candidate},"),
            _Para(
                f"Your interview for the {role} position at {company} on {when} is not over when you walk "
                f"out the door: following up is part of it. First step: write a short thank-you card or "
                f"letter by hand to {who}, and mail it (by post, not email) within the next day or so."
            ),
            _Para(
                f"Keep it simple and to the point. All it needs to do is thank {interviewer} for their "
                f"time and for the interview. Interviewing is hard and thankless work on the other side "
                f"of the table too, so a handwritten note gets noticed."
            ),
            _Draft(
                f"Draft card for {interviewer}",
                (
                    f"Dear {interviewer},",
                    "",
                    f"Thank you for your time on {when} and for the interview for the {role} position at "
                    f"{company}. I enjoyed our conversation and appreciated the chance to learn more "
                    f"about the role.",
                    "",
                    "Kind regards,",
                    candidate,
                ),
            ),
            _Para(f"Address the envelope to {envelope}."),
        ),
        sms_variants=(
            f"Mail {sms_name} at {sms_company} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card. Draft:",
            f"Mail {sms_name} a thank-you card:",
        ),
    )


def _check_in(ctx: MessageContext) -> _Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    interviewer, when = _clean(ctx.interviewer_name), _day(ctx.interview_date)
    title = _clean(ctx.interviewer_title or "")
    who = f"{interviewer}, {title}," if title else interviewer
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), _sms_text(ctx.company)
    return _Content(
        subject=f"Check in with {interviewer} about the {role} position",
        blocks=(
            _Para(f"Hi {candidate},"),
            _Para(
                f"You interviewed with {who} on {when} for the {role} position at {company}, and it has "
                f"now been a few days past the timeline you were given for hearing back. Hiring often "
                f"takes longer than planned, so this is normal. Now is the moment to send a short email "
                f"or make a quick call letting {interviewer} know that you are still interested in the job."
            ),
            _Para("That's it. Two things NOT to do:"),
            _Bullets(
                (
                    "Do not ask whether you are still in the running.",
                    "Do not ask how the interviews with other candidates are going.",
                )
            ),
            _Para("Just make it known that you are still interested."),
            _Draft(
                "Draft email",
                (
                    f"Subject: Following up on the {role} position",
                    "",
                    f"Dear {interviewer},",
                    "",
                    f"Thank you again for meeting with me on {when} about the {role} position at "
                    f"{company}. I wanted to let you know that I am still very interested in the role "
                    f"and would be glad to join the team.",
                    "",
                    "Best regards,",
                    candidate,
                ),
            ),
            _Draft(
                "Call script",
                (
                    f"Hello {interviewer}, this is {candidate}. I interviewed with you on {when} for the "
                    f"{role} position. I'm calling to say that I'm still very interested in the job, and "
                    f"to thank you again for your time.",
                ),
            ),
            _Para("If you reach voicemail, leave the same short message and your phone number."),
        ),
        sms_variants=(
            f"Email or call {sms_name} at {sms_company} to say you're still interested. Drafts:",
            f"Email or call {sms_name} to say you're still interested. Drafts:",
            f"Tell {sms_name} you're still interested. Drafts:",
            f"Tell {sms_name} you're still keen:",
        ),
    )


def _offer(ctx: MessageContext) -> _Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    manager = _clean(ctx.hiring_manager_name or "") or _clean(ctx.interviewer_name)
    supervisor = _clean(ctx.supervisor_name or "")
    sms_manager = _sms_name(ctx.hiring_manager_name or ctx.interviewer_name, "your hiring manager")
    intro = _Para(f"Congratulations, {candidate}! You got the {role} position at {company}.")
    why = "It is a sure way to come across as conscientious and gracious to your new employer."
    if supervisor and supervisor.casefold() == manager.casefold():
        return _Content(
            subject=f"Congratulations on the {role} offer: a thank-you card to mail",
            blocks=(
                intro,
                _Para(
                    f"You are not quite off the hook yet: mail a handwritten thank-you card to {manager}, "
                    f"your hiring manager and direct supervisor, thanking them for choosing you for the "
                    f"position. {why}"
                ),
                _offer_card(manager, "hiring manager and direct supervisor", candidate, role, company),
            ),
            sms_variants=(
                f"Congrats on the offer! Mail {sms_manager} a thank-you card for choosing you. Draft:",
                f"Congrats! Mail {sms_manager} a thank-you card. Draft:",
                f"Congrats! Mail {sms_manager} a card:",
            ),
        )
    supervisor_label = supervisor or "your direct supervisor"
    sms_supervisor = _sms_name(ctx.supervisor_name or "", "your supervisor")
    return _Content(
        subject=f"Congratulations on the {role} offer: two thank-you cards to mail",
        blocks=(
            intro,
            _Para(
                f"You are not quite off the hook yet: mail a handwritten thank-you card to each of the two "
                f"people who chose you, your hiring manager, {manager}, and your direct supervisor, "
                f"{supervisor_label}, thanking them for choosing you for the position. {why}"
            ),
            _offer_card(manager, "hiring manager", candidate, role, company),
            _offer_card(supervisor, "direct supervisor", candidate, role, company),
        ),
        sms_variants=(
            f"Congrats on the offer! Mail thank-you cards to {sms_manager} and {sms_supervisor}. Drafts:",
            f"Congrats! Mail thank-you cards to {sms_manager} and {sms_supervisor}. Drafts:",
            f"Congrats! Mail cards to {sms_manager} and {sms_supervisor}:",
        ),
    )


def _offer_card(name: str, capacity: str, candidate: str, role: str, company: str) -> _Draft:
    title = f"Draft card for {name} ({capacity})" if name else f"Draft card for your {capacity}"
    return _Draft(
        title,
        (
            f"Dear {name or '[name of your ' + capacity + ']'},",
            "",
            f"Thank you for choosing me for the {role} position at {company}. I am grateful for your "
            f"confidence in me and look forward to working with you.",
            "",
            "Kind regards,",
            candidate,
        ),
    )


def _not_selected(ctx: MessageContext) -> _Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    manager = _clean(ctx.hiring_manager_name or "") or _clean(ctx.interviewer_name)
    firm = _clean(ctx.firm_name)
    sms_manager = _sms_name(ctx.hiring_manager_name or ctx.interviewer_name, "your hiring manager")
    return _Content(
        subject=f"A thank-you card still worth sending to {manager}",
        blocks=(
            _Para(f"Hi {candidate},"),
            _Para(
                f"We are sorry the {role} position at {company} went to another candidate. You are not off "
                f"the hook just yet, though: it is still good business to mail {manager} a short "
                f"handwritten thank-you card or letter, thanking them for the opportunity to interview."
            ),
            _Para(
                f"Why it still matters: suppose the candidate who was chosen does not work out after all. "
                f"{manager} will remember you, and you may get the next call."
            ),
            _Draft(
                f"Draft card for {manager}",
                (
                    f"Dear {manager},",
                    "",
                    f"Thank you for the opportunity to interview for the {role} position at {company}. "
                    f"Although I was not selected this time, I enjoyed meeting you and learning about the "
                    f"team, and I would welcome the chance to be considered for future openings.",
                    "",
                    "Kind regards,",
                    candidate,
                ),
            ),
            _Para(f"In the meantime, {firm} has employers looking for people like you: get in touch."),
        ),
        sms_variants=(
            f"Not this time, but mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card. Draft:",
            f"Still mail {sms_manager} a card:",
        ),
    )


# --- email -----------------------------------------------------------------------------------

_MANAGE_NOTE = "mark a step done, record the decision, or stop the reminders"


def _why_you_get_this(company: str) -> str:
    return f"You get these reminders because a follow-up plan was set up for your interview at {company}."


def _render_text(blocks: tuple[_Block, ...], ctx: MessageContext, firm: str, company: str) -> str:
    parts = [_block_text(block) for block in blocks]
    parts.append(f"Manage your follow-ups ({_MANAGE_NOTE}):\n{ctx.manage_url}")
    parts.append(f"Good luck,\n{firm}")
    parts.append(f"--\n{_why_you_get_this(company)}\nUnsubscribe: {ctx.unsubscribe_url}")
    return "\n\n".join(parts) + "\n"


def _block_text(block: _Block) -> str:
    if isinstance(block, _Para):
        return block.text
    if isinstance(block, _Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    body = "\n".join(f"    {line}" if line else "" for line in block.lines)
    return f"{block.title}:\n\n{body}"


def _render_html(
    subject: str, blocks: tuple[_Block, ...], ctx: MessageContext, firm: str, company: str
) -> str:
    e = html.escape
    body = "\n".join(_block_html(block) for block in blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{e(subject)}</title></head>\n"
        '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; '
        'color: #222; max-width: 600px;">\n'
        f"{body}\n"
        f'<p><a href="{e(ctx.manage_url)}">Manage your follow-ups</a> ({_MANAGE_NOTE}).</p>\n'
        f"<p>Good luck,<br>{e(firm)}</p>\n"
        '<hr style="border: 0; border-top: 1px solid #ddd;">\n'
        f'<p style="font-size: 12px; color: #666;">{e(_why_you_get_this(company))} '
        f'<a href="{e(ctx.unsubscribe_url)}">Unsubscribe</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def _block_html(block: _Block) -> str:
    e = html.escape
    if isinstance(block, _Para):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, _Bullets):
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
        f'<h3 style="font-size: 15px; margin-bottom: 4px;">{e(block.title)}</h3>\n'
        '<blockquote style="margin: 0 0 16px; padding: 4px 12px; border-left: 3px solid #ccc; '
        f'background: #f7f7f7;">{inner}</blockquote>'
    )


# --- SMS -------------------------------------------------------------------------------------


def _render_sms(firm: str, variants: tuple[str, ...], url: str) -> str:
    """The first wording that fits one segment; else the shortest, its text truncated before the link."""
    prefix = f"{_sms_text(firm) or 'Interview follow-up'}: "
    for variant in variants:
        message = f"{prefix}{variant} {url}"
        if sms_segments(message) == ("GSM-7", 1):
            return message
    free_text = f"{prefix}{variants[-1]}"
    budget = GSM7_SINGLE - _septets(url) - 1
    if budget < _MIN_SMS_FREE_TEXT:
        return f"{free_text} {url}"
    return f"{_truncate(free_text, budget)} {url}"


def _sms_text(value: str) -> str:
    """``value`` as plain ASCII, GSM-7 safe: NFKD transliteration, what cannot be represented dropped."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_SMS_FALLBACKS))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(ch for ch in ascii_only if ch.isprintable() and is_gsm7(ch)).split())


def _sms_name(value: str, fallback: str) -> str:
    return _sms_text(value) or fallback


def _truncate(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` septets with a trailing "...", at a word boundary where one is near."""
    if _septets(text) <= budget:
        return text
    room = budget - len(_ELLIPSIS)
    cut = ""
    for ch in text:
        if _septets(cut + ch) > room:
            break
        cut += ch
    space = cut.rfind(" ")
    if space > 0 and len(cut) - space <= _WORD_BOUNDARY_REACH:
        cut = cut[:space]
    return cut.rstrip(" ,;:-(") + _ELLIPSIS


def _septets(text: str) -> int:
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


# --- helpers ---------------------------------------------------------------------------------


def _clean(value: str) -> str:
    """Whitespace collapsed: a name never breaks a line (or a subject header)."""
    return " ".join(value.split())


def _day(value: date) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
