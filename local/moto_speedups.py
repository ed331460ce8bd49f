"""A speed-up for the embedded moto, used by `make run` and `make bench`.

moto backs up every table a TransactWriteItems touches with ``copy.deepcopy`` of the whole table, for
its rollback: O(table) per submission with an Idempotency-Key, quadratic over a long local session (a
minute and gigabytes of garbage at 1,000 interviews). Inside ``moto_transactions_copy_the_item_index``
a moto table copies its item index and shares the items: the same rollback for Put, Delete and
ConditionCheck, which replace or remove items and never change one in place. Only Update does: inside a
transaction, the product updates only the report's counter items (``COUNT#...``, ``followup/adapters/
counters.py``), and those few small items are copied whole, so a cancelled transaction rolls them back too.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from followup.adapters.counters import PREFIX as COUNTER_PREFIX


@contextmanager
def moto_transactions_copy_the_item_index() -> Iterator[None]:
    """moto backs up every table a TransactWriteItems touches with ``copy.deepcopy`` of the whole table, for
    its rollback: O(table) per submission, quadratic over a run (a minute at 1,000 interviews, and gigabytes
    of garbage). While inside, a moto table copies its item index and shares the items: the same rollback
    for Put, Delete and ConditionCheck, which replace or remove items and never change one in place. The
    counter items, which a transaction's Update changes in place, are copied whole."""
    from moto.dynamodb.models.table import Table

    def copy_index(self: Any, memo: dict[int, Any]) -> Any:
        clone = copy.copy(self)
        clone.items = defaultdict(dict, {
            key: dict(value) if self.has_range_key
            else copy.deepcopy(value) if str(getattr(key, "value", key)).startswith(COUNTER_PREFIX) else value
            for key, value in self.items.items()
        })
        return clone

    saved = Table.__dict__.get("__deepcopy__")
    Table.__deepcopy__ = copy_index  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if saved is None:
            del Table.__deepcopy__  # type: ignore[attr-defined]
        else:
            Table.__deepcopy__ = saved  # type: ignore[attr-defined]
