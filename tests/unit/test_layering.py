"""The layering shows in the imports: only the adapters talk to AWS, and only the two entry points
(``service.service_for`` for the API, ``handlers`` for the steps) wire the adapters to the logic."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "shared" / "followup"
AWS = ("boto3", "botocore")
WIRING = {"service.py", "handlers.py"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def offenders(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in paths
        for name in imported(path)
        if any(name == f or name.startswith(f"{f}.") for f in forbidden)
    )


def test_only_the_adapters_import_boto3_or_botocore():
    outside = list(PACKAGE.glob("*.py"))

    assert outside and offenders(outside, AWS) == []
    assert offenders(list((PACKAGE / "adapters").glob("*.py")), AWS) != []  # the check does see an import


def test_only_the_entry_points_import_the_adapters():
    logic = [p for p in PACKAGE.glob("*.py") if p.name not in WIRING]

    assert offenders(logic, ("followup.adapters",)) == []
    assert offenders([PACKAGE / name for name in sorted(WIRING)], ("followup.adapters",)) != []


def test_the_service_takes_commands_and_imports_no_request_model():
    domain = [p for p in PACKAGE.glob("*.py") if p.name != "requests.py"]

    assert offenders(domain, ("followup.requests",)) == []


def test_no_test_imports_the_benchmark():
    # Given every test module (bench imports the harness under tests/, never the reverse)
    tests = Path(__file__).resolve().parents[1]
    modules = [path for path in tests.rglob("*.py")]

    # Then none imports bench
    assert len(modules) > 10
    assert [f"{path.relative_to(tests)}" for path in modules
            if any(name == "bench" or name.startswith("bench.") for name in imported(path))] == []
