"""Loading the export into a SPARQL 1.1 store with the Graph Store HTTP Protocol, or a change to it.

``PUT {endpoint}?graph={iri}`` replaces one named graph with the shared N-Triples. Works with any
standard store (Oxigraph's ``/store``, Fuseki's ``/{dataset}/data``, GraphDB, Virtuoso).
:func:`push_changes` applies a change set of ``thbor diff`` (:mod:`graph.rdf.changes`) instead,
with one SPARQL 1.1 Update request (``DELETE DATA`` then ``INSERT DATA`` in the named graph) to
the store's update endpoint (Oxigraph's ``/update``, Fuseki's ``/{dataset}/update``).

Credentials come from ``--user``/``--password-env`` or from the URL (``http://user:pw@host/...``);
either way they travel only in an ``Authorization`` header and no message ever shows them.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import PushError, UsageError
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.sharing import share
from graph.outputs import sha256_file
from graph.rdf.write import DEFAULT_BASE, Namer, write_ntriples

NTRIPLES_TYPES = ("application/n-triples", "text/plain")  # text/plain: N-Triples' type before RDF 1.1
MAX_TIMEOUT = 86_400.0  # a day: beyond that, a typo rather than a wish (and sockets overflow)


@dataclass
class PushResult:
    endpoint: str  # without credentials
    graph: str
    status: int
    triples: int


def printable(text: str) -> str:
    """``text`` safe for a terminal: whitespace runs become one space, control and format
    characters (ESC, BEL, bidi overrides) become ``\\xNN``/``\\uNNNN`` escapes.

    >>> printable("a\\x1b[31m\\n\\n b\\u202e")
    'a\\\\x1b[31m b\\\\u202e'
    """
    text = re.sub(r"\s+", " ", text)
    return "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs")
                   else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in text)


@dataclass(frozen=True)
class _Target:
    """An endpoint split into what may be shown and what may only be sent."""

    url: str  # the URL without user info: what is requested, and what messages show
    user: str | None
    password: str | None

    def hide(self, text: str) -> str:
        """``text`` without the password (a server may echo it back), escaped for printing."""
        if self.password:
            text = text.replace(self.password, "***")
        return printable(text)


def _target(endpoint: str, user: str | None, password_env: str | None) -> _Target:
    """Split user info out of ``endpoint``; take the password from the environment if named."""
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError as exc:
        raise PushError(f"not a valid URL: {printable(_strip_userinfo(endpoint))} ({exc})") from None
    url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if parts.username is not None and user:
        raise UsageError(f"{printable(url)}: give the user name either in the URL or apart from it, not both")
    if parts.username is not None:
        return _Target(url, urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    if not user:
        return _Target(url, None, None)
    if password_env and password_env not in os.environ:
        raise PushError(f"the password variable {password_env} is not set")
    return _Target(url, user, os.environ.get(password_env, "") if password_env else "")


def _strip_userinfo(endpoint: str) -> str:
    """``endpoint`` with anything between ``//`` and the last ``@`` of the authority removed."""
    head, sep, rest = endpoint.partition("//")
    if not sep:
        return endpoint
    authority, slash, path = rest.partition("/")
    return f"{head}//{authority.rpartition('@')[2]}{slash}{path}"


def _check_timeout(timeout: float) -> None:
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise UsageError(f"timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, not {timeout:g}",
                         fields=("timeout",))


def _authorise(req: urllib.request.Request, target: _Target) -> None:
    if target.user is not None:
        token = base64.b64encode(f"{target.user}:{target.password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")


def _send(req: urllib.request.Request, target: _Target, timeout: float, refused: str):
    """Open ``req``; every failure becomes a PushError whose text shows no credential."""
    try:
        return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 (http(s) checked by the callers)
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace").strip()
        detail = f": {body}" if body else ""
        raise PushError(target.hide(f"{target.url} {refused}: HTTP {exc.code} {exc.reason}{detail}")) from None
    except urllib.error.URLError as exc:
        raise PushError(target.hide(f"cannot reach {target.url}: {exc.reason}")) from None
    except TimeoutError:
        raise PushError(target.hide(f"{target.url} did not answer within {timeout:g} s")) from None
    except OSError as exc:  # a connection reset or a malformed reply, outside URLError
        raise PushError(target.hide(f"{target.url} gave no usable answer: {exc}")) from None


def push(ds: Dataset, endpoint: str, graph: str | None = None, *, base: str = DEFAULT_BASE, max_tlp: str | None = None,
         user: str | None = None, password_env: str | None = None, timeout: float = 60.0) -> PushResult:
    """Replace the named graph ``graph`` at ``endpoint`` with the export at ``max_tlp``."""
    _check_timeout(timeout)
    target = _target(endpoint, user, password_env)
    if urllib.parse.urlsplit(target.url).scheme not in ("http", "https"):
        raise PushError(f"endpoint must be an http(s) URL, not {printable(target.url)!r}")
    graph = graph or Namer(base).graph()
    shared, _ = share(ds, max_tlp)
    buf = io.StringIO()
    triples = write_ntriples(shared, buf, base)
    sep = "&" if "?" in target.url else "?"
    req = urllib.request.Request(f"{target.url}{sep}{urllib.parse.urlencode({'graph': graph})}",
                                 data=buf.getvalue().encode("utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    _authorise(req, target)
    with _send(req, target, timeout, "refused the data") as resp:
        status = resp.status
    return PushResult(target.url, graph, status, triples)


@dataclass
class ChangesPushResult:
    endpoint: str  # without credentials
    graph: str
    status: int
    added: int
    removed: int


def push_changes(changes: Path | str, endpoint: str, graph: str | None = None, *, ontology: Ontology,
                 user: str | None = None, password_env: str | None = None, timeout: float = 60.0) -> ChangesPushResult:
    """Apply the change set in the folder ``changes`` to the named graph at the update ``endpoint``.

    One request, ``DELETE DATA`` of ``removed.nt`` then ``INSERT DATA`` of ``added.nt``, both in
    ``graph`` (default: the graph named in ``changes.json``, the export's): a store that runs an
    update request as one transaction (Oxigraph, Fuseki) applies all of it or nothing.

    Like a full push, it never sends above the ontology's partner level: a change set made at a
    higher level, or whose files are not the ones ``changes.json`` hashes, is refused.
    """
    from graph.rdf.changes import ADDED, MANIFEST, REMOVED

    _check_timeout(timeout)
    folder = Path(changes)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        removed, added = (folder / REMOVED).read_bytes(), (folder / ADDED).read_bytes()
    except (OSError, ValueError) as exc:
        raise PushError(f"{folder}: not a change set written by thbor diff ({exc})") from None
    _check_change_set(folder, manifest, ontology)
    graph = graph or manifest.get("graph")
    if not isinstance(graph, str) or not graph or any(c in graph for c in '<>"{}|^`\\ '):
        raise PushError(f"not a valid graph IRI: {printable(str(graph))!r}")
    target = _target(endpoint, user, password_env)
    if urllib.parse.urlsplit(target.url).scheme not in ("http", "https"):
        raise PushError(f"endpoint must be an http(s) URL, not {printable(target.url)!r}")
    removed, n_removed = _checked_ntriples(folder / REMOVED, removed)
    added, n_added = _checked_ntriples(folder / ADDED, added)
    body = b"".join([f"DELETE DATA {{ GRAPH <{graph}> {{\n".encode(), removed, b"} } ;\n",
                     f"INSERT DATA {{ GRAPH <{graph}> {{\n".encode(), added, b"} }\n"])
    req = urllib.request.Request(target.url, data=body, method="POST",
                                 headers={"Content-Type": "application/sparql-update; charset=utf-8"})
    _authorise(req, target)
    with _send(req, target, timeout, "refused the update") as resp:
        status = resp.status
    return ChangesPushResult(target.url, graph, status, n_added, n_removed)


def _check_change_set(folder: Path, manifest: Any, onto: Ontology) -> None:
    """Refuse a change set above the partner level, or one edited since thbor diff wrote it."""
    from graph.rdf.changes import ADDED, REMOVED

    tlp = onto.vocabulary("tlp")
    level = manifest.get("level") if isinstance(manifest, dict) else None
    if level not in tlp.concepts or tlp.rank(level) > tlp.rank(onto.partner_level):
        raise PushError(f"{folder}: the change set is at sharing level {printable(str(level))!r}, above the "
                        f"partner level {onto.partner_level}: it is not sent")
    files = manifest.get("files") or {}
    for name in (ADDED, REMOVED):
        if files.get(name) != sha256_file(folder / name):
            raise PushError(f"{folder / name}: not the file thbor diff wrote (its SHA-256 differs from changes.json)")


def _checked_ntriples(path: Path, data: bytes) -> tuple[bytes, int]:
    """``data`` parsed as N-Triples and written back: what goes into the update is triples and
    nothing else (a file edited to hold ``} } ; DROP ALL`` would otherwise run as an update)."""
    import pyoxigraph

    try:
        triples = [q.triple for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise PushError(f"{path}: not N-Triples: {printable(str(exc))}") from None
    if any(isinstance(t, pyoxigraph.BlankNode) for q in triples for t in (q.subject, q.object)):
        raise PushError(f"{path}: blank nodes cannot be deleted or inserted as data")
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"", len(triples)


def fetch(store_url: str, onto, *, timeout: float = 120.0, user: str | None = None, password_env: str | None = None):
    """A Dataset read from a SPARQL 1.1 endpoint that holds a thbor-graph export.

    ``store_url`` is ``sparql+http(s)://host/query?graph=IRI`` (the graph is optional: the
    default graph otherwise). One CONSTRUCT query fetches the graph's triples as N-Triples; they
    are read back like any RDF in this design and validated.
    """
    import tempfile
    from pathlib import Path

    from graph.errors import InputError
    from graph.load.validate import validate_records
    from graph.rdf.read import read_rdf

    _check_timeout(timeout)
    if not store_url.startswith(("sparql+http://", "sparql+https://")):
        raise PushError(f"a shared store is named sparql+http(s)://..., not {printable(_strip_userinfo(store_url))!r}")
    target = _target(store_url[len("sparql+"):], user, password_env)
    parts = urllib.parse.urlsplit(target.url)
    query_args = urllib.parse.parse_qs(parts.query)
    graph = (query_args.pop("graph", [None]) or [None])[0]
    query = urllib.parse.urlencode(query_args, doseq=True)
    endpoint = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    target = _Target(endpoint, target.user, target.password)
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    if graph and any(c in graph for c in '<>"{}|^`\\ '):
        raise PushError(f"not a valid graph IRI: {printable(graph)!r}")
    body = urllib.parse.urlencode({"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"}).encode()
    req = urllib.request.Request(endpoint, data=body, method="POST",
                                 headers={"Accept": "application/n-triples",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    _authorise(req, target)
    fd, name = tempfile.mkstemp(suffix=".nt")
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            with _send(req, target, timeout, "refused the query") as resp, tmp.open("wb") as f:
                kind = resp.headers.get_content_type()
                if kind not in NTRIPLES_TYPES:  # an HTML page or an error document: not the graph
                    raise PushError(target.hide(f"{endpoint} answered with {kind}, not N-Triples: "
                                                "is it the query endpoint of a SPARQL 1.1 store?"))
                for chunk in iter(lambda: resp.read(1 << 20), b""):
                    f.write(chunk)
        except OSError as exc:  # while reading the reply (TimeoutError is one)
            raise PushError(target.hide(f"{endpoint} broke off its answer: {exc}")) from None
        ds, problems = validate_records(read_rdf(tmp, onto), onto)
    finally:
        tmp.unlink(missing_ok=True)
    if problems:
        raise InputError(problems)
    return ds
