"""The built layer's size, per top-level package, unzipped and zipped (as Lambda counts and stores it).

    python -m bench.package [DIR] [--json out.json]

``DIR`` is what ``make package`` builds (shared/Makefile's ``build-SharedLayer``, the recipe ``sam build``
runs): a folder holding ``python/``. Lambda's limit is on the unzipped size (250 MB, every layer and the
function together); the zipped size is what is uploaded and what a cold start downloads.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

from bench.env import ROOT

DEFAULT_DIR = ROOT / ".aws-sam" / "package"
GOAL_MB = 25.0
METADATA = "(package metadata: *.dist-info)"


def group_of(relative: Path) -> str:
    """The top-level package (or module) a file under ``python/`` belongs to."""
    top = relative.parts[0]
    if top.endswith(".dist-info"):
        return METADATA
    if top == "__pycache__":  # a top-level module's bytecode: typing_extensions.cpython-313.pyc
        return relative.name.split(".", 1)[0]
    return top.removesuffix(".py") if len(relative.parts) == 1 else top


def _zipped(files: list[tuple[Path, str]]) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, name in files:
            archive.write(path, name)
    return buffer.tell()


def measure(layer: Path) -> dict[str, Any]:
    site = layer / "python"
    if not site.is_dir():
        raise SystemExit(f"{site} does not exist: run `make package` first")
    groups: dict[str, list[tuple[Path, str]]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site)
        groups.setdefault(group_of(relative), []).append((path, f"python/{relative.as_posix()}"))
    packages = {
        name: {
            "files": len(files),
            "bytes": sum(path.stat().st_size for path, _ in files),
            "zipped_bytes": _zipped(files),
            "bytecode_bytes": sum(path.stat().st_size for path, _ in files if path.suffix == ".pyc"),
        }
        for name, files in groups.items()
    }
    everything = [item for files in groups.values() for item in files]
    return {
        "layer": str(layer),
        "packages": dict(sorted(packages.items(), key=lambda kv: -kv[1]["bytes"])),
        "bytes": sum(p["bytes"] for p in packages.values()),
        "zipped_bytes": _zipped(everything),
        "shared_objects": sorted({path.name for path, _ in everything if ".so" in path.suffixes}),
    }


def mb(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def table(result: dict[str, Any]) -> str:
    lines = ["| package | unzipped | zipped | of which bytecode (3.13) |", "|---|---:|---:|---:|"]
    for name, p in result["packages"].items():
        lines.append(f"| `{name}` | {mb(p['bytes'])} | {mb(p['zipped_bytes'])} | {mb(p['bytecode_bytes'])} |")
    lines.append(f"| **the layer** | **{mb(result['bytes'])}** | **{mb(result['zipped_bytes'])}** | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.package", description=__doc__.split("\n", 1)[0])
    parser.add_argument("layer", nargs="?", type=Path, default=DEFAULT_DIR, help=f"default {DEFAULT_DIR}")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    result = measure(args.layer)
    print(table(result))
    print(f"\nshared objects: {', '.join(result['shared_objects']) or 'none'}")
    within = result["bytes"] <= GOAL_MB * 1_000_000
    print(f"goal: at most {GOAL_MB:.0f} MB unzipped: {'met' if within else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
