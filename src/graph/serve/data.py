"""What ``thbor serve`` answers from: the records at or below one sharing level, opened once.

The sharing step is the one every export goes through (:func:`graph.model.sharing.share`), applied
before the server sees a record: a record above the level is not withheld page by page, it is not
there at all, so no page, answer, suggestion or error can show it, and "not found" is the same for
a withheld entity as for one that never existed.

Two ways to get there, by the rule of :mod:`graph.workspace`:

- a workspace store that matches the inputs (``thbor build``'s): its records at the level are
  written once as a store of their own (a *shared store*, beside it: ``<store>/../serve/<level>/``,
  one generation per store generation and level) and served from there as the store is, its
  array index in memory and records read on demand. The sharing step needs every record in memory,
  so it runs in a child process (:mod:`graph.serve.prepare`): the server's own memory stays that
  of a cold query, whatever the size of the data;
- otherwise (no store, ``--no-store``, a team's SPARQL store): the records are read and shared in
  memory by :meth:`graph.workspace.Workspace.graph`, as any command with ``--max-tlp`` does.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import networkx as nx

from graph.errors import StoreError
from graph.model.dataset import Dataset
from graph.model.sharing import resolve_level
from graph.query.results import Names, Query, QueryOptions
from graph.store import StoreDataset, StoreGraph, StoreNames, current, fresh
from graph.workspace import Warn, Workspace

RECORD_CACHE = 20_000  # records read on demand kept between requests, at most (then forgotten)
QUERY_CACHE = 8  # compiled filter sets kept (the default one always)


def shared_root(store: str | Path, level: str) -> Path:
    """Where the shared store of ``store`` at ``level`` lives: ``<store>/../serve/<level>``."""
    return Path(store).parent / "serve" / level.lower()


SHARING_CODE = ("graph.model.sharing", "graph.model.names", "graph.model.records", "graph.store.write",
                "graph.serve.prepare")
"""The modules that decide what a shared store holds: a change to any of them makes the next start prepare again."""


@functools.cache
def sharing_code() -> str:
    """A hash of the source of :data:`SHARING_CODE`: the store generation's name changes with the package
    version only, and a shared copy made by an earlier sharing step may hold what the current one withholds."""
    h = hashlib.sha256()
    for module in SHARING_CODE:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
        h.update(module.encode() + b"\0" + (Path(origin).read_bytes() if origin else b"") + b"\0")
    return h.hexdigest()[:16]


def shared_stamp(gen: Path, level: str, code: str | None = None) -> str:
    """The generation name of the shared store made from store generation ``gen`` at ``level`` by the
    sharing code ``code`` (default: this software's, :func:`sharing_code`)."""
    return hashlib.sha256(f"{gen.name}\0{level}\0{code or sharing_code()}".encode()).hexdigest()[:24]


@dataclass
class Served:
    """The records a server answers from, at ``level``, and the queries over them.

    ``from_store`` names the shared store generation read, or is None for records in memory.
    Answers are computed one at a time (``lock``): the stores' connections and caches are shared.
    """

    ds: Dataset
    G: nx.MultiDiGraph
    names: Names
    level: str
    from_store: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _queries: OrderedDict[QueryOptions, Query] = field(default_factory=OrderedDict, repr=False)

    def query(self, options: QueryOptions | None = None) -> Query:
        """A :class:`Query` over the served records with ``options`` (the level always the server's)."""
        options = options or QueryOptions()
        options = QueryOptions(**{**vars(options), "max_tlp": self.level})
        q = self._queries.get(options)
        if q is None:
            q = Query.of(self.ds, self.G, self.names, options)
            self._queries[options] = q
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        self._queries.move_to_end(options)
        return q

    @contextmanager
    def answering(self) -> Iterator[None]:
        """One answer at a time; records read on demand are forgotten when they pile up."""
        with self.lock:
            try:
                yield
            finally:
                for table in ("entities", "claims", "sources"):
                    cache = getattr(getattr(self.ds, table, None), "cache", None)
                    if isinstance(cache, dict) and len(cache) > RECORD_CACHE:
                        cache.clear()


def open_served(where: Workspace, max_tlp: str | None = None, *, warn: Warn | None = None) -> Served:
    """The records of ``where`` at ``max_tlp`` (default: the ontology's partner level), ready to serve.

    Raises :class:`~graph.errors.UsageError` for an unknown level; a damaged store is told to
    ``warn`` and the case files are read instead.
    """
    onto = where.onto
    level = resolve_level(onto, max_tlp)
    if where.use_store and not where.shared:
        try:
            gen = fresh(where.store, where.paths, onto)
            if gen is not None:
                shared = prepared(gen, level, shared_root(where.store, level), onto.directory)
                sds = StoreDataset(shared, onto)
                G = StoreGraph(shared, onto)
                return Served(cast(Dataset, sds), cast(nx.MultiDiGraph, G), StoreNames(sds), level, shared)
        except StoreError as exc:
            if warn is not None:
                warn(f"{exc}; reading the case files instead")
    opened = where.graph(max_tlp=level, warn=warn)
    return Served(opened.ds, opened.G, opened.names, level)


def prepared(gen: Path, level: str, root: Path, ontology_dir: Path) -> Path:
    """The shared store of store generation ``gen`` at ``level`` under ``root``, made when missing.

    It is made in a child process (:mod:`graph.serve.prepare`), which alone holds every record in
    memory; :class:`StoreError` when it fails.
    """
    stamp = shared_stamp(gen, level)
    have = current(root)
    if have is not None and have.name == f"gen-{stamp}":
        return have
    cmd = [sys.executable, "-m", "graph.serve.prepare", str(gen), level, str(root), stamp, str(ontology_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 (our own module)
    have = current(root)
    if done.returncode != 0 or have is None or have.name != f"gen-{stamp}":
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StoreError(f"cannot prepare the records at TLP:{level} from {gen} ({why})")
    return have


def describe(served: Served) -> dict[str, Any]:
    """Counts of what is served, for the index page."""
    G = served.G
    idx_edges = getattr(getattr(G, "index", None), "keys", None)
    edges = len(idx_edges) if idx_edges is not None else G.number_of_edges()
    return {"entities": len(served.ds.entities), "claims": edges, "sources": len(served.ds.sources)}
