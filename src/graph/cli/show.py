"""``thbor show``: one entity's evidence in the terminal, the dossier page of the site as text.

The command parses its options, asks :func:`graph.query.dossier.dossier` and prints; the filters
and the store options are those of every query command (:func:`graph.cli.query.with_filters`).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from graph.cli._app import app, err, out, reports_errors
from graph.cli.query import JsonOpt, with_filters
from graph.query.dossier import dossier
from graph.query.results import Query


@app.command(name="show")
@reports_errors
@with_filters
def show_cmd(ctx: Query, name: Annotated[str, typer.Argument(metavar="NAME", help="The entity (id, name or alias).")],
             as_json: JsonOpt = False) -> None:
    """One entity and every claim it takes part in, grouped by relation (as subject, as object), each
    with status, confidence, valid time, knowledge time, qualifiers, note and every citation.

    Claims the filters leave out (by default the disputed and refuted ones) are counted on stderr.

    Example: thbor show "KK Park"
    """
    answer = dossier(ctx, name)
    for line in answer.notes():
        err.print(line, markup=False)
    if as_json:
        out.print(json.dumps(answer.to_dict(), indent=1, ensure_ascii=False), markup=False)
        return
    for line in answer.lines():
        out.print(line, markup=False)
