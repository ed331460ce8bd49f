"""Tokens: "<interview id>.<random secret>", stored only as SHA-256 hashes (``models.TokenGrant``), compared
in constant time.

The id prefix lets any token find its interview by key (no index, no scan); the secret is what
authorises, and the grant stored with its hash says what it may do:
- a **manage** token reads and changes the interview. It is bound to the channel it was delivered on
  **and to the address it was delivered to** (``TokenGrant.address``, a digest of the canonical destination:
  ``followup.domain.destinations``): confirming with it verifies that channel only while the channel's address is
  still that one, and changing the address drops the old address's manage tokens (``drop_address``). It
  expires ``MANAGE_TOKEN_LIFETIME`` after it was issued, or with the interview;
- an **unsubscribe** token (the unsubscribe link, ``List-Unsubscribe``) stops the messages, nothing else; it
  is bound to the email address its message went to, which a firm-wide opt-out with it names.

Nobody who submits gets a token: each is minted for one message to the candidate (a confirmation, a nudge).

An interview keeps at most ``GRANTS_KEPT`` grants of each kind and channel, the newest (``live``): however
many edits or messages it sees, its item stays far below DynamoDB's 400 KB, and every check compares the
same number of hashes (``COMPARISONS``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from followup.domain.destinations import address_key
from followup.domain.models import Channel, TokenGrant, TokenKind

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
# The newest grants an interview keeps of each kind and channel (manage by email, manage by SMS, unsubscribe):
# a confirmation and three nudges need 4 of each; the rest is room for a few corrected addresses.
GRANTS_KEPT = 16
# Every token checked is compared with this many hashes (the most an interview can hold, padded with the
# dummy): how many grants an interview holds, or whether it exists at all, does not show in the time taken.
COMPARISONS = 3 * GRANTS_KEPT


def mint(interview_id: str, kind: TokenKind, now: datetime, channel: Channel | None = None,
         address: str | None = None) -> tuple[str, TokenGrant]:
    """A new token and the grant to store for it: a manage token is bound to ``channel`` and to ``address``
    (``destinations.address_key`` of where it is sent), and expires."""
    token = new_token(interview_id)
    expires_at = int((now + MANAGE_TOKEN_LIFETIME).timestamp()) if kind == "manage" else 0
    return token, TokenGrant(hash=hash_token(token), kind=kind, channel=channel, expires_at=expires_at,
                             address=address)


@dataclass(frozen=True)
class Links:
    """The tokens one set of messages carries: a manage token per channel, bound to it, and one unsubscribe
    token; ``grants`` is what to store for them (only hashes)."""

    manage: dict[str, str]
    unsubscribe: str
    grants: list[TokenGrant]


def mint_links(interview_id: str, destinations: Mapping[str, str], now: datetime) -> Links:
    """Mint the link tokens of the messages to ``destinations`` (channel -> the address each message goes to):
    a confirmation's, or a nudge's. Each manage token is bound to its channel and address; the unsubscribe
    token, which only the email carries, to the email address."""
    manage: dict[str, str] = {}
    grants: list[TokenGrant] = []
    for channel, destination in destinations.items():
        manage[channel], grant = mint(interview_id, "manage", now, channel,  # type: ignore[arg-type]
                                      address_key(channel, destination))
        grants.append(grant)
    email = destinations.get("email")
    unsubscribe, grant = mint(interview_id, "unsubscribe", now, address=address_key("email", email) if email else None)
    return Links(manage, unsubscribe, [*grants, grant])


def grant_for(grants: list[TokenGrant], token: str, kind: TokenKind, now: datetime) -> TokenGrant | None:
    """The grant ``token`` holds for ``kind``, if it is one of ``grants`` and not expired; else None."""
    return grant_of(grants, hash_token(token), kind, now)


def grant_of(grants: list[TokenGrant], digest: str, kind: TokenKind, now: datetime) -> TokenGrant | None:
    """The grant of the token whose hash is ``digest`` for ``kind``, if it is one of ``grants`` and not
    expired; else None.

    Every stored hash is compared, each in constant time, without stopping at the first match, and never
    fewer than ``COMPARISONS`` hashes (padded with the dummy): how many grants an interview holds, or
    whether it exists at all, does not show in the time the check takes.
    """
    found = None
    for grant in grants:
        if hmac.compare_digest(digest, grant.hash) and found is None:
            found = grant
    for _ in range(COMPARISONS - len(grants)):
        hmac.compare_digest(digest, DUMMY_TOKEN_HASH)
    if found is None or found.kind != kind:
        return None
    if found.expires_at and found.expires_at <= int(now.timestamp()):
        return None
    return found


def live(grants: list[TokenGrant], now: datetime) -> list[TokenGrant]:
    """What a write keeps: the grants not yet expired, and of those the newest ``GRANTS_KEPT`` of each kind
    and channel (a list is oldest first), so an interview's list is bounded however often it is changed."""
    moment = int(now.timestamp())
    unexpired = [g for g in grants if not g.expires_at or g.expires_at > moment]
    seen: dict[tuple[str, str | None], int] = {}
    kept: list[TokenGrant] = []
    for grant in reversed(unexpired):
        group = (grant.kind, grant.channel)
        seen[group] = seen.get(group, 0) + 1
        if seen[group] <= GRANTS_KEPT:
            kept.append(grant)
    return kept[::-1]


def drop_address(grants: list[TokenGrant], channel: str, address: str | None) -> list[TokenGrant]:
    """The grants without the manage tokens of ``channel`` bound to any address but ``address`` (the channel's
    new one; None: it has none now): a link sent to an address the candidate replaced no longer acts."""
    return [g for g in grants
            if not (g.kind == "manage" and g.channel == channel and (address is None or g.address != address))]


def binds(grant: TokenGrant, channel: str, destination: str | None) -> bool:
    """Whether ``grant`` was delivered to ``destination``, the channel's address now: what confirming needs."""
    return (grant.channel == channel and destination is not None and grant.address is not None
            and grant.address == address_key(channel, destination))


def manage_url(base_url: str, interview_id: str, token: str) -> str:
    return f"{base_url}/manage/{interview_id}?token={token}"


def unsubscribe_url(base_url: str, token: str, language: str = "") -> str:
    """The email's unsubscribe link; with the interview's ``language`` (``followup.domain.i18n``) its page speaks it
    whatever the browser's (``lang`` after the token; the one-click POST to the link reads the token alone)."""
    return f"{base_url}/unsubscribe?token={token}" + (f"&lang={language}" if language else "")
