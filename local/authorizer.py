"""The HTTP API's JWT authorizers, locally: what API Gateway does before it invokes the API function.

The routes are template.yaml's: every ``HttpApi`` event of a function, with the authorizer its ``Auth``
names. A request is matched to a route as API Gateway matches it (a literal path beats one with ``{param}``
segments, a ``{param}`` is one segment, ``{proxy+}`` the rest; ``ANY`` any method). On a route with a JWT
authorizer (``Auth.Authorizers`` of the ``AWS::Serverless::HttpApi``, its issuer and audience resolved
against the local resources), the token in the identity source (``Authorization``, optionally prefixed
``Bearer ``) must be RS256-signed by a key of the issuer's JWKS (by ``kid``), name the issuer, carry an
``aud`` among the audiences (``client_id`` when it has no ``aud``), and be inside ``exp``, ``nbf`` and
``iat``; else the answer is API Gateway's 401 ``{"message":"Unauthorized"}`` and the function is not
invoked. API Gateway does not tell an ID token from an access token of the same client; the function refuses
any ``token_use`` but ``id`` (``followup.domain.identity``), and so does this stand-in, with the same 401 before the
function (``ID_TOKEN_ONLY``): the firm's routes take the ID token alone, locally as deployed. Tokens are
checked against the real time, the clock moto signs them with, not the stack's simulated clock. A valid
token's claims go to ``requestContext.authorizer.jwt`` as API Gateway passes them: every claim a string, an
array as ``"[a b]"``, ``scopes`` null (no route asks for scopes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

UNAUTHORIZED_BODY = b'{"message":"Unauthorized"}'
# Cognito's access token passes API Gateway's checks as the ID token does; the firm's routes take ID tokens only,
# which the function checks deployed (``followup.domain.identity``) and this stand-in checks before invoking it.
ID_TOKEN_ONLY = True
FUNCTION_TYPES = ("AWS::Serverless::Function",)
API_TYPE = "AWS::Serverless::HttpApi"


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str  # as the template writes it: /firm/interviews/{id}
    authorizer: str | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def pattern(self) -> re.Pattern[str]:
        parts = []
        for segment in self.path.split("/"):
            if re.fullmatch(r"\{[^}/]+\+\}", segment):
                parts.append(".+")
            elif re.fullmatch(r"\{[^}/]+\}", segment):
                parts.append("[^/]+")
            else:
                parts.append(re.escape(segment))
        return re.compile("/".join(parts))

    def rank(self) -> tuple[int, int, int]:
        """API Gateway's preference, smallest first: no greedy segment, fewer parameters, a named method."""
        segments = self.path.split("/")
        greedy = sum(segment.endswith("+}") for segment in segments)
        parameters = sum(segment.startswith("{") for segment in segments)
        return greedy, parameters, self.method == "ANY"


def routes(template: Mapping[str, Any]) -> list[Route]:
    """Every HttpApi event of every function, with the authorizer its ``Auth`` names (``NONE`` is none)."""
    found: list[Route] = []
    for resource in template["Resources"].values():
        if resource.get("Type") not in FUNCTION_TYPES:
            continue
        for event in (resource.get("Properties") or {}).get("Events", {}).values():
            if event.get("Type") != "HttpApi":
                continue
            properties = event.get("Properties") or {}
            name = (properties.get("Auth") or {}).get("Authorizer")
            found.append(Route(str(properties.get("Method", "ANY")).upper().replace("X-AMAZON-APIGATEWAY-ANY-METHOD",
                                                                                     "ANY"),
                               str(properties.get("Path", "/")), None if name in (None, "NONE") else str(name)))
    return found


def match(candidates: list[Route], method: str, path: str) -> Route | None:
    """The route API Gateway would pick for ``method path``, or None (its 404 is the function's here)."""
    fitting = [route for route in candidates
               if route.method in (method.upper(), "ANY") and route.pattern().fullmatch(path)]
    return min(fitting, key=Route.rank, default=None)


@dataclass(frozen=True)
class JwtAuthorizer:
    name: str
    issuer: str
    audiences: tuple[str, ...]
    jwks: Mapping[str, Any]  # {"keys": [...]}, as the issuer publishes it
    header: str = "authorization"

    def claims(self, headers: Mapping[str, str]) -> dict[str, Any] | None:
        """The token's claims if API Gateway would let it through, else None."""
        import jwt

        token = (headers.get(self.header) or "").strip()
        token = token.removeprefix("Bearer ").strip()
        if not token:
            return None
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = jwt.PyJWKSet.from_dict(dict(self.jwks))[kid]
            claims = jwt.decode(
                token, key=key, algorithms=["RS256"], issuer=self.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False, "verify_iat": True},
            )
        except (jwt.PyJWTError, KeyError, TypeError, ValueError):
            return None
        audience = claims.get("aud") if "aud" in claims else claims.get("client_id")
        given = audience if isinstance(audience, list) else [audience]
        if not any(isinstance(item, str) and item in self.audiences for item in given):
            return None
        if ID_TOKEN_ONLY and claims.get("token_use") != "id":  # an access token (or no Cognito token at all)
            return None
        return claims

    def context(self, headers: Mapping[str, str]) -> dict[str, Any] | None:
        """``requestContext.authorizer`` as API Gateway fills it, or None for a 401."""
        claims = self.claims(headers)
        return None if claims is None else authorizer_context(claims)


def authorizer_context(claims: Mapping[str, Any]) -> dict[str, Any]:
    """``requestContext.authorizer`` of an HTTP API event whose JWT authorizer passed a token with ``claims``
    (as decoded). For in-process tests that build events: ``event["requestContext"]["authorizer"] = ...``."""
    return {"jwt": {"claims": {name: as_claim_text(value) for name, value in claims.items()}, "scopes": None}}


def as_claim_text(value: Any) -> str:
    """A claim as HTTP API passes it: a string; ``["a", "b"]`` as ``"[a b]"``; numbers and booleans as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(as_claim_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def jwt_authorizers(template: Mapping[str, Any], scope: Any,
                    jwks: Mapping[str, Mapping[str, Any]]) -> dict[str, JwtAuthorizer]:
    """Every JWT authorizer of the template's HTTP APIs, resolved in ``scope`` (local/intrinsics.py);
    ``jwks``: issuer -> its key set."""
    from local.intrinsics import resolve

    found: dict[str, JwtAuthorizer] = {}
    for resource in template["Resources"].values():
        if resource.get("Type") != API_TYPE:
            continue
        authorizers = ((resource.get("Properties") or {}).get("Auth") or {}).get("Authorizers") or {}
        for name, spec in authorizers.items():
            config = spec.get("JwtConfiguration")
            if not config:
                continue
            issuer = str(resolve(config["issuer"], scope))
            audiences = tuple(str(a) for a in resolve(config.get("audience", []), scope))
            source = str(spec.get("IdentitySource", "$request.header.Authorization"))
            header = source.removeprefix("$request.header.").lower()
            found[name] = JwtAuthorizer(name, issuer, audiences, jwks.get(issuer, {"keys": []}), header)
    return found


class Gate:
    """What stands before the API function: the template's routes and their JWT authorizers."""

    def __init__(self, template: Mapping[str, Any], authorizers: Mapping[str, JwtAuthorizer]) -> None:
        self.routes = routes(template)
        self.authorizers = dict(authorizers)

    def check(self, method: str, path: str, headers: Mapping[str, str]) -> tuple[bool, dict[str, Any] | None]:
        """(allowed, the authorizer context to put in the event). A route naming an authorizer the local
        stack does not have is refused: never invoked unauthenticated."""
        route = match(self.routes, method, path)
        if route is None or route.authorizer is None:
            return True, None
        authorizer = self.authorizers.get(route.authorizer)
        context = authorizer.context({k.lower(): v for k, v in headers.items()}) if authorizer else None
        return context is not None, context
