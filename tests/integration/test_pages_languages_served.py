"""The candidate's pages through the API handler, in the language the request asks for: ``?lang=``, else the
browser's ``Accept-Language``, else the firm's default; anything else is passed over, never refused."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.integration.harness import call_api
from tests.integration.lifecycle_parts import submit
from tests.page_parts import PageParts

PATHS = ["/", "/manage/abc123def456"]


def lang_of(page: str) -> str:
    [html] = PageParts(page).all("html")
    return str(html["lang"])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("query", "accept", "expected"), [
    ("lang=es", "en-US,en;q=0.9", "es"),
    ("", "es-MX,es;q=0.9,en;q=0.8", "es"),
    ("", "fr-FR", "en"),  # the firm's default (en-US in these tests)
    ("", "", "en"),
    ("lang=klingon", "es", "es"),  # a language the product lacks: passed over
    ("lang=%3Cscript%3E&lang=es", "", "en"),
])
def test_a_candidates_page_speaks_the_language_asked_for(aws_env, path, query, accept, expected):
    answer = call_api("GET", path, query=query, headers={"accept-language": accept} if accept else {})

    assert answer.status == 200
    assert lang_of(answer.text) == expected
    assert answer.headers["Vary"] == "Accept-Language"  # a cache keeps one copy per language


def test_the_spanish_words_are_served_under_their_hash_as_a_script_cached_for_a_year(aws_env):
    page = call_api("GET", "/", query="lang=es").text
    [url] = [u for u in PageParts(page).asset_urls() if "/words." in u]

    answer = call_api("GET", url)

    digest = re.fullmatch(r"/static/words\.es\.([0-9a-f]{12})\.js", url).group(1)
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "immutable" in answer.headers["Cache-Control"]
    assert hashlib.sha256(answer.text.encode()).hexdigest()[:12] == digest
    assert '"Copy": "Copiar"' in answer.text
    assert call_api("GET", "/static/words.es.000000000000.js").status == 404


def test_the_unsubscribe_pages_speak_the_links_language_from_the_page_to_the_answer(aws_env):
    created = submit()
    token = created["unsubscribe_token"]

    shown = call_api("GET", "/unsubscribe", query=f"token={token}&lang=es", headers={"accept": "text/html"})
    done = call_api("POST", "/unsubscribe", query=f"token={token}&lang=es",
                    headers={"accept": "text/html", "content-type": "application/x-www-form-urlencoded"},
                    raw="List-Unsubscribe=One-Click")
    gone = call_api("GET", "/unsubscribe", query="token=nothing.here", headers={"accept-language": "es-US"})

    assert (shown.status, lang_of(shown.text)) == (200, "es")
    assert "¿Detener estos recordatorios?" in shown.text and f"token={token}&amp;lang=es" in shown.text
    assert (done.status, lang_of(done.text)) == (200, "es")
    assert "Su suscripción está cancelada" in done.text
    assert (gone.status, lang_of(gone.text)) == (404, "es")
    assert "Este enlace ya no funciona" in gone.text
