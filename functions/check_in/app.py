"""Step Lambda for `check_in`, invoked by its one-time schedule with {interview_id, step, version}."""

from followup.handlers import step_handler

lambda_handler = step_handler("check_in")
