"""The feedback Lambda: SES's events about the emails the product sent (EventBridge, the stack's configuration
set only), applied to their interviews."""

from followup.runtime import coldstart

coldstart.pause_collector()  # before the handler's imports: no garbage collection through the cold start

from followup.handlers import feedback_handler

lambda_handler = coldstart.resumes_collector(feedback_handler())
