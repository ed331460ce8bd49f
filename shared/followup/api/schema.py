"""The API's pydantic models: the base every request, command and answer shares, and the answers.

The API's alone: the step Lambdas import no pydantic (cold start). What is stored is in
``followup.domain.models`` (plain dataclasses, which the answers below embed as they are); what the API accepts is
in ``followup.api.requests``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from followup.domain.models import Candidate, Channel, Interviewer, InterviewStatus, Outcome, Step


class Model(BaseModel):
    """Every pydantic model of the API: its validator is built on first use, not at import (cold start).

    The API imports models it may never use on a given invocation (a request validates one of its request
    bodies and answers one view).
    """

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    model_config = ConfigDict(extra="forbid")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


# A person an answer names (the decision's hiring manager and supervisor): the stored ``models.Person`` as
# /openapi.json has always documented it, under the same name (a comment, not a docstring: pydantic would
# publish a docstring as the schema's description).
class Person(Strict):
    name: Text


class DeliveryView(Model):
    # sending: on its way this very moment; delivered, bounced, complained, failed (rejected): what the provider
    # told afterwards. A channel that bounced or was marked as spam shows, on a follow-up still to come,
    # as skipped with that reason.
    status: Literal["sending", "sent", "skipped", "delivered", "bounced", "complained", "failed"]
    reason: str | None = None
    at: str | None = None
    delivered_at: str | None = None  # delivered: when the receiving mail server took it


class DraftView(Model):
    id: str  # stable ("thank_you_note-card"): the page's anchor for it
    label: str
    kind: Literal["card", "email", "call", "voicemail"]
    to: str | None = None
    subject: str | None = None
    envelope: str | None = None  # a card's envelope line
    text: str


class GuideView(Model):
    """What the step's nudge tells the candidate, on their page too: the drafts and the don'ts."""

    summary: str
    drafts: list[DraftView]
    donts: list[str] = Field(default_factory=list)


class FollowUpView(Model):
    step: Step
    due_at: str
    status: Literal["planned", "scheduled", "sent", "cancelled", "skipped", "done", "failed"]
    deliveries: dict[str, DeliveryView] = Field(default_factory=dict)
    guide: GuideView | None = None  # None while no draft applies (a cancelled or skipped step)
    done_by: Literal["reply"] | None = None  # "reply": the candidate texted DONE; None: the page's button, or not done


class DisplayView(Model):
    """The interview as the candidate reads it, in their locale."""

    locale: str  # BCP 47, the candidate's or the firm's default, with the language used (``i18n.speaking``)
    language: str  # the language the messages and the page speak ("en", "es"): the locale's, if the product has
    # it, else the firm's default's
    time_zone: str  # "New York (UTC−5)"
    interview_day: str  # "Friday, November 27"
    interview_time: str  # "2:00 PM"
    phone: str | None = None  # national format: "(415) 555-0123"


class DecisionView(Model):
    outcome: Outcome
    hiring_manager: Person
    supervisor: Person | None = None
    decided_at: str


class InterviewView(Model):
    id: str
    status: InterviewStatus
    company: str
    role: str
    interviewer: Interviewer
    interview_at: str
    candidate: Candidate
    channels: list[Channel]
    verified_channels: list[Channel]
    sms_consent: bool
    expected_decision_days: int
    decision: DecisionView | None
    follow_ups: list[FollowUpView]
    display: DisplayView | None = None


class ConfirmationSent(Model):
    channel: Channel
    destination: str  # masked: j•••@example.com, +1•••••••0123


class SubmittedInterviewView(Model):
    """The answer to a submission: never a token, and the same whoever the destinations belong to."""

    id: str
    status: Literal["awaiting_confirmation"]
    confirmations_sent_to: list[ConfirmationSent]


class UnsubscribedView(Model):
    status: Literal["unsubscribed"]


class FieldError(Model):
    field: str
    message: str


class ErrorBody(Model):
    message: str
    errors: list[FieldError] = Field(default_factory=list)
