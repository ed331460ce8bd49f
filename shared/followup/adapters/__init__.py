"""Adapters: the only modules that talk to AWS (DynamoDB, EventBridge Scheduler, SES, SNS).

The domain (policy, models, messages, transitions) never imports them; the service and delivery take
them as parameters, so unit tests pass in-memory fakes instead.
"""
