"""Domain errors. The API maps each to one HTTP status in one exception handler."""

from __future__ import annotations


class FollowUpError(Exception):
    status_code = 500
    message = "internal error"

    def __init__(self, message: str | None = None, *, fields: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.fields = fields or []


class InvalidFields(FollowUpError):
    status_code = 422
    message = "some fields are invalid"


class Unauthorized(FollowUpError):
    status_code = 401
    message = "a manage token is required: send Authorization: Bearer <manage_token>"


class InterviewNotFound(FollowUpError):
    # A wrong token answers the same as an unknown id, so ids cannot be probed.
    status_code = 404
    message = "interview not found"


class Conflict(FollowUpError):
    status_code = 409
    message = "the interview is not in a state that allows this"


class AlreadyDecided(Conflict):
    message = "a decision has already been recorded, or the interview is cancelled"


class ConcurrentModification(Conflict):
    message = "the interview changed while this request was handled; try again"


class IdempotencyKeyReused(FollowUpError):
    status_code = 422
    message = "this Idempotency-Key was already used with a different request body"


class DeliveryFailed(Exception):
    """A channel failed to send; raised so the invocation is retried (or dead-lettered) for what is left."""
