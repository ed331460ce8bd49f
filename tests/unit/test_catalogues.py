"""The message catalogues (``shared/followup/locale``): every language complete and faithful to its message ids, the
templates what the sources say (``make messages`` changes nothing on a clean tree), every catalogue compiling
without a warning; and the checks themselves fail on a catalogue with an entry removed or a placeholder dropped."""

from __future__ import annotations

import warnings
from copy import deepcopy
from io import BytesIO

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from followup.domain.i18n import LANGUAGES, SOURCE
from local.catalogues import DATES, LOCALE, SOURCES, extract, placeholders, problems, update_all

TRANSLATED = sorted(set(LANGUAGES) - {SOURCE})
DOMAINS = sorted(SOURCES)


def template(domain: str):
    with (LOCALE / f"{domain}.pot").open("rb") as source:
        return read_po(source, domain=domain)


def catalogue(language: str, domain: str):
    with (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as source:
        return read_po(source, locale=language, domain=domain)


def test_every_language_the_product_speaks_has_a_catalogue_per_domain():
    assert TRANSLATED == ["es"]
    assert [(language, domain) for language in TRANSLATED for domain in DOMAINS
            if not (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").is_file()] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_templates_hold_every_marked_string_of_the_sources_and_nothing_else(domain):
    committed = template(domain)
    extracted = extract(domain)

    assert sorted(repr(m.id) for m in extracted if m.id) == sorted(repr(m.id) for m in committed if m.id)
    assert len([m for m in committed if m.id]) > 20  # the product's words, not an empty file


def test_make_messages_changes_nothing_on_a_clean_tree(tmp_path):
    # Given a copy of the catalogues as committed
    import shutil

    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy, ignore=shutil.ignore_patterns("*.mo"))
    before = {p.relative_to(copy): DATES.sub(b"", p.read_bytes()) for p in copy.rglob("*.po*")}

    # When they are extracted and updated again
    changed = update_all(copy)

    # Then nothing was rewritten, nor differs
    assert changed == []
    assert {p.relative_to(copy): DATES.sub(b"", p.read_bytes()) for p in copy.rglob("*.po*")} == before


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_id_is_translated_keeping_its_placeholders(language, domain):
    assert problems(catalogue(language, domain), template(domain)) == []


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalogue_compiles_without_a_warning(language, domain):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled = BytesIO()
        write_mo(compiled, catalogue(language, domain), use_fuzzy=False)
    assert len(compiled.getvalue()) > 1000


def test_the_checks_fail_on_an_entry_removed_a_placeholder_dropped_a_fuzzy_or_an_empty_one():
    # Given the Spanish messages, and four copies each broken one way
    good, pot = catalogue("es", "messages"), template("messages")
    with_placeholder = next(m for m in good if m.id and not isinstance(m.id, tuple) and placeholders(m.id))
    plain = next(m for m in good if m.id and not isinstance(m.id, tuple) and m.id != with_placeholder.id)
    removed, dropped, fuzzy, empty = (deepcopy(good) for _ in range(4))
    del removed[plain.id]
    dropped[with_placeholder.id].string = "sin marcador"
    fuzzy[plain.id].flags.add("fuzzy")
    empty[plain.id].string = ""

    # Then each one is found, and only it
    assert problems(good, pot) == []
    assert [p.split(":")[0] for p in problems(removed, pot)] == ["missing"]
    assert [p.split(" ")[0] for p in problems(dropped, pot)] == ["placeholders"]
    assert [p.split(":")[0] for p in problems(fuzzy, pot)] == ["fuzzy"]
    assert [p.split(":")[0] for p in problems(empty, pot)] == ["not translated"]
