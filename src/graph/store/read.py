"""Reading a store generation: which one is current and fresh, the projection it holds (as an array
index for cold queries, or as the networkx graph) and its records, read on demand (see :mod:`graph.store`)."""

from __future__ import annotations

import json
import sqlite3
import weakref
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import numpy as np
import orjson

from graph.errors import StoreError
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.records import Claim, Entity, Source, cited_sources
from graph.query.index import NO_DATE_HI, NO_DATE_LO, GraphIndex
from graph.query.projection import EdgeTable, to_networkx
from graph.store.write import ARRAYS, EDGE_FILE_COLUMNS, NODE_ROWS, TABLES, fingerprint

# what reading a damaged generation raises: missing or truncated files, bad JSON, a corrupt
# archive or database, records of another shape
_DAMAGE = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, sqlite3.Error)
_MODELS: dict[str, type[Source] | type[Entity] | type[Claim]] = {"sources": Source, "entities": Entity, "claims": Claim}


def _damaged(gen: Path, exc: BaseException) -> StoreError:
    return StoreError(f"store generation {gen} is damaged ({type(exc).__name__}: {exc})")


def current(root: Path | str) -> Path | None:
    """The generation in use, or None when there is no complete store."""
    root = Path(root)
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    gen = root / name
    return gen if (gen / "meta.json").exists() else None


def fresh(root: Path | str, paths: list[Path] | None, onto: Ontology) -> Path | None:
    """The current generation when it was made from exactly these inputs, else None.

    Raises :class:`StoreError` when the generation's meta.json cannot be read.
    """
    gen = current(root)
    if gen is None:
        return None
    meta = _meta(gen)
    return gen if meta.get("fingerprint") == fingerprint(paths, onto) else None


def _meta(gen: Path) -> dict[str, Any]:
    """A generation's meta.json; :class:`StoreError` when it is unreadable or not a map."""
    try:
        meta = json.loads((gen / "meta.json").read_text(encoding="utf-8"))
    except _DAMAGE as exc:
        raise _damaged(gen, exc) from None
    if not isinstance(meta, dict):
        raise StoreError(f"store generation {gen} is damaged (meta.json is not a map)")
    return meta




class EdgeLookup(Protocol):
    """An edge's attributes by (subject, object, claim id), as ``G.edges[u, v, k]``."""

    def __getitem__(self, edge: tuple[str, str, str], /) -> Mapping[str, Any]: ...


class QueryGraph(Protocol):
    """The operations of a ``networkx.MultiDiGraph`` that a shortest-path query and its evidence use
    (:mod:`graph.query.paths`, :mod:`graph.query.filters`, :mod:`graph.query.evidence`): a projection
    (:func:`~graph.query.projection.to_networkx`) has them, and :class:`StoreGraph` no more than these.
    The rest the query reads from the graph's array index (:meth:`GraphIndex.of <graph.query.index.GraphIndex.of>`).
    """

    nodes: Mapping[str, Mapping[str, Any]]  # node -> its row (node_rows): name, types, country, tlp, tlp_rank
    edges: EdgeLookup  # at least confidence and tlp

    def __contains__(self, node: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def has_edge(self, u: str, v: str, key: str) -> bool: ...


class StoreGraph(QueryGraph):
    """The projection of a store generation: its array index for path queries (:class:`QueryGraph`),
    and the whole networkx graph on request (:meth:`networkx`)."""

    def __init__(self, gen: Path, onto: Ontology):
        """Read the generation's index; :class:`StoreError` when its files are missing or damaged."""
        self.onto, self.gen = onto, gen
        try:
            self._load(gen)
        except _DAMAGE as exc:
            raise _damaged(gen, exc) from None
        self.index.register(self)  # GraphIndex.of(self) answers with the stored index, never one built from edges
        self.nodes = _Nodes(self)
        self.edges = _Edges(self)

    def _load(self, gen: Path) -> None:
        n = orjson.loads((gen / "nodes.json").read_bytes())  # a third of json.load's time on a cold start
        with np.load(gen / "index.npz") as npz:
            arrays = {k: npz[k] for k in (*ARRAYS, "key_order", "type_node", "type_of")}  # read now, not on use
        self._key_order = arrays["key_order"].tolist()  # list indexing beats numpy's for single items
        type_nodes = {t: arrays["type_node"][arrays["type_of"] == i] for i, t in enumerate(n["types"])}
        self._ids: list[str] = n["ids"]
        position = {x: i for i, x in enumerate(self._ids)}
        self.index = GraphIndex(nodes=self._ids, position=position, keys=n["keys"], predicates=n["predicates"],
                                statuses=n["statuses"], type_nodes=type_nodes, **{a: arrays[a] for a in ARRAYS})
        self._rows: dict[str, list[Any]] = {name: n[name] for name in NODE_ROWS}  # node rows, as columns
        self._edge_tlp: list[str] = n["edge_tlp"]

    def __contains__(self, node: object) -> bool:
        return node in self.index.position

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def edge_at(self, key: str) -> int | None:
        """Position of the edge of claim ``key``: a binary search over the keys in sorted order.

        A map of a million keys would cost a cold query half a second to build; the sorted order
        is stored with the index.
        """
        keys, order = self.index.keys, self._key_order
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[order[mid]] < key:
                lo = mid + 1
            else:
                hi = mid
        return int(order[lo]) if lo < len(order) and keys[order[lo]] == key else None

    def has_edge(self, u: str, v: str, key: str) -> bool:
        i = self.edge_at(key)
        return i is not None and self._ids[self.index.src[i]] == u and self._ids[self.index.dst[i]] == v

    def node_row(self, i: int) -> dict[str, Any]:
        """The projection's row of the node at position ``i`` (:func:`~graph.query.projection.node_rows`)."""
        row = {attr: self._rows[name][i] for name, attr in NODE_ROWS.items()}
        return {"name": row["name"], "types": tuple(row["types"]), "country": row["country"], "tlp": row["tlp"],
                "tlp_rank": int(self.index.node_tlp_rank[i])}

    def edge_table(self) -> EdgeTable:
        """The projection's edge table as the generation stores it, in the graph's edge order.

        What the index holds as codes, ranks and days is turned back into the column's values;
        the confidence is the float32 of a 3-decimal value, rounded back.
        """
        idx, ids = self.index, self._ids
        try:
            more = orjson.loads((self.gen / "edges.json").read_bytes())
            start, end, sources = (more[a] for a in EDGE_FILE_COLUMNS)
        except _DAMAGE as exc:
            raise _damaged(self.gen, exc) from None
        rel = {c.rank: name for name, c in self.onto.vocabulary("reliability").concepts.items()}
        rel_rank = idx.reliability_rank.tolist()
        columns = {
            "predicate": [idx.predicates[p] for p in idx.predicate.tolist()],
            "status": [idx.statuses[s] for s in idx.status.tolist()],
            "confidence": _confidence(idx.confidence).tolist(), "start": start, "end": end,
            "lo": [_iso(d, NO_DATE_LO) for d in idx.lo.tolist()], "hi": [_iso(d, NO_DATE_HI) for d in idx.hi.tolist()],
            "tlp": self._edge_tlp, "tlp_rank": idx.tlp_rank.tolist(), "reliability": [rel[r] for r in rel_rank],
            "reliability_rank": rel_rank, "sources": [tuple(s) for s in sources], "symmetric": idx.symmetric.tolist()}
        return EdgeTable(list(ids), [ids[i] for i in idx.src.tolist()], [ids[i] for i in idx.dst.tolist()],
                         list(idx.keys), columns)

    def networkx(self) -> nx.MultiDiGraph:
        """The projection as :func:`~graph.query.projection.to_networkx` makes it (same nodes, edges, order),
        by that function, from the stored node rows and edge table.

        The entities carry only what the projection reads of them (its stored node rows): validating
        every record again would buy nothing here.
        """
        # the list fields given empty: model_construct would inspect each default factory, per entity
        empty: dict[str, list[Any]] = {f: [] for f, info in Entity.model_fields.items() if info.default_factory is list}
        nodes = Dataset(self.onto, entities={x: Entity.model_construct(id=x, **{**empty, **{
            attr: self._rows[name][i] for name, attr in NODE_ROWS.items()}}) for i, x in enumerate(self._ids)})
        return to_networkx(nodes, self.edge_table())


def _confidence(values: np.ndarray) -> np.ndarray:
    """The stored (float32) confidences as the projection's 3-decimal values."""
    return np.round(values.astype(np.float64), 3)


def _iso(day: int, open_value: int) -> str | None:
    """An index day (YYYYMMDD) as ISO text; None for the value that stands for an open side."""
    return None if day == open_value else f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


class _Nodes(Mapping[str, dict[str, Any]]):
    """``G.nodes``: node rows by id."""

    def __init__(self, g: StoreGraph):
        self.g = g

    def __getitem__(self, node: str) -> dict[str, Any]:
        return self.g.node_row(self.g.index.position[node])

    def __iter__(self) -> Iterator[str]:
        return iter(self.g.index.nodes)

    def __len__(self) -> int:
        return len(self.g.index.nodes)


class _Edges:
    """``G.edges[u, v, k]``: what a path's evidence reads of an edge, without reading edges.json."""

    def __init__(self, g: StoreGraph):
        self.g = g

    def __getitem__(self, edge: tuple[str, str, str], /) -> dict[str, Any]:
        i = self.g.edge_at(edge[2])
        if i is None:
            raise KeyError(edge)
        return {"confidence": float(_confidence(self.g.index.confidence[i])), "tlp": self.g._edge_tlp[i]}


class _Records(Mapping[str, Any]):
    """Records of one table, read on demand from SQLite."""

    def __init__(self, db: sqlite3.Connection, table: str):
        self.db, self.table, self.model = db, table, _MODELS[table]
        self.cache: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self.cache:
            row = self.db.execute(f"SELECT json FROM {self.table} WHERE id = ?", (key,)).fetchone()  # noqa: S608
            if row is None:
                raise KeyError(key)
            self.cache[key] = self.model.model_validate_json(row[0])
        return self.cache[key]

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.execute(f"SELECT id FROM {self.table} ORDER BY id"))  # noqa: S608

    def __len__(self) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])  # noqa: S608


class StoreDataset:
    """Enough of a Dataset to print evidence, reading records from the store on demand."""

    def __init__(self, gen: Path, onto: Ontology):
        """Open the generation's records; :class:`StoreError` when they are missing or damaged."""
        self.gen = gen
        try:
            self.db = sqlite3.connect(f"file:{gen / 'records.sqlite'}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _damaged(gen, exc) from None
        weakref.finalize(self, self.db.close)
        try:  # a truncated or foreign file fails here, not in the middle of a query
            for table in (*TABLES, "names", "name_words"):
                self.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()  # noqa: S608 (our table names)
        except sqlite3.Error as exc:
            raise _damaged(gen, exc) from None
        self.ontology = onto
        self.sources = _Records(self.db, "sources")
        self.entities = _Records(self.db, "entities")
        self.claims = _Records(self.db, "claims")
        self.meta = _meta(gen)

    def claim_sources(self, claim: Claim) -> list[Source]:
        return [self.sources[i] for i in cited_sources(claim.citations)]

    def materialise(self) -> Dataset:
        """Every record, as a :class:`~graph.model.dataset.Dataset` (for exports and the sharing step)."""
        tables: dict[str, dict[str, Any]] = {}
        try:
            for table in TABLES:
                rows = self.db.execute(f"SELECT id, json FROM {table} ORDER BY id")  # noqa: S608 (our table names)
                model = _MODELS[table]
                tables[table] = {k: model.model_validate_json(j) for k, j in rows}
        except _DAMAGE as exc:  # pydantic's ValidationError is a ValueError
            raise _damaged(self.gen, exc) from None
        return Dataset(self.ontology, sources=tables["sources"], entities=tables["entities"], claims=tables["claims"])
