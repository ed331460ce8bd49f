"""The cross-field rules of a submission, an edit and a decision: each failure names its field, in the form's
words (``followup.domain.form_errors``, loaded by the first request that needs them). Pure: ``transitions`` checks
them inside each change, after the access check, so a caller without a valid token never learns them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.domain.errors import InvalidFields

if TYPE_CHECKING:
    from followup.api.commands import RecordDecision
    from followup.domain.models import Candidate


def check_contact(candidate: Candidate, channels: list[str], sms_consent: bool, language: str = "en") -> None:
    """Cross-field rules of a submission or an edit, each failure naming its field, in ``language`` (the request's)."""
    from followup.domain import form_errors  # the words, loaded by the first request that needs them
    from followup.domain.i18n import words

    t = words(language)
    problems: list[tuple[str, str]] = []
    if "email" in channels and not candidate.email:
        problems.append(("candidate.email", t(form_errors.EMAIL_NEEDED)))
    if "sms" in channels and not candidate.phone:
        problems.append(("candidate.phone", t(form_errors.PHONE_NEEDED)))
    if "sms" in channels and not sms_consent:
        problems.append(("sms_consent", t(form_errors.CONSENT_NEEDED)))
    if problems:
        raise InvalidFields(fields=problems)


def check_decision(command: RecordDecision, language: str = "en") -> None:
    """The decision's own rules, checked by ``decide`` and ``correct_decision``: once the caller was found allowed
    to act on the interview, so a wrong token or another recruiter's interview is 404 whatever the body says. Its
    words are in ``language`` (the request's)."""
    from followup.domain import form_errors  # the words, loaded by the first request that needs them
    from followup.domain.i18n import words

    t = words(language)
    if command.outcome == "offer" and command.supervisor is None:
        raise InvalidFields(fields=[("supervisor.name", t(form_errors.SUPERVISOR_NEEDED))])
    if command.outcome == "not_selected" and command.supervisor is not None:
        raise InvalidFields(fields=[("supervisor", t(form_errors.SUPERVISOR_ONLY_FOR_OFFER))])
