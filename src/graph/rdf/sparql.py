"""SPARQL over the graph: an in-memory Oxigraph store loaded with the export and the ontology.

Queries answer at a sharing level, by default the ontology's partner level (as exports do): the
store holds only what an export at that level would carry. Federated queries (``SERVICE``) would
send requests to any host the query names, so they are refused unless allowed; the check reads the
query's algebra (rdflib's parser), so comments and string literals cannot hide or fake one.

>>> from graph.load.validate import load_dataset
>>> r = run_sparql(load_dataset(["data"]), "SELECT (COUNT(*) AS ?n) WHERE { ?c a rdf:Statement }")
>>> int(r.rows[0][0]) > 100, r.level
(True, 'GREEN')
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import SparqlError, UsageError
from graph.model.dataset import Dataset
from graph.model.ontology import SHAPES_FILE
from graph.model.sharing import share
from graph.rdf.export import DEFAULT_LEVEL
from graph.rdf.remote import printable
from graph.rdf.write import DEFAULT_BASE, Namer, write_ntriples


@dataclass
class SparqlResult:
    """SELECT gives ``variables`` and ``rows``; ASK gives ``boolean``; CONSTRUCT/DESCRIBE give ``turtle``.

    ``level`` is the sharing level the query answered at.
    """

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str = ""
    raw: bytes = b""  # SPARQL JSON results of a SELECT or ASK
    level: str = ""

    def json_text(self) -> str:
        """The SPARQL JSON results, with the sharing level beside ``head`` and ``results``."""
        doc = json.loads(self.raw)
        doc["sharing"] = {"level": self.level}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def load_store(ds: Dataset, base: str = DEFAULT_BASE, max_tlp: str | None = DEFAULT_LEVEL) -> pyoxigraph.Store:
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


def service_targets(query: str) -> list[str]:
    """The endpoints of the ``SERVICE`` patterns of a query (a variable endpoint as ``?name``).

    Raises UsageError when the query does not parse.

    >>> service_targets('SELECT * WHERE { ?s ?p "SERVICE <http://a/>" # SERVICE <http://b/>\\n }')
    []
    >>> service_targets("ASK { FILTER EXISTS { SERVICE SILENT <http://c/> { ?s ?p ?o } } }")
    ['http://c/']
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
    except Exception as exc:  # pyparsing's ParseException, and bare exceptions rdflib raises on bad input
        raise UsageError(f"SPARQL syntax error: {printable(str(exc))}") from None
    try:
        algebra: Any = translateQuery(tree).algebra
    except Exception:  # noqa: BLE001 (a semantic check rdflib makes and Oxigraph may not: the parse tree has every pattern too)
        algebra = tree
    found: list[str] = []
    _collect_services(algebra, found, set())
    return sorted(set(found))


def _collect_services(node: Any, found: list[str], seen: set[int]) -> None:
    """Walk an rdflib algebra or parse tree; note every ServiceGraphPattern's endpoint."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if id(node) in seen or isinstance(node, (str, bytes)):
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            found.append(f"?{term}" if isinstance(term, Variable) else str(term))
        children = list(node.values())
    elif isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, (list, tuple, set)) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        _collect_services(child, found, seen)


def run_sparql(ds: Dataset, query: str, *, base: str = DEFAULT_BASE, max_tlp: str | None = DEFAULT_LEVEL,
               allow_service: bool = False) -> SparqlResult:
    """Run a SPARQL 1.1 query over the graph shared at ``max_tlp``.

    A query with a ``SERVICE`` pattern is refused unless ``allow_service``.
    """
    text = prologue(ds, base) + query
    if not allow_service:
        targets = service_targets(text)
        if targets:
            raise UsageError("federated query refused: SERVICE would send requests to "
                             f"{', '.join(printable(t) for t in targets)} (allow_service allows it)",
                             fields=("allow_service",))
    max_tlp = max_tlp or ds.ontology.partner_level
    store = load_store(ds, base, max_tlp)
    try:
        return _answer(ds, store.query(text, use_default_graph_as_union=True), base, max_tlp)
    except SyntaxError as exc:
        raise UsageError(f"SPARQL syntax error: {printable(str(exc))}") from None
    except (RuntimeError, OSError, ValueError) as exc:  # a federated service's reply, or the store itself
        raise SparqlError(f"the query failed: {printable(str(exc))}") from None


def _answer(ds: Dataset, result: Any, base: str, level: str) -> SparqlResult:
    """Read the results out (a federated service is only asked while they are read)."""
    if isinstance(result, pyoxigraph.QuerySolutions):
        # solutions can be walked once: serialise them, and read the rows back from that JSON
        raw = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
        doc = json.loads(raw)
        variables = doc["head"]["vars"]
        rows = [[b[v]["value"] if v in b else None for v in variables] for b in doc["results"]["bindings"]]
        return SparqlResult("select", variables, rows, raw=raw, level=level)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return SparqlResult("ask", boolean=bool(result), level=level,
                            raw=result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b"")
    data = pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE,
                                prefixes=Namer(base).prefixes(ds.ontology.namespace))
    return SparqlResult("graph", turtle=(data or b"").decode("utf-8"), level=level)


def read_query(text_or_path: str) -> str:
    """A query given inline, or the text of a ``.rq``/``.sparql`` file."""
    p = Path(text_or_path)
    if p.suffix in (".rq", ".sparql") or (len(text_or_path) < 4096 and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{p}: cannot read query: {exc.strerror}") from None
    return text_or_path
