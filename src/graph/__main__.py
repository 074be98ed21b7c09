"""``python -m graph`` runs the ``thbor`` command line."""

from .cli import run

run()
