"""What each follow-up nudge says, per channel: email (plain text and HTML) and SMS.

Pure: no I/O, no AWS, no clock. The coaching follows the staffing firm's advice on the three
follow-ups after an interview:

- ``thank_you_note``: mail (by post) a short handwritten card to the interviewer.
- ``check_in``: a few days past the timeline, a short email or call saying you are still interested,
  without asking whether you are still in the running or how the other interviews are going.
- ``decision_thank_you``: after an offer, cards to the hiring manager and the direct supervisor;
  when not selected, a card for the opportunity to interview.

The drafts (card, email, call script, voicemail, the don'ts) come from ``followup.domain.drafts``, the one
source the candidate's page shows too. Each nudge is written here as blocks; ``followup.domain.layout`` lays
them out as a text email, an HTML email (every name kept as given, HTML-escaped) and an SMS in plain
GSM-7 (``followup.domain.sms``), one segment whenever the manage link leaves room for it. The SMS links to
its step's section of the candidate's page (``#<step>``).

The first text a number gets from an interview (every confirmation SMS, and the interview's first SMS
nudge: ``render(..., first_sms=True)``) ends with the firm's name and "Reply STOP to opt out", as US
carriers expect (``layout.render_first_sms``); a later nudge starts with the firm's name instead, its room
left to the names. In every subject, each value the submission gave (role, company, a person's name) is
capped (``drafts.in_subject``); the body keeps it whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from followup.domain.drafts import (
    Branding,
    DraftText,
    Guide,
    MessageContext,
    clean,
    context_of,
    guide,
    in_subject,
    offer_cards_line,
)
from followup.domain.layout import Bullets, Content, Draft, Para, render_first_sms, render_html, render_sms, render_text
from followup.domain.models import STEPS, Outcome
from followup.domain.sms import plain_text

__all__ = ["Branding", "MessageContext", "RenderedMessage", "context_of", "render", "render_confirmation"]

OUTCOMES: tuple[str, ...] = get_args(Outcome)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str  # plain-text email body
    html: str  # HTML email body, a small complete document
    sms: str  # the SMS text, GSM-7


def render(step: str, ctx: MessageContext, *, first_sms: bool = False) -> RenderedMessage:
    """The email (subject, text, HTML) and the SMS for one follow-up step.

    The SMS links to the step's own section of the candidate's page (``#<step>``), where its drafts are.
    ``first_sms``: no earlier nudge of this interview went out by SMS, so this one ends with the firm's name
    and the opt-out line (``layout.render_first_sms``).
    Raises ValueError for an unknown step, and for ``decision_thank_you`` without a known outcome.
    """
    if step == "decision_thank_you" and ctx.outcome not in OUTCOMES:
        raise ValueError(f"decision_thank_you needs an outcome in {OUTCOMES}, got {ctx.outcome!r}")
    if step not in STEPS:
        raise ValueError(f"unknown follow-up step {step!r}; expected one of {STEPS}")
    help_ = guide(step, ctx)
    if step == "thank_you_note":
        content = _thank_you_note(ctx, help_)
    elif step == "check_in":
        content = _check_in(ctx, help_)
    elif ctx.outcome == "offer":
        content = _offer(ctx, help_)
    else:
        content = _not_selected(ctx, help_)
    sms_url = f"{ctx.manage_url}#{step}"
    if first_sms:
        sms = render_first_sms(ctx.firm_name, (*content.sms_variants, content.sms_brief), sms_url)
    else:
        sms = render_sms(ctx.firm_name, content.sms_variants, sms_url)
    return _rendered(content.subject, content.blocks, sms, ctx)


def render_confirmation(ctx: MessageContext) -> RenderedMessage:
    """The one message sent to each destination at submission: nothing else goes there until it is confirmed.

    It names no link but the candidate's own page (where they confirm) and the unsubscribe link, and
    says what happens if they ignore it, since whoever submitted may not be the candidate. Its SMS is the
    first text the number gets from this interview: it ends with the firm's name and the opt-out line.
    """
    company, role = clean(ctx.company), clean(ctx.role)
    subject = f"Confirm your follow-up reminders for the {in_subject(role)} interview"
    recruiter, firm = clean(ctx.branding.signer), clean(ctx.firm_name)
    asked = f"{recruiter} at {firm} enrolled you for reminders of" if recruiter else "We were asked to remind you of"
    blocks = (
        Para(f"Hi {ctx.addressed},"),
        Para(
            f"{asked} the follow-ups after your interview for the {role} position at "
            f"{company} on {ctx.day}. Nothing will be sent until you confirm: open your private page below and "
            f"choose \"Confirm and start my reminders\"."
        ),
        Para(
            "If you did not ask for this, ignore this message: without your confirmation we send nothing more, "
            "and the request is erased within three days."
        ),
    )
    variants = ("To start your interview follow-up reminders, confirm here (ignore if not you):",
                "Confirm your interview reminders (ignore if not you):", "Confirm reminders (or ignore):",
                "Confirm reminders:")
    return _rendered(subject, blocks, render_first_sms(ctx.firm_name, variants, ctx.manage_url), ctx)


def _rendered(subject: str, blocks: tuple, sms: str, ctx: MessageContext) -> RenderedMessage:
    firm, company = clean(ctx.firm_name), clean(ctx.company)
    links = {"manage_url": ctx.manage_url, "unsubscribe_url": ctx.unsubscribe_url}
    return RenderedMessage(
        subject=subject,
        text=render_text(blocks, firm=firm, company=company, branding=ctx.branding, **links),
        html=render_html(subject, blocks, firm=firm, company=company, branding=ctx.branding, **links),
        sms=sms,
    )


# --- content ---------------------------------------------------------------------------------


def _draft_blocks(drafts: Iterable[DraftText]) -> tuple:
    """Each draft of a guide as the message shows it: the draft, then its envelope line if it has one."""
    blocks: tuple = ()
    for draft in drafts:
        lines = ((f"Subject: {draft.subject}", "") if draft.subject else ()) + tuple(draft.text.split("\n"))
        title = f"Draft {draft.label[0].lower()}{draft.label[1:]}" if draft.kind in ("card", "email") else draft.label
        blocks += (Draft(title, lines),)
        if draft.envelope:
            blocks += (Para(f"Address the envelope to {draft.envelope}."),)
    return blocks


def _thank_you_note(ctx: MessageContext, help_: Guide) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    interviewer = clean(ctx.interviewer_name)
    title = clean(ctx.interviewer_title or "")
    who = f"{interviewer} ({title})" if title else interviewer
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), plain_text(ctx.company)
    return Content(
        subject=f"Time to mail a thank-you card to {in_subject(interviewer)}",
        blocks=(
            Para(f"Hi {ctx.addressed},"),
            Para(
                f"Your interview for the {role} position at {company} on {ctx.day} is not over when you walk "
                f"out the door: following up is part of it. First step: write a short thank-you card or "
                f"letter by hand to {who}, and mail it (by post, not email) within the next day or so."
            ),
            Para(
                f"Keep it simple and to the point. All it needs to do is thank {interviewer} for their "
                f"time and for the interview. Interviewing is hard and thankless work on the other side "
                f"of the table too, so a handwritten note gets noticed."
            ),
            *_draft_blocks(help_.drafts),
        ),
        sms_variants=(
            f"Mail {sms_name} at {sms_company} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card. Draft:",
            f"Mail {sms_name} a thank-you card:",
        ),
        sms_brief="Mail a card:",
    )


def _check_in(ctx: MessageContext, help_: Guide) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    interviewer = clean(ctx.interviewer_name)
    title = clean(ctx.interviewer_title or "")
    who = f"{interviewer}, {title}," if title else interviewer
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), plain_text(ctx.company)
    return Content(
        subject=f"Check in with {in_subject(interviewer)} about the {in_subject(role)} position",
        blocks=(
            Para(f"Hi {ctx.addressed},"),
            Para(
                f"You interviewed with {who} on {ctx.day} for the {role} position at {company}, and it has "
                f"now been a few days past the timeline you were given for hearing back. Hiring often "
                f"takes longer than planned, so this is normal. Now is the moment to send a short email "
                f"or make a quick call letting {interviewer} know that you are still interested in the job."
            ),
            Para("That's it. Two things NOT to do:"),
            Bullets(help_.donts),
            Para("Just make it known that you are still interested."),
            *_draft_blocks(help_.drafts),
        ),
        sms_variants=(
            f"Email or call {sms_name} at {sms_company} to say you're still interested. Drafts:",
            f"Email or call {sms_name} to say you're still interested. Drafts:",
            f"Tell {sms_name} you're still interested. Drafts:",
            f"Tell {sms_name} you're still keen:",
        ),
        sms_brief="Time to check in:",
    )


def _offer(ctx: MessageContext, help_: Guide) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    names = [_sms_name(d.to or "", "your manager") for d in help_.drafts]
    sms_names = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    one = len(help_.drafts) == 1
    cards = "a thank-you card" if one else "thank-you cards"
    return Content(
        subject=f"Congratulations on the {in_subject(role)} offer: {cards} to mail",
        blocks=(
            Para(f"Congratulations, {ctx.addressed}! You got the {role} position at {company}."),
            Para(offer_cards_line(help_.drafts, ctx.locale)),
            *_draft_blocks(help_.drafts),
        ),
        sms_variants=(
            f"Congrats on the offer! Mail {cards} to {sms_names}. Draft{'' if one else 's'}:",
            f"Congrats! Mail {cards} to {sms_names}. Draft{'' if one else 's'}:",
            f"Congrats! Mail {'a card' if one else 'cards'} to {sms_names}:",
            f"Mail {'a card' if one else 'cards'} to {sms_names}:",
        ),
        sms_brief="Mail a card:" if one else "Mail cards:",
    )


def _not_selected(ctx: MessageContext, help_: Guide) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    manager = help_.drafts[0].to or clean(ctx.interviewer_name)
    sms_manager = _sms_name(manager, "your hiring manager")
    return Content(
        subject=f"A thank-you card still worth sending to {in_subject(manager)}",
        blocks=(
            Para(f"Hi {ctx.addressed},"),
            Para(
                f"We are sorry the {role} position at {company} went to another candidate this time. It is "
                f"disappointing, and it says nothing final about you. One small thing is still worth doing: "
                f"mail {manager} a short handwritten card, thanking them for the opportunity to interview."
            ),
            Para(
                f"Why it matters: if the person chosen does not work out, {manager} will remember you, and "
                f"you may get the next call."
            ),
            *_draft_blocks(help_.drafts),
            Para(_next_role(ctx)),
        ),
        sms_variants=(
            f"Not this time, but mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card. Draft:",
            f"Still mail {sms_manager} a card:",
        ),
        sms_brief="Mail a card:",
    )


def _next_role(ctx: MessageContext) -> str:
    firm, branding = clean(ctx.firm_name), ctx.branding
    who = f"{branding.signer} at {firm}" if branding.signer else firm
    contacts = branding.contacts()
    if not contacts:
        return f"Whenever you are ready to look at the next role, {who} would be glad to help."
    return f"Whenever you are ready to look at the next role, {who} would be glad to help: {', '.join(contacts)}."


# --- SMS -------------------------------------------------------------------------------------


def _sms_name(value: str, fallback: str) -> str:
    return plain_text(value) or fallback
