"""Tokens: "<interview id>.<random secret>", stored only as SHA-256 hashes (``models.TokenGrant``), compared
in constant time.

The id prefix lets any token find its interview by key (no index, no scan); the secret is what
authorises, and the grant stored with its hash says what it may do:
- a **manage** token reads and changes the interview. It is bound to the channel it was delivered on
  (confirming with it verifies that channel) and expires ``MANAGE_TOKEN_LIFETIME`` after it was issued,
  or with the interview;
- an **unsubscribe** token (the unsubscribe link, ``List-Unsubscribe``) stops the messages, nothing else.

Nobody who submits gets a token: each is minted for one message to the candidate (a confirmation, a nudge).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from followup.models import Channel, TokenGrant, TokenKind

MANAGE_TOKEN_LIFETIME = timedelta(days=30)


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(interview_id: str) -> str:
    return f"{interview_id}.{secrets.token_urlsafe(16)}"


def interview_id_of(token: str) -> str:
    return token.split(".", 1)[0]


# Compared when the interview does not exist, so an unknown id costs the same hashing and comparing as
# an existing id with a wrong secret: response time does not tell one from the other.
DUMMY_TOKEN_HASH = hash_token("no interview has this token")
# An interview holds a few grants (a confirmation per channel, then two or three per message sent, the
# expired ones dropped): at least this many hashes are compared for every token checked.
MIN_COMPARISONS = 16


def mint(interview_id: str, kind: TokenKind, now: datetime, channel: Channel | None = None) -> tuple[str, TokenGrant]:
    """A new token and the grant to store for it: a manage token is bound to ``channel`` and expires."""
    token = new_token(interview_id)
    expires_at = int((now + MANAGE_TOKEN_LIFETIME).timestamp()) if kind == "manage" else 0
    return token, TokenGrant(hash=hash_token(token), kind=kind, channel=channel, expires_at=expires_at)


@dataclass(frozen=True)
class Links:
    """The tokens one set of messages carries: a manage token per channel, bound to it, and one unsubscribe
    token; ``grants`` is what to store for them (only hashes)."""

    manage: dict[str, str]
    unsubscribe: str
    grants: list[TokenGrant]


def mint_links(interview_id: str, channels: Iterable[str], now: datetime) -> Links:
    """Mint the link tokens of the messages to ``channels``: a confirmation's, or a nudge's."""
    manage: dict[str, str] = {}
    grants: list[TokenGrant] = []
    for channel in channels:
        manage[channel], grant = mint(interview_id, "manage", now, channel)  # type: ignore[arg-type]
        grants.append(grant)
    unsubscribe, grant = mint(interview_id, "unsubscribe", now)
    return Links(manage, unsubscribe, [*grants, grant])


def grant_for(grants: list[TokenGrant], token: str, kind: TokenKind, now: datetime) -> TokenGrant | None:
    """The grant ``token`` holds for ``kind``, if it is one of ``grants`` and not expired; else None.

    Every stored hash is compared, each in constant time, without stopping at the first match, and never
    fewer than ``MIN_COMPARISONS`` hashes (padded with the dummy): how many grants an interview holds, or
    whether it exists at all, does not show in the time the check takes.
    """
    digest = hash_token(token)
    found = None
    for grant in grants:
        if hmac.compare_digest(digest, grant.hash) and found is None:
            found = grant
    for _ in range(MIN_COMPARISONS - len(grants)):
        hmac.compare_digest(digest, DUMMY_TOKEN_HASH)
    if found is None or found.kind != kind:
        return None
    if found.expires_at and found.expires_at <= int(now.timestamp()):
        return None
    return found


def live(grants: list[TokenGrant], now: datetime) -> list[TokenGrant]:
    """The grants not yet expired: what a write keeps, so an interview's list does not grow without end."""
    moment = int(now.timestamp())
    return [g for g in grants if not g.expires_at or g.expires_at > moment]


def manage_url(base_url: str, interview_id: str, token: str) -> str:
    return f"{base_url}/manage/{interview_id}?token={token}"


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url}/unsubscribe?token={token}"
