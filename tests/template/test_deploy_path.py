"""The deploy path as the README has an engineer follow it, short of AWS (no credentials, no Docker here): what
`make deploy` and `sam build`'s two layer recipes would run, read with `make -n` (print, do not run) in a
fake home whose only Python 3.13 is pyenv's, behind a pyenv shim that answers "command not found", as on a
machine where pyenv selects another version.

- `make deploy` finds pyenv's Python 3.13 as `make package` does and puts its folder first on sam build's
  PATH; it needs no dev environment; it is guided once, then deploys with the parameters samconfig.toml saved;
- the X-Ray SDK layer is built only when the deployed XRaySdk is on (sam build ignores a layer's Condition);
- pip is asked for manylinux_2_28 wheels as well as manylinux2014 ones.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.template.conftest import ROOT

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")

SHIM = '#!/bin/sh\necho "pyenv: python3.13: command not found" >&2\nexit 127\n'
SAVED = """version = 0.1
[default.global.parameters]
stack_name = "interview-follow-up"
[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
confirm_changeset = true
resolve_s3 = true
parameter_overrides = "FirmName=\\"Acme\\" SenderEmail=\\"hi@acme.example\\" XRaySdk=\\"{xray}\\" PublicBaseUrl=\\"\\""
"""


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_python313(path: Path) -> Path:
    """A python3.13 that says it is 3.13.5 and runs anything else with this interpreter (tomllib is enough)."""
    return executable(path, f'#!/bin/sh\nif [ "$1" = --version ]; then echo "Python 3.13.5"; exit 0; fi\n'
                            f'exec "{sys.executable}" "$@"\n')


def clean_env() -> dict[str, str]:
    """This process's environment without what would steer the makefiles (a make above this one included)."""
    steering = {"PATH", "HOME", "PYENV_ROOT", "PYTHON313", "XRAY_SDK_LAYER", "GUIDED", "LAYER_PLATFORM", "PIP",
                "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES"}
    return {name: value for name, value in os.environ.items() if name not in steering}


class Machine:
    """A home with pyenv's Python 3.13 only, a PATH holding pyenv's shim and nothing else, a project folder."""

    def __init__(self, root: Path, *, pyenv_python: bool = True) -> None:
        self.home = root / "home"
        self.shims = root / "shims"
        self.project = root / "project"
        self.project.mkdir(parents=True)
        executable(self.shims / "python3.13", SHIM)
        self.python = self.home / ".pyenv" / "versions" / "3.13.5" / "bin" / "python3.13"
        if pyenv_python:
            fake_python313(self.python)
        else:
            (self.home / ".pyenv" / "versions" / "3.11.7" / "bin").mkdir(parents=True)

    def env(self) -> dict[str, str]:
        return {**clean_env(), "HOME": str(self.home), "PATH": str(self.shims)}

    def make(self, *args: str, makefile: Path = ROOT / "Makefile",
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([MAKE, "-n", "-f", str(makefile), *args], cwd=cwd or self.project,  # noqa: S603
                              env=self.env(), capture_output=True, text=True, timeout=60)

    def saved(self, xray: str) -> None:
        (self.project / "samconfig.toml").write_text(SAVED.format(xray=xray))


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def build_line(output: str) -> str:
    """The `sam build` command of `make -n deploy`'s output, its continuation joined."""
    joined = output.replace("\\\n", " ")
    (line,) = [line for line in joined.splitlines() if re.search(r"\bsam build\b", line)]
    return line


def deploy_line(output: str) -> str:
    (line,) = [line for line in output.splitlines() if re.match(r"\s*sam deploy\b", line)]
    return line.strip()


# ------------------------------------------------------------ item 15: pyenv's Python 3.13 for sam build


def test_make_deploy_puts_pyenvs_python313_first_on_sam_builds_path_past_a_shim_that_fails(machine):
    # Given a machine whose only Python 3.13 is pyenv's, behind a shim answering "command not found"
    # When make says what `make deploy` runs
    done = machine.make("deploy")

    # Then sam build runs with that Python's folder first on its PATH, and it is the layer's compiler
    assert done.returncode == 0, done.stderr
    line = build_line(done.stdout)
    assert f'PATH="{machine.python.parent}:$PATH"' in line
    assert f'PYTHON313="{machine.python}"' in line


def test_make_deploy_needs_no_dev_environment(machine):
    done = machine.make("deploy")

    assert done.returncode == 0, done.stderr
    assert ".venv" not in done.stdout and "pip install" not in done.stdout
    assert "requirements/dev.txt" not in done.stdout


def test_make_deploy_without_any_python313_says_what_to_install_before_anything_runs(tmp_path):
    machine = Machine(tmp_path, pyenv_python=False)

    done = machine.make("deploy")

    assert done.returncode != 0
    assert "sam " not in done.stdout
    assert "Python 3.13" in done.stderr and "pyenv install 3.13" in done.stderr and "PYTHON313=" in done.stderr


def test_a_python313_on_the_path_that_runs_comes_first(machine, tmp_path):
    # Given a working python3.13 on the PATH (no shim), beside pyenv's
    on_path = fake_python313(tmp_path / "bin" / "python3.13")
    env = {**machine.env(), "PATH": str(on_path.parent)}

    done = subprocess.run([MAKE, "-n", "-f", str(ROOT / "Makefile"), "deploy"], cwd=machine.project, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert f'PYTHON313="{on_path}"' in build_line(done.stdout)


def test_the_layers_recipe_run_by_sam_build_compiles_with_pyenvs_python313(machine, tmp_path):
    # Given sam build's call of shared/Makefile (its own copy of the folder, ARTIFACTS_DIR, the makefile's path)
    # on the same machine, nothing passed by `make deploy` (a `sam build` run by hand)
    done = machine.make("build-SharedLayer", f"ARTIFACTS_DIR={tmp_path / 'artifacts'}",
                        makefile=ROOT / "shared" / "Makefile", cwd=ROOT / "shared")

    # Then it compiles the bytecode with pyenv's Python 3.13, not with the shim
    assert done.returncode == 0, done.stderr
    assert f"{machine.python} -m compileall" in done.stdout


# ------------------------------------------------------------ item 16: guided once, then the saved parameters


def test_the_first_deploy_is_guided(machine):
    shutil.copy(ROOT / "samconfig.toml", machine.project / "samconfig.toml")

    done = machine.make("deploy")

    assert done.returncode == 0, done.stderr
    assert deploy_line(done.stdout) == "sam deploy --guided"


@pytest.mark.parametrize("xray", ["off", "on"])
def test_once_the_parameters_are_saved_it_deploys_with_them_unguided(machine, xray):
    machine.saved(xray)

    done = machine.make("deploy")

    assert done.returncode == 0, done.stderr
    assert deploy_line(done.stdout) == "sam deploy"


def test_guided_again_on_request(machine):
    machine.saved("off")

    done = machine.make("deploy", "GUIDED=1")

    assert deploy_line(done.stdout) == "sam deploy --guided"


# ------------------------------------------------------------ item 17: the X-Ray SDK layer only when on


def test_with_xray_sdk_off_saved_the_sdk_layer_is_not_built_and_keeps_a_cache_of_its_own(machine):
    machine.saved("off")

    line = build_line(machine.make("deploy").stdout)

    assert "XRAY_SDK_LAYER=off" in line
    assert "--cache-dir .aws-sam/cache-xray-sdk-off" in line


@pytest.mark.parametrize("samconfig", ["saved-on", "first-deploy"])
def test_with_xray_sdk_on_or_not_yet_chosen_the_sdk_layer_is_built(machine, samconfig):
    if samconfig == "saved-on":
        machine.saved("on")
    else:
        shutil.copy(ROOT / "samconfig.toml", machine.project / "samconfig.toml")

    line = build_line(machine.make("deploy").stdout)

    assert "XRAY_SDK_LAYER=on" in line
    assert "--cache-dir" not in line


def test_the_sdk_layers_recipe_off_writes_one_small_file_and_installs_nothing(tmp_path):
    # When sam build runs the layer's recipe as `make deploy` asks it with XRaySdk off (run for real: no network)
    artifacts = tmp_path / "artifacts"
    done = subprocess.run([MAKE, "-s", "-f", str(ROOT / "layers" / "xray-sdk" / "Makefile"), "build-XRaySdkLayer",  # noqa: S603
                           f"ARTIFACTS_DIR={artifacts}", "XRAY_SDK_LAYER=off"],
                          cwd=tmp_path, env={**clean_env(), "PATH": os.environ["PATH"]},
                          capture_output=True, text=True, timeout=60)

    # Then the layer holds one text file, under a kilobyte, and pip was not called
    assert done.returncode == 0, done.stderr
    files = [path for path in artifacts.rglob("*") if path.is_file()]
    assert len(files) == 1 and files[0].suffix == ".txt" and files[0].stat().st_size < 1024


def test_the_sdk_layers_recipe_by_default_installs_the_locked_sdk_for_lambda(tmp_path):
    # When sam build runs it with nothing said (a `sam build` by hand: the SDK, as XRaySdk=on needs)
    done = subprocess.run([MAKE, "-n", "-f", str(ROOT / "layers" / "xray-sdk" / "Makefile"), "build-XRaySdkLayer",  # noqa: S603
                           f"ARTIFACTS_DIR={tmp_path}"], cwd=tmp_path, env={**clean_env(), "PATH": os.environ["PATH"]},
                          capture_output=True, text=True, timeout=60)

    install = done.stdout.replace("\\\n", " ")
    assert done.returncode == 0, done.stderr
    assert "--require-hashes" in install and "--only-binary=:all:" in install and "--python-version 3.13" in install
    assert f"-r {ROOT / 'layers' / 'xray-sdk'}/requirements.txt" in install


def test_the_sdk_layer_is_built_by_its_recipe_and_exists_only_with_xray_sdk_on(template):
    layer = template["Resources"]["XRaySdkLayer"]
    uses = [path for path, value in _walk(template["Resources"]) if value == {"Ref": "XRaySdkLayer"}]
    uses += [path for path, value in _walk(template["Globals"]) if value == {"Ref": "XRaySdkLayer"}]

    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert layer["Condition"] == "XRaySdkOn"
    assert template["Globals"]["Function"]["Layers"][1] == {"Fn::If": ["XRaySdkOn", {"Ref": "XRaySdkLayer"},
                                                                        {"Ref": "AWS::NoValue"}]}
    assert len(uses) == 1  # that !If, and nowhere else


def _walk(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    found = [(path, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _walk(item, (*path, index))
    return found


# ------------------------------------------------------------ item 19: manylinux_2_28 wheels too


@pytest.mark.parametrize(("makefile", "target"), [
    (ROOT / "shared" / "Makefile", "build-SharedLayer"),
    (ROOT / "layers" / "xray-sdk" / "Makefile", "build-XRaySdkLayer"),
])
def test_pip_is_asked_for_manylinux2014_and_manylinux_2_28_arm64_wheels(machine, tmp_path, makefile, target):
    done = machine.make(target, f"ARTIFACTS_DIR={tmp_path / 'artifacts'}", makefile=makefile, cwd=makefile.parent)

    install = done.stdout.replace("\\\n", " ")
    assert done.returncode == 0, done.stderr
    assert "--platform manylinux2014_aarch64" in install
    assert "--platform manylinux_2_28_aarch64" in install


def test_make_package_asks_for_both_platforms_and_the_lock_resolves_for_manylinux_2_28():
    makefile = (ROOT / "Makefile").read_text()

    assert re.search(r"^LAYER_PLATFORM\s*:?=\s*manylinux2014_aarch64 manylinux_2_28_aarch64$", makefile, re.M)
    assert "--python-platform aarch64-manylinux_2_28" in makefile


# ------------------------------------------------------------ the README says what the deploy needs, first


def test_the_readmes_deploy_section_opens_with_what_the_deploying_machine_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying for a firm", 1)[1]
    opening = section.split("1. **", 1)[0]

    for needed in ("Python 3.13", "pyenv", "make", "SAM CLI", "AWS CLI", "GUIDED=1", "samconfig.toml"):
        assert needed in opening, needed
