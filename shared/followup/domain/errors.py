"""Domain errors. They say what went wrong, never how to answer it: the API's one exception handler
maps each class to its HTTP status (``functions/api/errors_http.py``)."""

from __future__ import annotations


class FollowUpError(Exception):
    message = "internal error"

    def __init__(self, message: str | None = None, *, fields: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.fields = fields or []  # (field path, what is wrong with it), for errors about the request's fields


class InvalidFields(FollowUpError):
    message = "some fields are invalid"


class Unauthorized(FollowUpError):
    message = "a manage token is required: send Authorization: Bearer <manage_token>"


class Forbidden(FollowUpError):
    """Signed in, but not allowed: not a member of the firm's groups, or not an admin where one is needed."""

    message = "you are signed in but not allowed to do this"


class InterviewNotFound(FollowUpError):
    # A wrong token answers the same as an unknown id, so ids cannot be probed.
    message = "interview not found"


class Conflict(FollowUpError):
    message = "the interview is not in a state that allows this"


class AlreadyDecided(Conflict):
    message = "a decision has already been recorded, or the interview is cancelled"


class ConcurrentModification(Conflict):
    message = "the interview changed while this request was handled; try again"


class TooLarge(FollowUpError):
    message = "the request is too large"


class UnsupportedMedia(FollowUpError):
    message = "the body is not in a content type this route takes"


class IdempotencyKeyReused(InvalidFields):
    message = "this Idempotency-Key was already used with a different request body"


class IdempotencyKeyTaken(Exception):
    """The store refused a submission because its Idempotency-Key is already recorded (a twin request won)."""


class InvalidPayload(ValueError):
    """A step Lambda's event is not a schedule's payload: raised (the event dead-letters), never delivered."""


class DeliveryFailed(Exception):
    """A channel failed to send; raised so the invocation is retried (or dead-lettered) for what is left."""


class RateLimited(FollowUpError):
    """Over one of the limits (DESIGN's Trust rules); ``retry_after`` is the seconds until it lifts."""

    message = "too many requests; try again later"

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class DeliveryInFlight(DeliveryFailed):
    """Another invocation holds the follow-up's lease: raised, not answered, so Lambda tries again later
    (by then the lease has run out, or the follow-up is no longer pending); never a message of its own."""
