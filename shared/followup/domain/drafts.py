"""What the candidate writes or says at each follow-up: the drafts, the summary and the don'ts.

One source for every channel: the email nudge lays these drafts out (``followup.domain.messages``), the SMS
points to them, and the candidate's page shows them (``guide`` in the view), so an SMS-only candidate
gets the same help. Pure: no I/O, no clock.

People are addressed by the names they go by: the candidate by ``preferred_name`` (default the first
word of their name), the people to thank by the first word of theirs ("Dear Dana,"); envelopes and the
"to" lines carry full names. Every word is in the interview's language (``MessageContext.language``: its catalogue,
``followup.domain.i18n``), and the dates in the candidate's locale (``followup.domain.locales``, Babel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from followup.domain import i18n
from followup.domain.i18n import N_, Words, words
from followup.domain.locales import DEFAULT_LOCALE, first_name, long_day, national_phone, people
from followup.domain.models import STEPS, Interview
from followup.domain.sms import truncate

DraftKind = Literal["card", "email", "call", "voicemail"]

# Marked for the catalogue, translated where a guide lists them.
DONTS = (
    N_("Don't ask whether you are still in the running."),
    N_("Don't ask how the interviews with other candidates are going."),
)


@dataclass(frozen=True)
class Branding:
    """The firm's look and contact details (template parameters, each empty by default), and who signs."""

    logo_url: str = ""
    brand_colour: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    signer: str = ""  # the recruiter who enrolled the candidate; empty: the firm signs

    def contacts(self) -> list[str]:
        return [part for part in (self.contact_email, self.contact_phone, self.website) if part]


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
    preferred_name: str | None = None  # how the candidate is addressed; default the first word of the name
    locale: str = DEFAULT_LOCALE  # BCP 47
    phone: str | None = None  # E.164: the number the voicemail leaves
    thank_interviewer: bool = False  # the decision came before the thank-you card went out
    branding: Branding = field(default_factory=Branding)

    @property
    def addressed(self) -> str:
        return clean(self.preferred_name or "") or first_name(clean(self.candidate_name))

    @property
    def day(self) -> str:
        return long_day(self.interview_date, self.locale)

    @property
    def language(self) -> str:
        """The language of every word the candidate reads (``followup.domain.i18n``): ``locale``'s."""
        from followup.domain.i18n import language_of

        return language_of(self.locale)


@dataclass(frozen=True)
class DraftText:
    id: str  # stable: "<step>-<what>", the anchor an SMS links to on the candidate's page
    label: str
    kind: DraftKind
    text: str
    to: str | None = None
    subject: str | None = None
    envelope: str | None = None


@dataclass(frozen=True)
class Guide:
    summary: str
    drafts: tuple[DraftText, ...]
    donts: tuple[str, ...] = ()


def guide(step: str, ctx: MessageContext) -> Guide:
    """The help for one step. Raises ValueError for an unknown step, or a decision card without an outcome."""
    if step == "thank_you_note":
        return _thank_you_note(ctx)
    if step == "check_in":
        return _check_in(ctx)
    if step == "decision_thank_you":
        if ctx.outcome == "offer":
            return _offer(ctx)
        if ctx.outcome == "not_selected":
            return _not_selected(ctx)
        raise ValueError(f"decision_thank_you needs an outcome, got {ctx.outcome!r}")
    raise ValueError(f"unknown follow-up step {step!r}; expected one of {STEPS}")


# --- the three steps ---------------------------------------------------------------------------
# Every sentence is one message of the catalogue, with named placeholders (``followup.domain.i18n``): a language
# orders a sentence as it must, and writes a card as its own speakers write one, not word for word.


def _thank_you_note(ctx: MessageContext) -> Guide:
    t = words(ctx.language)
    interviewer, company, role = clean(ctx.interviewer_name), clean(ctx.company), clean(ctx.role)
    title = clean(ctx.interviewer_title or "")
    card = DraftText(
        id="thank_you_note-card",
        label=t("Card for %(name)s", name=interviewer),
        kind="card",
        to=interviewer,
        envelope=", ".join(part for part in (interviewer, title, company) if part),
        text=_letter(
            t, first_name(interviewer),
            t("Thank you for your time on %(day)s and for the interview for the %(role)s position at %(company)s. "
              "I enjoyed our conversation and appreciated the chance to learn more about the role.",
              day=ctx.day, role=role, company=company),
            ctx,
        ),
    )
    return Guide(
        summary=t("Mail a short handwritten thank-you card to %(name)s by post (not email) within a day or so: "
                  "thank them for their time and for the interview.", name=interviewer),
        drafts=(card,),
    )


def _check_in(ctx: MessageContext) -> Guide:
    t = words(ctx.language)
    interviewer, company, role = clean(ctx.interviewer_name), clean(ctx.company), clean(ctx.role)
    dear, me = first_name(interviewer), ctx.addressed
    email = DraftText(
        id="check_in-email",
        label=t("Email to %(name)s", name=interviewer),
        kind="email",
        to=interviewer,
        subject=t("Following up on the %(role)s position", role=role),
        text=_letter(
            t, dear,
            t("Thank you again for meeting with me on %(day)s about the %(role)s position at %(company)s. I wanted "
              "to let you know that I am still very interested in the role and would be glad to join the team.",
              day=ctx.day, role=role, company=company),
            ctx,
            closing=t("Best regards,"),
        ),
    )
    call = DraftText(
        id="check_in-call",
        label=t("Call script for %(name)s", name=interviewer),
        kind="call",
        to=interviewer,
        text=t("Hello %(dear)s, this is %(me)s. I interviewed with you on %(day)s for the %(role)s position. I'm "
               "calling to say that I'm still very interested in the job, and to thank you again for your time.",
               dear=dear, me=me, day=ctx.day, role=role),
    )
    number, name = national_phone(ctx.phone), clean(ctx.candidate_name)
    voicemail = DraftText(
        id="check_in-voicemail",
        label=t("If you reach voicemail"),
        kind="voicemail",
        to=interviewer,
        text=t("Hello %(dear)s, this is %(name)s. I interviewed with you on %(day)s for the %(role)s position, and "
               "I'm calling to say that I'm still very interested in it. You can reach me on %(number)s. Thank you, "
               "and have a good day.", dear=dear, name=name, day=ctx.day, role=role, number=number) if number else
        t("Hello %(dear)s, this is %(name)s. I interviewed with you on %(day)s for the %(role)s position, and "
          "I'm calling to say that I'm still very interested in it. My number is [your phone number]. Thank you, "
          "and have a good day.", dear=dear, name=name, day=ctx.day, role=role),
    )
    return Guide(
        summary=t("Send %(name)s a short email, or give them a quick call, to say you are still interested in the "
                  "%(role)s position. That's all it needs to say.", name=interviewer, role=role),
        drafts=(email, call, voicemail),
        donts=tuple(t(dont) for dont in DONTS),
    )


def _offer(ctx: MessageContext) -> Guide:
    t = words(ctx.language)
    company, role = clean(ctx.company), clean(ctx.role)
    manager = clean(ctx.hiring_manager_name or "") or clean(ctx.interviewer_name)
    supervisor = clean(ctx.supervisor_name or "")
    cards: list[DraftText] = []
    if not supervisor or same_person(supervisor, manager):
        cards.append(_card(
            "manager", manager, "manager_supervisor" if supervisor else "manager", ctx,
            t("Thank you for choosing me for the %(role)s position at %(company)s. I am grateful for your "
              "confidence in me, and I look forward to working for you.", role=role, company=company),
        ))
    else:
        cards.append(_card(
            "manager", manager, "manager", ctx,
            t("Thank you for choosing me for the %(role)s position at %(company)s. I am grateful for the confidence "
              "you have shown in me, and I will work hard to live up to it.", role=role, company=company),
        ))
        cards.append(_card(
            "supervisor", supervisor, "supervisor", ctx,
            t("I am delighted to be joining your team at %(company)s in the %(role)s position, and I am looking "
              "forward to working for you and learning from you. Thank you for the warm welcome.",
              company=company, role=role),
        ))
    if _thank_interviewer_too(ctx, manager, supervisor):
        cards.append(_card(
            "interviewer", clean(ctx.interviewer_name), "interviewer", ctx,
            t("Thank you for your time on %(day)s and for the interview for the %(role)s position. I am glad to "
              "say I will be joining %(company)s, and I enjoyed meeting you.", day=ctx.day, role=role,
              company=company),
        ))
    return Guide(summary=t("Congratulations on the %(role)s position! %(cards)s", role=role,
                           cards=offer_cards_line(cards, ctx.locale)),
                 drafts=tuple(cards))


def offer_cards_line(cards: list[DraftText] | tuple[DraftText, ...], locale: str) -> str:
    """``Thank-you card goes to Priya Shah: mail it by post.`` (one) or ``Thank-you cards go to ...`` (more), in
    ``locale``'s language."""
    from followup.domain.i18n import language_of

    t = words(language_of(locale))
    return t.plural("Thank-you card goes to %(names)s: mail it by post. A thank-you for choosing you shows your new "
                    "employer that you are conscientious and gracious.",
                    "Thank-you cards go to %(names)s: mail them by post. A thank-you for choosing you shows your new "
                    "employer that you are conscientious and gracious.",
                    len(cards), names=people([card.to or card.label for card in cards], locale))


def _not_selected(ctx: MessageContext) -> Guide:
    t = words(ctx.language)
    company, role = clean(ctx.company), clean(ctx.role)
    manager = clean(ctx.hiring_manager_name or "") or clean(ctx.interviewer_name)
    cards = [_card(
        "manager", manager, "manager", ctx,
        t("Thank you for the opportunity to interview for the %(role)s position at %(company)s. Although I was not "
          "selected this time, I enjoyed meeting you and learning about the team, and I would welcome the chance "
          "to be considered for future openings.", role=role, company=company),
    )]
    if _thank_interviewer_too(ctx, manager, ""):
        cards.append(_card(
            "interviewer", clean(ctx.interviewer_name), "interviewer", ctx,
            t("Thank you for your time on %(day)s and for the interview for the %(role)s position at %(company)s. "
              "I enjoyed our conversation, and I hope our paths cross again.", day=ctx.day, role=role,
              company=company),
        ))
    return Guide(
        summary=t.plural("Thank-you card goes to %(names)s: thank %(manager)s for the opportunity to interview. If "
                         "the person chosen does not work out, %(manager)s will remember you.",
                         "Thank-you cards go to %(names)s: thank them for the opportunity to interview. If the "
                         "person chosen does not work out, %(manager)s will remember you.",
                         len(cards), names=people([card.to or "" for card in cards], ctx.locale),
                         manager=first_name(manager)),
        drafts=tuple(cards),
    )


# --- helpers -----------------------------------------------------------------------------------

# Who a decision card thanks, by their part in the hiring: the label with their name, the label without it, and
# the greeting's stand-in for the name the candidate writes in (the form always has a name; a blank one does not).
CAPACITIES: dict[str, tuple[str, str, str]] = {
    "manager": (N_("Card for %(name)s (hiring manager)"), N_("Card for your hiring manager"),
                N_("[your hiring manager]")),
    "manager_supervisor": (N_("Card for %(name)s (hiring manager and direct supervisor)"),
                           N_("Card for your hiring manager and direct supervisor"),
                           N_("[your hiring manager and direct supervisor]")),
    "supervisor": (N_("Card for %(name)s (direct supervisor)"), N_("Card for your direct supervisor"),
                   N_("[your direct supervisor]")),
    "interviewer": (N_("Card for %(name)s (interviewer)"), N_("Card for your interviewer"),
                    N_("[your interviewer]")),
}


def _card(who: str, name: str, capacity: str, ctx: MessageContext, body: str) -> DraftText:
    t = words(ctx.language)
    named, unnamed, stand_in = CAPACITIES[capacity]
    return DraftText(
        id=f"decision_thank_you-{who}",
        label=t(named, name=name) if name else t(unnamed),
        kind="card",
        to=name or None,
        envelope=", ".join(part for part in (name, clean(ctx.company)) if part) or None,
        text=_letter(t, first_name(name) if name else t(stand_in), body, ctx),
    )


def _thank_interviewer_too(ctx: MessageContext, manager: str, supervisor: str) -> bool:
    interviewer = clean(ctx.interviewer_name)
    return ctx.thank_interviewer and not any(same_person(interviewer, other) for other in (manager, supervisor) if other)


def _letter(t: Words, dear: str, body: str, ctx: MessageContext, closing: str | None = None) -> str:
    """A card or an email: the greeting, the body, the closing (``Kind regards,`` unless given) and the signature,
    each on its own lines as a letter is laid out in every language the product writes."""
    greeting, closing = t("Dear %(name)s,", name=dear), closing or t("Kind regards,")
    return f"{greeting}\n\n{body}\n\n{closing}\n{clean(ctx.candidate_name)}"


def same_person(a: str, b: str) -> bool:
    return clean(a).casefold() == clean(b).casefold()


def clean(value: str) -> str:
    """Whitespace collapsed: a name never breaks a line (or a subject header)."""
    return " ".join(value.split())


SUBJECT_VALUE_CAP = 60  # characters of one submitted value (role, company, a name) in a subject


def in_subject(value: str) -> str:
    """``value`` as a subject carries it: one line, at most ``SUBJECT_VALUE_CAP`` characters, cut at a word
    with "…". A submitted value never writes a whole subject ("offer. ACTION REQUIRED: call …"); the body
    keeps it whole."""
    return truncate(clean(value), SUBJECT_VALUE_CAP, ellipsis="\u2026", size=len)


# --- from a stored interview -------------------------------------------------------------------


def branding_of(settings: object | None, interview: Interview | None = None) -> Branding:
    """The firm's branding from ``Settings`` (absent: empty), signed by the recruiter who enrolled the candidate."""
    recruiter = getattr(interview, "recruiter", None) if interview is not None else None
    return Branding(
        logo_url=getattr(settings, "logo_url", ""),
        brand_colour=getattr(settings, "brand_colour", ""),
        contact_email=getattr(settings, "contact_email", ""),
        contact_phone=getattr(settings, "contact_phone", ""),
        website=getattr(settings, "website", ""),
        signer=signer_of(getattr(recruiter, "name", "") or "", getattr(settings, "default_country", "") or "US"),
    )


SIGNER_CAP = 200  # characters: the form's own limit on a name


def signer_of(name: str, region: str = "US") -> str:
    """The recruiter's name as it signs a candidate's message, by the rules of the form's free text: a name that
    holds a link, an IP address, a phone number or a control character signs nothing (the firm signs alone), since
    it would go out under the firm's sender. Cognito's ``name`` is the recruiter's to write unless the pool forbids
    it (template.yaml does); this holds for a pool set up otherwise."""
    from followup.domain import free_text

    try:
        return clean(free_text.check(name, region))[:SIGNER_CAP]
    except free_text.Refused:
        return ""


def context_of(interview: Interview, firm_name: str, manage_url: str = "", unsubscribe_url: str = "",
               settings: object | None = None) -> MessageContext:
    """What a message to this interview's candidate says (and its page shows), with the message's two links."""
    decision = interview.decision
    thank_you = interview.follow_ups.get("thank_you_note")
    return MessageContext(
        firm_name=firm_name,
        candidate_name=interview.candidate.name,
        company=interview.company,
        role=interview.role,
        interviewer_name=interview.interviewer.name,
        interviewer_title=interview.interviewer.title,
        interview_date=datetime.fromisoformat(interview.interview_at).date(),
        manage_url=manage_url,
        unsubscribe_url=unsubscribe_url,
        outcome=decision.outcome if decision else None,
        hiring_manager_name=decision.hiring_manager.name if decision else None,
        supervisor_name=decision.supervisor.name if decision and decision.supervisor else None,
        preferred_name=interview.candidate.preferred_name,
        locale=i18n.locale_of(interview, settings),
        phone=interview.candidate.phone,
        # Nobody thanked the interviewer when the decision came before their card's nudge went out.
        thank_interviewer=decision is not None and (thank_you is None or thank_you.status not in ("sent", "done")),
        branding=branding_of(settings, interview),
    )
