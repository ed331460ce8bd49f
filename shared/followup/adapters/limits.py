"""DynamoDB adapter of ``followup.ports.Limiter``: one atomic counter item per subject and window.

Key ``pk = LIMIT#<scope>#<sha256 of the subject>#<window start, epoch seconds>``: the subject (a client
address, an email address, a phone number) is stored only as a digest. One ``UpdateItem`` adds 1 under a
condition that the count is still below the limit, so two racing requests can never both take the last
use; the item expires (TTL on ``expires_at``) when its window ends. Fixed windows aligned on the epoch:
an hour's limit lifts at the top of the hour.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from followup.adapters.aws import client


def window_bounds(now: datetime, window: timedelta) -> tuple[int, int]:
    """The fixed window holding ``now``, as epoch seconds [start, end)."""
    length = int(window.total_seconds())
    start = int(now.timestamp()) // length * length
    return start, start + length


def limit_key(scope: str, subject: str, window_start: int) -> dict[str, Any]:
    digest = hashlib.sha256(f"{scope}\n{subject}".encode()).hexdigest()
    return {"pk": {"S": f"LIMIT#{scope}#{digest}#{window_start}"}}


def limit_update(table: str, scope: str, subject: str, limit: int, window: timedelta, now: datetime) -> dict[str, Any]:
    """The conditional ``UpdateItem`` that takes one use: ``take``'s call, or an item of a write's transaction."""
    start, end = window_bounds(now, window)
    return {
        "TableName": table,
        "Key": limit_key(scope, subject, start),
        "UpdateExpression": "ADD uses :one SET expires_at = :end",
        "ConditionExpression": "attribute_not_exists(uses) OR uses < :limit",
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":limit": {"N": str(limit)}, ":end": {"N": str(end)}},
    }


class DynamoLimiter:
    def __init__(self, table_name: str) -> None:
        self.table = table_name

    def take(self, scope: str, subject: str, limit: int, window: timedelta, now: datetime) -> int | None:
        _, end = window_bounds(now, window)
        try:
            client("dynamodb").update_item(**limit_update(self.table, scope, subject, limit, window, now))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return end - int(now.timestamp())
            raise
        return None
