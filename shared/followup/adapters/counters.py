"""DynamoDB adapter of ``followup.ports.Counters``: one counter item per day and metric, in the one table.

Key ``pk = COUNT#<day>#<metric>`` (``followup.domain.counts``: never personal data). The item also carries
``count_month`` (``YYYY-MM``) and ``count_key`` (``<day>#<metric>``), the keys of the sparse index
``CountsByMonth``: only counter items have them, so the report reads a month with a Query on that index
(``count_month = :month AND count_key BETWEEN :first AND :last``), never a Scan, never an interview.
The count is ``n``, added with ``ADD``: inside the transaction of the write that made the event happen
(``counter_update``, used by ``adapters/store``), or on its own (``add``). Counts are kept: no expiry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from followup.adapters.aws import client
from followup.domain.counts import Counts, month_of

INDEX = "CountsByMonth"
PREFIX = "COUNT#"


def counter_key(day: str, metric: str) -> dict[str, Any]:
    return {"pk": {"S": f"{PREFIX}{day}#{metric}"}}


def counter_update(table: str, day: str, metric: str, n: int) -> dict[str, Any]:
    """The ``Update`` of one counter, as UpdateItem's arguments (a transaction's item takes the same)."""
    return {
        "TableName": table,
        "Key": counter_key(day, metric),
        "UpdateExpression": "ADD n :n SET count_month = :month, count_key = :key",
        "ExpressionAttributeValues": {
            ":n": {"N": str(n)},
            ":month": {"S": month_of(day)},
            ":key": {"S": f"{day}#{metric}"},
        },
    }


def counter_updates(table: str, counts: Counts | None) -> list[dict[str, Any]]:
    """A transaction's items for ``counts``: one ``Update`` per counter (each item at most once, as DynamoDB
    requires: ``counts`` holds one delta per key)."""
    return [{"Update": counter_update(table, day, metric, n)} for (day, metric), n in sorted((counts or {}).items())]


def months(first: date, last: date) -> list[str]:
    """``YYYY-MM`` of every month from ``first``'s to ``last``'s."""
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


class DynamoCounters:
    def __init__(self, table_name: str) -> None:
        self.table = table_name

    def add(self, counts: Counts) -> None:
        for (day, metric), n in sorted(counts.items()):
            client("dynamodb").update_item(**counter_update(self.table, day, metric, n))

    def read(self, first: date, last: date) -> dict[str, int]:
        totals: dict[str, int] = {}
        # '#' < '$': every "<last>#<metric>" sorts below "<last>$", and every "<first>#..." from "<first>#" up.
        bounds = {":first": {"S": f"{first.isoformat()}#"}, ":last": {"S": f"{last.isoformat()}$"}}
        for month in months(first, last):
            query: dict[str, Any] = {
                "TableName": self.table,
                "IndexName": INDEX,
                "KeyConditionExpression": "count_month = :month AND count_key BETWEEN :first AND :last",
                "ExpressionAttributeValues": {":month": {"S": month}, **bounds},
                "ProjectionExpression": "count_key, n",
            }
            while True:
                page = client("dynamodb").query(**query)
                for item in page.get("Items", []):
                    metric = item["count_key"]["S"].split("#", 1)[1]
                    totals[metric] = totals.get(metric, 0) + int(item["n"]["N"])
                if "LastEvaluatedKey" not in page:
                    break
                query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return {metric: n for metric, n in totals.items() if n}
