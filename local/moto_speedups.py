"""A speed-up for the embedded moto, used by `make run` and `make bench`.

moto backs up every table a TransactWriteItems touches with ``copy.deepcopy`` of the whole table, for
its rollback: O(table) per submission with an Idempotency-Key, quadratic over a long local session (a
minute and gigabytes of garbage at 1,000 interviews). Inside ``moto_transactions_copy_the_item_index``
a moto table copies its item index and shares the items: the same rollback for Put, Delete and
ConditionCheck, which replace or remove items and never change one in place (only Update does: the
product's one UpdateItem, the limits' counters in ``followup/adapters/limits.py``, is never part of a
transaction, and tests/template/test_code_matches_template.py holds every function to its policy).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def moto_transactions_copy_the_item_index() -> Iterator[None]:
    """moto backs up every table a TransactWriteItems touches with ``copy.deepcopy`` of the whole table, for
    its rollback: O(table) per submission, quadratic over a run (a minute at 1,000 interviews, and gigabytes
    of garbage). While inside, a moto table copies its item index and shares the items: the same rollback
    for Put, Delete and ConditionCheck, which replace or remove items and never change one in place (only
    Update does, and the product's UpdateItem is never inside a transaction)."""
    from moto.dynamodb.models.table import Table

    def copy_index(self: Any, memo: dict[int, Any]) -> Any:
        clone = copy.copy(self)
        clone.items = defaultdict(
            dict, {key: dict(value) if self.has_range_key else value for key, value in self.items.items()}
        )
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
