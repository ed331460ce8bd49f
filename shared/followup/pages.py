"""The HTML pages the API serves, and the stylesheet and scripts they load from ``/static/``.

The web form (``GET /``), the candidate's page (``GET /manage/{id}``), the unsubscribe page and its answer are
files under ``templates/``, the CSS and JavaScript files under ``static/``; both are package data, read
once per process. A page is its template filled by ``string.Template`` with HTML-escaped values (the
firm's name, the default time zone, the interview id): no template engine in the API's cold start.

Each asset is served under a name that carries a hash of its content (``form.<hash>.js``), so it can be
cached for a year and a new deploy still reaches every browser. Nothing runs inline, so the
Content-Security-Policy allows scripts and styles from this origin only. The scripts build the DOM with
``textContent`` and call the JSON API with ``fetch``. The manage token stays in the URL the candidate
was given and is sent as ``Authorization: Bearer``; ``Referrer-Policy: no-referrer`` keeps it from
leaking to other sites.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from string import Template
from urllib.parse import urlsplit

STATIC_PREFIX = "/static/"

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

# An asset's URL changes with its content, so a browser or CDN may keep it as long as it likes.
ASSET_HEADERS: dict[str, str] = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
}

# The files under static/ that are served, and their media types: nothing else is.
_CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
ASSET_FILES = ("site.css", "common.js", "form.js", "manage.js", "firm.css", "firm.js", "firm_views.js", "firm_forms.js")


@dataclass(frozen=True)
class Asset:
    file: str  # its name under static/
    served_name: str  # the name in its URL, with the content hash
    content_type: str
    body: str

    @property
    def url(self) -> str:
        return STATIC_PREFIX + self.served_name


def _read(folder: str, name: str) -> str:
    return resources.files(__package__).joinpath(folder, name).read_text(encoding="utf-8")


@functools.cache
def _assets() -> dict[str, Asset]:
    """Every served asset by its file name, read and hashed once per process."""
    import hashlib  # here, not at import: only requests for a page or an asset need it (the api's cold start)

    assets = {}
    for file in ASSET_FILES:
        body = _read("static", file)
        stem, dot, suffix = file.rpartition(".")
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
        assets[file] = Asset(file, f"{stem}.{digest}.{suffix}", _CONTENT_TYPES[dot + suffix], body)
    return assets


def asset(served_name: str) -> Asset | None:
    """The asset a ``/static/`` URL names (with its current hash); None for any other name."""
    return next((a for a in _assets().values() if a.served_name == served_name), None)


@functools.cache
def _template(name: str) -> Template:
    return Template(_read("templates", name))


def _fill(name: str, markup: dict[str, str] | None = None, **text: str) -> str:
    """The template ``name`` with each ``text`` value HTML-escaped; ``markup`` values are this module's own HTML."""
    return _template(name).substitute({key: html.escape(value, quote=True) for key, value in text.items()}, **markup or {})


def _document(title: str, firm_name: str, body: str, script: str | None = None) -> str:
    """A whole page: the layout around ``body``, with the stylesheet and, for a page with a ``script``, the helpers
    (``common.js``, a classic script whose names are globals) then that script as a module, both run in order once
    the document is parsed."""
    assets = _assets()
    tags = ""
    if script:
        tags = (f'\n<script src="{html.escape(assets["common.js"].url)}" defer></script>'
                f'\n<script type="module" src="{html.escape(assets[script].url)}"></script>')
    return _fill("layout.html", {"body": body.rstrip("\n"), "scripts": tags},
                 title=title, firm=firm_name, stylesheet=assets["site.css"].url)


def form_page(firm_name: str, default_time_zone: str = "UTC") -> str:
    """The web form at ``/``: submit an interview, see its follow-up timeline and the manage link.

    The time zone is preselected from the browser; ``default_time_zone`` when the browser tells none.
    """
    body = _fill("form.html", default_time_zone=default_time_zone)
    return _document("Follow up after your interview", firm_name, body, "form.js")


def manage_page(firm_name: str, interview_id: str) -> str:
    """The candidate's page at ``/manage/{id}?token=...``: the script loads the interview with the token."""
    body = _fill("manage.html", interview_id=interview_id)
    return _document("Your interview follow-ups", firm_name, body, "manage.js")


def unsubscribe_page(firm_name: str, token: str) -> str:
    """What opening the unsubscribe link shows: one button that posts the one-click unsubscribe. Opening it
    changes nothing, since mail scanners open links; it names nobody and no interview."""
    from urllib.parse import quote

    action = f"/unsubscribe?token={quote(token, safe='')}"
    return _document("Unsubscribe", firm_name, _fill("unsubscribe.html", action=action))


def unsubscribed_page(firm_name: str) -> str:
    """What a browser sees once unsubscribed: it worked. No personal data, not even the company."""
    return _document("Unsubscribed", firm_name, _fill("unsubscribed.html"))


# ---- the firm's page ----------------------------------------------------------------------------

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
    def from_settings(cls, settings: object, env: Mapping[str, str]) -> FirmPageConfig:
        """From the API's settings; the logo and colour from ``Settings`` when it has them, else the environment."""
        def setting(name: str, variable: str) -> str:
            return str(getattr(settings, name, "") or env.get(variable, "")).strip()

        return cls(
            firm_name=str(getattr(settings, "firm_name", "")),
            client_id=setting("user_pool_client_id", "USER_POOL_CLIENT_ID"),
            idp_endpoint=setting("cognito_idp_endpoint", "COGNITO_IDP_ENDPOINT"),
            logo_url=setting("logo_url", "FIRM_LOGO_URL"),
            brand_colour=setting("brand_colour", "FIRM_BRAND_COLOUR"),
        )

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
    assets = _assets()
    logo = ""
    if config.logo:
        logo = f'<img class="logo" src="{html.escape(config.logo, quote=True)}" alt="" height="32">'
    return _fill(
        "firm.html", {"logo": logo},
        firm=config.firm_name, client_id=config.client_id, idp_endpoint=config.idp_endpoint, colour=config.colour,
        site_css=assets["site.css"].url, firm_css=assets["firm.css"].url, script=assets["firm.js"].url,
        views_script=assets["firm_views.js"].url, forms_script=assets["firm_forms.js"].url,
    )
