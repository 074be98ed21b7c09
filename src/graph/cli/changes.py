"""The ``thbor diff`` command: what changed between two builds (registered when :mod:`graph.cli` imports this module).

A thin wrapper over :func:`graph.quality.diff.diff_builds`, which also writes the partners' RDF
change set (:mod:`graph.rdf.changes`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.cli._app import _ontology, app, out, partner_level, reports_errors, vocabulary
from graph.model.sharing import level_asked
from graph.quality.diff import diff_builds, dumps, render
from graph.rdf.write import DEFAULT_BASE


@app.command()
@reports_errors
def diff(old: Annotated[Path, typer.Argument(help="The earlier build folder (or its dataset.json).")],
         new: Annotated[Path, typer.Argument(help="The later build folder (or its dataset.json).")],
         output: Annotated[Path, typer.Option(
             "--output", "-o", help="Folder for the partners' change set: added.nt, removed.nt, changes.json.")]
         = Path("changes"),
         max_tlp: Annotated[Optional[str], typer.Option(
             "--max-tlp", show_default=False,
             help=f"The partners' sharing level ({vocabulary('tlp')}): the change set never holds anything above "
                  f"it. Default: the ontology's partner level ({partner_level()}).")] = None,
         base: Annotated[str, typer.Option("--base", help="Base IRI of the data's IRIs (as in the export).")]
         = DEFAULT_BASE,
         report_only: Annotated[bool, typer.Option(
             "--report-only", help="Print the report only: write no change set (and need no -o).")] = False,
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON (schema: docs/query-json.md).")] = False,
         ) -> None:
    """Say what changed between two builds, and write the change as RDF for partners.

    The report (every record, withheld ones too) is for curators; the change set in -o holds the
    triples added and removed at the partners' level only. Apply it with thbor push --changes.

    Example: thbor diff old-build build -o changes --max-tlp green
    """
    report = diff_builds(old, new, _ontology(), max_tlp=level_asked(max_tlp), out=None if report_only else output,
                         base=base)
    if as_json:
        out.print(dumps(report), markup=False, end="")
        return
    for line in render(report):
        out.print(line, markup=False)
    if report.rdf is not None:
        r = report.rdf
        out.print(f"partners at TLP:{r.level}: {r.added} triple(s) added, {r.removed} removed", markup=False)
        for f in r.files:
            out.print(f"wrote {f}", markup=False)
