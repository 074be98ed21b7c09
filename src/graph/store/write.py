"""Writing a store generation: the projection's node rows and edge table, its array index, the records
and the name tables, under a temporary name that is renamed when complete (see :mod:`graph.store`)."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

import numpy as np
import orjson

from graph.errors import OutputError
from graph.load.files import find_input_files
from graph.model.dataset import Dataset
from graph.model.names import entity_texts, honorifics_of
from graph.model.ontology import Ontology, load_ontology
from graph.model.records import Entity
from graph.outputs import atomic_write, child_env
from graph.query.index import GraphIndex
from graph.query.projection import EdgeTable, edge_table, node_rows

FORMAT = 6
ARRAYS = ("src", "dst", "predicate", "status", "confidence", "tlp_rank", "reliability_rank", "lo", "hi",
          "symmetric", "node_tlp_rank", "out_ptr", "out_edges", "in_ptr", "in_edges")
"""The arrays of :class:`~graph.query.index.GraphIndex` that index.npz holds as they are."""

NODE_ROWS = {"country": "country", "node_types": "types", "tlp": "tlp", "names": "name"}
"""nodes.json's lists of the projection's node rows (:func:`~graph.query.projection.node_rows`): list -> attribute.
A node's ``tlp_rank`` is the index's ``node_tlp_rank``."""

NameRows = tuple[list[tuple[str, str, str]], list[tuple[str, str]]]  # names, name_words
EDGE_FILE_COLUMNS = ("start", "end", "sources")
"""The edge columns of edges.json: only rebuilding the whole projection reads them, so a cold query does not.
The others are in the index (as codes, ranks and days) but for ``tlp``, nodes.json's ``edge_tlp``."""

TABLES = ("sources", "entities", "claims")
"""The record tables of records.sqlite: id and the record as JSON."""


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
    store = start_store(ds, root, stamp)
    store.project(table)
    return store.finish()


class PendingStore:
    """A generation being written: its records first, the projection's files when the caller has the
    projection (:meth:`project`); :meth:`finish` waits for the records and makes it current.

    With ``child=True``, the records' JSON goes into a temporary file that a child process
    reads to write the records and name tables: SQLite's work then takes the second core while
    the caller goes on (a build works out the projection and writes its RDF meanwhile).
    Without, :meth:`finish` writes them.
    ``records``: that file, when the caller wrote it already (:meth:`~graph.model.dataset.Dataset.record_lines`);
    the child reads it where it is, and the caller removes it once :meth:`finish` returns.
    """

    def __init__(self, ds: Dataset, root: Path, stamp: str, child: bool, records: Path | None = None):
        self.ds, self.root, self.final = ds, root, root / f"gen-{stamp}"
        self.tmp: Path | None = None
        self.child: subprocess.Popen[bytes] | None = None
        self.projected = False
        if self.final.exists():
            return
        self.tmp = root / f".gen-{stamp}-{os.getpid()}.tmp"
        self.meta = {"format": FORMAT, "fingerprint": stamp, "ontology_version": ds.ontology.version,
                     "counts": {t: len(getattr(ds, t)) for t in TABLES}, "honorifics": sorted(honorifics_of(ds))}
        with self._failing():
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir()
            db = self.tmp / "records.sqlite"
            if not child:
                return  # written by finish, after the projection
            lines = records or self.tmp / "records.tmp"
            if records is None:
                with lines.open("w", encoding="utf-8") as fh:
                    fh.writelines(ds.record_lines())
            self.child = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(lines),
                                           str(ds.ontology.directory)], stderr=subprocess.PIPE, env=child_env())

    def project(self, table: EdgeTable | None = None) -> None:
        """Write the projection's files (the array index, nodes.json, edges.json), from ``table``, the
        projection's edge columns, when the caller has them."""
        if self.tmp is not None and not self.projected:
            with self._failing():
                _write_projection(self.ds, table or edge_table(self.ds), self.tmp)
            self.projected = True

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        try:
            yield
        except (OSError, sqlite3.Error) as exc:  # a full disk: SQLite says so in its own exception
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
            raise OutputError(f"{self.root}: cannot write the store: {getattr(exc, 'strerror', None) or exc}") from None

    def abandon(self) -> None:
        """Stop the child, if any (the caller failed; its temporary folder goes with it)."""
        if self.child is not None and self.child.returncode is None:  # not waited for already
            self.child.kill()
            self.child.communicate()

    def finish(self) -> Path:
        """Wait for the records, make the generation current; the generation's folder."""
        if self.tmp is not None:
            self.project()
            with self._failing():
                if self.child is None:
                    ds = self.ds
                    tables = [(t, ((k, r.model_dump_json(exclude_none=True)) for k, r in getattr(ds, t).items()))
                              for t in TABLES]
                    _write_records(self.tmp / "records.sqlite", tables,
                                   [_name_rows(ds.entities.values(), honorifics_of(ds))])
                if self.child is not None:
                    _, err = self.child.communicate()
                    if self.child.returncode:
                        raise OSError(0, err.decode(errors="replace").strip()[-2000:])
                (self.tmp / "records.tmp").unlink(missing_ok=True)
                (self.tmp / "meta.json").write_text(json.dumps(self.meta, indent=1, sort_keys=True), encoding="utf-8")
            try:
                self.tmp.rename(self.final)
            except OSError:  # another build finished the same generation first
                shutil.rmtree(self.tmp, ignore_errors=True)
        atomic_write(self.root / "CURRENT", self.final.name + "\n")
        _tidy(self.root, keep=self.final.name)
        return self.final


def start_store(ds: Dataset, root: Path | str, stamp: str, *, child: bool = False,
                records: Path | None = None) -> PendingStore:
    """Start writing a generation for ``stamp`` (see :class:`PendingStore`)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return PendingStore(ds, root, stamp, child, records)


# niced: the build that started it works on the path to its end meanwhile, and must not wait for it
_CHILD = """
import os, sys
os.nice(10)
from pathlib import Path
from graph.store.write import records_from_json
records_from_json(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
"""


def records_from_json(db: Path, records: Path, ontology_dir: Path) -> None:
    """The records file of a generation from :meth:`~graph.model.dataset.Dataset.record_lines` (in the child
    process :class:`PendingStore` starts); the lines of other sections than :data:`TABLES` are skipped."""
    titles = load_ontology(ontology_dir).honorifics

    def rows(lines: Iterator[list[str]]) -> Iterator[tuple[str, str]]:
        for _, key, text in lines:
            yield orjson.loads(key), text.rstrip("\n")

    def names() -> Iterator[NameRows]:  # a second pass over the file: no name row is held for long
        with records.open(encoding="utf-8") as fh:
            entities = (Entity.model_validate_json(line.split("\t", 2)[2]) for line in fh
                        if line.startswith("entities\t"))
            while batch := list(itertools.islice(entities, 5_000)):
                yield _name_rows(batch, titles)

    with records.open(encoding="utf-8") as fh:
        tables = ((t, rows(group)) for t, group in itertools.groupby((line.split("\t", 2) for line in fh),
                                                                      key=itemgetter(0)) if t in TABLES)
        _write_records(db, tables, names())


def _write_projection(ds: Dataset, table: EdgeTable, folder: Path) -> None:
    """The projection's files of a generation, in ``folder``: the array index, nodes.json, edges.json."""
    rows = node_rows(ds)
    idx = GraphIndex.from_table(rows, table)  # the index a query builds from the graph, in the graph's edge order
    order = table.graph_order()
    types = sorted(idx.type_nodes)
    none = np.empty(0, np.int32)
    np.savez(folder / "index.npz", **{a: getattr(idx, a) for a in ARRAYS},
             type_of=np.concatenate([np.full(len(idx.type_nodes[t]), i, np.int32) for i, t in enumerate(types)]
                                    or [none]),
             type_node=np.concatenate([idx.type_nodes[t] for t in types] or [none]),
             key_order=_key_order(idx.keys, order))
    nodes = {"ids": idx.nodes, "keys": idx.keys, "predicates": idx.predicates, "statuses": idx.statuses,
             "types": types, **{name: [r[attr] for r in rows] for name, attr in NODE_ROWS.items()},
             # what the index does not hold, in the index's (the graph's) edge order
             "edge_tlp": [table.columns["tlp"][i] for i in order]}
    (folder / "nodes.json").write_bytes(orjson.dumps(nodes))
    (folder / "edges.json").write_bytes(orjson.dumps({a: [table.columns[a][i] for i in order]
                                                      for a in EDGE_FILE_COLUMNS}))


def _write_records(path: Path, tables: Iterable[tuple[str, Iterable[tuple[str, str]]]],
                   name_rows: Iterable[NameRows]) -> None:
    """The records as JSON (``tables``: each table's (id, JSON) rows) and the name tables (batches
    of the rows of :func:`_name_rows`, read once the tables are written), in one SQLite file."""
    db = sqlite3.connect(path)
    try:
        # no journal: an unfinished generation is a temporary folder that is thrown away
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                         + "".join(f"CREATE TABLE {t} (id TEXT PRIMARY KEY, json TEXT NOT NULL);" for t in TABLES)
                         + "CREATE TABLE names (key TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL);"
                         "CREATE TABLE name_words (word TEXT NOT NULL, id TEXT NOT NULL);")
        for t, rows in tables:
            db.executemany(f"INSERT INTO {t} VALUES (?, ?)", rows)  # noqa: S608 (table names are ours)
        for names, words in name_rows:
            db.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
            db.executemany("INSERT INTO name_words VALUES (?, ?)", words)
        db.executescript("CREATE INDEX names_key ON names (key); CREATE INDEX names_id ON names (id);"
                         "CREATE INDEX name_words_word ON name_words (word, id);")
        db.commit()
    finally:
        db.close()


def _key_order(keys: list[str], order: list[int]) -> np.ndarray:
    """Edge positions by claim id. A Dataset lists its claims by id, and ``order`` maps edge
    positions to that list: its inverse is the answer, without sorting a million strings."""
    inverse = np.argsort(np.asarray(order, np.int64), kind="stable").astype(np.int32)
    by_id = inverse.tolist()
    if all(keys[a] < keys[b] for a, b in zip(by_id, by_id[1:], strict=False)):
        return inverse
    return np.asarray(sorted(range(len(keys)), key=keys.__getitem__), np.int32)


def _name_rows(entities: Iterable[Entity], titles: frozenset[str]) -> NameRows:
    """The rows of the two name tables, from one tokenisation of each entity's names.

    ``names``: (match key, id, words joined by spaces) of every id, name and alias, with
    honorifics and without (:func:`~graph.model.names.entity_texts`); ``name_words``: (word, id),
    the distinct words of each entity's.
    """
    names: list[tuple[str, str, str]] = []
    words: list[tuple[str, str]] = []
    for e in entities:
        texts = entity_texts(e, titles)
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
