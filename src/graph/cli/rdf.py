"""The RDF commands of ``thbor``: export, check, import, sparql, push.

Each is a thin wrapper over one library function (:mod:`graph.rdf.export`, :mod:`graph.rdf.shacl`,
:mod:`graph.rdf.read` via the loader, :mod:`graph.rdf.sparql`, :mod:`graph.rdf.remote`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.cli._app import (
    PathsArg,
    ProgressOpt,
    _ontology,
    app,
    as_flags,
    err,
    out,
    partner_level,
    reading_progress,
    reports_errors,
    vocabulary,
    warn,
)
from graph.errors import UsageError
from graph.formats.casefile import write_case_file
from graph.formats.export import FORMATS, TOOL_FORMATS
from graph.formats.export import export as export_any
from graph.load.files import input_paths
from graph.load.streaming import check_files
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.sharing import level_asked
from graph.outputs import cell, check_not_input
from graph.rdf.remote import printable, push_changes
from graph.rdf.remote import push as push_graph
from graph.rdf.shacl import check_rdf
from graph.rdf.sparql import read_query, run_sparql
from graph.rdf.write import DEFAULT_BASE
from graph.workspace import DEFAULT_STORE, open_dataset

LevelOpt = Annotated[Optional[str], typer.Option(
    "--max-tlp", show_default=False,
    help=f"Highest sharing level that may leave ({vocabulary('tlp')}). Default: the ontology's partner level "
         f"({partner_level()}).")]
BaseOpt = Annotated[str, typer.Option("--base", help="Base IRI of the data's IRIs.")]
DataOpt = Annotated[Optional[list[Path]], typer.Option("--data", help="Case files or folders (default ./data).")]
StoreOpt = Annotated[str, typer.Option("--store", help="Workspace store written by thbor build (read instead of the "
                                                       "case files when it was made from them), or a shared store: "
                                                       "sparql+http(s)://host/query?graph=IRI.")]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Read the case files even when a matching store exists.")]


def _dataset(paths: Optional[list[Path]], store: str, no_store: bool) -> Dataset:
    """The validated records, by the one rule of :mod:`graph.workspace`."""
    return open_dataset(paths, _ontology(), store=store, use_store=not no_store, warn=warn)


def _say(line: str = "") -> None:
    out.print(line, markup=False)


@app.command()
@reports_errors
def export(paths: PathsArg = None,
           output: Annotated[Path, typer.Option(
               "--output", "-o", help="The graph file to write.")] = Path("build/export/graph.ttl"),
           fmt: Annotated[Optional[str], typer.Option(
               "--format", help=f"One of {', '.join([*FORMATS, *TOOL_FORMATS])} "
                                "(default: from -o; csv and neo4j write into the folder -o).")] = None,
           base: BaseOpt = DEFAULT_BASE, max_tlp: LevelOpt = None,
           pseudonymise: Annotated[bool, typer.Option(
               "--pseudonymise", help="Replace person names with stable pseudonyms.")] = False,
           graph: Annotated[Optional[str], typer.Option(
               "--graph", help="IRI of the named graph (TriG, N-Quads).")] = None,
           store: StoreOpt = DEFAULT_STORE, no_store: NoStoreOpt = False) -> None:
    """Write the graph for partners (RDF, GraphML, GEXF, FtM, CSV, Neo4j), never above the sharing level asked for.

    Beside an RDF file: ontology.ttl, shapes.ttl, context.jsonld; beside every export a manifest.

    Example: thbor export --format ttl -o build/partner/graph.ttl --max-tlp green --pseudonymise
    """
    check_not_input(output, [*input_paths(paths), _ontology().directory])  # never write into the inputs
    ds = _dataset(paths, store, no_store)
    result = export_any(ds, output, fmt, base=base, max_tlp=level_asked(max_tlp), pseudonymise=pseudonymise,
                        graph=graph)
    m = result.manifest
    triples = f", {m['counts']['triples']} triples" if "triples" in m["counts"] else ""
    _say(f"shared at TLP:{m['sharing']['level']}: {m['counts']['sources']} sources, "
         f"{m['counts']['entities']} entities, {m['counts']['claims']} claims{triples}")
    left = {k: v for k, v in m.get("left_out_by_format", {}).items() if v}
    if left:
        _say(f"not expressible in {m['format']}: " + ", ".join(f"{v} {k}" for k, v in left.items()))
    withheld = {k: v for k, v in m["sharing"]["withheld"].items() if v}
    if withheld:
        _say("withheld: " + ", ".join(f"{v} {k}" for k, v in withheld.items()))
    for w in m["sharing"]["warnings"]:
        _say(f"warning: {w}")
    for f in result.files:
        _say(f"wrote {f}")


@app.command()
@reports_errors
def check(file: Annotated[Path, typer.Argument(help="An RDF file (.ttl, .nt, .jsonld, .trig, .nq, .rdf).")]) -> None:
    """Validate an RDF file against the SHACL shapes of the ontology; list every violation.

    Example: thbor check build/export/graph.ttl
    """
    result = check_rdf(file, _ontology())
    for v in result.violations:
        _say(str(v))
    if result.conforms:
        _say(f"conforms: {file} ({result.triples} triples)")
        return
    _say(f"{len(result.violations)} violation(s) in {file}")
    raise typer.Exit(1)


@app.command(name="import")
@reports_errors
def import_(files: Annotated[list[Path], typer.Argument(help="RDF, FollowTheMoney or JSON Lines files to read.")],
            output: Annotated[Optional[Path], typer.Option(
                "--output", "-o", help="Write the records as a case file (.yaml or .jsonl).")] = None,
            progress: ProgressOpt = None) -> None:
    """Read and check outside records: RDF in thbor-graph's design (ours or a partner's), FollowTheMoney
    entities, or bulk JSON Lines (streamed, with a progress bar; problems listed by line). Without -o,
    claims are checked and let go, so that memory grows with the entities only.

    Example: thbor import partner.ttl -o data/partner.yaml
    """
    with reading_progress(files, progress) as advance:
        if output is None:
            n = check_files(files, _ontology(), progress=advance)
        else:
            ds = load_dataset(files, _ontology(), progress=advance)
            n = {"sources": len(ds.sources), "entities": len(ds.entities), "claims": len(ds.claims)}
    _say(f"valid: {n['sources']} sources, {n['entities']} entities, {n['claims']} claims")
    if output is not None:
        with as_flags(path="-o"):
            write_case_file(ds, output)
        _say(f"wrote {output}")


@app.command()
@reports_errors
def sparql(query: Annotated[str, typer.Argument(help="A SPARQL query, or a .rq file.")], data: DataOpt = None,
           fmt: Annotated[str, typer.Option(
               "--format", help="table, csv or json (SELECT/ASK); ttl for CONSTRUCT.")] = "table",
           max_tlp: LevelOpt = None, base: BaseOpt = DEFAULT_BASE, store: StoreOpt = DEFAULT_STORE,
           no_store: NoStoreOpt = False,
           allow_service: Annotated[bool, typer.Option(
               "--allow-service", help="Allow federated queries (SERVICE), "
                                       "which send requests to the hosts they name.")] = False) -> None:
    """Query the graph with SPARQL (the usual prefixes are predeclared), at the export's sharing level by default.

    Example: thbor sparql queries/social-media-only.rq --format csv
    """
    if fmt not in ("table", "csv", "json", "ttl"):
        raise UsageError(f"--format must be table, csv, json or ttl, not {fmt!r}")
    result = run_sparql(_dataset(data, store, no_store), read_query(query), base=base, max_tlp=level_asked(max_tlp),
                        allow_service=allow_service)
    err.print(f"answering at TLP:{result.level} (--max-tlp to change)", markup=False)
    # data formats are written as they are: a console would expand tabs and replace :emoji: codes
    if result.kind == "graph":
        typer.echo(result.turtle, nl=False)
    elif fmt == "json":
        typer.echo(result.json_text())
    elif result.kind == "ask":
        _say("true" if result.boolean else "false")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([cell(v) for v in result.variables])
        writer.writerows([[cell(v) for v in row] for row in result.rows])
        typer.echo(buf.getvalue(), nl=False)
    else:  # a table for a terminal: values escaped so that no control character reaches it
        table: list[list[str | None]] = [[*result.variables], *result.rows]
        for row in table:
            out.print("\t".join("" if v is None else printable(v) for v in row), markup=False, emoji=False)
        _say(f"{len(result.rows)} row(s)")


@app.command()
@reports_errors
def push(endpoint: Annotated[str, typer.Option("--endpoint", help="Graph Store endpoint, e.g. http://localhost:7878/store.")],
         graph: Annotated[Optional[str], typer.Option("--graph", help="IRI of the named graph to replace.")] = None,
         data: DataOpt = None, max_tlp: LevelOpt = None, base: BaseOpt = DEFAULT_BASE,
         user: Annotated[Optional[str], typer.Option("--user", help="Basic-auth user name.")] = None,
         password_env: Annotated[Optional[str], typer.Option(
             "--password-env", help="Environment variable holding the password.")] = None,
         timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the store (above 0).")] = 60.0,
         store: StoreOpt = DEFAULT_STORE, no_store: NoStoreOpt = False,
         changes: Annotated[Optional[Path], typer.Option(
             "--changes", help="Apply this change set of thbor diff instead (SPARQL Update DELETE DATA / INSERT "
                               "DATA; --endpoint is then the update endpoint, e.g. http://localhost:7878/update).")]
         = None) -> None:
    """Load the export into a SPARQL 1.1 store (Graph Store HTTP Protocol), replacing one named graph.

    Credentials: --user and --password-env, or http://user:password@host/... (never printed).
    With --changes, apply what thbor diff wrote instead of replacing the graph.

    Example: thbor push --endpoint http://localhost:7878/store --graph https://example.org/thbor
    """
    if changes is not None:
        if max_tlp or data:
            raise UsageError("--changes applies a change set as thbor diff wrote it, at the level given to thbor diff: "
                             "no --max-tlp or --data with it")
        applied = push_changes(changes, endpoint, graph, ontology=_ontology(), user=user, password_env=password_env,
                               timeout=timeout)
        _say(f"applied {applied.removed} removed and {applied.added} added triples to <{applied.graph}> "
             f"at {applied.endpoint} (HTTP {applied.status})")
        return
    ds = _dataset(data, store, no_store)
    result = push_graph(ds, endpoint, graph, base=base, max_tlp=level_asked(max_tlp), user=user,
                        password_env=password_env, timeout=timeout)
    _say(f"pushed {result.triples} triples to <{result.graph}> at {result.endpoint} (HTTP {result.status})")

