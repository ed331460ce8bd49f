"""What the firm's API answers: the candidate's view of an interview, plus who enrolled it and when, with
each follow-up's delivery per channel spelled out for a recruiter. No token, no hash, ever."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from followup.api.schema import FollowUpView, InterviewView, Model
from followup.domain.models import Interview, Recruiter

# sent / skipped (with its reason: no_consent, opted_out, unverified, ...) / sending, as the step recorded it;
# failed: the follow-up's last attempt failed before this channel was sent; awaiting_confirmation: the
# candidate has not confirmed this channel yet, so it will be skipped unless they do before it is due.
# delivered / bounced / complained / failed (reason rejected): what SES told after the send.
FirmDeliveryStatus = Literal["sending", "sent", "skipped", "failed", "awaiting_confirmation", "delivered", "bounced",
                             "complained"]
ENDED = frozenset({"cancelled", "skipped", "done"})


class FirmDeliveryView(Model):
    status: FirmDeliveryStatus
    reason: str | None = None
    at: str | None = None
    delivered_at: str | None = None


class FirmFollowUpView(FollowUpView):
    deliveries: dict[str, FirmDeliveryView] = Field(default_factory=dict)  # type: ignore[assignment]


class ReplyView(Model):
    """A text the candidate sent back: its keyword (done, stop, start), or its words (anything else, as sent)."""

    at: str
    step: str | None = None
    keyword: Literal["done", "stop", "start", "help"] | None = None
    text: str | None = None


class FirmInterviewView(InterviewView):
    follow_ups: list[FirmFollowUpView]  # type: ignore[assignment]
    recruiter: Recruiter | None
    created_at: str
    replies: list[ReplyView] = Field(default_factory=list, description="the candidate's texts back, oldest first")


class FirmInterviewPage(Model):
    items: list[FirmInterviewView]
    next_cursor: str | None = Field(description="pass as cursor= for the next page; null: this was the last")


class FirmUserView(Model):
    sub: str
    name: str
    email: str
    groups: list[str]
    is_admin: bool


class ColumnError(Model):
    column: str
    message: str


class ImportedRow(Model):
    row: int = Field(description="the row's number in the file, the header being row 1")
    status: Literal["created", "refused"]
    id: str | None = None
    errors: list[ColumnError] | None = None


class ImportResult(Model):
    status: Literal["complete", "partial"] = Field(description="partial: send the same file again to go on")
    total: int = Field(description="the file's rows")
    created: int
    refused: int
    rows: list[ImportedRow] = Field(description="the rows answered so far, in the file's order")


def to_firm_view(interview: Interview, settings: object | None = None) -> FirmInterviewView:
    """The interview as a recruiter reads it: the candidate's view (its ``display.language`` the candidate's, with
    the firm's default where they named none: ``settings``), each delivery's state, who enrolled, the replies."""
    from followup.api.views import interview_view  # the drafts and Babel load with the first view

    data = interview_view(interview, settings).model_dump()
    for follow_up in data["follow_ups"]:
        follow_up["deliveries"] = _deliveries(interview, follow_up)
    replies = [{"at": r.at, "step": r.step, "keyword": r.keyword, "text": r.text} for r in interview.replies]
    return FirmInterviewView.model_validate({**data, "recruiter": interview.recruiter, "created_at": interview.created_at,
                                             "replies": replies})


def _deliveries(interview: Interview, follow_up: dict) -> dict[str, dict]:
    recorded = dict(follow_up["deliveries"])
    for channel in interview.channels:
        if channel in recorded:
            continue
        if follow_up["status"] == "failed":
            recorded[channel] = {"status": "failed"}
        elif follow_up["status"] not in ENDED and channel not in interview.verified_channels:
            recorded[channel] = {"status": "awaiting_confirmation"}
    return recorded
