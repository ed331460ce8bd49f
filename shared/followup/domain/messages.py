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
them out as a text email, an HTML email (every name kept as given, HTML-escaped) and an SMS
(``followup.domain.sms``): in English one GSM-7 segment whenever the manage link leaves room for it, in any
language at most two. The SMS links to its step's section of the candidate's page (``#<step>``).

Every word is in the interview's language (``ctx.language``, ``followup.domain.i18n``): each sentence is one
message of the catalogue with named placeholders, so a translation orders it as its language does; the dates
come from ``ctx.day`` (Babel, in the candidate's locale).

The first text a number gets from an interview (every confirmation SMS, and the interview's first SMS
nudge: ``render(..., first_sms=True)``) ends with the firm's name and "Reply STOP to opt out" (STOP in every
language), as US carriers expect (``layout.render_first_sms``); a later nudge starts with the firm's name instead,
its room left to the names. In every subject, each value the submission gave (role, company, a person's name) is
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
from followup.domain.i18n import Words, words
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
    sms: str  # the SMS text, GSM-7 where it fits in its parts
    language: str = "en"  # of every word above (i18n.LANGUAGES): the HTML's lang, the email's Content-Language


def render(step: str, ctx: MessageContext, *, first_sms: bool = False) -> RenderedMessage:
    """The email (subject, text, HTML) and the SMS for one follow-up step, in ``ctx.language``.

    The SMS links to the step's own section of the candidate's page (``#<step>``), where its drafts are.
    ``first_sms``: no earlier nudge of this interview went out by SMS, so this one ends with the firm's name
    and the opt-out line (``layout.render_first_sms``).
    Raises ValueError for an unknown step, and for ``decision_thank_you`` without a known outcome.
    """
    if step == "decision_thank_you" and ctx.outcome not in OUTCOMES:
        raise ValueError(f"decision_thank_you needs an outcome in {OUTCOMES}, got {ctx.outcome!r}")
    if step not in STEPS:
        raise ValueError(f"unknown follow-up step {step!r}; expected one of {STEPS}")
    help_, t = guide(step, ctx), words(ctx.language)
    if step == "thank_you_note":
        content = _thank_you_note(ctx, help_, t)
    elif step == "check_in":
        content = _check_in(ctx, help_, t)
    elif ctx.outcome == "offer":
        content = _offer(ctx, help_, t)
    else:
        content = _not_selected(ctx, help_, t)
    sms_url = f"{ctx.manage_url}#{step}"
    if first_sms:
        sms = render_first_sms(ctx.firm_name, (*content.sms_variants, content.sms_brief), sms_url, ctx.language)
    else:
        sms = render_sms(ctx.firm_name, content.sms_variants, sms_url, ctx.language)
    return _rendered(content.subject, content.blocks, sms, ctx)


def render_confirmation(ctx: MessageContext) -> RenderedMessage:
    """The one message sent to each destination at submission: nothing else goes there until it is confirmed.

    It names no link but the candidate's own page (where they confirm) and the unsubscribe link, and
    says what happens if they ignore it, since whoever submitted may not be the candidate. Its SMS is the
    first text the number gets from this interview: it ends with the firm's name and the opt-out line.
    The button it names is the page's own (the ``pages`` catalogue's words for it must match these).
    """
    t = words(ctx.language)
    company, role = clean(ctx.company), clean(ctx.role)
    subject = t("Confirm your follow-up reminders for the %(role)s interview", role=in_subject(role))
    recruiter, firm = clean(ctx.branding.signer), clean(ctx.firm_name)
    facts = {"role": role, "company": company, "day": ctx.day, "button": t("Confirm and start my reminders")}
    if recruiter:
        asked = t("%(recruiter)s at %(firm)s enrolled you for reminders of the follow-ups after your interview for "
                  "the %(role)s position at %(company)s on %(day)s. Nothing will be sent until you confirm: open "
                  "your private page below and choose \"%(button)s\".", recruiter=recruiter, firm=firm, **facts)
    else:
        asked = t("We were asked to remind you of the follow-ups after your interview for the %(role)s position at "
                  "%(company)s on %(day)s. Nothing will be sent until you confirm: open your private page below "
                  "and choose \"%(button)s\".", **facts)
    blocks = (
        Para(t("Hi %(name)s,", name=ctx.addressed)),
        Para(asked),
        Para(t("If you did not ask for this, ignore this message: without your confirmation we send nothing more, "
               "and the request is erased within three days.")),
    )
    variants = (t("To start your interview follow-up reminders, confirm here (ignore if not you):"),
                t("Confirm your interview reminders (ignore if not you):"), t("Confirm reminders (or ignore):"),
                t("Confirm reminders:"))
    return _rendered(subject, blocks, render_first_sms(ctx.firm_name, variants, ctx.manage_url, ctx.language), ctx)


def _rendered(subject: str, blocks: tuple, sms: str, ctx: MessageContext) -> RenderedMessage:
    firm, company, language = clean(ctx.firm_name), clean(ctx.company), ctx.language
    links = {"manage_url": ctx.manage_url, "unsubscribe_url": ctx.unsubscribe_url}
    return RenderedMessage(
        subject=subject,
        text=render_text(blocks, firm=firm, company=company, branding=ctx.branding, language=language, **links),
        html=render_html(subject, blocks, firm=firm, company=company, branding=ctx.branding, language=language,
                         **links),
        sms=sms,
        language=language,
    )


# --- content ---------------------------------------------------------------------------------


def _draft_blocks(drafts: Iterable[DraftText], t: Words) -> tuple:
    """Each draft of a guide as the message shows it: the draft, then its envelope line if it has one."""
    blocks: tuple = ()
    for draft in drafts:
        subject = (t("Subject: %(subject)s", subject=draft.subject), "") if draft.subject else ()
        lines = subject + tuple(draft.text.split("\n"))
        label = f"{draft.label[0].lower()}{draft.label[1:]}"
        title = t("Draft %(label)s", label=label) if draft.kind in ("card", "email") else draft.label
        blocks += (Draft(title, lines),)
        if draft.envelope:
            blocks += (Para(t("Address the envelope to %(address)s.", address=draft.envelope)),)
    return blocks


def _thank_you_note(ctx: MessageContext, help_: Guide, t: Words) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    interviewer = clean(ctx.interviewer_name)
    title = clean(ctx.interviewer_title or "")
    who = t("%(name)s (%(title)s)", name=interviewer, title=title) if title else interviewer
    name, at = _sms_name(ctx.interviewer_name, t("your interviewer")), plain_text(ctx.company)
    return Content(
        subject=t("Time to mail a thank-you card to %(name)s", name=in_subject(interviewer)),
        blocks=(
            Para(t("Hi %(name)s,", name=ctx.addressed)),
            Para(t(
                "Your interview for the %(role)s position at %(company)s on %(day)s is not over when you walk out "
                "the door: following up is part of it. First step: write a short thank-you card or letter by hand "
                "to %(who)s, and mail it (by post, not email) within the next day or so.",
                role=role, company=company, day=ctx.day, who=who,
            )),
            Para(t(
                "Keep it simple and to the point. All it needs to do is thank %(name)s for their time and for the "
                "interview. Interviewing is hard and thankless work on the other side of the table too, so a "
                "handwritten note gets noticed.", name=interviewer,
            )),
            *_draft_blocks(help_.drafts, t),
        ),
        sms_variants=(
            t("Mail %(name)s at %(company)s a handwritten thank-you card by post. Draft:", name=name, company=at),
            t("Mail %(name)s a handwritten thank-you card by post. Draft:", name=name),
            t("Mail %(name)s a handwritten thank-you card. Draft:", name=name),
            t("Mail %(name)s a thank-you card:", name=name),
        ),
        sms_brief=t.plural("Mail a card:", "Mail cards:", 1),
    )


def _check_in(ctx: MessageContext, help_: Guide, t: Words) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    interviewer = clean(ctx.interviewer_name)
    title = clean(ctx.interviewer_title or "")
    who = t("%(name)s, %(title)s,", name=interviewer, title=title) if title else interviewer
    name, at = _sms_name(ctx.interviewer_name, t("your interviewer")), plain_text(ctx.company)
    return Content(
        subject=t("Check in with %(name)s about the %(role)s position", name=in_subject(interviewer),
                  role=in_subject(role)),
        blocks=(
            Para(t("Hi %(name)s,", name=ctx.addressed)),
            Para(t(
                "You interviewed with %(who)s on %(day)s for the %(role)s position at %(company)s, and it has now "
                "been a few days past the timeline you were given for hearing back. Hiring often takes longer than "
                "planned, so this is normal. Now is the moment to send a short email or make a quick call letting "
                "%(name)s know that you are still interested in the job.",
                who=who, day=ctx.day, role=role, company=company, name=interviewer,
            )),
            Para(t("That's it. Two things NOT to do:")),
            Bullets(help_.donts),
            Para(t("Just make it known that you are still interested.")),
            *_draft_blocks(help_.drafts, t),
        ),
        sms_variants=(
            t("Email or call %(name)s at %(company)s to say you're still interested. Drafts:", name=name, company=at),
            t("Email or call %(name)s to say you're still interested. Drafts:", name=name),
            t("Tell %(name)s you're still interested. Drafts:", name=name),
            t("Tell %(name)s you're still keen:", name=name),
        ),
        sms_brief=t("Time to check in:"),
    )


def _offer(ctx: MessageContext, help_: Guide, t: Words) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    sms_names = [_sms_name(d.to or "", t("your manager")) for d in help_.drafts]
    names = t("%(names)s and %(last)s", names=", ".join(sms_names[:-1]), last=sms_names[-1]) \
        if len(sms_names) > 1 else sms_names[0]
    n = len(help_.drafts)
    return Content(
        subject=t.plural("Congratulations on the %(role)s offer: a thank-you card to mail",
                         "Congratulations on the %(role)s offer: thank-you cards to mail", n, role=in_subject(role)),
        blocks=(
            Para(t("Congratulations, %(name)s! You got the %(role)s position at %(company)s.", name=ctx.addressed,
                   role=role, company=company)),
            Para(offer_cards_line(help_.drafts, ctx.locale)),
            *_draft_blocks(help_.drafts, t),
        ),
        sms_variants=(
            t.plural("Congrats on the offer! Mail a thank-you card to %(names)s. Draft:",
                     "Congrats on the offer! Mail thank-you cards to %(names)s. Drafts:", n, names=names),
            t.plural("Congrats! Mail a thank-you card to %(names)s. Draft:",
                     "Congrats! Mail thank-you cards to %(names)s. Drafts:", n, names=names),
            t.plural("Congrats! Mail a card to %(names)s:", "Congrats! Mail cards to %(names)s:", n, names=names),
            t.plural("Mail a card to %(names)s:", "Mail cards to %(names)s:", n, names=names),
        ),
        sms_brief=t.plural("Mail a card:", "Mail cards:", n),
    )


def _not_selected(ctx: MessageContext, help_: Guide, t: Words) -> Content:
    company, role = clean(ctx.company), clean(ctx.role)
    manager = help_.drafts[0].to or clean(ctx.interviewer_name)
    name = _sms_name(manager, t("your hiring manager"))
    return Content(
        subject=t("A thank-you card still worth sending to %(name)s", name=in_subject(manager)),
        blocks=(
            Para(t("Hi %(name)s,", name=ctx.addressed)),
            Para(t(
                "We are sorry the %(role)s position at %(company)s went to another candidate this time. It is "
                "disappointing, and it says nothing final about you. One small thing is still worth doing: mail "
                "%(name)s a short handwritten card, thanking them for the opportunity to interview.",
                role=role, company=company, name=manager,
            )),
            Para(t(
                "Why it matters: if the person chosen does not work out, %(name)s will remember you, and you may "
                "get the next call.", name=manager,
            )),
            *_draft_blocks(help_.drafts, t),
            Para(_next_role(ctx, t)),
        ),
        sms_variants=(
            t("Not this time, but mail %(name)s a thank-you card: you may get the next call. Draft:", name=name),
            t("Still mail %(name)s a thank-you card: you may get the next call. Draft:", name=name),
            t("Still mail %(name)s a thank-you card. Draft:", name=name),
            t("Still mail %(name)s a card:", name=name),
        ),
        sms_brief=t.plural("Mail a card:", "Mail cards:", 1),
    )


def _next_role(ctx: MessageContext, t: Words) -> str:
    firm, branding = clean(ctx.firm_name), ctx.branding
    who = t("%(recruiter)s at %(firm)s", recruiter=branding.signer, firm=firm) if branding.signer else firm
    contacts = branding.contacts()
    if not contacts:
        return t("Whenever you are ready to look at the next role, %(who)s would be glad to help.", who=who)
    return t("Whenever you are ready to look at the next role, %(who)s would be glad to help: %(contacts)s.",
             who=who, contacts=", ".join(contacts))


# --- SMS -------------------------------------------------------------------------------------


def _sms_name(value: str, fallback: str) -> str:
    return plain_text(value) or fallback
