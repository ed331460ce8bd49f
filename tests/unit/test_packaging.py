"""pyproject.toml packages what the pages read (templates, scripts, stylesheets) without setuptools' warnings:
every folder Python would import from followup/ and local/ is a package of its own, its files its package data.
The first `make run` or `make test` installs the project; a folder left out printed ~60 lines of warnings."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def package_folders() -> dict[str, Path]:
    """Every folder under the package dirs that Python imports as a package (a regular or a namespace one)."""
    found = {}
    for top, folder in CONFIG["package-dir"].items():
        root = ROOT / folder
        for path in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
            if path.name == "__pycache__" or any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            found[".".join([top, *path.relative_to(root).parts])] = path
    return found


def data_files(package: str, folder: Path) -> list[Path]:
    return [path for path in sorted(folder.iterdir()) if path.is_file() and path.suffix not in (".py", ".pyc")]


def test_every_folder_python_imports_is_a_package_of_the_distribution():
    assert sorted(package_folders()) == sorted(CONFIG["packages"])


def test_every_file_the_pages_read_is_package_data_of_its_own_folder():
    patterns = CONFIG["package-data"]
    missing = [f"{package}: {path.name}" for package, folder in package_folders().items()
               for path in data_files(package, folder)
               if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns.get(package, []))]

    assert missing == []


def _setuptools() -> bool:
    try:
        import setuptools  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _setuptools(), reason="no setuptools in this environment to build with")
def test_the_build_warns_of_no_folder_left_out_and_carries_the_pages(tmp_path):
    # Given the project's packaging and sources, copied (the build writes beside them)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for folder in CONFIG["package-dir"].values():
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))

    # When setuptools builds what an install copies (build_py: the packages and their data; no download)
    built = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q",  # noqa: S603
                            "build_py", "-d", str(tmp_path / "lib")],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)

    # Then it warns of no folder left out of `packages`, and carries each template, script and stylesheet
    assert built.returncode == 0, built.stderr
    output = built.stdout + built.stderr
    assert "Package would be ignored" not in output and "followup.api.static" not in output, output
    assert "followup.api.templates" not in output, output
    for folder in ("static", "templates"):
        expected = {path.name for path in (ROOT / "shared" / "followup" / "api" / folder).iterdir() if path.is_file()}
        assert expected and expected <= {path.name for path in (tmp_path / "lib" / "followup" / "api" / folder).iterdir()}
    assert (tmp_path / "lib" / "local" / "console.css").is_file()
    assert (tmp_path / "lib" / "followup" / "domain" / "cldr_locales.txt").is_file()
