"""The view commands of ``thbor``: interactive network views and the dossier site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.cli._app import app, as_flags, out, reports_errors
from graph.cli.query import NOTHING_FOUND, no_link, with_filters
from graph.html.site import write_site
from graph.html.views import DEFAULT_MAX_NODES, NoEvidencedPath, choose_view, write_view
from graph.load.files import input_paths
from graph.outputs import check_not_input
from graph.query.results import Query


def _inputs(ctx: Query, command: typer.Context) -> list[Path]:
    """What the command read: the --data paths (default ./data) and the ontology folder."""
    return [*input_paths(command.params.get("data")), ctx.ds.ontology.directory]


@app.command()
@reports_errors
@with_filters
def view(ctx: Query, command: typer.Context,
         output: Annotated[Path, typer.Option(
             "--output", "-o", help="The HTML file to write.")] = Path("build/view.html"),
         focus_on: Annotated[Optional[str], typer.Option(
             "--focus", help="Show the neighbourhood of this entity.")] = None,
         hops: Annotated[int, typer.Option("--hops", help="How far around --focus or --case.")] = 2,
         path: Annotated[Optional[tuple[str, str]], typer.Option(
             "--path", help="Highlight a shortest path A B.")] = None,
         case: Annotated[Optional[str], typer.Option("--case", help="Show one case and what surrounds it.")] = None,
         country: Annotated[Optional[str], typer.Option(
             "--country", help="Entities of one country (ISO code).")] = None,
         max_nodes: Annotated[int, typer.Option(
             "--max-nodes", help="Refuse views larger than this.")] = DEFAULT_MAX_NODES) -> None:
    """Write an interactive network view: one self-contained HTML file that works offline.

    Example: thbor view --focus "KK Park" --hops 2 -o build/kk-park.html
    """
    check_not_input(output, _inputs(ctx, command))  # a target that is not a regular file: write_view refuses it
    with as_flags(focus="--focus", path="--path", case="--case", country="--country"):
        spec = choose_view(ctx, focus_on=focus_on, path=path, case=case, country=country, hops=hops)
    if isinstance(spec, NoEvidencedPath):
        out.print(no_link(ctx, spec.a, spec.b, spec.shared) + "; no view written", markup=False)
        raise typer.Exit(NOTHING_FOUND)
    written = write_view(ctx.ds, ctx.G, spec, output, max_nodes=max_nodes)
    out.print(f"wrote {written}: {len(spec.nodes)} entities, {len(spec.claims)} claims", markup=False)


@app.command()
@reports_errors
@with_filters
def site(ctx: Query, command: typer.Context,
         output: Annotated[Path, typer.Option(
             "--output", "-o", help="The folder to write.")] = Path("build/site")) -> None:
    """Write the dossier site: index, a page per entity and per source, offline, printable.

    Example: thbor site -o build/site --max-tlp green
    """
    check_not_input(output, _inputs(ctx, command))
    result = write_site(ctx.ds, ctx.G, ctx.cf, output, level=ctx.cf.filters.max_tlp or "")
    out.print(f"wrote {result.pages} pages to {output} (open {output / 'index.html'})", markup=False)
