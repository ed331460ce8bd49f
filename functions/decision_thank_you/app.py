"""Step Lambda for `decision_thank_you`, invoked by its one-time schedule with {interview_id, step, version}."""

from followup.handlers import step_handler

lambda_handler = step_handler("decision_thank_you")
