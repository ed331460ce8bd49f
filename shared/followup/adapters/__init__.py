"""Adapters: the only modules that talk to AWS (DynamoDB, EventBridge Scheduler, SES, SNS).

Its rule: only the adapters import boto3 or botocore. Each implements a Protocol of ``followup.ports``;
the use cases take them as parameters, so unit tests pass in-memory fakes instead
(``tests/fakes.py``), and only the entry points (``usecases.service.service_for``, ``handlers``) build them.
"""
