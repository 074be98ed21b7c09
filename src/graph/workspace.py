"""Where a command's records come from: the case files, the workspace store, or a shared SPARQL store.

One rule for every command that reads records (queries, views, export, sparql, push):

1. a store named ``sparql+http(s)://...`` is a team's shared store: the records are the graph
   pushed there (:func:`graph.rdf.remote.fetch`);
2. otherwise the workspace store that ``thbor build`` wrote is read when it was made from exactly
   these inputs (its fingerprint matches: :func:`graph.store.fresh`); a damaged store is not
   used, and ``warn`` is told so;
3. otherwise the case files are read, and a store that exists but was made from other inputs
   (stale, or damaged) is refreshed from them, so that the next command is fast again.

``use_store=False`` always reads the case files and never writes the store. The sharing step
(``max_tlp``) applies to the records whatever they come from, before any query sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

import networkx as nx

from graph.errors import StoreError
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.names import NameIndex
from graph.model.ontology import Ontology, load_ontology
from graph.model.sharing import level_asked, share
from graph.query.projection import EdgeTable, edge_table, to_networkx
from graph.query.results import Names, Query, QueryOptions
from graph.store import StoreDataset, StoreGraph, StoreNames, fingerprint, fresh, write_store

DEFAULT_STORE = "build/store"
SHARED_PREFIX = "sparql+"  # sparql+http(s)://host/query?graph=IRI: a shared store

Warn = Callable[[str], None]


class Opened(NamedTuple):
    """Records, their graph and their names, from wherever they came.

    From a fresh store and an index-only question, ``ds`` reads records on demand and ``G`` is
    the store's array index (both behave as a Dataset and a graph to the query functions).
    """

    ds: Dataset
    G: nx.MultiDiGraph
    names: Names


@dataclass(frozen=True)
class Workspace:
    """The inputs of a command: case files (``paths``, default ./data) and the store to try first."""

    paths: list[Path] | None = None
    ontology: Ontology | None = None  # None: ./ontology if present, else the shipped one
    store: str = DEFAULT_STORE
    use_store: bool = True

    @property
    def onto(self) -> Ontology:
        return self.ontology or load_ontology()

    @property
    def shared(self) -> bool:
        """True when the records come from a team's SPARQL store."""
        return self.use_store and self.store.startswith(SHARED_PREFIX)

    def dataset(self, warn: Warn | None = None) -> Dataset:
        """The validated records, whole (every level: the caller's own sharing step applies)."""
        onto = self.onto
        if self.shared:
            return _fetch(self.store, onto)
        if self.use_store:
            gen = self._fresh(onto, warn)
            if gen is not None:
                try:
                    return StoreDataset(gen, onto).materialise()
                except StoreError as exc:
                    self._damaged(exc, warn)
        return self._from_files(onto)[0]

    def graph(self, *, max_tlp: str | None = None, index_only: bool = False, warn: Warn | None = None) -> Opened:
        """Records, graph and names, at or below ``max_tlp`` (None: every record).

        ``index_only`` says that the array index and records read on demand suffice (a shortest
        path does): a cold question on a large store then reads almost nothing.
        """
        onto, level = self.onto, level_asked(max_tlp)
        if self.shared:
            ds = _fetch(self.store, onto)
            if level:
                ds = share(ds, level)[0]
            return Opened(ds, to_networkx(ds), NameIndex.of(ds))
        if self.use_store:
            opened = self._from_store(onto, level, index_only, warn)
            if opened is not None:
                return opened
        ds, table = self._from_files(onto)
        if level:  # the one sharing step: records above the level are gone before any query
            ds = share(ds, level)[0]
            return Opened(ds, to_networkx(ds), NameIndex.of(ds))
        return Opened(ds, to_networkx(ds, table), NameIndex.of(ds))

    def query(self, options: QueryOptions = QueryOptions(), *, index_only: bool = False,
              warn: Warn | None = None) -> Query:
        """A :class:`~graph.query.results.Query` over these inputs with these filters.

        Knowledge time (``known_by``) needs the records whole, so it never answers from the index alone.
        """
        ds, G, names = self.graph(max_tlp=options.level, index_only=index_only and not options.known_by,
                                  warn=warn)
        return Query.of(ds, G, names, options)

    def _fresh(self, onto: Ontology, warn: Warn | None) -> Path | None:
        try:
            return fresh(self.store, self.paths, onto)
        except StoreError as exc:
            self._damaged(exc, warn)
            return None

    def _from_files(self, onto: Ontology) -> tuple[Dataset, EdgeTable]:
        """The case files' records and edge table; a store made from other inputs is rewritten from them."""
        ds = load_dataset(self.paths, onto)
        table = edge_table(ds)
        self._refresh(ds, onto, table)
        return ds, table

    def _from_store(self, onto: Ontology, level: str | None, index_only: bool, warn: Warn | None) -> Opened | None:
        gen = self._fresh(onto, warn)
        if gen is None:
            return None
        try:
            sds = StoreDataset(gen, onto)
            if index_only and not level:
                # records read on demand behave as a Dataset, the array index as a graph
                return Opened(cast(Dataset, sds), cast(nx.MultiDiGraph, StoreGraph(gen, onto)), StoreNames(sds))
            ds = sds.materialise()
            if not level:
                return Opened(ds, StoreGraph(gen, onto).networkx(), NameIndex.of(ds))
        except StoreError as exc:
            self._damaged(exc, warn)
            return None
        ds = share(ds, level)[0]  # the one sharing step, as for the case files
        return Opened(ds, to_networkx(ds), NameIndex.of(ds))

    def _damaged(self, exc: StoreError, warn: Warn | None) -> None:
        if warn is not None:
            warn(f"{exc}; reading the case files instead (delete {Path(self.store)} and run `thbor build` "
                 "to rebuild it)")

    def _refresh(self, ds: Dataset, onto: Ontology, table: EdgeTable | None) -> None:
        """Rewrite a store made from other inputs (or damaged), never create one that is not there."""
        if self.use_store and (Path(self.store) / "CURRENT").exists():
            write_store(ds, Path(self.store), fingerprint(self.paths, onto), table)


def _fetch(store: str, onto: Ontology) -> Dataset:
    from graph.rdf.remote import fetch  # HTTP machinery only for a shared store

    return fetch(store, onto)


def open_dataset(paths: list[Path] | None, ontology: Ontology | None = None, *, store: str = DEFAULT_STORE,
                 use_store: bool = True, warn: Warn | None = None) -> Dataset:
    """The validated records of ``paths`` by the one rule (see the module)."""
    return Workspace(paths, ontology, store, use_store).dataset(warn)


def open_query(paths: list[Path] | None, ontology: Ontology | None = None, *, options: QueryOptions = QueryOptions(),
               store: str = DEFAULT_STORE, use_store: bool = True, index_only: bool = False,
               warn: Warn | None = None) -> Query:
    """A query over ``paths`` with ``options``, by the one rule (see the module)."""
    return Workspace(paths, ontology, store, use_store).query(options, index_only=index_only, warn=warn)
