"""Step Lambda for `check_in`, invoked by its one-time schedule with {interview_id, step, version}."""

from followup.runtime import coldstart

coldstart.pause_collector()  # before the handler's imports: no garbage collection through the cold start

from followup.handlers import step_handler

lambda_handler = coldstart.resumes_collector(step_handler("check_in"))
