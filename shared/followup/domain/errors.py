"""Domain errors. They say what went wrong, never how to answer it: the API's one exception handler
maps each class to its HTTP status (``functions/api/errors_http.py``).

The messages a candidate can read on the form or their page are marked for the catalogue (``N_``) and said in the
request's language by ``FollowUpError.in_language``; the others speak to a client's developer or to the firm's
people, who work in English, and stay English."""

from __future__ import annotations

from followup.domain.i18n import N_


class FollowUpError(Exception):
    message = "internal error"

    def __init__(self, message: str | None = None, *, fields: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.fields = fields or []  # (field path, what is wrong with it), for errors about the request's fields

    def in_language(self, language: str = "en") -> tuple[str, list[tuple[str, str]]]:
        """The message and each field's, in ``language``: the catalogue's words for a marked message, any other as
        it was written (a message already in ``language`` is not in the catalogue, so it stays as it is)."""
        from followup.domain.i18n import words

        t = words(language)

        def said(message: str) -> str:
            return t(message) if message else message  # gettext's "" is the catalogue's header

        return said(self.message), [(field, said(problem)) for field, problem in self.fields]


class InvalidFields(FollowUpError):
    message = N_("some fields are invalid")


class Unauthorized(FollowUpError):
    message = "a manage token is required: send Authorization: Bearer <manage_token>"


class Forbidden(FollowUpError):
    """Signed in, but not allowed: not a member of the firm's groups, or not an admin where one is needed."""

    message = "you are signed in but not allowed to do this"


class InterviewNotFound(FollowUpError):
    # A wrong token answers the same as an unknown id, so ids cannot be probed.
    message = N_("interview not found")


class Conflict(FollowUpError):
    message = N_("the interview is not in a state that allows this")


class AlreadyDecided(Conflict):
    message = N_("a decision has already been recorded, or the interview is cancelled")


class ConcurrentModification(Conflict):
    message = N_("the interview changed while this request was handled; try again")


class TooLarge(FollowUpError):
    message = N_("the request is too large")


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

    message = N_("too many requests; try again later")

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class DeliveryInFlight(DeliveryFailed):
    """Another invocation holds the follow-up's lease: raised, not answered, so Lambda tries again later
    (by then the lease has run out, or the follow-up is no longer pending); never a message of its own."""
