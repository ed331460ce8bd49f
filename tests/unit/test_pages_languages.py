"""The candidate's pages in each language: templates translated as they load, the scripts' words as a hashed asset
per language that the CSP lets run, and the language a request gets."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from importlib import resources

import pytest

from followup.api import pages
from followup.api.pages import (
    form_page,
    manage_page,
    page_language,
    unsubscribe_gone_page,
    unsubscribe_page,
    unsubscribed_page,
)
from followup.domain.i18n import catalogue
from local import catalogues
from tests.page_parts import PageParts

RENDER = {
    "form": lambda language: form_page("Acme Staffing", language=language),
    "manage": lambda language: manage_page("Acme Staffing", "abc123def456", language=language),
    "unsubscribe": lambda language: unsubscribe_page("Acme Staffing", "abc.secret", from_firm=True, language=language),
    "unsubscribe_gone": lambda language: unsubscribe_gone_page("Acme Staffing", "help@acme.example", language=language),
    "unsubscribed": lambda language: unsubscribed_page("Acme Staffing", language=language),
    "unsubscribed_firm": lambda language: unsubscribed_page("Acme Staffing", from_firm=True, language=language),
}
# A sentence of each page in each language: its heading, as a candidate reads it first.
HEADINGS = {
    "form": ("Follow up after your interview", "Dé seguimiento a su entrevista"),
    "manage": ('Your interview <span class="nowrap">follow-ups</span>',
               'Los pasos a seguir tras <span class="nowrap">su entrevista</span>'),
    "unsubscribe": ("Stop these reminders?", "¿Detener estos recordatorios?"),
    "unsubscribe_gone": ("This link no longer works", "Este enlace ya no funciona"),
    "unsubscribed": ("You are unsubscribed", "Su suscripción está cancelada"),
    "unsubscribed_firm": ("You are unsubscribed from Acme Staffing", "Canceló su suscripción a Acme Staffing"),
}
NODE = shutil.which("node")


def html_lang(page: str) -> str:
    [html] = PageParts(page).all("html")
    return str(html["lang"])


@pytest.mark.parametrize("name", RENDER)
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_page_is_in_the_language_asked_for_with_no_marker_left(name, language):
    page = RENDER[name](language)

    assert html_lang(page) == language
    assert f"<h1>{HEADINGS[name][language == 'es']}</h1>" in page
    assert "[[" not in page and "]]" not in page
    assert "$" not in re.sub(r"<script.*?</script>", "", page)  # every template field filled in, in either language


def test_an_english_page_is_the_english_of_the_templates_and_loads_no_words():
    page = form_page("Acme Staffing")

    assert "Skip to the content" in page and "Schedule my follow-ups" in page
    assert not [url for url in PageParts(page).asset_urls() if "/words." in url]


def test_a_spanish_page_says_every_marked_text_in_spanish():
    # Given every text the templates mark for translation
    marked = set()
    for name in ("layout", "form", "manage", "unsubscribe", "unsubscribe_firm", "unsubscribe_gone", "unsubscribed",
                 "unsubscribed_firm"):
        source = resources.files("followup.api").joinpath("templates", f"{name}.html").read_text(encoding="utf-8")
        marked |= {pages.folded(found) for found in pages.MARKED.findall(source)}

    # Then the Spanish catalogue has each of them, and none of them is the English
    spanish = catalogue("es", "pages")
    untranslated = {text for text in marked if spanish.gettext(text) == text}
    assert untranslated == set()


def test_the_pages_fold_a_templates_text_as_the_extractor_does():
    text = "  Plain text only: no web\naddresses\t or  phone numbers.\n"

    assert pages.folded(text) == catalogues.folded(text) == "Plain text only: no web addresses or phone numbers."
    assert pages.MARKED.pattern == catalogues.MARKED.pattern


def test_the_phone_hint_names_the_countries_in_the_pages_language():
    hint, example = pages.phone_hint(("US", "CA", "GB"), "es")

    assert hint == ("Necesario para los mensajes de texto. Solo podemos enviar mensajes a celulares de Estados "
                    "Unidos, Canadá y Reino Unido, por ejemplo (415) 555-0123 o +44 7400 123456 para Reino Unido.")
    assert example == "(415) 555-0123"
    assert pages.phone_hint((), "es")[0] == "Los mensajes de texto no están disponibles: elija correo electrónico."


def test_the_unsubscribe_buttons_keep_the_pages_language_for_the_answer():
    assert 'action="/unsubscribe?token=abc.secret&amp;lang=es"' in unsubscribe_page("Acme", "abc.secret", language="es")
    assert 'action="/unsubscribe?token=abc.secret&amp;lang=es&amp;scope=firm"' in unsubscribe_page(
        "Acme", "abc.secret", from_firm=True, language="es")
    assert 'action="/unsubscribe?token=abc.secret"' in unsubscribe_page("Acme", "abc.secret")


@pytest.mark.parametrize("name", ["form", "manage"])
def test_the_language_list_offers_each_language_by_its_own_name_with_the_pages_chosen(name):
    for language in ("en", "es"):
        options = [attrs for attrs in PageParts(RENDER[name](language)).all("option") if attrs.get("lang")]
        assert [o["value"] for o in options] == ["en", "es"]
        assert [o["value"] for o in options if "selected" in o] == [language]
        assert "English</option>" in RENDER[name](language) and "Español</option>" in RENDER[name](language)


# ---- the scripts' words: a hashed asset per language, loaded before common.js, with no code built from strings -----


def words_url(page: str) -> str:
    urls = PageParts(page).asset_urls()
    [words] = [url for url in urls if "/words." in url]
    assert urls.index(words) < next(i for i, url in enumerate(urls) if "/common." in url)
    return words


@pytest.mark.parametrize("name", ["form", "manage"])
def test_a_spanish_page_loads_its_words_under_their_hash_before_the_helpers(name):
    url = words_url(RENDER[name]("es"))

    found = pages.asset(url.removeprefix(pages.STATIC_PREFIX))
    assert found is not None and found.content_type == "text/javascript; charset=utf-8"
    assert re.fullmatch(r"/static/words\.es\.([0-9a-f]{12})\.js", url)
    assert url.split(".")[-2] == hashlib.sha256(found.body.encode("utf-8")).hexdigest()[:12]
    assert pages.asset("words.es.000000000000.js") is None and pages.asset("words.en.js") is None


def test_the_words_asset_holds_the_catalogue_as_data_and_its_plural_rule_as_written_code():
    body = pages.asset(words_url(form_page("Acme", language="es")).removeprefix(pages.STATIC_PREFIX)).body

    for forbidden in ("eval(", "Function(", "setTimeout(", "innerHTML"):
        assert forbidden not in body
    assert "plural: function (n) { return Number((n != 1)); }" in body
    messages = json.loads(re.search(r"messages: (\{.*?\n\}),\nplural", body, re.DOTALL).group(1))
    assert messages["Copy"] == "Copiar"
    assert messages["%(n)s day"] == ["%(n)s día", "%(n)s días"]


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the pages' helpers")
def test_the_helpers_speak_the_words_assets_language_and_english_without_one():
    es = pages.asset(words_url(form_page("Acme", language="es")).removeprefix(pages.STATIC_PREFIX)).body
    common = resources.files("followup.api").joinpath("static", "common.js").read_text(encoding="utf-8")
    probe = """
    console.log(JSON.stringify([
      t("Copy"), t("Delivered %(when)s", {when: "vie, 27 nov"}), tn("%(n)s day", "%(n)s days", 1),
      tn("%(n)s day", "%(n)s days", 8), t("A message no catalogue has: %(x)s %%", {x: 1}), t("100%% sure"),
      humanMessage("Correo electrónico", "Field required"),
    ]));"""

    def run(*scripts: str) -> list[str]:
        program = "\n".join(["globalThis.document = {documentElement: {lang: 'es'}};", *scripts, probe])
        done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60)  # noqa: S603
        return json.loads(done.stdout)

    assert run(es, common) == ["Copiar", "Entregado el vie, 27 nov", "1 día", "8 días",
                               "A message no catalogue has: 1 %", "100%% sure",
                               "Correo electrónico: este dato es obligatorio."]
    assert run(common) == ["Copy", "Delivered vie, 27 nov", "1 day", "8 days", "A message no catalogue has: 1 %",
                           "100%% sure", "Correo electrónico is required."]


# ---- the language a request gets --------------------------------------------------------------------------------


@pytest.mark.parametrize(("asked", "accept", "default", "expected"), [
    ("es", "en-US,en;q=0.9", "en-US", "es"),  # the address asks: it wins
    ("en", "es-MX", "es-US", "en"),
    (None, "es-MX,es;q=0.9,en;q=0.8", "en-US", "es"),  # the browser's first language the product has
    (None, "fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "en-US", "es"),
    (None, "en;q=0.5,es;q=0.8", "en-US", "es"),  # by preference, not by position
    (None, "fr-CA,de", "es-US", "es"),  # none of ours: the firm's default
    (None, None, "en-US", "en"),
    ("xx", "es", "en-US", "es"),  # a language the product lacks is passed over
    ("<script>", "", "en-US", "en"),
    ("", "es;q=0,en", "es-US", "en"),  # q=0: not wanted
    (None, "es;q=abc, ;;;, *, en-US;q=0.1", "en-US", "en"),  # junk is passed over, never refused
    (None, "ES_mx", "en-US", "es"),
])
def test_a_page_speaks_the_address_then_the_browser_then_the_firms_default(asked, accept, default, expected):
    assert page_language(asked, accept, default) == expected
