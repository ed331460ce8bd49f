"""DynamoDB adapter: one item per interview, replaced whole under an optimistic `revision` check.

Keys: ``pk = INTERVIEW#<id>`` for interviews, ``pk = IDEMPOTENCY#<sha256 of the key>`` for the record
that lets a retried submission return its first answer, ``pk = DUPLICATE#<digest>`` for the pointer from
(destination, company, day) to the confirmed interview that a newer one replaces, ``pk = OPTOUT#<digest>``
for a destination the firm sends nothing more to (``destinations.address_key``; no ``expires_at``: for good),
``pk = IMPORT#<digest of recruiter and file>`` for how far a CSV import went (its rows' answers, compressed).
Every read of one item is a GetItem by key, but a read on behalf of a token: a Query of that one key filtered on
the token's hash (``load_for_token``), so that a wrong token reads the same empty answer whether or not the id
exists. The opt-outs of a submission's destinations are one BatchGetItem.
The firm's list is a Query of one of two sparse global secondary indexes that an enrolled
interview's item carries the keys of (``followup.domain.listing``); nothing ever Scans.

A write that carries counts (``followup.domain.counts``) is one ``TransactWriteItems``: the interview's conditional
``Put`` first, then an ``Update`` (``ADD``) per counter (``adapters/counters``), so the counts land with the
write or not at all. One transaction refused because another was touching the same counter at that moment
(``TransactionConflict``: nothing was written) is sent again, up to ``TRANSACTION_ATTEMPTS`` times.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, replace
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from followup.adapters.aws import client
from followup.adapters.counters import counter_updates
from followup.adapters.items import (
    condition_failed,
    conflicted,
    duplicate_pointer_put,
    idempotency_key,
    import_key,
    interview_key,
    listed_in,
    opt_out_key,
    pointer_key,
    sms_message_key,
    sms_number_key,
    sms_pointer_items,
    unlisted_checks,
)
from followup.adapters.limits import limit_update
from followup.domain import listing
from followup.domain.counts import Counts
from followup.domain.errors import ConcurrentModification, IdempotencyKeyTaken
from followup.domain.listing import ListQuery, Page
from followup.domain.models import Interview, Recruiter, load
from followup.ports import (
    DuplicatePointer,
    IdempotencyRecord,
    ImportProgress,
    LimitReached,
    LimitUse,
    OnOptOutList,
    OptOutCheck,
    PointerTaken,
    SmsPointer,
    SmsSent,
)

TRANSACTION_ATTEMPTS = 4
QUERY_BATCH = 100  # items a filtered Query reads at a time
MAX_QUERIES = 20  # per page: a page whose filters match little ends early, with a cursor to go on

# The hashes of the interview's tokens as a string set, derived from ``tokens`` on every write: what the read
# for a token (``load_for_token``) filters on.
TOKEN_HASHES = "token_hashes"  # noqa: S105 - an attribute name, not a secret

_ser = TypeSerializer()
_de = TypeDeserializer()


def _to_item(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in data.items() if v is not None}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _de.deserialize(v) for k, v in item.items()}


def _interview_of(item: dict[str, Any]) -> Interview:
    data = _from_item(item)
    for name in ("pk", TOKEN_HASHES, *listing.INDEX_ATTRIBUTES):
        data.pop(name, None)
    return load(Interview, data)


def _query_params(table: str, query: ListQuery, now_epoch: int) -> tuple[dict[str, Any], bool]:
    """The Query of ``query``'s index partition, newest first, with its filters (``listing.matches``)."""
    names = {"#part": query.partition_attribute, "#expires": "expires_at"}
    values: dict[str, Any] = {":part": {"S": query.partition}, ":now": {"N": str(now_epoch)}, ":never": {"N": "0"}}
    conditions = ["(#expires > :now OR #expires = :never)"]
    if query.status is not None:
        names["#status"] = "status"
        values[":status"] = {"S": query.status}
        conditions.append("#status = :status")
    if query.step is not None:
        names.update({"#fu": "follow_ups", "#st": "status", "#step": query.step})
        pending = [f":pending{i}" for i in range(len(listing.PENDING))]
        values.update({p: {"S": status} for p, status in zip(pending, listing.PENDING, strict=True)})
        one_of = ", ".join(pending)
        conditions.append(f"#fu.#step.#st IN ({one_of})")
        for i, earlier in enumerate(listing.earlier_steps(query.step)):
            names[f"#e{i}"] = earlier
            conditions.append(f"NOT (#fu.#e{i}.#st IN ({one_of}))")
    params = {
        "TableName": table,
        "IndexName": query.index,
        "KeyConditionExpression": "#part = :part",
        "FilterExpression": " AND ".join(conditions),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": False,
    }
    return params, query.status is not None or query.step is not None


class InterviewStore:
    """The ``followup.ports.Store`` on DynamoDB."""

    def __init__(self, table_name: str) -> None:
        self.table = table_name

    @property
    def _db(self) -> Any:
        return client("dynamodb")

    def _interview_item(self, interview: Interview) -> dict[str, Any]:
        item = _to_item(asdict(interview))
        item.update(interview_key(interview.id))
        item.update({name: {"S": value} for name, value in listing.index_attributes(interview).items()})
        if interview.tokens:  # what load_for_token filters on (a string set is never empty)
            item[TOKEN_HASHES] = {"SS": sorted({grant.hash for grant in interview.tokens})}
        return item

    def _transact(self, items: list[dict[str, Any]]) -> None:
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                self._db.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if attempt + 1 < TRANSACTION_ATTEMPTS and conflicted(exc):
                    continue
                raise
            return

    def create(self, interview: Interview, idempotency: IdempotencyRecord | None = None,
               counts: Counts | None = None, limits: tuple[LimitUse, ...] = (),
               unlisted: OptOutCheck | None = None) -> None:
        """Store a new interview; with an idempotency record, opt-out checks, counts and limit uses, all or none (one
        transaction: the interview first, then the record, the checks, each limit's conditional update, then the
        counters, so a cancellation's reasons say by their index which refused)."""
        put = {
            "TableName": self.table,
            "Item": self._interview_item(interview),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        if idempotency is None and not counts and not limits and unlisted is None:
            self._db.put_item(**put)
            return
        items: list[dict[str, Any]] = [{"Put": put}]
        if idempotency is not None:
            items.append({"Put": {
                "TableName": self.table,
                "Item": {
                    **idempotency_key(idempotency.key_hash),
                    "request_hash": {"S": idempotency.request_hash},
                    "interview_id": {"S": idempotency.interview_id},
                    "response": {"S": idempotency.response},
                    "expires_at": {"N": str(idempotency.expires_at)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }})
        first_check = len(items)
        items += unlisted_checks(self.table, unlisted) if unlisted else []
        first_limit = len(items)
        items += [{"Update": limit_update(self.table, u.scope, u.subject, u.limit, u.window, u.now)} for u in limits]
        try:
            self._transact([*items, *counter_updates(self.table, counts or {})])
        except ClientError as exc:
            if idempotency is not None and condition_failed(exc, 1):
                raise IdempotencyKeyTaken(idempotency.key_hash) from exc
            listed = listed_in(exc, unlisted.addresses, first_check) if unlisted else {}
            if listed:
                raise OnOptOutList(listed) from exc
            refused = [use for at, use in enumerate(limits, start=first_limit) if condition_failed(exc, at)]
            if refused:
                raise LimitReached(refused[0]) from exc
            if condition_failed(exc, 0):
                raise ConcurrentModification() from exc
            raise

    def load_idempotency(self, key_hash: str) -> IdempotencyRecord | None:
        item = self._db.get_item(TableName=self.table, Key=idempotency_key(key_hash), ConsistentRead=True).get("Item")
        if not item:
            return None
        data = _from_item(item)
        return IdempotencyRecord(
            key_hash=key_hash,
            request_hash=data["request_hash"],
            interview_id=data["interview_id"],
            response=data["response"],
            expires_at=int(data["expires_at"]),
        )

    def load_pointer(self, key: str) -> str | None:
        item = self._db.get_item(TableName=self.table, Key=pointer_key(key), ConsistentRead=True).get("Item")
        return item["interview_id"]["S"] if item else None

    def load_import(self, key: str) -> ImportProgress | None:
        item = self._db.get_item(TableName=self.table, Key=import_key(key), ConsistentRead=True).get("Item")
        if not item:
            return None
        rows = json.loads(zlib.decompress(item["rows"]["B"]))
        return ImportProgress(key=key, total=int(item["total"]["N"]), rows=rows, expires_at=int(item["expires_at"]["N"]))

    def save_import(self, progress: ImportProgress) -> None:
        # The answered rows compressed (errors repeat their column names and words): 500 rows stay a few KB.
        rows = zlib.compress(json.dumps(progress.rows, separators=(",", ":")).encode())
        self._db.put_item(TableName=self.table, Item={
            **import_key(progress.key), "total": {"N": str(progress.total)}, "rows": {"B": rows},
            "expires_at": {"N": str(progress.expires_at)},
        })

    def opted_out(self, addresses: list[str], now_epoch: int) -> dict[str, str]:
        wanted = {f"OPTOUT#{address}": address for address in dict.fromkeys(addresses)}
        if not wanted:
            return {}
        keys = [{"pk": {"S": pk}} for pk in wanted]
        found: dict[str, str] = {}
        for _ in range(TRANSACTION_ATTEMPTS):  # what DynamoDB leaves unprocessed (throttled) is asked again
            answer = self._db.batch_get_item(RequestItems={self.table: {
                "Keys": keys, "ConsistentRead": True, "ProjectionExpression": "pk, expires_at, reason"}})
            for item in answer.get("Responses", {}).get(self.table, []):
                expires_at = int(item["expires_at"]["N"]) if "expires_at" in item else 0
                if not expires_at or expires_at > now_epoch:
                    found[wanted[item["pk"]["S"]]] = item.get("reason", {}).get("S", "unsubscribed")
            keys = answer.get("UnprocessedKeys", {}).get(self.table, {}).get("Keys", [])
            if not keys:
                return found
        raise ConcurrentModification("the opt-out list could not be read; try again")

    def lift_opt_out(self, address: str, reason: str) -> None:
        try:
            self._db.delete_item(TableName=self.table, Key=opt_out_key(address), ConditionExpression="reason = :why",
                                 ExpressionAttributeValues={":why": {"S": reason}})
        except ClientError as exc:
            if not condition_failed(exc):
                raise

    def opt_out(self, address: str, reason: str, expires_at: int = 0) -> None:
        item = {**opt_out_key(address), "reason": {"S": reason}}
        if not expires_at:
            self._db.put_item(TableName=self.table, Item=item)
            return
        item["expires_at"] = {"N": str(expires_at)}
        try:  # one that expires never replaces one for good
            self._db.put_item(TableName=self.table, Item=item,
                              ConditionExpression="attribute_not_exists(pk) OR attribute_exists(expires_at)")
        except ClientError as exc:
            if not condition_failed(exc):
                raise

    def sms_pointer(self, message_id: str, now_epoch: int) -> SmsPointer | None:
        return self._pointer(sms_message_key(message_id), now_epoch)

    def latest_sms(self, number: str, now_epoch: int) -> SmsPointer | None:
        return self._pointer(sms_number_key(number), now_epoch)

    def _pointer(self, key: dict[str, Any], now_epoch: int) -> SmsPointer | None:
        item = self._db.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
        if item is None or int(item["expires_at"]["N"]) <= now_epoch:  # TTL removes it within days, not at once
            return None
        return SmsPointer(item["interview_id"]["S"], item["step"]["S"], frozenset(item.get("interviews", {}).get("SS", [])))

    def load_for_token(self, interview_id: str, token_hash: str) -> Interview | None:
        # A Query of the one key, filtered on the token's hash: a wrong token and an unknown id get the same
        # empty answer, the interview never leaves DynamoDB for a token it does not hold. An item written before
        # TOKEN_HASHES existed is returned whole, for the caller's own check, until its next write adds them.
        answer = self._db.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            FilterExpression=f"contains({TOKEN_HASHES}, :hash) OR attribute_not_exists({TOKEN_HASHES})",
            ExpressionAttributeValues={":pk": interview_key(interview_id)["pk"], ":hash": {"S": token_hash}},
            ConsistentRead=True,
        )
        items = answer.get("Items") or []
        return _interview_of(items[0]) if items else None

    def load(self, interview_id: str) -> Interview | None:
        item = self._db.get_item(TableName=self.table, Key=interview_key(interview_id), ConsistentRead=True).get("Item")
        if not item:
            return None
        return _interview_of(item)

    def recruiters(self, ids: list[str]) -> dict[str, Recruiter]:
        """Who each recruiter (a Cognito ``sub``) is, as their newest interview recorded them when they enrolled it:
        per id, one Query of ``ByRecruiter`` for one item, projecting the recruiter alone (never a Scan). An id with
        no interview kept (every one expired) is left out."""
        found: dict[str, Recruiter] = {}
        for sub in dict.fromkeys(ids):
            if not sub or sub == listing.PUBLIC:
                continue
            answer = self._db.query(
                TableName=self.table, IndexName=listing.BY_RECRUITER, KeyConditionExpression="#part = :part",
                ExpressionAttributeNames={"#part": listing.RECRUITER_KEY, "#who": "recruiter"},
                ExpressionAttributeValues={":part": {"S": sub}}, ProjectionExpression="#who",
                ScanIndexForward=False, Limit=1)
            items = answer.get("Items") or []
            if items and "recruiter" in items[0]:
                found[sub] = load(Recruiter, _from_item(items[0])["recruiter"])
        return found

    def list_interviews(self, query: ListQuery, now_epoch: int) -> Page:
        """One page of the firm's list, newest first, by Query of its index; filtered pages are filled by
        reading on until the page is full or the index ends (at most ``MAX_QUERIES`` reads)."""
        start = None
        if query.cursor is not None:
            at = listing.decode_cursor(query.cursor, query)
            start = {**interview_key(at.interview_id), query.partition_attribute: {"S": at.partition},
                     listing.CREATED_KEY: {"S": at.created_key}}
        params, filtered = _query_params(self.table, query, now_epoch)
        items: list[Interview] = []
        for _ in range(MAX_QUERIES):
            # Unfiltered: one more than the page, to know whether another page follows.
            limit = QUERY_BATCH if filtered else query.limit + 1
            answer = self._db.query(**params, Limit=limit, **({"ExclusiveStartKey": start} if start else {}))
            items += [_interview_of(item) for item in answer.get("Items", [])]
            start = answer.get("LastEvaluatedKey")
            if len(items) > query.limit or not start:
                break
        if len(items) > query.limit:
            items = items[: query.limit]
            return Page(items, listing.encode_cursor(listing.position_of(items[-1], query)))
        if start:  # read MAX_QUERIES times without filling the page: go on from where the reading stopped
            key = _from_item(start)
            position = listing.Position(key["pk"].removeprefix("INTERVIEW#"), query.partition, key[listing.CREATED_KEY])
            return Page(items, listing.encode_cursor(position))
        return Page(items, None)

    def replace(self, interview: Interview, counts: Counts | None = None, sms_sent: tuple[SmsSent, ...] = (), *,
                limit: LimitUse | None = None, opt_out: tuple[str, str] | None = None,
                pointers: tuple[DuplicatePointer, ...] = (), unlisted: OptOutCheck | None = None) -> Interview:
        """Write the interview back if nobody else wrote it since it was loaded, with its counts, the pointers of the
        nudges it records as texted, the limit use it takes and the opt-out it records; returns the stored copy."""
        stored = replace(interview, revision=interview.revision + 1)
        put = {
            "TableName": self.table,
            "Item": self._interview_item(stored),
            "ConditionExpression": "revision = :expected",
            "ExpressionAttributeValues": {":expected": {"N": str(interview.revision)}},
        }
        also = [{"Update": limit_update(self.table, limit.scope, limit.subject, limit.limit, limit.window, limit.now)}
                ] if limit else []  # second: its cancellation reason is the transaction's second
        if opt_out:
            also.append({"Put": {"TableName": self.table, "Item": {**opt_out_key(opt_out[0]), "reason": {"S": opt_out[1]}}}})
        first_pointer = 1 + len(also)
        also += [{"Put": duplicate_pointer_put(self.table, pointer)} for pointer in pointers]
        first_check = 1 + len(also)
        checks = unlisted_checks(self.table, unlisted) if unlisted else []
        also += checks
        also += [item for sent in sms_sent for item in sms_pointer_items(self.table, sent)]
        try:
            if counts or also:
                self._transact([{"Put": put}, *also, *counter_updates(self.table, counts or {})])
            else:
                self._db.put_item(**put)
        except ClientError as exc:
            if condition_failed(exc, 0):
                raise ConcurrentModification() from exc
            if limit and condition_failed(exc, 1):
                raise LimitReached(limit) from exc
            taken = [p for at, p in enumerate(pointers, start=first_pointer) if condition_failed(exc, at)]
            if taken:
                raise PointerTaken(taken[0].key) from exc
            listed = listed_in(exc, unlisted.addresses, first_check) if unlisted else {}
            if listed:
                raise OnOptOutList(listed) from exc
            raise
        return stored

    def delete(self, interview: Interview) -> None:
        """Erase the interview and, if any, the idempotency record that holds a copy of its first answer."""
        if interview.idempotency_key_hash is None:
            self._db.delete_item(TableName=self.table, Key=interview_key(interview.id))
            return
        self._db.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": self.table, "Key": interview_key(interview.id)}},
                {"Delete": {"TableName": self.table, "Key": idempotency_key(interview.idempotency_key_hash)}},
            ]
        )
