"""The candidate's view of an interview: the stored record, each step's guide, and how it reads to them.

Imported by the first view a process answers (the API's ``view_of`` and ``firm_views.to_firm_view`` import it
then, not at import): the drafts and Babel stay out of the API's cold start. It builds ``followup.api.schema``'s
answers; the schema never imports it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from followup.api.schema import (
    DecisionView,
    DeliveryView,
    DisplayView,
    DraftView,
    FollowUpView,
    GuideView,
    InterviewView,
    Person,
)
from followup.domain import drafts, transitions
from followup.domain.locales import first_name, long_day, national_phone, time_of_day, zone_label
from followup.domain.models import FollowUp, Interview

# A step that will never go out needs no draft on the page.
NO_GUIDE = frozenset({"cancelled", "skipped"})


def interview_view(interview: Interview, settings: object | None = None) -> InterviewView:
    ctx = drafts.context_of(interview, getattr(settings, "firm_name", ""), settings=settings)
    given = interview.candidate.locale or getattr(settings, "default_locale", "") or drafts.DEFAULT_LOCALE
    candidate = replace(  # the locale as given (or the firm's); display.locale and .language say what was used
        interview.candidate, preferred_name=ctx.addressed or first_name(interview.candidate.name), locale=given
    )
    return InterviewView(
        id=interview.id,
        status=interview.status,
        company=interview.company,
        role=interview.role,
        interviewer=interview.interviewer,
        interview_at=interview.interview_at,
        candidate=candidate,
        channels=interview.channels,
        verified_channels=interview.verified_channels,
        sms_consent=interview.sms_consent,
        expected_decision_days=interview.expected_decision_days,
        decision=_decision_view(interview),
        follow_ups=[_follow_up_view(f, ctx, interview.stopped) for f in interview.ordered_follow_ups()],
        display=_display(interview, ctx.locale),
    )


def _decision_view(interview: Interview) -> DecisionView | None:
    decision = interview.decision
    if decision is None:
        return None
    return DecisionView(
        outcome=decision.outcome,
        hiring_manager=Person(name=decision.hiring_manager.name),
        supervisor=Person(name=decision.supervisor.name) if decision.supervisor else None,
        decided_at=decision.decided_at,
    )


TO_COME = frozenset({*transitions.PENDING, "planned"})  # the steps still to go out (planned: awaiting confirmation)


def _follow_up_view(follow_up: FollowUp, ctx: drafts.MessageContext, stopped: dict[str, str]) -> FollowUpView:
    deliveries = {ch: DeliveryView(status=d.status, reason=d.reason, at=d.at, delivered_at=d.delivered_at)
                  for ch, d in follow_up.deliveries.items()}
    if follow_up.status in TO_COME:  # a stopped channel (bounced, marked as spam) is skipped when the step goes out
        deliveries |= {ch: DeliveryView(status="skipped", reason=why) for ch, why in stopped.items()
                       if ch not in deliveries}
    return FollowUpView(
        step=follow_up.step,
        due_at=follow_up.due_at,
        # "sending" is an internal lease; to the candidate it is still scheduled.
        status="scheduled" if follow_up.status == "sending" else follow_up.status,
        deliveries=deliveries,
        done_by=follow_up.done_by if follow_up.status == "done" else None,
        guide=None if follow_up.status in NO_GUIDE else guide_view(follow_up.step, ctx),
    )


def guide_view(step: str, ctx: drafts.MessageContext) -> GuideView | None:
    try:
        guide = drafts.guide(step, ctx)
    except ValueError:  # a decision card without a decision: nothing to draft
        return None
    return GuideView(
        summary=guide.summary,
        drafts=[DraftView(id=d.id, label=d.label, kind=d.kind, to=d.to, subject=d.subject, envelope=d.envelope,
                          text=d.text) for d in guide.drafts],
        donts=list(guide.donts),
    )


def _display(interview: Interview, locale: str) -> DisplayView:
    zone = interview.candidate.time_zone
    moment = datetime.fromisoformat(interview.interview_at).astimezone(ZoneInfo(zone))
    from followup.domain.i18n import language_of

    return DisplayView(
        locale=locale,
        language=language_of(locale),
        time_zone=zone_label(zone, locale, moment),
        interview_day=long_day(moment.date(), locale),
        interview_time=time_of_day(moment, locale),
        phone=national_phone(interview.candidate.phone),
    )
