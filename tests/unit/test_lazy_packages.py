"""The api loads the powertools resolver and event class it uses alone (cold start); the packages still
offer everything else when asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from followup.runtime.lazy_packages import exported_names

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from local import handlers
handlers.handler("api")
unused = ("asyncio", "aws_lambda_powertools.event_handler.appsync", "aws_lambda_powertools.event_handler.bedrock_agent",
          "aws_lambda_powertools.utilities.data_classes.sqs_event",
          "aws_lambda_powertools.utilities.data_classes.s3_event")
loaded = sorted(m for m in unused if m in sys.modules)
from aws_lambda_powertools.event_handler import AppSyncResolver, APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver as direct
from aws_lambda_powertools.utilities.data_classes import SQSEvent, event_source
print(json.dumps({"loaded_by_api": loaded, "later": [AppSyncResolver.__module__, SQSEvent.__module__],
                  "decorator": callable(event_source), "same_resolver": APIGatewayHttpResolver is direct}))
"""


def probe() -> dict:
    done = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_api_loads_no_resolver_or_event_class_it_does_not_use_and_they_are_there_when_asked() -> None:
    seen = probe()
    assert seen["loaded_by_api"] == []
    assert seen["later"] == ["aws_lambda_powertools.event_handler.appsync",
                             "aws_lambda_powertools.utilities.data_classes.sqs_event"]
    assert seen["decorator"] is True
    assert seen["same_resolver"] is True


HOLIDAYS_PROBE = """
import json, sys
from datetime import date
from followup.domain import policy
print(json.dumps({"thanksgiving": policy.is_public_holiday(date(2026, 11, 26), "US"),
                  "countries": sorted(m for m in sys.modules if m.startswith("holidays.countries."))}))
"""


def test_a_plan_loads_the_one_country_it_asks_for_not_every_calendar_of_the_library() -> None:
    done = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", HOLIDAYS_PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["thanksgiving"] is True
    assert seen["countries"] == ["holidays.countries.united_states"]


def test_the_names_come_from_the_init_itself_relative_absolute_and_aliased() -> None:
    source = (
        "from pkg.sub.a import A, B as C\n"
        "from .b import D\n"
        "from ..outside import E\n"
        "from other import F\n"
        "import pkg.sub.g\n"
        "__all__ = ['A']\n"
    )
    assert exported_names("pkg.sub", source) == {
        "A": ("pkg.sub.a", "A"), "C": ("pkg.sub.a", "B"), "D": ("pkg.sub.b", "D"),
    }


def test_a_package_whose_submodules_are_imported_directly_never_has_its_init_read(tmp_path, monkeypatch) -> None:
    from followup.runtime import lazy_packages

    package = tmp_path / "lazy_probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .heavy import Heavy\nraise RuntimeError('the whole __init__ ran')\n")
    (package / "heavy.py").write_text("class Heavy:\n    pass\n")
    (package / "light.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("lazy_probe_pkg", "lazy_probe_pkg.light", "lazy_probe_pkg.heavy"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    parsed: list[str] = []
    real = lazy_packages.exported_names
    monkeypatch.setattr(lazy_packages, "exported_names", lambda name, source: parsed.append(name) or real(name, source))

    lazy_packages.install("lazy_probe_pkg")
    from lazy_probe_pkg.light import VALUE

    assert VALUE == 42 and parsed == []
    from lazy_probe_pkg import Heavy

    assert Heavy.__module__ == "lazy_probe_pkg.heavy" and parsed == ["lazy_probe_pkg"]
