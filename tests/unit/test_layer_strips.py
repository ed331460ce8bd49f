"""What the layer build strips from the layer's dependencies, never needed by the product.

shared/Makefile strips files from the installed packages. The tests here read its own lists and run the
product in the dev environment (the same packages at the same versions) with those files made unavailable,
so a strip the product needs fails here, not on Lambda.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from tests.unit.layer_parts import (
    LAYER_LOCK,
    MAKEFILE,
    ROOT,
    SITE_PACKAGES,
    versions,
)

# ---- what the layer build strips: shared/Makefile's NEVER_IMPORTED, NEVER_READ and NOT_NEEDED --------------


def _makefile_list(name: str) -> list[str]:
    """A variable of shared/Makefile, its continuation lines joined, ``+=`` appended, $(VARIABLES) expanded."""
    assigned: dict[str, str] = {}
    text = MAKEFILE.read_text().replace("\\\n", " ")
    for variable, operator, value in re.findall(r"^([A-Z0-9_]+)[ \t]*([?:+]?)=[ \t]*(.*)$", text, re.M):
        assigned[variable] = f"{assigned.get(variable, '')} {value}" if operator == "+" else value

    def expand(value: str) -> str:
        return re.sub(r"\$\(([A-Z0-9_]+)\)", lambda found: expand(assigned.get(found.group(1), "")), value)

    return expand(assigned[name]).split()


def _stripped_files(*lists: str) -> set[Path]:
    """The dev environment's files matched by the globs of the Makefile's ``lists`` (folders: all they hold)."""
    files: set[Path] = set()
    for pattern in (pattern for name in lists for pattern in _makefile_list(name)):
        for hit in SITE_PACKAGES.glob(pattern):
            files |= {path for path in hit.rglob("*") if path.is_file()} if hit.is_dir() else {hit}
    return files


def _stripped_modules() -> list[str]:
    """NEVER_IMPORTED as module names (globs): ``pydantic/v1`` -> ``pydantic.v1``, and its submodules."""
    return [pattern.removesuffix(".py").replace("/", ".") for pattern in _makefile_list("NEVER_IMPORTED")]


def _is_stripped(module: str, stripped: list[str]) -> bool:
    return any(fnmatchcase(module, name) or fnmatchcase(module, f"{name}.*") for name in stripped)


def test_everything_the_layer_build_strips_is_where_these_tests_look_for_it():
    # Given the three lists of what shared/Makefile strips (paths under the layer's python/, as pip installs them)
    lists = {name: _makefile_list(name) for name in ("NEVER_IMPORTED", "NEVER_READ", "NOT_NEEDED")}

    # When each pattern is matched in the dev environment (the layer's packages at the layer's versions)
    missing = [pattern for patterns in lists.values() for pattern in patterns if not list(SITE_PACKAGES.glob(pattern))]

    # Then each names something that is there: a strip that matches nothing (a package moved a file) is caught
    # here rather than shipped, and the tests below run the product without what the layer really lacks
    assert all(lists.values())
    assert "pydantic/v1" in lists["NEVER_IMPORTED"] and "holidays/locale" in lists["NOT_NEEDED"]
    assert missing == []


def _imports(path: Path, module: str) -> set[str]:
    """Every module ``path`` (the module ``module``) may import, at any depth, but under ``if TYPE_CHECKING:``;
    ``from a import b`` counts as ``a`` and ``a.b`` (b may be a submodule)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_bytes()))
    return found


# What a module the layer keeps imports of what it strips, and why the product never gets there.
KEPT_IMPORTERS_OF_STRIPPED = {
    # only for a type that has V1's __get_validators__ and no __get_pydantic_core_schema__ (a V1 model); the
    # product's models and every type in them are V2
    ("pydantic._internal._generate_schema", "pydantic.v1"),
    ("pydantic._internal._generate_schema", "pydantic.v1.BaseModel"),
    # only for a deliverability check, which stays off (test_validating_an_email_address_makes_no_dns_query)
    ("email_validator.deliverability", "dns.exception"),
    ("email_validator.deliverability", "dns.resolver"),
}


def test_nothing_the_layer_keeps_nor_the_product_imports_a_module_the_layer_strips():
    # Given the modules shared/Makefile strips, and every module of the layer's packages it keeps, with the product's
    import importlib.metadata

    stripped = _stripped_modules()
    lasts = {name.rpartition(".")[2].rstrip("*").encode() for name in stripped}
    kept: dict[str, Path] = {}
    for name in versions(LAYER_LOCK):
        for file in importlib.metadata.distribution(name).files or ():
            path = Path(file.locate())
            module = ".".join(file.with_suffix("").parts).removesuffix(".__init__")
            if file.suffix == ".py" and not _is_stripped(module, stripped) and not {"tests", "test"} & set(file.parts):
                kept[module] = path
    assert "pydantic._internal._generate_schema" in kept and "pydantic.v1.main" not in kept
    for path in (ROOT / "shared" / "followup").rglob("*.py"):
        kept[".".join(path.relative_to(ROOT / "shared").with_suffix("").parts).removesuffix(".__init__")] = path
    for path in (ROOT / "functions").rglob("*.py"):
        kept[f"functions.{path.parent.name}.{path.stem}"] = path

    # When their imports are read (an import of a stripped module names its last part: files without any are skipped)
    imports = set()
    for module, path in kept.items():
        source = path.read_bytes()
        if any(last in source for last in lasts):
            imports |= {(module, name) for name in _imports(path, module) if _is_stripped(name, stripped)}

    # Then none imports one, but where the reason above says the product never gets there
    assert imports == KEPT_IMPORTERS_OF_STRIPPED


def test_the_product_calls_none_of_the_short_number_functions_that_read_the_metadata_the_layer_strips():
    # Given phonenumbers' short-number functions: the only readers of phonenumbers.shortdata.region_*, which they
    # load by name at run time (no import statement names them)
    import phonenumbers.shortnumberinfo as short_numbers

    assert "phonenumbers.shortdata.region_*" in _stripped_modules()
    defined_there = short_numbers.__name__
    short = {name for name, value in vars(short_numbers).items() if getattr(value, "__module__", "") == defined_there}
    assert {"is_valid_short_number", "expected_cost", "is_emergency_number"} <= short
    assert not {"parse", "format_number", "region_code_for_number"} & short  # what it imports from elsewhere

    # When the names the product takes from phonenumbers are listed
    used: set[str] = set()
    for path in [*(ROOT / "shared" / "followup").rglob("*.py"), *(ROOT / "functions").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "phonenumbers":
                used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("phonenumbers"):
                used.update(alias.name for alias in node.names)

    # Then it parses, validates and formats full numbers, and none of them is a short-number function
    assert {"parse", "is_valid_number", "format_number"} <= used
    assert used & short == set()


@pytest.mark.parametrize(
    ("environment", "christmas_in_germany"),
    [({"LANG": "en_US.UTF-8"}, "Christmas Day"), ({}, "Erster Weihnachtstag"),
     ({"LANGUAGE": "uk:de", "LANG": "uk_UA.UTF-8"}, "Перший день Різдва")],
    ids=["as on lambda", "no locale set", "ukrainian"],
)
def test_every_countrys_holiday_dates_are_the_same_without_the_translations_the_layer_strips(
    monkeypatch, environment, christmas_in_germany
):
    # Given holidays' gettext catalogues as the layer ships them (none of the stripped ones) and a locale
    import gettext
    from datetime import date

    from followup.domain import policy
    from followup.runtime import lazy_packages

    lazy_packages.install("holidays.calendars", "holidays.groups", "holidays.countries")  # as policy does
    import holidays

    stripped = _stripped_files("NOT_NEEDED", "NEVER_READ")
    assert any(path.suffix == ".mo" and "holidays" in path.parts for path in stripped)
    real_find = gettext.find

    def shipped_find(domain, localedir=None, languages=None, all=False):  # noqa: A002 - gettext's own name
        found = [path for path in real_find(domain, localedir, languages, all=True) if Path(path) not in stripped]
        return found if all else next(iter(found), None)

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    countries = sorted(holidays.list_supported_countries())  # every code, aliases too
    years = (2026, 2027)

    def dates() -> dict[tuple[str, int], frozenset[date]]:
        policy._holidays.cache_clear()
        try:
            return {(country, year): policy._holidays(country, year) for country in countries for year in years}
        finally:
            policy._holidays.cache_clear()

    # When the product asks for every country's holidays with the catalogues installed, then as the layer ships
    installed = dates()
    named_installed = holidays.country_holidays("DE", years=2026)[date(2026, 12, 25)]
    monkeypatch.setattr(gettext, "find", shipped_find)
    shipped = dates()
    named_shipped = holidays.country_holidays("DE", years=2026)[date(2026, 12, 25)]

    # Then it gets the same dates, and no error: it passes no language, and then holidays falls back to the
    # names as the country's module writes them when the locale's catalogue is missing. Only the names change
    # (the locale's catalogue is read when there is one, as on Lambda), and the product uses none
    assert len(countries) > 200 and sum(map(len, installed.values())) > 5000
    assert shipped == installed
    assert (named_installed, named_shipped) == (christmas_in_germany, "Erster Weihnachtstag")


# A child that runs the product with what the layer strips made unavailable: each stripped module fails to import
# as a missing one does, each stripped file fails to open, and gettext finds no stripped catalogue. It runs
# one interview's whole life (submission, confirmation, each step function, decision, deletion), the OpenAPI
# document, a calendar file, a firm's enrolment, list and report (JSON and CSV); validates and reads an
# example mobile and fixed-line number of every region phonenumbers knows, and finds the next working day in
# every country holidays knows. It prints what it asked for.
WITHOUT_WHAT_THE_LAYER_STRIPS = """
import fnmatch, gettext, json, os, sys
from pathlib import Path

given = json.loads(sys.argv[1])
site, modules = Path(given["site"]), given["modules"]
zones = {}  # a zone of each country, for numbers written the national way (read before anything is refused)
for line in (site / "tzdata" / "zoneinfo" / "zone.tab").read_text().splitlines():
    if line and not line.startswith("#"):
        zones.setdefault(line.split("\\t")[0], line.split("\\t")[2])
files = set()
for pattern in given["paths"]:
    for hit in site.glob(pattern):
        files |= {str(path) for path in hit.rglob("*") if path.is_file()} if hit.is_dir() else {str(hit)}
asked, opened = set(), set()

class Stripped:
    def find_spec(self, name, path=None, target=None):
        if any(fnmatch.fnmatchcase(name, m) or fnmatch.fnmatchcase(name, m + ".*") for m in modules):
            asked.add(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

def refuse_stripped_files(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path in files:
            opened.add(path)
            raise FileNotFoundError(2, "No such file or directory", path)

sys.meta_path.insert(0, Stripped())
sys.addaudithook(refuse_stripped_files)
real_find = gettext.find  # gettext checks a catalogue with os.path.exists before it opens it

def find(domain, localedir=None, languages=None, all=False):
    found = [path for path in real_find(domain, localedir, languages, all=True) if os.path.abspath(path) not in files]
    return found if all else next(iter(found), None)

gettext.find = find

from local import environment
environment.use({**environment.aws_environment(), **environment.OUTSIDE_LAMBDA})
from tests.integration.forms import sample_submission, submission
from tests.integration.harness import (Clock, call_api, firm_claims, provisioned_account, run_lifecycle, runner,
                                       submit_confirmed)

answers = {}
clock = Clock()
with provisioned_account(clock) as resources:
    run_lifecycle(runner(resources, set_time=clock.set), clock)
    answers["openapi"] = call_api("GET", "/openapi.json").status
    done = submit_confirmed(sample_submission())
    answers["calendar"] = call_api("GET", f"/interviews/{done['id']}/check-in.ics", token=done["manage_token"]).status
    recruiter = firm_claims("rec-a", name="Priya Natarajan", email="priya@acme-staffing.example")
    answers["enrol"] = call_api("POST", "/firm/interviews", body=submission(now=clock()), claims=recruiter).status
    answers["list"] = call_api("GET", "/firm/interviews", claims=recruiter).status
    admin, period = firm_claims("adm-1", groups="admins"), "from=2026-03-01&to=2026-03-31"
    answers["report"] = call_api("GET", "/firm/report", query=period, claims=admin).status
    answers["csv"] = call_api("GET", "/firm/report", query=period, claims=admin, headers={"accept": "text/csv"}).status

import phonenumbers
from pydantic import ValidationError
from followup.domain import locales, phones
from followup.api.requests import CandidateIn
numbers = 0
for region in sorted(phonenumbers.SUPPORTED_REGIONS):
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        zone = zones.get(region, "Europe/London")  # a zone of a place: a region in no row (XK) borrows one
        valid = CandidateIn.model_validate({"name": "Jordan", "phone": e164, "time_zone": zone})
        try:  # written the national way: read with the zone's country (a few regions share their zones')
            CandidateIn.model_validate({"name": "Jordan", "phone": national, "time_zone": zone})
        except ValidationError:
            pass
        phones.sms_refusal(e164, (region,)), phones.mask_phone(e164)
        locales.country_for(e164, zone, "US"), locales.national_phone(e164)
        numbers += valid.phone == e164
answers["numbers"] = numbers

import holidays
from datetime import date
from followup.domain import policy
answers["countries"] = 0
for country in holidays.list_supported_countries():
    policy.next_working_day(date(2026, 12, 24), country)
    answers["countries"] += 1
print(json.dumps({"answers": answers, "asked": sorted(asked), "opened": sorted(opened)}))
"""


def test_the_product_runs_without_anything_the_layer_strips_and_never_asks_for_it():
    # Given the product with what shared/Makefile strips made unavailable, in a Lambda's locale
    given = {"site": str(SITE_PACKAGES), "modules": _stripped_modules(),
             "paths": [*_makefile_list("NEVER_IMPORTED"), *_makefile_list("NEVER_READ"), *_makefile_list("NOT_NEEDED")]}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "LAMBDA_", "AWS_", "LC_"))}
    env.update(LANG="en_US.UTF-8", POWERTOOLS_TRACE_DISABLED="true")
    env.pop("LANGUAGE", None)

    # When it serves an interview's whole life, the firm's pages, every region's phone numbers and every country
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", WITHOUT_WHAT_THE_LAYER_STRIPS, json.dumps(given)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    # Then every answer is a success, and it never asked for a stripped module nor opened a stripped file
    assert seen["asked"] == [] and seen["opened"] == []
    answers = seen["answers"]
    assert answers == {"openapi": 200, "calendar": 200, "enrol": 202, "list": 200, "report": 200, "csv": 200,
                       "numbers": answers["numbers"], "countries": answers["countries"]}
    assert answers["numbers"] > 400 and answers["countries"] > 400
