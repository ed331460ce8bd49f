"""Where the tests of the layer's dependencies look (test_layer.py, test_layer_strips.py): the locks, shared/Makefile,
the dev environment's site-packages."""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = ROOT / "shared" / "Makefile"
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])  # where the dev environment has the layer's packages
LAYER_LOCK = ROOT / "requirements" / "layer.txt"
SDK_LOCK = ROOT / "requirements" / "xray-sdk.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")


def pins(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name -> (version, hashes) of every pinned requirement in a pip requirements file."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    name = ""
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            found[name] = (match.group(2), frozenset())
        for digest in HASH.findall(line):
            found[name] = (found[name][0], found[name][1] | {digest})
    return found


def versions(path: Path) -> dict[str, str]:
    return {name: version for name, (version, _) in pins(path).items()}


