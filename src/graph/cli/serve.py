"""``thbor serve``: the read-only web app over the workspace store (:mod:`graph.serve`).

The command parses its options, makes one library call (:func:`graph.serve.serve`, which runs
until interrupted) and prints where it serves and at which sharing level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.cli._app import _ontology, app, err, out, partner_level, reports_errors, vocabulary, warn
from graph.workspace import DEFAULT_STORE, Workspace


@app.command(name="serve")
@reports_errors
def serve_cmd(
    data: Annotated[Optional[list[Path]], typer.Option(
        "--data", help="Case files or folders to read (repeatable; default ./data).")] = None,
    store: Annotated[str, typer.Option(
        "--store", help="Workspace store written by thbor build (read when it matches the inputs).")] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Read the case files even when a matching store exists.")
                        ] = False,
    max_tlp: Annotated[Optional[str], typer.Option(
        "--max-tlp", help=f"Serve only records at or below this sharing level ({vocabulary('tlp')}; default "
                          f"{partner_level()}, the partner level of exports). Shown on every page.",
        show_default=False)] = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. Anything but loopback lets other machines read the graph.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """A local, read-only web app: search, entity pages, neighbourhoods drawn on demand and path search.

    Only records at or below --max-tlp are loaded (from a store, they are prepared once beside it, in
    <store>/../serve/<level>/); only GET is answered; nothing is fetched from another host.

    Example: thbor serve --max-tlp GREEN --port 8000
    """
    from graph.serve import Served, is_loopback, serve

    if not is_loopback(host):
        err.print(f"warning: serving on {host}, not loopback: anyone who can reach this machine can read "
                  "every record at the level served", markup=False)

    def ready(url: str, served: Served) -> None:
        out.print(f"serving {len(served.ds.entities)} entities at TLP:{served.level} on {url} (Ctrl+C stops)",
                  markup=False)

    serve(Workspace(data, _ontology(), store, not no_store), max_tlp=max_tlp, host=host, port=port, warn=warn,
          ready=ready)
