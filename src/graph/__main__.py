"""``python -m graph`` runs the ``thbor`` command line."""

from graph.cli import run

run()
