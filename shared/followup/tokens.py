"""Manage tokens: "<interview id>.<random secret>", stored only as SHA-256 hashes, compared in constant time.

The id prefix lets any token find its interview by key (no index, no scan); the secret is what
authorises. The API hands one out at submission; each message carries one minted when it is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def hash_token(token: str) -> str:
    """What is stored of a manage token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(interview_id: str) -> str:
    return f"{interview_id}.{secrets.token_urlsafe(16)}"


def interview_id_of(token: str) -> str:
    return token.split(".", 1)[0]


# Compared when the interview does not exist, so an unknown id costs the same hashing and comparing as
# an existing id with a wrong secret: response time does not tell one from the other.
DUMMY_TOKEN_HASH = hash_token("no interview has this token")


def token_matches(token_hashes: list[str], token: str) -> bool:
    digest = hash_token(token)
    # Compare with every stored hash, each in constant time, without stopping at the first match.
    return sum(hmac.compare_digest(digest, stored) for stored in token_hashes) > 0


def manage_url(base_url: str, interview_id: str, token: str) -> str:
    return f"{base_url}/manage/{interview_id}?token={token}"


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url}/unsubscribe?token={token}"
