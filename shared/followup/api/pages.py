"""The HTML pages the API serves, and the stylesheet and scripts they load from ``/static/``.

The web form (``GET /``), the candidate's page (``GET /manage/{id}``), the unsubscribe page and its answer are
files under ``templates/``, the CSS and JavaScript files under ``static/``; both are package data, read
once per process. A page is its template filled by ``string.Template`` with HTML-escaped values (the
firm's name, the default time zone, the interview id): no template engine in the API's cold start.

Each asset is served under a name that carries a hash of its content (``form.<hash>.js``), so it can be
cached for a year and a new deploy still reaches every browser. Nothing runs inline, so the
Content-Security-Policy allows scripts and styles from this origin only. The scripts build the DOM with
``textContent`` and call the JSON API with ``fetch``. The candidate's page takes the manage token out of the
URL it was opened with (``history.replaceState``) and keeps it for the tab (``sessionStorage``), so a shared
screenshot or address does not share control; it is sent as ``Authorization: Bearer``, and
``Referrer-Policy: no-referrer`` keeps it from leaking to other sites before it is gone from the URL.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from importlib import resources
from string import Template

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
ASSET_FILES = ("site.css", "common.js", "steps.js", "form.js", "manage.js", "firm.css", "firm.js", "firm_views.js",
               "firm_forms.js")


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


def _document(title: str, firm_name: str, body: str, script: str | None = None, helpers: tuple[str, ...] = ()) -> str:
    """A whole page: the layout around ``body``, with the stylesheet and, for a page with a ``script``, the helpers
    (``common.js`` and any of ``helpers``, classic scripts whose names are globals) then that script as a module, all
    run in order once the document is parsed."""
    assets = _assets()
    tags = ""
    if script:
        tags = "".join(f'\n<script src="{html.escape(assets[name].url)}" defer></script>'
                       for name in ("common.js", *helpers))
        tags += f'\n<script type="module" src="{html.escape(assets[script].url)}"></script>'
    return _fill("layout.html", {"body": body.rstrip("\n"), "scripts": tags},
                 title=title, firm=firm_name, stylesheet=assets["site.css"].url)


@dataclass(frozen=True)
class PhoneExample:
    """A mobile number of one country, as its people write it and with its country code, and the country's name."""

    country: str  # in a sentence: "the United States", "Canada"
    national: str  # "(415) 555-0123"
    international: str  # "+1 415-555-0123"

    @property
    def calling_code(self) -> str:
        return self.international.split(" ", 1)[0]


# Numbers set aside for examples and fiction, never anyone's, where a country has them and phonenumbers takes them
# as mobile; any other country's example is phonenumbers' own. Each one is a number SMS may go to
# (tests/unit/test_pages.py), and the firm's default countries need neither Babel nor phonenumbers.
PHONE_EXAMPLES = {
    "US": PhoneExample("the United States", "(415) 555-0123", "+1 415-555-0123"),
    "CA": PhoneExample("Canada", "(613) 555-0123", "+1 613-555-0123"),
    "AU": PhoneExample("Australia", "0491 570 156", "+61 491 570 156"),
}
# Countries whose English name reads with "the" in a sentence.
_WITH_THE = frozenset({"AE", "BS", "CD", "CF", "CG", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MV", "NL", "PH",
                       "SB", "TC", "US", "VA", "VG", "VI"})


def phone_example(country: str) -> PhoneExample | None:
    """An example mobile number of ``country`` (ISO 3166 alpha-2); None for a code phonenumbers does not know."""
    if country in PHONE_EXAMPLES:
        return PHONE_EXAMPLES[country]
    import phonenumbers
    from babel import Locale

    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return None
    name = Locale.parse("en").territories.get(country, country)
    return PhoneExample(f"the {name}" if country in _WITH_THE else name,
                        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
                        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def _in_words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@functools.cache
def phone_hint(countries: tuple[str, ...]) -> tuple[str, str]:
    """The form's hint under the phone number, for the countries SMS may go to (``SMS_COUNTRIES``), and the example
    its error messages give: which countries, a number of the first as its people write it, then (up to two) of
    other countries with their country code. Only numbers the service will text."""
    examples = [e for e in (phone_example(c) for c in countries) if e is not None]
    if not examples:
        return "Text messages are not available: choose email.", ""
    first = examples[0]
    such_as = [first.national] if first.calling_code == "+1" else [first.national, first.international]
    shown = {first.calling_code}
    for other in examples[1:]:
        if other.calling_code not in shown and len(shown) < 3:
            such_as.append(f"{other.international} for {other.country}")
            shown.add(other.calling_code)
    hint = (f"Needed for text messages. We can text mobile numbers in {_in_words([e.country for e in examples])} "
            f"only, such as {', or '.join(such_as)}.")
    return hint, first.national


def form_page(firm_name: str, default_time_zone: str = "UTC", now: str = "",
              sms_countries: tuple[str, ...] = ("US", "CA")) -> str:
    """The web form at ``/``: submit an interview, see its follow-up timeline and the manage link.

    The time zone is preselected from the browser; ``default_time_zone`` when the browser tells none. ``now``
    (ISO 8601) is the service's clock, which the form's checks of a past interview use rather than the device's.
    The phone's hint names the countries texts may go to (``sms_countries``), with numbers of theirs as examples.
    """
    hint, example = phone_hint(tuple(sms_countries))
    body = _fill("form.html", default_time_zone=default_time_zone, now=now, phone_hint=hint, phone_example=example)
    return _document("Follow up after your interview", firm_name, body, "form.js")


def manage_page(firm_name: str, interview_id: str) -> str:
    """The candidate's page at ``/manage/{id}?token=...``: the script keeps the token for the tab, takes it out of
    the address bar, and loads the interview with it."""
    body = _fill("manage.html", interview_id=interview_id)
    return _document("Your interview follow-ups", firm_name, body, "manage.js", helpers=("steps.js",))


def unsubscribe_page(firm_name: str, token: str, *, from_firm: bool = False) -> str:
    """What opening the unsubscribe link shows: one button that posts the one-click unsubscribe and, where the
    link was emailed (``from_firm``), a second that stops every message from the firm to that address. Opening
    it changes nothing, since mail scanners open links; it names nobody and no interview."""
    from urllib.parse import quote

    action = f"/unsubscribe?token={quote(token, safe='')}"
    leave = _fill("unsubscribe_firm.html", action=f"{action}&scope=firm", firm=firm_name) if from_firm else ""
    return _document("Unsubscribe", firm_name, _fill("unsubscribe.html", {"leave_firm": leave}, action=action))


def unsubscribe_gone_page(firm_name: str, contact_email: str = "") -> str:
    """What a dead unsubscribe link shows (an erased or expired interview, a token dropped or cut short): that it
    no longer works, that nothing changed, and what to do instead; the firm's contact address when it has one. It
    names nobody and no interview (the token proved nothing)."""
    contact = ""
    if contact_email:
        address = html.escape(contact_email, quote=True)
        contact = (f'<p>Or write to {html.escape(firm_name)} at <a href="mailto:{address}">{address}</a> and ask '
                   "them to stop.</p>\n")
    return _document("Link no longer works", firm_name, _fill("unsubscribe_gone.html", {"contact": contact}))


def unsubscribed_page(firm_name: str, *, from_firm: bool = False) -> str:
    """What a browser sees once unsubscribed: it worked. No personal data, not even the company."""
    if from_firm:
        return _document("Unsubscribed", firm_name, _fill("unsubscribed_firm.html", firm=firm_name))
    return _document("Unsubscribed", firm_name, _fill("unsubscribed.html"))
