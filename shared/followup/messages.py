"""What each follow-up nudge says, per channel: email (plain text and HTML) and SMS.

Pure: no I/O, no AWS, no clock. The coaching follows the staffing firm's advice on the three
follow-ups after an interview:

- ``thank_you_note``: mail (by post) a short handwritten card to the interviewer.
- ``check_in``: a few days past the timeline, a short email or call saying you are still interested,
  without asking whether you are still in the running or how the other interviews are going.
- ``decision_thank_you``: after an offer, cards to the hiring manager and the direct supervisor;
  when not selected, a card for the opportunity to interview.

Each nudge is written here as blocks; ``followup.layout`` lays them out as a text email, an HTML email
(every name kept as given, HTML-escaped) and an SMS in plain GSM-7 (``followup.sms``), one segment
whenever the manage link leaves room for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import get_args

from followup.layout import Bullets, Content, Draft, Para, render_html, render_sms, render_text
from followup.models import STEPS, Interview, Outcome
from followup.sms import plain_text

OUTCOMES: tuple[str, ...] = get_args(Outcome)

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
    enrolled_by: str | None = None  # the recruiter who enrolled the candidate (None: a public submission)


def context_of(interview: Interview, firm_name: str, manage_url: str, unsubscribe_url: str) -> MessageContext:
    """What a message to this interview's candidate says, with its two links: the confirmation's and each nudge's."""
    decision = interview.decision
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
        enrolled_by=interview.recruiter.name if interview.recruiter else None,
    )


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
    links = {"manage_url": ctx.manage_url, "unsubscribe_url": ctx.unsubscribe_url}
    company = _clean(ctx.company)
    return RenderedMessage(
        subject=content.subject,
        text=render_text(content.blocks, firm=firm, company=company, **links),
        html=render_html(content.subject, content.blocks, firm=firm, company=company, **links),
        sms=render_sms(firm, content.sms_variants, ctx.manage_url),
    )


def render_confirmation(ctx: MessageContext) -> RenderedMessage:
    """The one message sent to each destination at submission: nothing else goes there until it is confirmed.

    It names no link but the candidate's own page (where they confirm) and the unsubscribe link, and
    says what happens if they ignore it, since whoever submitted may not be the candidate.
    """
    candidate, company, role, firm = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role), _clean(ctx.firm_name)
    when = _day(ctx.interview_date)
    subject = f"Confirm your follow-up reminders for the {role} interview"
    recruiter = _clean(ctx.enrolled_by or "")
    asked = (f"{recruiter} at {firm} enrolled you for reminders of" if recruiter else "We were asked to remind you of")
    blocks = (
        Para(f"Hi {candidate},"),
        Para(
            f"{asked} the follow-ups after your interview for the {role} position at "
            f"{company} on {when}. Nothing will be sent until you confirm: open your private page below and "
            f"choose \"Confirm and start my reminders\"."
        ),
        Para(
            "If you did not ask for this, ignore this message: without your confirmation we send nothing more, "
            "and the request is erased within three days."
        ),
    )
    links = {"manage_url": ctx.manage_url, "unsubscribe_url": ctx.unsubscribe_url}
    return RenderedMessage(
        subject=subject,
        text=render_text(blocks, firm=firm, company=_clean(ctx.company), **links),
        html=render_html(subject, blocks, firm=firm, company=_clean(ctx.company), **links),
        sms=render_sms(firm, ("To start your interview follow-up reminders, confirm here (ignore if not you):",
                              "Confirm your interview reminders (ignore if not you):", "Confirm reminders:"),
                       ctx.manage_url),
    )


# --- content ---------------------------------------------------------------------------------


def _thank_you_note(ctx: MessageContext) -> Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    interviewer, when = _clean(ctx.interviewer_name), _day(ctx.interview_date)
    title = _clean(ctx.interviewer_title or "")
    who = f"{interviewer} ({title})" if title else interviewer
    envelope = ", ".join(part for part in (interviewer, title, company) if part)
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), plain_text(ctx.company)
    return Content(
        subject=f"Time to mail a thank-you card to {interviewer}",
        blocks=(
            Para(f"Hi {candidate},"),
            Para(
                f"Your interview for the {role} position at {company} on {when} is not over when you walk "
                f"out the door: following up is part of it. First step: write a short thank-you card or "
                f"letter by hand to {who}, and mail it (by post, not email) within the next day or so."
            ),
            Para(
                f"Keep it simple and to the point. All it needs to do is thank {interviewer} for their "
                f"time and for the interview. Interviewing is hard and thankless work on the other side "
                f"of the table too, so a handwritten note gets noticed."
            ),
            Draft(
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
            Para(f"Address the envelope to {envelope}."),
        ),
        sms_variants=(
            f"Mail {sms_name} at {sms_company} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card by post. Draft:",
            f"Mail {sms_name} a handwritten thank-you card. Draft:",
            f"Mail {sms_name} a thank-you card:",
        ),
    )


def _check_in(ctx: MessageContext) -> Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    interviewer, when = _clean(ctx.interviewer_name), _day(ctx.interview_date)
    title = _clean(ctx.interviewer_title or "")
    who = f"{interviewer}, {title}," if title else interviewer
    sms_name, sms_company = _sms_name(ctx.interviewer_name, "your interviewer"), plain_text(ctx.company)
    return Content(
        subject=f"Check in with {interviewer} about the {role} position",
        blocks=(
            Para(f"Hi {candidate},"),
            Para(
                f"You interviewed with {who} on {when} for the {role} position at {company}, and it has "
                f"now been a few days past the timeline you were given for hearing back. Hiring often "
                f"takes longer than planned, so this is normal. Now is the moment to send a short email "
                f"or make a quick call letting {interviewer} know that you are still interested in the job."
            ),
            Para("That's it. Two things NOT to do:"),
            Bullets(
                (
                    "Do not ask whether you are still in the running.",
                    "Do not ask how the interviews with other candidates are going.",
                )
            ),
            Para("Just make it known that you are still interested."),
            Draft(
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
            Draft(
                "Call script",
                (
                    f"Hello {interviewer}, this is {candidate}. I interviewed with you on {when} for the "
                    f"{role} position. I'm calling to say that I'm still very interested in the job, and "
                    f"to thank you again for your time.",
                ),
            ),
            Para("If you reach voicemail, leave the same short message and your phone number."),
        ),
        sms_variants=(
            f"Email or call {sms_name} at {sms_company} to say you're still interested. Drafts:",
            f"Email or call {sms_name} to say you're still interested. Drafts:",
            f"Tell {sms_name} you're still interested. Drafts:",
            f"Tell {sms_name} you're still keen:",
        ),
    )


def _offer(ctx: MessageContext) -> Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    manager = _clean(ctx.hiring_manager_name or "") or _clean(ctx.interviewer_name)
    supervisor = _clean(ctx.supervisor_name or "")
    sms_manager = _sms_name(ctx.hiring_manager_name or ctx.interviewer_name, "your hiring manager")
    intro = Para(f"Congratulations, {candidate}! You got the {role} position at {company}.")
    why = "It is a sure way to come across as conscientious and gracious to your new employer."
    if supervisor and supervisor.casefold() == manager.casefold():
        return Content(
            subject=f"Congratulations on the {role} offer: a thank-you card to mail",
            blocks=(
                intro,
                Para(
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
    return Content(
        subject=f"Congratulations on the {role} offer: two thank-you cards to mail",
        blocks=(
            intro,
            Para(
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


def _offer_card(name: str, capacity: str, candidate: str, role: str, company: str) -> Draft:
    title = f"Draft card for {name} ({capacity})" if name else f"Draft card for your {capacity}"
    return Draft(
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


def _not_selected(ctx: MessageContext) -> Content:
    candidate, company, role = _clean(ctx.candidate_name), _clean(ctx.company), _clean(ctx.role)
    manager = _clean(ctx.hiring_manager_name or "") or _clean(ctx.interviewer_name)
    firm = _clean(ctx.firm_name)
    sms_manager = _sms_name(ctx.hiring_manager_name or ctx.interviewer_name, "your hiring manager")
    return Content(
        subject=f"A thank-you card still worth sending to {manager}",
        blocks=(
            Para(f"Hi {candidate},"),
            Para(
                f"We are sorry the {role} position at {company} went to another candidate. You are not off "
                f"the hook just yet, though: it is still good business to mail {manager} a short "
                f"handwritten thank-you card or letter, thanking them for the opportunity to interview."
            ),
            Para(
                f"Why it still matters: suppose the candidate who was chosen does not work out after all. "
                f"{manager} will remember you, and you may get the next call."
            ),
            Draft(
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
            Para(f"In the meantime, {firm} has employers looking for people like you: get in touch."),
        ),
        sms_variants=(
            f"Not this time, but mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card: you may get the next call. Draft:",
            f"Still mail {sms_manager} a thank-you card. Draft:",
            f"Still mail {sms_manager} a card:",
        ),
    )


# --- SMS -------------------------------------------------------------------------------------


def _sms_name(value: str, fallback: str) -> str:
    return plain_text(value) or fallback


# --- helpers ---------------------------------------------------------------------------------


def _clean(value: str) -> str:
    """Whitespace collapsed: a name never breaks a line (or a subject header)."""
    return " ".join(value.split())


def _day(value: date) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
