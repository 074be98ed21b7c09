"""The ``thbor conflicts`` command: every disagreement the data holds (registered when :mod:`graph.cli`
imports this module). A thin wrapper over :func:`graph.quality.conflicts.conflicts`.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from graph.cli._app import PathsArg, _ontology, app, out, partner_level, reports_errors, vocabulary
from graph.load.validate import load_dataset
from graph.quality.conflicts import conflicts, conflicts_document, render


@app.command(name="conflicts")
@reports_errors
def conflicts_cmd(paths: PathsArg = None,
                  max_tlp: Annotated[Optional[str], typer.Option(
                      "--max-tlp", show_default=False,
                      help=f"Only claims shared at or below this level ({vocabulary('tlp')}), like the other "
                           "queries. Default: every level (the curator's view); give the partner level "
                           f"({partner_level()}) before passing the list on.")] = None,
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON (schema: docs/query-json.md).")]
                  = False) -> None:
    """List every disagreement: a claim affirmed and denied, citations giving different values,
    and claims the ontology declares mutually exclusive; each side with its sources, their
    grades, quotes and independent origins.

    Example: thbor conflicts --max-tlp green
    """
    found = conflicts(load_dataset(paths, _ontology()), max_tlp=max_tlp)
    if as_json:
        out.print(json.dumps(conflicts_document(found), indent=1, ensure_ascii=False), markup=False)
        return
    for line in render(found):
        out.print(line, markup=False)
