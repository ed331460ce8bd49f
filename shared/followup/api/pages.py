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

Each page speaks the candidate's language. A template marks its words as ``[[text]]`` (``local.catalogues``
extracts them into the ``pages`` catalogue); a template is translated once per language as it is loaded, each
``[[text]]`` replaced by its translation, before ``string.Template`` fills in the values. The scripts' words come
from the same catalogue, as an asset of their own per language (``words.es.<hash>.js``, which sets
``globalThis.WORDS``) loaded before ``common.js``, whose ``t`` and ``tn`` look them up; English, the language the
code is written in, needs none. Which language a page speaks is the route's choice (``page_language``).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from importlib import resources
from string import Template

from followup.domain.i18n import LANGUAGES, SOURCE, catalogue, language_of, spoken, words

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
# The candidate's pages: the same, and the language each is in depends on the request's Accept-Language.
PAGE_HEADERS: dict[str, str] = {**SECURITY_HEADERS, "Vary": "Accept-Language"}

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


# A plural rule as a catalogue's Plural-Forms header writes it: C's arithmetic on n, which is JavaScript's too.
_PLURAL_RULE = re.compile(r"(?:^|;)\s*plural\s*=\s*([n0-9\s()!=<>&|?:%+-]+?)\s*;?\s*$")


def _words_script(language: str) -> str:
    """The ``pages`` catalogue of ``language`` as a script: ``globalThis.WORDS = {language, messages, plural}``, each
    message id to its translation (a list of forms for a plural), and the catalogue's plural rule as a function
    written out in the file (the CSP forbids evaluating it from a string)."""
    import json

    compiled = catalogue(language, "pages")
    messages: dict[str, str | list[str]] = {}
    forms: dict[str, dict[int, str]] = {}
    for key, text in compiled._catalog.items():  # type: ignore[attr-defined] - gettext's own table
        if isinstance(key, tuple):
            forms.setdefault(key[0], {})[key[1]] = text
        elif key:  # "" is the header
            messages[key] = text
    messages.update({msgid: [found[i] for i in sorted(found)] for msgid, found in forms.items()})
    header = compiled.info().get("plural-forms", "nplurals=2; plural=(n != 1);")
    rule = _PLURAL_RULE.search(header)
    if rule is None:
        raise ValueError(f"{language}'s pages catalogue has a plural rule this page cannot use: {header!r}")
    return (f"// The words of the candidate's pages in {LANGUAGES[language]}, from followup/locale/{language}/"
            f"LC_MESSAGES/pages.po: common.js's t() and tn() read them.\n"
            f'"use strict";\nglobalThis.WORDS = {{language: {json.dumps(language)}, messages: '
            f"{json.dumps(messages, sort_keys=True, indent=0)},\n"
            f"plural: function (n) {{ return Number({rule.group(1)}); }}}};\n")


@functools.cache
def _words_assets() -> dict[str, Asset]:
    """Each language's words for the scripts, by language, built and hashed once per process; not English's, which
    the scripts are written in."""
    import hashlib

    assets = {}
    for language in LANGUAGES:
        if language != SOURCE:
            body = _words_script(language)
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
            assets[language] = Asset(f"words.{language}.js", f"words.{language}.{digest}.js",
                                     _CONTENT_TYPES[".js"], body)
    return assets


def asset(served_name: str) -> Asset | None:
    """The asset a ``/static/`` URL names (with its current hash); None for any other name."""
    if served_name.startswith("words."):
        return next((a for a in _words_assets().values() if a.served_name == served_name), None)
    return next((a for a in _assets().values() if a.served_name == served_name), None)


# The words of a template, as local.catalogues extracts them: [[text]], its whitespace folded.
MARKED = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def folded(text: str) -> str:
    """``text`` with each run of whitespace a single space, as its message id is written (a line break in the
    template is not part of it); the same as ``local.catalogues.folded``, which the product does not import."""
    return " ".join(text.split())


@functools.cache
def _template(name: str, language: str = SOURCE) -> Template:
    """The template ``name`` in ``language``: each ``[[text]]`` its translation (the ``$`` fields in it kept, filled
    in after), once per process."""
    translate = words(language, "pages")
    return Template(MARKED.sub(lambda found: translate(folded(found.group(1))), _read("templates", name)))


def _fill(name: str, markup: dict[str, str] | None = None, *, language: str = SOURCE, **text: str) -> str:
    """The template ``name`` in ``language`` with each ``text`` value HTML-escaped; ``markup`` values are this
    module's own HTML."""
    values = {key: html.escape(value, quote=True) for key, value in text.items()}
    return _template(name, language).substitute(values, **markup or {})


def _document(title: str, firm_name: str, body: str, script: str | None = None, helpers: tuple[str, ...] = (),
              language: str = SOURCE) -> str:
    """A whole page in ``language``: the layout around ``body``, with the stylesheet and, for a page with a
    ``script``, the language's words (but English's), the helpers (``common.js`` and any of ``helpers``, classic
    scripts whose names are globals) then that script as a module, all run in order once the document is parsed."""
    assets = _assets()
    tags = ""
    if script:
        urls = [assets[name].url for name in ("common.js", *helpers)]
        if language in _words_assets():
            urls.insert(0, _words_assets()[language].url)
        tags = "".join(f'\n<script src="{html.escape(url)}" defer></script>' for url in urls)
        tags += f'\n<script type="module" src="{html.escape(assets[script].url)}"></script>'
    return _fill("layout.html", {"body": body.rstrip("\n"), "scripts": tags}, language=language,
                 title=title, firm=firm_name, stylesheet=assets["site.css"].url, lang=language)


def page_language(asked: str | None, accept_language: str | None, default_locale: str | None) -> str:
    """The language a page is served in: ``asked`` (the ``?lang=`` of its address) when the product has it, else
    the first of the browser's languages (``Accept-Language``, by preference) it has, else the firm's default's.
    Anything else in either is passed over, never refused."""
    if asked in LANGUAGES:
        return str(asked)
    preferred: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = spoken(tag)
        if language is not None and weight > 0:
            preferred.append((-weight, position, language))
    return min(preferred)[2] if preferred else language_of(default_locale)


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


def _countries_and_examples(countries: tuple[str, ...], language: str) -> list[tuple[str, PhoneExample]]:
    """Each country's name in a sentence of ``language`` with its example number; English's names are the examples'
    own ("the United States"), another language's are Babel's ("Estados Unidos")."""
    found = [(code, e) for code, e in ((c, phone_example(c)) for c in countries) if e is not None]
    if language == SOURCE:
        return [(e.country, e) for _, e in found]
    from babel import Locale

    names = Locale.parse(language).territories
    return [(names.get(code, e.country), e) for code, e in found]


def _either(choices: list[str], language: str) -> str:
    if language == SOURCE:
        return ", or ".join(choices)
    from babel.lists import format_list

    return format_list(choices, style="or", locale=language)


def _all_of(names: list[str], language: str) -> str:
    if language == SOURCE:
        return _in_words(names)
    from babel.lists import format_list

    return format_list(names, locale=language)


@functools.cache
def phone_hint(countries: tuple[str, ...], language: str = SOURCE) -> tuple[str, str]:
    """The form's hint under the phone number, for the countries SMS may go to (``SMS_COUNTRIES``), and the example
    its error messages give: which countries, a number of the first as its people write it, then (up to two) of
    other countries with their country code. Only numbers the service will text. In ``language``, with the
    countries' names in it."""
    t = words(language)
    examples = _countries_and_examples(countries, language)
    if not examples:
        return t("Text messages are not available: choose email."), ""
    first = examples[0][1]
    such_as = [first.national] if first.calling_code == "+1" else [first.national, first.international]
    shown = {first.calling_code}
    for country, other in examples[1:]:
        if other.calling_code not in shown and len(shown) < 3:
            such_as.append(t("%(number)s for %(country)s", number=other.international, country=country))
            shown.add(other.calling_code)
    hint = t("Needed for text messages. We can text mobile numbers in %(countries)s only, such as %(examples)s.",
             countries=_all_of([country for country, _ in examples], language),
             examples=_either(such_as, language))
    return hint, first.national


def _language_choice(language: str) -> str:
    """The options of the pages' language list: each language the product speaks, by its own name."""
    return "".join(f'\n<option value="{code}" lang="{code}"{" selected" if code == language else ""}>'
                   f"{html.escape(name)}</option>" for code, name in LANGUAGES.items())


def form_page(firm_name: str, default_time_zone: str = "UTC", now: str = "",
              sms_countries: tuple[str, ...] = ("US", "CA"), language: str = SOURCE) -> str:
    """The web form at ``/``: submit an interview, see its follow-up timeline and the manage link.

    The time zone is preselected from the browser; ``default_time_zone`` when the browser tells none. ``now``
    (ISO 8601) is the service's clock, which the form's checks of a past interview use rather than the device's.
    The phone's hint names the countries texts may go to (``sms_countries``), with numbers of theirs as examples.
    The page is in ``language``, which its language list shows chosen.
    """
    t = words(language)
    hint, example = phone_hint(tuple(sms_countries), language)
    body = _fill("form.html", {"languages": _language_choice(language)}, language=language,
                 default_time_zone=default_time_zone, now=now, phone_hint=hint, phone_example=example)
    return _document(t("Follow up after your interview"), firm_name, body, "form.js", language=language)


def manage_page(firm_name: str, interview_id: str, language: str = SOURCE) -> str:
    """The candidate's page at ``/manage/{id}?token=...``: the script keeps the token for the tab, takes it out of
    the address bar, and loads the interview with it (then, if the interview speaks another language than
    ``language``, loads the page again in the interview's)."""
    t = words(language)
    body = _fill("manage.html", {"languages": _language_choice(language)}, language=language,
                 interview_id=interview_id)
    return _document(t("Your interview follow-ups"), firm_name, body, "manage.js",
                     helpers=("steps.js",), language=language)


def unsubscribe_page(firm_name: str, token: str, *, from_firm: bool = False, language: str = SOURCE) -> str:
    """What opening the unsubscribe link shows: one button that posts the one-click unsubscribe and, where the
    link was emailed (``from_firm``), a second that stops every message from the firm to that address. Opening
    it changes nothing, since mail scanners open links; it names nobody and no interview. The buttons post with the
    page's language in their address, so the answer speaks it too."""
    from urllib.parse import quote

    action = f"/unsubscribe?token={quote(token, safe='')}"
    if language != SOURCE:
        action += f"&lang={quote(language, safe='')}"
    leave = (_fill("unsubscribe_firm.html", action=f"{action}&scope=firm", firm=firm_name, language=language)
             if from_firm else "")
    t = words(language)
    return _document(t("Unsubscribe"), firm_name,
                     _fill("unsubscribe.html", {"leave_firm": leave}, action=action, language=language),
                     language=language)


def unsubscribe_gone_page(firm_name: str, contact_email: str = "", language: str = SOURCE) -> str:
    """What a dead unsubscribe link shows (an erased or expired interview, a token dropped or cut short): that it
    no longer works, that nothing changed, and what to do instead; the firm's contact address when it has one. It
    names nobody and no interview (the token proved nothing)."""
    t = words(language)
    contact = ""
    if contact_email:
        address = html.escape(contact_email, quote=True)
        contact = "<p>" + t('Or write to %(firm)s at <a href="mailto:%(address)s">%(address)s</a> and ask them to '
                            "stop.", firm=html.escape(firm_name), address=address) + "</p>\n"
    return _document(t("Link no longer works"), firm_name,
                     _fill("unsubscribe_gone.html", {"contact": contact}, language=language), language=language)


def unsubscribed_page(firm_name: str, *, from_firm: bool = False, language: str = SOURCE) -> str:
    """What a browser sees once unsubscribed: it worked. No personal data, not even the company."""
    t = words(language)
    title = t("Unsubscribed")
    if from_firm:
        return _document(title, firm_name, _fill("unsubscribed_firm.html", firm=firm_name, language=language),
                         language=language)
    return _document(title, firm_name, _fill("unsubscribed.html", language=language), language=language)
