"""Where the fake AWS lives: the one region and account every local resource is in (moto's, in tests,
``make run`` and the bench). Imported by ``local/environment.py`` (the region the functions are told) and
``local/provision.py`` (the region and account in each ARN), so neither imports the other for them.
"""

REGION = "us-east-1"
ACCOUNT = "123456789012"
