"""SPARQL over the graph: an in-memory Oxigraph store loaded with the export and the ontology.

>>> from graph.validate import load_dataset
>>> r = run_sparql(load_dataset(["data"]), "SELECT (COUNT(*) AS ?n) WHERE { ?c a rdf:Statement }")
>>> int(r.rows[0][0]) > 100
True
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from .dataset import Dataset
from .errors import UsageError
from .ontology import SHAPES_FILE
from .rdf_export import DEFAULT_BASE, Namer, write_ntriples
from .sharing import share


@dataclass
class SparqlResult:
    """SELECT gives ``variables`` and ``rows``; ASK gives ``boolean``; CONSTRUCT/DESCRIBE give ``turtle``."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str = ""
    raw: bytes = b""  # SPARQL JSON results of a SELECT or ASK


def load_store(ds: Dataset, base: str = DEFAULT_BASE, max_tlp: str = "RED") -> pyoxigraph.Store:
    """An in-memory store with the (shared) graph in the default graph, and the ontology."""
    shared, _ = share(ds, max_tlp)
    buf = io.StringIO()
    write_ntriples(shared, buf, base)
    store = pyoxigraph.Store()
    store.bulk_load(buf.getvalue().encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    for p in sorted(ds.ontology.directory.glob("*.ttl")):
        if p.name != SHAPES_FILE:
            store.bulk_load(path=str(p), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def prologue(ds: Dataset, base: str = DEFAULT_BASE) -> str:
    """PREFIX lines for the usual prefixes, so queries can use them without declaring them."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in Namer(base).prefixes(ds.ontology.namespace).items())


def run_sparql(ds: Dataset, query: str, base: str = DEFAULT_BASE, max_tlp: str = "RED") -> SparqlResult:
    """Run a SPARQL 1.1 query over the graph."""
    store = load_store(ds, base, max_tlp)
    try:
        result = store.query(prologue(ds, base) + query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise UsageError(f"SPARQL syntax error: {exc}") from None
    if isinstance(result, pyoxigraph.QuerySolutions):
        # solutions can be walked once: serialise them, and read the rows back from that JSON
        raw = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        doc = json.loads(raw)
        variables = doc["head"]["vars"]
        rows = [[b[v]["value"] if v in b else None for v in variables] for b in doc["results"]["bindings"]]
        return SparqlResult("select", variables, rows, raw=raw)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return SparqlResult("ask", boolean=bool(result), raw=result.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
    data = pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE,
                                prefixes=Namer(base).prefixes(ds.ontology.namespace))
    return SparqlResult("graph", turtle=data.decode("utf-8"))


def read_query(text_or_path: str) -> str:
    """A query given inline, or the text of a ``.rq``/``.sparql`` file."""
    p = Path(text_or_path)
    if p.suffix in (".rq", ".sparql") or (len(text_or_path) < 4096 and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{p}: cannot read query: {exc.strerror}") from None
    return text_or_path
