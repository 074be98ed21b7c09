"""Loading the export into a SPARQL 1.1 store with the Graph Store HTTP Protocol.

``PUT {endpoint}?graph={iri}`` replaces one named graph with the shared N-Triples. Works with any
standard store (Oxigraph's ``/store``, Fuseki's ``/{dataset}/data``, GraphDB, Virtuoso).
"""

from __future__ import annotations

import base64
import io
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .dataset import Dataset
from .errors import ThborError
from .rdf_export import DEFAULT_BASE, Namer, write_ntriples
from .sharing import share


class PushError(ThborError):
    """The store could not be reached, or refused the data."""


@dataclass
class PushResult:
    endpoint: str
    graph: str
    status: int
    triples: int


def push(ds: Dataset, endpoint: str, graph: str | None = None, base: str = DEFAULT_BASE, max_tlp: str = "GREEN",
         user: str | None = None, password_env: str | None = None, timeout: float = 60.0) -> PushResult:
    """Replace the named graph ``graph`` at ``endpoint`` with the export at ``max_tlp``."""
    scheme = urllib.parse.urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        raise PushError(f"endpoint must be an http(s) URL, not {endpoint!r}")
    graph = graph or Namer(base).graph()
    shared, _ = share(ds, max_tlp)
    buf = io.StringIO()
    triples = write_ntriples(shared, buf, base)
    sep = "&" if "?" in endpoint else "?"
    url = f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"
    req = urllib.request.Request(url, data=buf.getvalue().encode("utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    if user:
        password = os.environ.get(password_env or "", "") if password_env else ""
        if password_env and password_env not in os.environ:
            raise PushError(f"the password variable {password_env} is not set")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) checked above)
            status = resp.status
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace").strip()
        raise PushError(f"{endpoint} refused the data: HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")) from None
    except urllib.error.URLError as exc:
        raise PushError(f"cannot reach {endpoint}: {exc.reason}") from None
    except TimeoutError:
        raise PushError(f"{endpoint} did not answer within {timeout:g} s") from None
    return PushResult(endpoint, graph, status, triples)


def fetch(store_url: str, onto, timeout: float = 120.0, user: str | None = None, password_env: str | None = None):
    """A Dataset read from a SPARQL 1.1 endpoint that holds a thbor-graph export.

    ``store_url`` is ``sparql+http(s)://host/query?graph=IRI`` (the graph is optional: the
    default graph otherwise). One CONSTRUCT query fetches the graph's triples as N-Triples; they
    are read back like any RDF in this design and validated.
    """
    import tempfile
    from pathlib import Path

    from .errors import InputError
    from .rdf_import import read_rdf
    from .validate import validate_records

    if not store_url.startswith(("sparql+http://", "sparql+https://")):
        raise PushError(f"a shared store is named sparql+http(s)://..., not {store_url!r}")
    parts = urllib.parse.urlsplit(store_url[len("sparql+"):])
    query_args = urllib.parse.parse_qs(parts.query)
    graph = (query_args.pop("graph", [None]) or [None])[0]
    endpoint = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, urllib.parse.urlencode(query_args, doseq=True), ""))
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    if graph and any(c in graph for c in '<>"{}|^`\\ '):
        raise PushError(f"not a valid graph IRI: {graph!r}")
    body = urllib.parse.urlencode({"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"}).encode()
    req = urllib.request.Request(endpoint, data=body, method="POST",
                                 headers={"Accept": "application/n-triples",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    if user:
        if password_env and password_env not in os.environ:
            raise PushError(f"the password variable {password_env} is not set")
        token = base64.b64encode(f"{user}:{os.environ.get(password_env or '', '')}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, \
                tempfile.NamedTemporaryFile("wb", suffix=".nt", delete=False) as tmp:  # noqa: S310
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                tmp.write(chunk)
    except urllib.error.HTTPError as exc:
        raise PushError(f"{endpoint} refused the query: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise PushError(f"cannot reach {endpoint}: {exc.reason}") from None
    except TimeoutError:
        raise PushError(f"{endpoint} did not answer within {timeout:g} s") from None
    try:
        ds, problems = validate_records(read_rdf(Path(tmp.name), onto), onto)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    if problems:
        raise InputError(problems)
    return ds
