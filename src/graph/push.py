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
