"""The one place boto3 clients are made: cached, created on first use, with standard retries.

Only adapters call ``client``. ``AWS_ENDPOINT_URL`` (read by botocore itself) points them at the
local moto server in `make run`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

RETRIES = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=3, read_timeout=10)
# For the calls that send a message: botocore's retries would send it again after a read timeout (the
# request went, its answer was lost), so a send is tried once and the delivery decides what a failure means.
ONCE = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=3, read_timeout=10)


@cache
def _session() -> boto3.session.Session:
    # One session for every client: each new Session parses botocore's endpoint data again (~30 ms).
    return boto3.session.Session()


def client(service: str, *, retried: bool = True) -> Any:
    """The cached client of ``service``; ``retried=False``: one try per call (the sending calls)."""
    return _client(service, retried)


@cache
def _client(service: str, retried: bool) -> Any:  # one cache key however the caller spells the arguments
    return _session().client(service, config=RETRIES if retried else ONCE)


def reset_clients() -> None:
    """Forget every cached client (tests and the local stack call this when the endpoint changes)."""
    _client.cache_clear()
    _session.cache_clear()
