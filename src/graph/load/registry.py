"""The formats thbor-graph reads and writes, and where their readers and writers live.

Readers and writers are named by module path and function name (as rdflib's plugin registry
does), and imported only when a file of that format is read or written. That keeps a plain
validation from loading pyoxigraph or FollowTheMoney, and it keeps this layer from importing the
layers above it: :mod:`graph.rdf` and :mod:`graph.formats` register here by name only.

A reader takes ``(path, ontology)`` and yields :class:`~graph.load.files.RawRecord` and
:class:`~graph.errors.Problem` in file order. A writer of the ``rdf`` family is
:func:`graph.rdf.export.export_rdf`; a writer of the ``tool`` family takes a shared Dataset and
the path to write, and returns a count, or a count and what the format left out.

>>> [f.name for f in writable()]
['ttl', 'nt', 'jsonld', 'trig', 'nq', 'graphml', 'gexf', 'ftm', 'csv', 'neo4j']
>>> reading(Path("extract.FTM.jsonl")).name, reading(Path("a.yaml"))
('ftm', None)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import UsageError


@dataclass(frozen=True)
class Format:
    """One format: its name (``--format``), the endings of its files, its reader and its writer."""

    name: str
    family: str  # "rdf" (our design, as triples) or "tool" (another tool's format)
    suffixes: tuple[str, ...] = ()  # endings its files are known by; the first names a written file
    reader: str | None = None  # "module:function", imported when a file is read
    writer: str | None = None  # "module:function", imported when an export is written
    folder: bool = False  # the export is a folder of files, not one file

    @property
    def suffix(self) -> str | None:
        """The ending of the file an export writes; None when it writes a folder."""
        return None if self.folder or not self.suffixes else self.suffixes[0]


_RDF_READER = "graph.rdf.read:iter_rdf"
_RDF_WRITER = "graph.rdf.export:export_rdf"
FORMATS: tuple[Format, ...] = (  # in this order in help texts and messages
    Format("ttl", "rdf", (".ttl",), _RDF_READER, _RDF_WRITER),
    Format("nt", "rdf", (".nt",), _RDF_READER, _RDF_WRITER),
    Format("jsonld", "rdf", (".jsonld",), _RDF_READER, _RDF_WRITER),
    Format("trig", "rdf", (".trig",), _RDF_READER, _RDF_WRITER),
    Format("nq", "rdf", (".nq",), _RDF_READER, _RDF_WRITER),
    Format("rdfxml", "rdf", (".rdf",), _RDF_READER),  # read, never written
    Format("graphml", "tool", (".graphml",), writer="graph.formats.tables:write_graphml"),
    Format("gexf", "tool", (".gexf",), writer="graph.formats.tables:write_gexf"),
    Format("ftm", "tool", (".ftm.jsonl",), "graph.formats.ftm:iter_ftm", "graph.formats.ftm:write_ftm"),
    Format("csv", "tool", writer="graph.formats.tables:write_csv", folder=True),
    Format("neo4j", "tool", writer="graph.formats.tables:write_neo4j", folder=True),
)
BY_NAME = {f.name: f for f in FORMATS}


def writable(family: str | None = None) -> list[Format]:
    """The formats an export can write (of one family, or all), in the registry's order."""
    return [f for f in FORMATS if f.writer and family in (None, f.family)]


def read_suffixes(family: str) -> tuple[str, ...]:
    """The endings of the files the formats of ``family`` are read from."""
    return tuple(s for f in FORMATS if f.reader and f.family == family for s in f.suffixes)


def reading(path: Path) -> Format | None:
    """The format a file is read as, by the end of its name (any case); None for a case file."""
    return next((f for f in FORMATS if f.reader and any(_ends(path, s) for s in f.suffixes)), None)


def _ends(path: Path, suffix: str) -> bool:
    """``a.TTL`` ends in ``.ttl``, ``x.ftm.jsonl`` in ``.ftm.jsonl``; a file named ``.ttl`` has no suffix."""
    if suffix.count(".") > 1:
        return path.name.lower().endswith(suffix)
    return path.suffix.lower() == suffix


def format_of(path: Path, fmt: str | None) -> str:
    """The export format: given, or guessed from the file suffix."""
    every = [f.name for f in writable()]
    if fmt is None:
        # the longest ending first: x.ftm.jsonl is FtM, not whatever plain .jsonl would be
        endings = sorted(((s, f.name) for f in writable() for s in f.suffixes), key=lambda e: -len(e[0]))
        fmt = next((name for suffix, name in endings if _ends(path, suffix)), None)
        if fmt is None:
            raise UsageError(f"cannot tell the format of {path.name}: give format ({', '.join(every)})",
                             fields=("format",))
    if fmt not in every:
        raise UsageError(f"unknown format {fmt!r} (expected {', '.join(every)})")
    return fmt


def resolve(ref: str) -> Callable[..., Any]:
    """The function a ``"module:function"`` reference names, importing its module now."""
    module, _, name = ref.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def reader(fmt: Format) -> Callable[..., Any]:
    """The reader of a format (imported now)."""
    if fmt.reader is None:
        raise UsageError(f"{fmt.name} files cannot be read")
    return resolve(fmt.reader)


def writer(fmt: Format) -> Callable[..., Any]:
    """The writer of a format (imported now)."""
    if fmt.writer is None:
        raise UsageError(f"{fmt.name} cannot be written")
    return resolve(fmt.writer)
