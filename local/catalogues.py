"""The message catalogues' tooling, run on a laptop and by the build, never by the product: the extractor of the
pages' templates (for ``pybabel extract``), and the compilation of each ``.po`` into the ``.mo`` the product reads.

The catalogues live in ``shared/followup/locale/``: ``<domain>.pot`` (the templates ``make messages`` extracts) and
``<language>/LC_MESSAGES/<domain>.po`` (each language's translations, committed); the ``.mo`` files are built
(here, by ``make``, and by the layer's build), not committed.

A page template marks its text for translation as ``[[text]]``; its whitespace is folded to single spaces both
here and where the page is rendered (``followup.api.pages``), so a message id never depends on line breaks.

    python -m local.catalogues extract      # make messages: each domain's .pot from the sources, each .po updated
    python -m local.catalogues compile      # each .mo older than its .po, again

Extracting twice writes nothing the second time: a file is rewritten only when a message, a translation or a
location changed, never for the header's dates alone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "shared" / "followup" / "locale"
MARKED = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)
PACKAGE = "shared/followup"
# Each domain's sources, as Babel's method map: (glob under shared/followup, extraction method).
SOURCES: dict[str, list[tuple[str, str]]] = {
    "messages": [("**.py", "python")],
    "pages": [("api/templates/**.html", "local.catalogues:extract_template"), ("api/static/**.js", "javascript")],
}
# The calls whose first literal is a message id (followup.domain.i18n.Words; common.js's t and tn).
KEYWORDS = {"t": None, "N_": None, "plural": (1, 2), "tn": (1, 2)}
HEADER = {
    "project": "Interview Follow-Up", "version": "1", "charset": "utf-8", "copyright_holder": "its authors",
    "msgid_bugs_address": "", "header_comment": "# The candidate-facing words of Interview Follow-Up.\n"
    "# README.md, \"Adding a language\", says how this file is made and kept.\n#",
    "last_translator": "Interview Follow-Up", "language_team": "Interview Follow-Up",
}
DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)


def folded(text: str) -> str:
    return " ".join(text.split())


def extract_template(fileobj: Any, keywords: Any, comment_tags: Any,
                     options: Any) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor interface: each ``[[text]]`` of a page template, with its line."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for found in MARKED.finditer(source):
        yield source.count("\n", 0, found.start()) + 1, None, folded(found.group(1)), []


PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\$\{?\w+\}?|</?[a-z][a-z0-9]*")  # named, a page's $name, an HTML tag


def placeholders(text: str) -> list[str]:
    """What a translation must keep of its message id, sorted: its named placeholders, its template's ``$names``
    and its HTML tags."""
    return sorted(PLACEHOLDER.findall(text))


def problems(catalog: Any, template: Any) -> list[str]:
    """What is wrong with one language's catalogue against its domain's template: a message id missing, empty,
    fuzzy or obsolete, a placeholder or tag dropped or added, a plural form missing, and Babel's own checks."""
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id
        translated = catalog.get(key)
        label = repr(key[0] if isinstance(key, tuple) else key)[:80]
        if translated is None:
            found.append(f"missing: {label}")
            continue
        if translated.fuzzy:
            found.append(f"fuzzy: {label}")
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        ids = key if isinstance(key, tuple) else (key,)
        if not all(strings) or (len(ids) > 1 and len(strings) < catalog.num_plurals):
            found.append(f"not translated: {label}")
            continue
        allowed = {tuple(placeholders(i)) for i in ids}  # a plural's form keeps the singular's or the plural's
        found += [f"placeholders {placeholders(string)} instead of {placeholders(ids[-1])}: {label}"
                  for string in strings if tuple(placeholders(string)) not in allowed]
    known = {m.id for m in template if m.id}
    found += [f"obsolete: {m.id!r}"[:90] for m in catalog if m.id and m.id not in known]
    found += [f"{message.id!r}: {error}"[:120] for message, errors in catalog.check() for error in errors]
    return found


def compile_all(locale: Path = LOCALE, *, force: bool = False) -> list[Path]:
    """Compile each ``.po`` under ``locale`` whose ``.mo`` is missing or older; the ``.mo`` files written. Raises on
    a catalogue that does not parse, and on any error Babel's checks find (a placeholder dropped, a bad plural)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
        problems = [f"{po.name}:{message.lineno}: {message.id!r}: {error}"
                    for message, errors in catalog.check() for error in errors]
        if problems:
            raise SystemExit("catalogue errors:\n" + "\n".join(problems))
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def extract(domain: str):  # -> babel.messages.Catalog
    """The domain's messages from the sources, each with the files it is in (no line numbers: a message does not
    move in the catalogue because a line above it did)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(domain=domain, fuzzy=False, **HEADER)
    found = extract_from_dir(ROOT / PACKAGE, method_map=SOURCES[domain], keywords=KEYWORDS, comment_tags=("i18n:",),
                             options_map={glob: {"encoding": "utf-8"} for glob, _ in SOURCES[domain]})
    for filename, _line, message, comments, context in found:
        catalog.add(message, None, [(f"{PACKAGE}/{filename}", None)], auto_comments=comments, context=context)
    return catalog


def _write_if_changed(path: Path, catalog: Any, **options: Any) -> bool:
    from io import BytesIO

    from babel.messages.pofile import write_po

    buffer = BytesIO()
    write_po(buffer, catalog, width=116, sort_output=True, include_lineno=False, **options)
    new = buffer.getvalue()
    if path.exists() and DATES.sub(b"", path.read_bytes()) == DATES.sub(b"", new):
        return False
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(new)
    partial.replace(path)  # whole or not at all: two runs at once never leave half a file
    return True


def update_all(locale: Path = LOCALE) -> list[Path]:
    """``make messages``: each domain's template from the sources, and each language's catalogue updated to it
    (new message ids untranslated, gone ones dropped); the files that changed."""
    from babel.messages.pofile import read_po

    changed = []
    for domain in SOURCES:
        template = extract(domain)
        pot = locale / f"{domain}.pot"
        if _write_if_changed(pot, template):
            changed.append(pot)
        for language_dir in sorted(p for p in locale.iterdir() if (p / "LC_MESSAGES").is_dir()):
            po = language_dir / "LC_MESSAGES" / f"{domain}.po"
            if po.exists():
                with po.open("rb") as source:
                    catalog = read_po(source, locale=language_dir.name, domain=domain)
            else:
                from babel.messages.catalog import Catalog

                catalog = Catalog(locale=language_dir.name, domain=domain, fuzzy=False, **HEADER)
            catalog.update(template, no_fuzzy_matching=True)
            if _write_if_changed(po, catalog, ignore_obsolete=True):
                changed.append(po)
    return changed


def fill(language: str, sources: list[Path], locale: Path = LOCALE) -> int:
    """Translations written elsewhere (JSON files: message id -> translation, or a list of plural forms), put into
    ``language``'s catalogues after an extraction, then compiled; how many entries were filled. A message id the
    sources no longer have is left out."""
    import json

    from babel.messages.pofile import read_po

    given: dict[str, str | list[str]] = {}
    for source in sources:
        given.update(json.loads(source.read_text(encoding="utf-8")))
    update_all(locale)
    filled = 0
    for domain in SOURCES:
        po = locale / language / "LC_MESSAGES" / f"{domain}.po"
        with po.open("rb") as source:
            catalog = read_po(source, locale=language, domain=domain)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if not key or key not in given:
                continue
            message.string = tuple(given[key]) if isinstance(message.id, tuple) else given[key]
            message.flags.discard("fuzzy")
            filled += 1
        _write_if_changed(po, catalog, ignore_obsolete=True)
    compile_all(locale)
    return filled


def main(argv: list[str]) -> int:
    if argv[:1] == ["fill"]:
        print(f"filled {fill(argv[1], [Path(a) for a in argv[2:]])} entries")
        return 0
    if argv[:1] == ["extract"]:
        for path in update_all():
            print(f"updated {path.relative_to(ROOT)}")
        return 0
    if argv[:1] == ["compile"]:
        for mo in compile_all(force="--force" in argv):
            print(f"compiled {mo.relative_to(ROOT)}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
