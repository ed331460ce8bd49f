"""No word a candidate reads bypasses the catalogues: every message, draft and page rendered in a pseudo-locale (each
catalogue entry accented and bracketed, ``⟦Ĥí, %(name)s⟧``) shows no letters outside the brackets but the data it
was given (names, the company, links, Babel's dates and country names), and no string a page's script shows is
written outside ``t``, ``tn`` or ``N_``."""

from __future__ import annotations

import gettext
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.jslexer import tokenize

from followup.api import pages
from followup.domain import i18n
from followup.domain.drafts import guide
from followup.domain.locales import long_day
from followup.domain.messages import render, render_confirmation
from tests.unit.message_parts import EVERY_EMAIL, TYPICAL

PSEUDO = "es"  # the language the pseudo catalogue stands in for
KEPT = re.compile(r"(%\(\w+\)[sdr]|%%|\$\{?\w+\}?|<[^>]+>|&\w+;)")  # what a translation keeps as it is
ACCENTS = str.maketrans("aeiouAEIOUcnsy", "áéíóúÁÉÍÓÚçñšý")
STATIC = Path(__file__).resolve().parents[2] / "shared" / "followup" / "api" / "static"
CANDIDATE_SCRIPTS = ("common.js", "form.js", "manage.js", "steps.js")
# Strings of the scripts that are codes, not words: the API's own problem texts, which humanMessage (common.js) turns
# into the page's words by its PLAIN_WORDS patterns.
CODES = frozenset({"can't contain a web address or a link", "can't contain an IP address",
                   "must be 200 characters or fewer"})


def pseudo(message: str) -> str:
    parts = KEPT.split(message)
    return "⟦" + "".join(part if i % 2 else part.translate(ACCENTS) for i, part in enumerate(parts)) + "⟧"


class Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


@pytest.fixture
def pseudo_locale(monkeypatch):
    real = i18n.catalogue
    monkeypatch.setattr(i18n, "catalogue", lambda language, domain="messages": Pseudo() if language == PSEUDO
                        else real(language, domain))
    for cached in (pages._template, pages.phone_hint):
        cached.cache_clear()
    yield
    for cached in (pages._template, pages.phone_hint):
        cached.cache_clear()


class _Text(HTMLParser):
    """A page's text a person reads: its text nodes and the attributes that are read out or shown."""

    SHOWN = frozenset({"alt", "title", "placeholder", "aria-label", "data-name"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        kind = dict(attrs).get("type") if tag == "input" else None
        shown = self.SHOWN | ({"value"} if kind in ("button", "submit", "reset") else set())  # a button's words
        self.parts += [value or "" for name, value in attrs if name in shown and kind != "hidden"]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "\n".join(parser.parts)


def outside_brackets(text: str, data: list[str]) -> list[str]:
    """The words left once every bracketed (translated) span, every URL and address, and the data are taken out."""
    while True:
        stripped = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if stripped == text:
            break
        text = stripped
    text = re.sub(r"(https?://|mailto:)\S+|\S+@\S+", " ", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def message_data(ctx) -> list[str]:
    people = [ctx.firm_name, ctx.candidate_name, ctx.company, ctx.role, ctx.interviewer_name, ctx.interviewer_title or "",
              ctx.hiring_manager_name or "", ctx.supervisor_name or "", ctx.addressed]
    return [*people, *(p.split()[0] for p in people if p), long_day(ctx.interview_date, ctx.locale)]


@pytest.mark.parametrize(("step", "ctx"), EVERY_EMAIL)
def test_every_nudge_and_its_drafts_are_all_catalogue_words_but_their_data(pseudo_locale, step, ctx):
    ctx = replace(ctx, locale=f"{PSEUDO}-US")

    message = render(step, ctx)
    drafts = guide(step, ctx)

    data = message_data(ctx)
    assert outside_brackets(message.subject, data) == []
    assert outside_brackets(message.text, data) == []
    assert outside_brackets(shown(message.html), data) == []
    texts = [drafts.summary, *drafts.donts, *(f"{d.label}\n{d.subject or ''}\n{d.envelope or ''}\n{d.text}"
                                              for d in drafts.drafts)]
    assert [outside_brackets(text, data) for text in texts] == [[] for _ in texts]
    assert "⟦" in message.subject and "⟦" in message.text  # the pseudo catalogue was the one read


def test_the_confirmation_is_all_catalogue_words_but_its_data(pseudo_locale):
    ctx = replace(TYPICAL, locale=f"{PSEUDO}-US")

    message = render_confirmation(ctx)

    data = message_data(ctx)
    assert [outside_brackets(part, data) for part in (message.subject, message.text, shown(message.html))] == [[]] * 3


def test_every_candidates_page_is_all_catalogue_words_but_its_data(pseudo_locale):
    firm = "Acme Staffing"
    countries = [Locale.parse(PSEUDO).territories[code] for code in ("US", "CA")]
    rendered = {
        "form": pages.form_page(firm, "America/New_York", "2026-03-10T14:00:00+00:00", ("US", "CA"), language=PSEUDO),
        "manage": pages.manage_page(firm, "0123456789ab", language=PSEUDO),
        "unsubscribe": pages.unsubscribe_page(firm, "tok.en", from_firm=True, language=PSEUDO),
        "gone": pages.unsubscribe_gone_page(firm, "help@acme.example", language=PSEUDO),
        "unsubscribed": pages.unsubscribed_page(firm, language=PSEUDO),
        "unsubscribed_firm": pages.unsubscribed_page(firm, from_firm=True, language=PSEUDO),
    }

    # The language list names each language in itself, by design (the form's "Language / Idioma" select)
    data = [firm, *countries, *i18n.LANGUAGES.values()]
    assert {name: outside_brackets(shown(page), data) for name, page in rendered.items()} == {
        name: [] for name in rendered}
    assert all("⟦" in page for page in rendered.values())


def script_strings_outside_the_catalogue(source: str) -> list[tuple[int, str]]:
    """Each string literal of a script that reads as words (two words or more) and is not an argument of ``t``,
    ``tn`` or ``N_``, nor an object's key, nor a class name or another attribute that is no text."""
    words = re.compile(r"[A-Za-z]{2,}[,.:;!?'’]? +\S*[A-Za-z]{2,}")
    not_text = {"class", "type", "id", "role", "autocomplete", "inputmode", "rel", "href", "for", "name", "lang"}
    tokens = [tok for tok in tokenize(source, jsx=False, dotted=False)
              if tok.type not in ("linecomment", "multilinecomment")]
    calls: list[str | None] = []
    found = []
    for i, tok in enumerate(tokens):
        before = tokens[i - 1] if i else None
        if tok.type == "operator" and tok.value in "([{":
            calls.append(before.value if tok.value == "(" and before is not None and before.type == "name" else None)
        elif tok.type == "operator" and tok.value in ")]}":
            calls and calls.pop()
        elif tok.type in ("string", "template_string"):
            text = tok.value[1:-1]
            key = i + 1 < len(tokens) and tokens[i + 1].value == ":"
            attribute = i >= 2 and before.value == ":" and tokens[i - 2].value.strip("\"'") in not_text
            if words.search(text) and not key and not attribute and not {"t", "tn", "N_"} & set(calls) \
                    and text not in CODES and text != "use strict":  # the directive
                found.append((tok.lineno, text))
    return found


@pytest.mark.parametrize("script", CANDIDATE_SCRIPTS)
def test_no_string_a_candidates_page_script_shows_bypasses_the_catalogue(script):
    assert script_strings_outside_the_catalogue((STATIC / script).read_text(encoding="utf-8")) == []


def test_the_script_check_finds_a_sentence_written_outside_t():
    source = 'const a = t("Saved."); const b = "Your reminders start now."; el("p", {class: "notice big"});'

    assert script_strings_outside_the_catalogue(source) == [(1, "Your reminders start now.")]
