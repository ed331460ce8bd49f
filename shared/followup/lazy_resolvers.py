"""Powertools' event handler package without its eager ``__init__`` (the api's cold start).

``aws_lambda_powertools.event_handler/__init__.py`` imports every resolver it has: AppSync (and with
it asyncio), AppSync events, Bedrock agents, VPC Lattice, function URLs. The api uses one,
``APIGatewayHttpResolver``; the rest cost it about 100 ms of cold start (``make bench``,
``bench/results.md``). Python runs a package's ``__init__`` before any of its submodules, so the only
way to import ``event_handler.api_gateway`` alone is to register the package first.

``install()`` registers the package as a module whose submodules import as usual, with the names
``api_gateway`` defines. Any other name the real ``__init__`` exports (``AppSyncResolver``, …) is
still there: the first time one is asked for, the real ``__init__`` runs in the module (PEP 562
``__getattr__``), so a caller sees the package exactly as powertools ships it, only later.

Import this before anything imports ``aws_lambda_powertools.event_handler``; once the real package
is loaded, ``install()`` leaves it alone.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

PACKAGE = "aws_lambda_powertools.event_handler"
EAGER = ("ALBResolver", "APIGatewayHttpResolver", "ApiGatewayResolver", "APIGatewayRestResolver", "CORSConfig",
         "Response")


def install() -> ModuleType:
    """The event handler package, registered without running its ``__init__`` if nothing loaded it yet."""
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{PACKAGE} is not installed")
    package = importlib.util.module_from_spec(spec)
    loaded = False

    def __getattr__(name: str) -> Any:
        # A name only the real __init__ defines: run it here, once, then answer as it would.
        nonlocal loaded
        if loaded or name.startswith("__"):
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
        if importlib.util.find_spec(f"{PACKAGE}.{name}") is not None:  # a submodule: `from package import x`
            return importlib.import_module(f"{PACKAGE}.{name}")
        loaded = True
        spec.loader.exec_module(package)  # type: ignore[union-attr]
        return getattr(package, name)

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[PACKAGE] = package
    parent, _, child = PACKAGE.rpartition(".")
    setattr(sys.modules[parent], child, package)
    try:
        api_gateway = importlib.import_module(f"{PACKAGE}.api_gateway")
    except BaseException:
        del sys.modules[PACKAGE]
        raise
    for name in EAGER:
        setattr(package, name, getattr(api_gateway, name))
    return package
