"""The firm's page at ``/firm/``: the HTML of ``templates/firm.html`` and its scripts ``firm.js``,
``firm_views.js`` and ``firm_forms.js`` (served from ``/static/`` like the candidate's pages' assets), and the
Content-Security-Policy that lets it reach the sign-in endpoint and show the firm's logo.

Imported by its route only: the api's other routes load none of it (cold start).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

from followup.api import pages
from followup.api.pages import SECURITY_HEADERS
from followup.runtime.config import Settings

_COLOUR = "#0123456789abcdefABCDEF"


@dataclass(frozen=True)
class FirmPageConfig:
    """What the firm's page needs from the deployment: the Cognito app client it signs in with, the endpoint it
    calls (Cognito's, or the local stack's stand-in), and the firm's logo and colour (empty: none)."""

    firm_name: str
    client_id: str = ""
    idp_endpoint: str = ""
    logo_url: str = ""
    brand_colour: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> FirmPageConfig:
        """From the API's settings (the template's parameters, checked where they are read)."""
        return cls(firm_name=settings.firm_name, client_id=settings.user_pool_client_id.strip(),
                   idp_endpoint=settings.cognito_idp_endpoint.strip(), logo_url=settings.logo_url.strip(),
                   brand_colour=settings.brand_colour.strip())

    @property
    def colour(self) -> str:
        """The brand colour if it is ``#rrggbb``, else empty (the page keeps its own)."""
        valid = len(self.brand_colour) == 7 and self.brand_colour[0] == "#"
        return self.brand_colour if valid and all(c in _COLOUR for c in self.brand_colour[1:]) else ""

    @property
    def logo(self) -> str:
        """The logo's URL if it is an https address (http on a loopback host, for the local stack), else empty."""
        return self.logo_url if _origin(self.logo_url) else ""

    def security_headers(self) -> dict[str, str]:
        """The pages' headers, with the Cognito endpoint added to connect-src and the logo's origin to img-src."""
        connect = " ".join(dict.fromkeys(["'self'", *filter(None, [_origin(self.idp_endpoint)])]))
        images = " ".join(dict.fromkeys(["'self'", "data:", *filter(None, [_origin(self.logo)])]))
        policy = SECURITY_HEADERS["Content-Security-Policy"]
        policy = policy.replace("connect-src 'self'", f"connect-src {connect}")
        policy = policy.replace("img-src 'self' data:", f"img-src {images}")
        return {**SECURITY_HEADERS, "Content-Security-Policy": policy}


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of an https URL (or an http one on a loopback host); empty for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not host or any(c in host for c in " ;,'\"") or parts.username or parts.password:
        return ""
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port else "")


def firm_page(config: FirmPageConfig) -> str:
    """The firm's page at ``/firm/``: sign-in, the list of interviews, a detail view and the actions, all built by
    ``firm.js`` from the JSON API. The page itself holds no data: only where to sign in and the firm's branding."""
    assets = pages._assets()
    logo = ""
    if config.logo:
        logo = f'<img class="logo" src="{html.escape(config.logo, quote=True)}" alt="" height="32">'
    return pages._fill(
        "firm.html", {"logo": logo},
        firm=config.firm_name, client_id=config.client_id, idp_endpoint=config.idp_endpoint, colour=config.colour,
        site_css=assets["site.css"].url, firm_css=assets["firm.css"].url, common_script=assets["common.js"].url,
        script=assets["firm.js"].url,
        views_script=assets["firm_views.js"].url, forms_script=assets["firm_forms.js"].url,
    )
