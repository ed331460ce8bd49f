"""Who is calling a ``/firm/...`` route: the claims of the ID token that API Gateway's JWT authorizer verified.

The HTTP API's JWT authorizer (deployed), or the local server acting as it (``make run``), checks the token's
signature, issuer, audience and expiry before the request reaches the function, and passes its claims at
``requestContext.authorizer.jwt.claims``. The HTTP API passes every claim as a string: an array claim such
as ``cognito:groups`` arrives as ``"[admins recruiters]"``; a list is accepted too. This module only reads
them; it never sees the token itself and logs nothing of it.

API Gateway does not tell an ID token from an access token of the same app client (the access token carries
``client_id`` where the ID token has ``aud``): only ``token_use`` says which, so anything but ``id`` is refused
here as not signed in. A group counts only by its whole name, read exactly (``groups_of``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from followup.domain.errors import Forbidden, Unauthorized

RECRUITERS = "recruiters"
ADMINS = "admins"
FIRM_GROUPS = frozenset({RECRUITERS, ADMINS})
ID_TOKEN = "id"  # noqa: S105 - the token_use of a Cognito ID token; an access token's is "access"
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)


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
    """``cognito:groups`` as the HTTP API passes it, a bracketed list of names separated by one space
    (``"[admins recruiters]"``; Cognito's group names hold no whitespace), or as a real list of names.

    Read exactly, never guessed at: a name counts whole (``sales,admins``, ``"admins"`` or ``admins]`` is no
    ``admins``), and a claim of any other shape (unbracketed, an empty name, a list holding anything but
    names) is no group at all. JSON text is not read as a list: a group named ``"admins"`` (its quotes
    included) reaches us as ``["admins"]``, which is that name, not the group ``admins``.
    """
    if claim is None:
        return frozenset()
    if isinstance(claim, list | tuple):
        names = list(claim)
    elif isinstance(claim, str) and claim.startswith("[") and claim.endswith("]"):
        inner = claim[1:-1]
        names = inner.split(" ") if inner else []
    else:
        return frozenset()
    if not all(isinstance(name, str) and name and not any(c.isspace() for c in name) for name in names):
        return frozenset()
    return frozenset(names)


def claims_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    authorizer = ((event.get("requestContext") or {}).get("authorizer") or {})
    claims = (authorizer.get("jwt") or {}).get("claims") if isinstance(authorizer, Mapping) else None
    return claims if isinstance(claims, Mapping) else {}


def firm_user(event: Mapping[str, Any]) -> FirmUser:
    """The signed-in member of the firm: ``Unauthorized`` without claims or for a token that is no ID token,
    ``Forbidden`` in neither group."""
    claims = claims_of(event)
    sub = str(claims.get("sub") or "")
    if not sub or claims.get("token_use") != ID_TOKEN:
        raise NotSignedIn()
    groups = groups_of(claims.get("cognito:groups"))
    if not groups & FIRM_GROUPS:
        raise Forbidden("your account is not in the firm's recruiters or admins group")
    email = str(claims.get("email") or "")
    return FirmUser(sub=sub, email=email, name=display_name(claims, email), groups=groups)


def display_name(claims: Mapping[str, Any], email: str) -> str:
    """The name the user goes by: the ``name`` claim, else their email; never an id (the ``sub``, a username
    Cognito made a UUID, or any UUID), which would sign a candidate's confirmation "30fc7927-… enrolled you"."""
    ids = {str(claims.get(key) or "") for key in ("sub", "cognito:username", "username")}
    name = " ".join(str(claims.get("name") or "").split())
    if name and name not in ids and not _UUID.fullmatch(name):
        return name
    return email


def require_admin(user: FirmUser) -> None:
    if not user.is_admin:
        raise Forbidden("only the firm's admins may do this")
