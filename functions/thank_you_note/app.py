"""Step Lambda for `thank_you_note`, invoked by its one-time schedule with {interview_id, step, version}."""

from followup.handlers import step_handler

lambda_handler = step_handler("thank_you_note")
