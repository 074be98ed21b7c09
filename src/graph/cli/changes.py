"""The ``thbor changes``-related commands (registered on the app when :mod:`graph.cli` imports this module)."""

from __future__ import annotations

from graph.cli._app import app  # noqa: F401  (commands are registered on it)
