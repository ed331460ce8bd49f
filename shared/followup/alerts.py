"""The email a recruiter gets when their candidate records (or corrects) a hiring decision.

Plain words: who, for which interview, what outcome, and the link to the interview on the firm's page
(``<base>/firm/#<id>``). Sent from the firm's sender through the same ``Senders`` port as every message;
a refused send is tried again like a confirmation (``submission.CONFIRMATION_ATTEMPTS``), and a send
that still fails is logged with the interview's id only: the candidate's request has succeeded already.
The subject caps each submitted value (``drafts.in_subject``); the body keeps it whole.
"""

from __future__ import annotations

import html
import random
from time import sleep as wait

from followup.config import Settings
from followup.drafts import in_subject
from followup.models import Interview
from followup.observability import logger
from followup.ports import Email, Senders, SendFailed, SendUnconfirmed

OUTCOME_WORDS = {"offer": "an offer", "not_selected": "not selected"}
ATTEMPTS = 3
BACKOFF = 0.1  # seconds; as the confirmations


def firm_link(base_url: str, interview_id: str) -> str:
    return f"{base_url}/firm/#{interview_id}"


def decision_alert(interview: Interview, settings: Settings, *, corrected: bool = False) -> Email | None:
    """The recruiter's email for the decision ``interview`` now holds; None without a recruiter or a decision."""
    recruiter, decision = interview.recruiter, interview.decision
    if recruiter is None or decision is None or not recruiter.email:
        return None
    candidate = " ".join(interview.candidate.name.split())
    company, role = " ".join(interview.company.split()), " ".join(interview.role.split())
    outcome = OUTCOME_WORDS.get(decision.outcome, decision.outcome)
    verb = "corrected the decision" if corrected else "recorded a decision"
    link = firm_link(settings.base_url, interview.id)
    subject = (f"{in_subject(candidate)}: {'corrected ' if corrected else ''}decision for {in_subject(role)} "
               f"at {in_subject(company)}")
    greeting = f"Hi {' '.join(recruiter.name.split())},"
    news = f"{candidate} {verb} for the {role} interview at {company}: {outcome}."
    text = f"{greeting}\n\n{news}\n\nSee the interview and its follow-ups: {link}\n\n{settings.firm_name}\n"
    page = (
        f"<!doctype html><html><body><p>{html.escape(greeting)}</p><p>{html.escape(news)}</p>"
        f'<p><a href="{html.escape(link)}">See the interview and its follow-ups</a></p>'
        f"<p>{html.escape(settings.firm_name)}</p></body></html>"
    )
    return Email(sender=settings.sender_email, sender_name=settings.firm_name, to=recruiter.email,
                 subject=subject, text=text, html=page)


def send_decision_alert(senders: Senders, settings: Settings, interview: Interview, *, corrected: bool = False) -> None:
    """Send the recruiter's email, if the interview has a recruiter; never raises for a failed send."""
    email = decision_alert(interview, settings, corrected=corrected)
    if email is None:
        return
    for attempt in range(ATTEMPTS):
        try:
            senders.send_email(email)
        except SendUnconfirmed as exc:  # it may have gone: never sent twice
            logger.warning("recruiter alert unconfirmed", extra={"interview_id": interview.id, "error": exc.code})
        except SendFailed as exc:
            logger.warning("recruiter alert failed", extra={"interview_id": interview.id, "error": exc.code,
                                                            "attempt": attempt + 1})
            if attempt + 1 < ATTEMPTS:
                wait(random.uniform(0, BACKOFF * 2**attempt))  # noqa: S311 - jitter
            continue
        else:
            logger.info("recruiter alerted", extra={"interview_id": interview.id})
        return
