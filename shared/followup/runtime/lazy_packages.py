"""Packages imported name by name instead of whole (cold start).

Some packages import everything they hold in their ``__init__``: powertools'
``aws_lambda_powertools.event_handler`` every resolver (AppSync, and with it asyncio; Bedrock agents;
VPC Lattice; function URLs), ``aws_lambda_powertools.utilities.data_classes`` the event classes of some
forty AWS services, and ``holidays.countries`` ~280 countries. The api uses one resolver, one event
class and a country or two. Python runs a package's ``__init__`` before any of its submodules, so the
only way to import one submodule alone is to register the package first.

``install(name)`` registers the package as a module that loads lazily (PEP 562 ``__getattr__``): a
name its ``__init__`` imports from a submodule loads that submodule alone, the first time it is asked
for (the names are read from the ``__init__``'s own source on the first name asked for, so nothing here
lists them, and a caller that imports submodules only never parses it); a submodule imports as usual;
any other name runs the real ``__init__`` in the module, once. A caller sees the package as its authors
ship it, only later. ``make bench`` measures the difference (bench/results.md).

Call it before anything imports the package; a package already loaded is left as it is. A subpackage is
registered before its parent package is imported (the parent's ``__init__`` may import it).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from types import ModuleType
from typing import Any


def install(*packages: str) -> list[ModuleType]:
    """Each of ``packages`` registered to load lazily, unless something loaded it already."""
    return [sys.modules.get(package) or _register(package) for package in packages]


def exported_names(package: str, init_source: str) -> dict[str, tuple[str, str]]:
    """What ``package``'s ``__init__`` imports from its own submodules: name -> (submodule, attribute)."""
    import ast  # only where a package is registered

    names: dict[str, tuple[str, str]] = {}
    for node in ast.parse(init_source).body:
        if not isinstance(node, ast.ImportFrom) or node.module is None and node.level == 0:
            continue
        if node.level:
            parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{parent}.{node.module}" if node.module else parent
        else:
            source = node.module or ""
        if not source.startswith(package + "."):
            continue
        for alias in node.names:
            if alias.name != "*":
                names[alias.asname or alias.name] = (source, alias.name)
    return names


def _spec(package: str) -> ModuleSpec | None:
    """``package``'s spec, found without importing its parent (whose ``__init__`` may import it)."""
    parent, _, _ = package.rpartition(".")
    if not parent:
        return importlib.util.find_spec(package)
    loaded = sys.modules.get(parent)
    parent_spec = loaded.__spec__ if loaded is not None else _spec(parent)
    if parent_spec is None or parent_spec.submodule_search_locations is None:
        return None
    return PathFinder.find_spec(package, list(parent_spec.submodule_search_locations))


def _register(package: str) -> ModuleType:
    spec = _spec(package)
    if spec is None or spec.loader is None or spec.origin is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not an installed package")
    module = importlib.util.module_from_spec(spec)
    origin = Path(spec.origin)
    loader = spec.loader
    whole = False

    @functools.cache
    def names() -> dict[str, tuple[str, str]]:
        # Read on the first name asked for: a caller that imports submodules only never pays the parse.
        return exported_names(package, origin.read_text(encoding="utf-8"))

    def __getattr__(name: str) -> Any:
        nonlocal whole
        if not whole and name in names():
            source, attribute = names()[name]
            value = getattr(importlib.import_module(source), attribute)
            setattr(module, name, value)
            return value
        if not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")  # `from package import submodule`
        if whole or name.startswith("__"):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        whole = True  # a name only the real __init__ defines: run it here, once
        loader.exec_module(module)
        return getattr(module, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[package] = module
    parent, _, child = package.rpartition(".")
    if parent:
        setattr(importlib.import_module(parent), child, module)
    return module
