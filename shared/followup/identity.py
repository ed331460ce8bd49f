"""Who is calling a ``/firm/...`` route: the claims of the ID token that API Gateway's JWT authorizer verified.

The HTTP API's JWT authorizer (deployed), or the local server acting as it (``make run``), checks the token's
signature, issuer, audience and expiry before the request reaches the function, and passes its claims at
``requestContext.authorizer.jwt.claims``. The HTTP API passes every claim as a string: an array claim such
as ``cognito:groups`` arrives as ``"[admins recruiters]"``; a list is accepted too. This module only reads
them; it never sees the token itself and logs nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from followup.errors import Forbidden, Unauthorized

RECRUITERS = "recruiters"
ADMINS = "admins"
FIRM_GROUPS = frozenset({RECRUITERS, ADMINS})


class NotSignedIn(Unauthorized):
    message = "sign in first: send Authorization: Bearer <ID token>"


@dataclass(frozen=True)
class FirmUser:
    sub: str
    email: str
    name: str
    groups: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return ADMINS in self.groups


def groups_of(claim: Any) -> frozenset[str]:
    """``cognito:groups`` as the HTTP API passes it (``"[admins recruiters]"``), as JSON text, or as a list."""
    if claim is None:
        return frozenset()
    if isinstance(claim, list | tuple | set | frozenset):
        return frozenset(str(group) for group in claim if str(group))
    return frozenset(part for part in re.split(r"[\s,\[\]\"]+", str(claim)) if part)


def claims_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    authorizer = ((event.get("requestContext") or {}).get("authorizer") or {})
    claims = (authorizer.get("jwt") or {}).get("claims") if isinstance(authorizer, Mapping) else None
    return claims if isinstance(claims, Mapping) else {}


def firm_user(event: Mapping[str, Any]) -> FirmUser:
    """The signed-in member of the firm: ``Unauthorized`` without claims, ``Forbidden`` in neither group."""
    claims = claims_of(event)
    sub = str(claims.get("sub") or "")
    if not sub:
        raise NotSignedIn()
    groups = groups_of(claims.get("cognito:groups"))
    if not groups & FIRM_GROUPS:
        raise Forbidden("your account is not in the firm's recruiters or admins group")
    email = str(claims.get("email") or "")
    # An access token (which API Gateway also lets through) has no name or email: its username stands in.
    name = str(claims.get("name") or "") or email or str(claims.get("cognito:username") or claims.get("username") or "")
    return FirmUser(sub=sub, email=email, name=name, groups=groups)


def require_admin(user: FirmUser) -> None:
    if not user.is_admin:
        raise Forbidden("only the firm's admins may do this")
