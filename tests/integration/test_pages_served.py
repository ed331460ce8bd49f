"""The pages through the API handler: a CSP without inline code, and assets served by content hash, cached for a year."""

from __future__ import annotations

import hashlib
import re
from importlib import resources

import pytest

from followup.runtime.config import SettingsError, settings_from
from tests.integration.harness import call_api
from tests.page_parts import PageParts
from tests.template.conftest import load_template
from tests.unit.test_config import BASE

PAGE_PATHS = ["/", "/manage/abc123def456", "/firm/"]
CONTENT_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
YEAR = 365 * 24 * 3600


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_a_page_is_served_with_a_policy_that_runs_only_this_sites_files(aws_env, path):
    answer = call_api("GET", path)

    policy = answer.headers["Content-Security-Policy"]
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives(policy)["script-src"] == ["'self'"]
    assert directives(policy)["style-src"] == ["'self'"]
    assert directives(policy)["default-src"] == ["'none'"]
    assert directives(policy)["frame-ancestors"] == ["'none'"]
    assert answer.headers["Referrer-Policy"] == "no-referrer"  # the manage token is in the page's URL
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_a_served_page_has_no_inline_code(aws_env, path):
    parts = PageParts(call_api("GET", path).text)

    assert parts.inline_code == []
    assert parts.all("style") == []
    assert not [tag for tag, attrs in parts.elements if "style" in attrs or any(a.startswith("on") for a in attrs)]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_asset_a_page_loads_is_served_with_its_type_and_cached_for_a_year_under_its_content_hash(aws_env, path):
    urls = PageParts(call_api("GET", path).text).asset_urls()

    answers = {url: call_api("GET", url) for url in urls}

    assert len(urls) >= 2  # the stylesheet and at least one script
    for url, answer in answers.items():
        stem, digest, extension = re.fullmatch(r"/static/(\w+)\.([0-9a-f]{12})\.(js|css)", url).groups()
        assert answer.status == 200, url
        assert answer.headers["Content-Type"] == CONTENT_TYPES[extension]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        cache = [part.strip() for part in answer.headers["Cache-Control"].split(",")]
        assert "public" in cache and "immutable" in cache and f"max-age={YEAR}" in cache
        assert hashlib.sha256(answer.text.encode()).hexdigest()[:12] == digest
        packaged = resources.files("followup.api").joinpath("static", f"{stem}.{extension}").read_text(encoding="utf-8")
        assert answer.text == packaged


@pytest.mark.parametrize("name", ["form.js", "form.000000000000.js", "layout.html", "pages.py", "..%2Fpages.py"])
def test_a_static_name_that_is_not_a_current_asset_is_a_404(aws_env, name):
    answer = call_api("GET", f"/static/{name}")

    assert answer.status == 404
    assert answer.json()["message"] == "not found"
    assert "immutable" not in answer.headers.get("Cache-Control", "")


def test_the_firms_page_may_reach_the_sign_in_endpoint_and_the_logo_and_nothing_else(aws_env, monkeypatch):
    # Given a deployment whose sign-in endpoint and logo live on other origins
    monkeypatch.setenv("COGNITO_IDP_ENDPOINT", "https://cognito-idp.eu-west-1.amazonaws.com/")
    monkeypatch.setenv("USER_POOL_CLIENT_ID", "client123")
    monkeypatch.setenv("FIRM_LOGO_URL", "https://cdn.example.com/acme/logo.png")
    monkeypatch.setenv("FIRM_BRAND_COLOUR", "#aa3300")

    answer = call_api("GET", "/firm/")

    # Then the policy lets the page call Cognito and show the logo, still with no inline code
    policy = directives(answer.headers["Content-Security-Policy"])
    assert policy["connect-src"] == ["'self'", "https://cognito-idp.eu-west-1.amazonaws.com"]
    assert policy["img-src"] == ["'self'", "data:", "https://cdn.example.com"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    parts = PageParts(answer.text)
    [main] = parts.all("main")
    assert (main["data-client-id"], main["data-idp-endpoint"], main["data-brand-colour"]) == (
        "client123", "https://cognito-idp.eu-west-1.amazonaws.com/", "#aa3300")
    assert [img["src"] for img in parts.all("img")] == ["https://cdn.example.com/acme/logo.png"]


@pytest.mark.parametrize(("logo", "colour"), [
    ("javascript:alert(1)", "red; background: url(x)"),
    ("http://cdn.example.com/logo.png", "#12345"),
    ("https://cdn.example.com'; script-src *", "#zzzzzz"),
])
def test_a_logo_or_colour_that_is_not_an_https_url_or_a_hex_colour_never_reaches_the_page(logo, colour):
    # CloudFormation refuses it at deploy (the parameters' AllowedPattern), and a function given it anyway
    # refuses to start rather than put it in a page or its policy.
    parameters = load_template()["Parameters"]
    for name, value in (("FirmLogoUrl", logo), ("FirmBrandColour", colour)):
        assert not re.fullmatch(parameters[name]["AllowedPattern"], value), name
    for variable, value in (("FIRM_LOGO_URL", logo), ("FIRM_BRAND_COLOUR", colour)):
        with pytest.raises(SettingsError, match=variable.lower().removeprefix("firm_")):
            settings_from({**BASE, variable: value})


def test_the_firms_page_is_the_same_without_its_slash(aws_env):
    with_slash, without = call_api("GET", "/firm/"), call_api("GET", "/firm")

    assert (with_slash.status, without.status) == (200, 200)
    assert with_slash.text == without.text
    assert 'id="signin-form"' in without.text
