"""The table's items as the store writes them: each kind's key (``INTERVIEW#``, ``IDEMPOTENCY#``, ``DUPLICATE#``,
``IMPORT#``, ``OPTOUT#``, ``SMSMSG#``, ``SMSTO#``; ``followup.adapters.store`` says what each holds), a texted nudge's
two pointer items, and how DynamoDB says that a condition or a transaction refused a write."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from followup.ports import DuplicatePointer, OptOutCheck, SmsSent


def interview_key(interview_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"INTERVIEW#{interview_id}"}}


def idempotency_key(key_hash: str) -> dict[str, Any]:
    return {"pk": {"S": f"IDEMPOTENCY#{key_hash}"}}


def pointer_key(key: str) -> dict[str, Any]:
    return {"pk": {"S": f"DUPLICATE#{key}"}}


def import_key(key: str) -> dict[str, Any]:
    return {"pk": {"S": f"IMPORT#{key}"}}


def opt_out_key(address: str) -> dict[str, Any]:
    return {"pk": {"S": f"OPTOUT#{address}"}}


def sms_message_key(message_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"SMSMSG#{message_id}"}}


def sms_number_key(number: str) -> dict[str, Any]:
    return {"pk": {"S": f"SMSTO#{number}"}}


def duplicate_pointer_put(table: str, pointer: DuplicatePointer) -> dict[str, Any]:
    """The duplicate pointer as a write's item: it may create the pointer, or move it from ``replacing`` (the older
    interview, ended already), or write it again for the same interview; another interview's refuses the write."""
    values = {":me": {"S": pointer.interview_id}, ":older": {"S": pointer.replacing or pointer.interview_id}}
    return {"TableName": table, "Item": {**pointer_key(pointer.key), "interview_id": {"S": pointer.interview_id},
                                         "expires_at": {"N": str(pointer.expires_at)}},
            "ConditionExpression": "attribute_not_exists(pk) OR interview_id IN (:me, :older)",
            "ExpressionAttributeValues": values}


def unlisted_checks(table: str, check: OptOutCheck) -> list[dict[str, Any]]:
    """A write's condition that none of the addresses is on the firm's opt-out list: no item, or one that expired
    (an opt-out for good has no ``expires_at``)."""
    return [{"ConditionCheck": {
        "TableName": table, "Key": opt_out_key(address),
        "ConditionExpression": "attribute_not_exists(pk) OR (attribute_exists(expires_at) AND expires_at <= :now)",
        "ExpressionAttributeValues": {":now": {"N": str(check.now_epoch)}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}} for address in check.addresses]  # the reason, if listed


def listed_in(exc: ClientError, addresses: tuple[str, ...], first: int) -> dict[str, str]:
    """The addresses a transaction's condition checks (items ``first``...) found on the opt-out list, each with its
    reason, read from the cancellation reasons (``ReturnValuesOnConditionCheckFailure``: no read after)."""
    reasons = exc.response.get("CancellationReasons") or []
    listed = {}
    for at, address in enumerate(addresses, start=first):
        if at < len(reasons) and reasons[at].get("Code") == "ConditionalCheckFailed":
            listed[address] = (reasons[at].get("Item") or {}).get("reason", {}).get("S", "unsubscribed")
    return listed


def sms_pointer_items(table: str, sent: SmsSent) -> list[dict[str, Any]]:
    """A texted nudge's two pointers, as items of the transaction that records it: its message id's, and its
    number's latest (the interview's id added to the number's set)."""
    expires = {"N": str(sent.expires_at)}
    return [
        {"Put": {"TableName": table, "Item": {**sms_message_key(sent.message_id), "interview_id": {"S": sent.interview_id},
                                              "step": {"S": sent.step}, "expires_at": expires}}},
        {"Update": {"TableName": table, "Key": sms_number_key(sent.number),
                    "UpdateExpression": "SET interview_id = :i, step = :s, expires_at = :e ADD interviews :set",
                    "ExpressionAttributeValues": {":i": {"S": sent.interview_id}, ":s": {"S": sent.step},
                                                  ":e": expires, ":set": {"SS": [sent.interview_id]}}}},
    ]


def condition_failed(exc: ClientError, item: int | None = None) -> bool:
    """A write refused by its condition; of a transaction, by ``item``'s (its index) or, if None, by any."""
    code = exc.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return item in (None, 0)
    if code == "TransactionCanceledException":
        reasons = exc.response.get("CancellationReasons") or []
        if item is not None:
            return item < len(reasons) and reasons[item].get("Code") == "ConditionalCheckFailed"
        return any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
    return False


def conflicted(exc: ClientError) -> bool:
    """A transaction cancelled only because another one held one of its items: nothing was written."""
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    codes = {r.get("Code") for r in exc.response.get("CancellationReasons") or []} - {"None", None}
    return codes == {"TransactionConflict"}
