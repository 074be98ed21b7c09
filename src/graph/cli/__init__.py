"""The ``thbor`` command line: each command parses its options, makes one library call and prints.

Exit codes: 0 success, 1 bad input (every problem is listed, file:line: record: message),
2 wrong usage, 3 nothing found.

The app lives in :mod:`graph.cli._app`; each command module registers its commands on it when
imported here, in the order ``thbor --help`` lists them.
"""

from __future__ import annotations

import importlib
import sys

from graph.cli._app import app, err

__all__ = ["app", "run"]

# Importing a command module registers its commands on ``app``; this order is the order of ``thbor --help``.
COMMAND_MODULES = ("core", "dedupe", "query", "show", "conflicts", "rdf", "changes", "views", "serve")
for _module in COMMAND_MODULES:
    importlib.import_module(f"graph.cli.{_module}")


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
