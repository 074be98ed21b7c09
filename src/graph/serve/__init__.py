"""``thbor serve``: a local, read-only web app over the workspace store.

Search, entity pages (the dossier, a page of claims at a time), neighbourhoods drawn on demand
and path search, for graphs too big for one static page, with the sharing cap of exports: only
records at or below ``max_tlp`` (default: the ontology's partner level) are loaded, and the level
is shown on every page. Starlette answers, uvicorn serves, on loopback unless told otherwise.

- :mod:`graph.serve.data`: the records at the level, opened once (a store's shared copy, or in memory);
- :mod:`graph.serve.prepare`: the sharing step of a store, in a process of its own;
- :mod:`graph.serve.entity`, :mod:`graph.serve.network`: paged dossiers and neighbourhoods from the array index;
- :mod:`graph.serve.routes`, :mod:`graph.serve.app`, :mod:`graph.serve.pages`: the web part.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.serve.app import create_app, is_loopback
from graph.serve.data import Served, open_served
from graph.workspace import Warn, Workspace

__all__ = ["Served", "create_app", "is_loopback", "open_served", "serve"]


def serve(where: Workspace, *, max_tlp: str | None = None, host: str = "127.0.0.1", port: int = 8000,
          warn: Warn | None = None, ready: Callable[[str, Served], None] | None = None) -> None:
    """Open the records of ``where`` at ``max_tlp`` and serve them on ``host``:``port`` until interrupted.

    ``ready`` is told the address and what is served once the records are open (before the first request).
    """
    import uvicorn

    served = open_served(where, max_tlp, warn=warn)
    app = create_app(served, host=host)
    if ready is not None:
        shown = f"[{host}]" if ":" in host else host
        ready(f"http://{shown}:{port}/", served)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
                proxy_headers=False)
