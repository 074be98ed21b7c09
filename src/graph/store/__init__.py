"""The workspace store: what ``thbor build`` compiles so that later path queries need not re-read
the case files.

A store is a folder of immutable generations::

    build/store/CURRENT            name of the generation in use (replaced atomically)
    build/store/gen-<fingerprint>/ meta.json, index.npz (the array index), nodes.json,
                                   edges.json (edge dates and sources, for the whole
                                   projection), records.sqlite (records as JSON, names and their words)

A generation is written under a temporary name and renamed when complete, then CURRENT is
replaced: a build killed at any point leaves the previous generation in use, and readers that
opened a generation keep reading it. The fingerprint hashes every input file, the ontology and the
software version; a reader compares it with the inputs of the moment, so a changed input is never
answered from a stale store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import weakref
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import orjson

from graph.errors import OutputError, StoreError, ThborError
from graph.load.files import find_input_files
from graph.model.dataset import Dataset
from graph.model.names import (
    ambiguous,
    honorifics_of,
    match_key,
    name_texts,
    name_tokens,
    no_such_name,
    rank_suggestions,
    word_matches,
)
from graph.model.ontology import Ontology
from graph.model.records import Claim, Entity, Source, cited_sources
from graph.outputs import atomic_write
from graph.query.index import _CACHE, NO_DATE_HI, NO_DATE_LO, GraphIndex
from graph.query.projection import EdgeTable, edge_table, node_rows

FORMAT = 6
ARRAYS = ("src", "dst", "predicate", "status", "confidence", "tlp_rank", "reliability_rank", "lo", "hi",
          "symmetric", "node_tlp_rank", "out_ptr", "out_edges", "in_ptr", "in_edges")


# what reading a damaged generation raises: missing or truncated files, bad JSON, a corrupt
# archive or database, records of another shape
_DAMAGE = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, sqlite3.Error)


def _damaged(gen: Path, exc: BaseException) -> StoreError:
    return StoreError(f"store generation {gen} is damaged ({type(exc).__name__}: {exc})")


def fingerprint(paths: list[Path] | None, onto: Ontology) -> str:
    """A hash of every input file's content, the ontology's and the software version."""
    from graph import __version__

    files, _ = find_input_files([Path(p) for p in (paths or [Path("data")])])
    h = hashlib.sha256(f"thbor-store-{FORMAT}-{__version__}".encode())
    # inputs by the path they were given as, the ontology by file name: where the package is
    # installed does not change the store
    named = [(str(f), f) for f in sorted(files, key=str)] + [(f.name, f) for f in sorted(onto.directory.glob("*.ttl"))]
    for name, f in named:
        h.update(name.encode() + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:24]


def write_store(ds: Dataset, root: Path | str, stamp: str, table: EdgeTable | None = None) -> Path:
    """Write a generation for ``stamp`` (unless it exists) and make it current.

    ``table`` is the projection's edge columns when the caller has them already.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"gen-{stamp}"
    if not final.exists():
        tmp = root / f".gen-{stamp}-{os.getpid()}.tmp"
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            _write_generation(ds, table or edge_table(ds), tmp, stamp)
        except (OSError, sqlite3.Error) as exc:  # a full disk: SQLite says so in its own exception
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputError(f"{root}: cannot write the store: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            tmp.rename(final)
        except OSError:  # another build finished the same generation first
            shutil.rmtree(tmp, ignore_errors=True)
    atomic_write(root / "CURRENT", final.name + "\n")
    _tidy(root, keep=final.name)
    return final


def _write_generation(ds: Dataset, table: EdgeTable, folder: Path, stamp: str) -> None:
    rows = node_rows(ds)
    idx = GraphIndex.from_table(rows, table)
    order = table.graph_order()
    types = sorted(idx.type_nodes)
    np.savez(folder / "index.npz", **{a: getattr(idx, a) for a in ARRAYS},
             type_of=np.concatenate([np.full(len(idx.type_nodes[t]), i, np.int32) for i, t in enumerate(types)]
                                    or [np.empty(0, np.int32)]),
             type_node=np.concatenate([idx.type_nodes[t] for t in types] or [np.empty(0, np.int32)]),
             key_order=_key_order(idx.keys, order))
    nodes = {"ids": idx.nodes, "keys": idx.keys, "predicates": idx.predicates, "statuses": idx.statuses,
             "types": types, "country": [r["country"] for r in rows], "node_types": [r["types"] for r in rows],
             "tlp": [r["tlp"] for r in rows], "names": [r["name"] for r in rows],
             # what the index does not hold, in the index's (the graph's) edge order
             "edge_tlp": [table.columns["tlp"][i] for i in order]}
    (folder / "nodes.json").write_bytes(orjson.dumps(nodes))
    # only rebuilding the whole projection needs these: a separate file keeps cold queries quick
    (folder / "edges.json").write_bytes(orjson.dumps({a: [table.columns[a][i] for i in order]
                                                      for a in ("start", "end", "sources")}))
    db = sqlite3.connect(folder / "records.sqlite")
    try:
        # no journal: an unfinished generation is a temporary folder that is thrown away
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                         "CREATE TABLE sources (id TEXT PRIMARY KEY, json TEXT NOT NULL);"
                         "CREATE TABLE entities (id TEXT PRIMARY KEY, json TEXT NOT NULL);"
                         "CREATE TABLE claims (id TEXT PRIMARY KEY, json TEXT NOT NULL);"
                         "CREATE TABLE names (key TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL);"
                         "CREATE TABLE name_words (word TEXT NOT NULL, id TEXT NOT NULL);")
        for table, records in (("sources", ds.sources), ("entities", ds.entities), ("claims", ds.claims)):
            db.executemany(f"INSERT INTO {table} VALUES (?, ?)",  # noqa: S608 (table names are ours)
                           ((k, r.model_dump_json(exclude_none=True)) for k, r in records.items()))
        names, words = _name_rows(ds, honorifics_of(ds))
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
        db.executemany("INSERT INTO name_words VALUES (?, ?)", words)
        db.executescript("CREATE INDEX names_key ON names (key); CREATE INDEX names_id ON names (id);"
                         "CREATE INDEX name_words_word ON name_words (word, id);")
        db.commit()
    finally:
        db.close()
    meta = {"format": FORMAT, "fingerprint": stamp, "ontology_version": ds.ontology.version,
            "counts": {"sources": len(ds.sources), "entities": len(ds.entities), "claims": len(ds.claims)},
            "honorifics": sorted(honorifics_of(ds))}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")


def _key_order(keys: list[str], order: list[int]) -> np.ndarray:
    """Edge positions by claim id. A Dataset lists its claims by id, and ``order`` maps edge
    positions to that list: its inverse is the answer, without sorting a million strings."""
    inverse = np.argsort(np.asarray(order, np.int64), kind="stable").astype(np.int32)
    by_id = inverse.tolist()
    if all(keys[a] < keys[b] for a, b in zip(by_id, by_id[1:])):
        return inverse
    return np.asarray(sorted(range(len(keys)), key=keys.__getitem__), np.int32)


def _name_rows(ds: Dataset, titles: frozenset[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The rows of the two name tables, from one tokenisation of each entity's names.

    ``names``: (match key, id, words joined by spaces) of every id, name and alias, with
    honorifics and without; ``name_words``: (word, id), the distinct words of each entity's.
    """
    names, words = [], []
    for e in ds.entities.values():
        texts = name_texts([e.id, *e.merged_from, *e.all_names()], titles)
        names += ((t.replace(" ", ""), e.id, t) for t in texts)
        words += ((w, e.id) for w in sorted({w for t in texts for w in t.split()}))
    return names, words


def _tidy(root: Path, keep: str) -> None:
    """Remove older generations, but keep the one before the current for readers still on it."""
    gens = sorted((p for p in root.glob("gen-*") if p.name != keep), key=lambda p: p.stat().st_mtime)
    for old in gens[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob(".gen-*.tmp"):
        try:
            pid = int(tmp.name.rsplit("-", 1)[1].split(".")[0])
            os.kill(pid, 0)  # a build still running
        except (ValueError, ProcessLookupError):
            shutil.rmtree(tmp, ignore_errors=True)
        except PermissionError:
            pass


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


def load_records(root: Path | str, paths: list[Path] | None, onto: Ontology) -> Dataset | None:
    """The validated Dataset from a store made from exactly these inputs, else None (read the files)."""
    gen = fresh(root, paths, onto)
    return StoreDataset(gen, onto).materialise() if gen is not None else None


class StoreGraph:
    """Enough of a MultiDiGraph for path queries, backed by a store generation."""

    def __init__(self, gen: Path, onto: Ontology):
        """Read the generation's index; :class:`StoreError` when its files are missing or damaged."""
        self.onto, self.gen = onto, gen
        try:
            self._load(gen)
        except _DAMAGE as exc:
            raise _damaged(gen, exc) from None
        _CACHE[self] = self.index  # the filters find the index of this graph
        self.nodes = _Nodes(self.index, self._n)
        self.edges = _Edges(self)

    def _load(self, gen: Path) -> None:
        n = orjson.loads((gen / "nodes.json").read_bytes())  # a third of json.load's time on a cold start
        with np.load(gen / "index.npz") as npz:
            arrays = {k: npz[k] for k in (*ARRAYS, "key_order", "type_node", "type_of")}  # read now, not on use
        self._key_order = arrays["key_order"].tolist()  # list indexing beats numpy's for single items
        type_nodes: dict[str, np.ndarray] = {}
        for i, t in enumerate(n["types"]):
            type_nodes[t] = arrays["type_node"][arrays["type_of"] == i]
        self._ids = n["ids"]
        position = {x: i for i, x in enumerate(self._ids)}
        self.index = GraphIndex(nodes=self._ids, position=position, keys=n["keys"], predicates=n["predicates"],
                                statuses=n["statuses"], type_nodes=type_nodes, **{a: arrays[a] for a in ARRAYS})
        self._n, self._edge_tlp = n, n["edge_tlp"]

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

    def networkx(self) -> nx.MultiDiGraph:
        """The projection as :func:`graph.query.projection.to_networkx` makes it: same nodes, edges, order."""
        idx, n, onto = self.index, self.nodes.n, self.onto
        rel = {c.rank: name for name, c in onto.vocabulary("reliability").concepts.items()}
        G = nx.MultiDiGraph(name="thbor-graph", ontology_version=onto.version)
        G.add_nodes_from((x, {"name": n["names"][i], "types": tuple(n["node_types"][i]), "country": n["country"][i],
                              "tlp": n["tlp"][i], "tlp_rank": int(idx.node_tlp_rank[i])}) for i, x in enumerate(idx.nodes))
        conf = np.round(idx.confidence.astype(np.float64), 3).tolist()  # the float32 of a 3-decimal value
        src, dst, pred, stat = idx.src.tolist(), idx.dst.tolist(), idx.predicate.tolist(), idx.status.tolist()
        tlp_rank, rel_rank, sym = idx.tlp_rank.tolist(), idx.reliability_rank.tolist(), idx.symmetric.tolist()
        lo, hi = idx.lo.tolist(), idx.hi.tolist()  # the valid time as the projection computed it
        try:
            more = orjson.loads((self.gen / "edges.json").read_bytes())
            start, end, sources = more["start"], more["end"], more["sources"]
        except _DAMAGE as exc:
            raise _damaged(self.gen, exc) from None
        G.add_edges_from((idx.nodes[src[i]], idx.nodes[dst[i]], k, {
            "predicate": idx.predicates[pred[i]], "status": idx.statuses[stat[i]], "confidence": conf[i],
            "start": start[i], "end": end[i],
            "lo": _iso(lo[i], NO_DATE_LO), "hi": _iso(hi[i], NO_DATE_HI),
            "tlp": n["edge_tlp"][i], "tlp_rank": tlp_rank[i], "reliability": rel[rel_rank[i]],
            "reliability_rank": rel_rank[i], "sources": tuple(sources[i]), "symmetric": sym[i],
        }) for i, k in enumerate(idx.keys))
        return G


def _iso(day: int, open_value: int) -> str | None:
    """An index day (YYYYMMDD) as ISO text; None for the value that stands for an open side."""
    return None if day == open_value else f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


class _Nodes(Mapping):
    def __init__(self, idx: GraphIndex, n: dict[str, Any]):
        self.idx, self.n = idx, n

    def __getitem__(self, node: str) -> dict[str, Any]:
        i = self.idx.position[node]
        return {"types": tuple(self.n["node_types"][i]), "tlp_rank": int(self.idx.node_tlp_rank[i]),
                "tlp": self.n["tlp"][i], "country": self.n["country"][i]}

    def __iter__(self) -> Iterator[str]:
        return iter(self.idx.nodes)

    def __len__(self) -> int:
        return len(self.idx.nodes)


class _Edges:
    def __init__(self, g: StoreGraph):
        self.g = g

    def __getitem__(self, e: tuple[str, str, str]) -> dict[str, Any]:
        i = self.g.edge_at(e[2])
        if i is None:
            raise KeyError(e)
        return {"confidence": float(round(float(self.g.index.confidence[i]), 3)), "tlp": self.g._edge_tlp[i]}


class _Records(Mapping):
    """Records of one table, read on demand from SQLite."""

    def __init__(self, db: sqlite3.Connection, table: str, model):
        self.db, self.table, self.model, self.cache = db, table, model, {}

    def __getitem__(self, key: str):
        if key not in self.cache:
            row = self.db.execute(f"SELECT json FROM {self.table} WHERE id = ?", (key,)).fetchone()  # noqa: S608
            if row is None:
                raise KeyError(key)
            self.cache[key] = self.model.model_validate_json(row[0])
        return self.cache[key]

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.execute(f"SELECT id FROM {self.table} ORDER BY id"))  # noqa: S608

    def __len__(self) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]  # noqa: S608


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
            for table in ("sources", "entities", "claims", "names", "name_words"):
                self.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()  # noqa: S608 (our table names)
        except sqlite3.Error as exc:
            raise _damaged(gen, exc) from None
        self.ontology = onto
        self.sources = _Records(self.db, "sources", Source)
        self.entities = _Records(self.db, "entities", Entity)
        self.claims = _Records(self.db, "claims", Claim)
        self.meta = _meta(gen)

    def claim_sources(self, claim: Claim) -> list[Source]:
        return [self.sources[i] for i in cited_sources(claim.citations)]

    def materialise(self) -> Dataset:
        """Every record, as a :class:`~graph.model.dataset.Dataset` (for exports and the sharing step)."""
        tables = {}
        try:
            for table, model in (("sources", Source), ("entities", Entity), ("claims", Claim)):
                rows = self.db.execute(f"SELECT json FROM {table} ORDER BY id")  # noqa: S608 (our table names)
                tables[table] = {r.id: r for r in (model.model_validate_json(j) for (j,) in rows)}
        except _DAMAGE as exc:  # pydantic's ValidationError is a ValueError
            raise _damaged(self.gen, exc) from None
        return Dataset(self.ontology, **tables)


class StoreNames:
    """Name lookup from the store's names; its suggestions rank, as :class:`~graph.model.names.NameIndex`
    does (:func:`~graph.model.names.rank_suggestions`), the entities an indexed look-up finds: those with a
    word that is, begins with or (sharing its first two letters) is a typo of a query word, or whose
    match key shares the query's first four letters. Each look-up takes at most :attr:`LIMIT` rows,
    so that a store of millions of names answers as quickly as a small one."""

    LIMIT = 2000

    def __init__(self, sds: StoreDataset):
        self.sds = sds
        self.titles = frozenset(sds.meta.get("honorifics", []))

    def resolve(self, query: str) -> str:
        row = self.sds.db.execute("SELECT id FROM entities WHERE id = ?", (query,)).fetchone()
        if row:
            return row[0]
        keys = {match_key(query), match_key(query, self.titles)} - {""}
        ids = sorted({r[0] for k in keys for r in self.sds.db.execute("SELECT id FROM names WHERE key = ?", (k,))})
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise ambiguous(query, [(i, self.sds.entities[i].name) for i in ids])
        ids = rank_suggestions(query, self.candidates(query), self.titles)
        raise no_such_name(query, [(i, self.sds.entities[i].name) for i in ids])

    def candidates(self, query: str) -> list[tuple[str, str]]:
        """(words of a name, id) of every name of the entities worth ranking for ``query``."""
        words = list(dict.fromkeys(name_tokens(query, self.titles)))
        ids = {i for word in words for i in self._ids_with_word(word)}
        if words:
            ids.update(self._column("SELECT id FROM names WHERE key >= ? AND key < ? ORDER BY key, id LIMIT ?",
                                    *_beginning("".join(words)[:4])))
        return self._names_of(sorted(ids))

    def _ids_with_word(self, word: str) -> set[str]:
        """Entities with a word that is ``word``, begins with it, or is a typo of it sharing its first two letters."""
        if len(word) < 2:
            return set(self._column("SELECT id FROM name_words WHERE word = ? ORDER BY id LIMIT ?", word))
        ids = set(self._column("SELECT id FROM name_words WHERE word >= ? AND word < ? ORDER BY word, id LIMIT ?",
                               *_beginning(word)))
        if len(word) >= 4:
            vocabulary = self._column("SELECT DISTINCT word FROM name_words WHERE word >= ? AND word < ? "
                                      "ORDER BY word LIMIT ?", *_beginning(word[:2]))
            for near in word_matches(word, vocabulary):
                ids.update(self._column("SELECT id FROM name_words WHERE word = ? ORDER BY id LIMIT ?", near))
        return ids

    def _names_of(self, ids: list[str]) -> list[tuple[str, str]]:
        """(words of a name, id) of every name of ``ids``."""
        rows: list[tuple[str, str]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            sql = f"SELECT text, id FROM names WHERE id IN ({','.join('?' * len(chunk))})"  # noqa: S608
            rows += self.sds.db.execute(sql, chunk).fetchall()
        return rows

    def _column(self, sql: str, *args: str) -> list[str]:
        """The first column of ``sql``'s rows, its last parameter being :attr:`LIMIT`."""
        return [r[0] for r in self.sds.db.execute(sql, (*args, self.LIMIT))]


def _beginning(prefix: str) -> tuple[str, str]:
    """The range of words and keys (letters and digits only) that begin with ``prefix``."""
    return prefix, prefix + "~"
