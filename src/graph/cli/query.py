"""The query commands of ``thbor``: path, neighbors, connect, common, rank, communities, routes, timeline.

Each is a thin wrapper over one function of :mod:`graph.query.paths` or :mod:`graph.query.network`. Entities
are named by id, name or alias; data files come from ``--data`` (default ``./data``).

Exit codes: 0 found, 1 bad input (files, unknown or ambiguous names), 2 wrong usage
(unknown option, contradictory filters), 3 nothing found (no path).
"""

from __future__ import annotations

import functools
import inspect
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from graph.cli._app import _ontology, app, err, out, reports_errors
from graph.errors import UsageError
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.names import NameIndex
from graph.model.records import check_date
from graph.model.sharing import share
from graph.query.evidence import (
    claim_evidence,
    claim_lines,
    entity_summary,
    path_evidence,
    path_lines,
    role_text,
    valid_time_text,
)
from graph.query.filters import Filters
from graph.query.knowledge import KnownByReport, known_by
from graph.query.network import common_neighbors, communities, connect, neighbors, rank, routes, timeline
from graph.query.paths import (
    PathResult,
    k_shortest_paths,
    most_credible_path,
    paths_up_to,
    shortest_path,
    what_they_share,
)
from graph.query.projection import edge_table, to_networkx

NOTHING_FOUND = 3


def _opt(*names: str, help: str, kind: Any = Optional[list[str]], default: Any = None,
         param: str | None = None) -> inspect.Parameter:
    return inspect.Parameter(param or names[0].lstrip("-").replace("-", "_"), inspect.Parameter.KEYWORD_ONLY,
                             default=default, annotation=Annotated[kind, typer.Option(*names, help=help)])


FILTER_OPTIONS = [
    _opt("--predicate", help="Use only claims with this predicate (repeatable)."),
    _opt("--exclude-predicate", help="Never use claims with this predicate (repeatable)."),
    _opt("--via-type", help="Intermediate entities must have this type or a subtype (repeatable)."),
    _opt("--avoid-type", help="Never pass through entities of this type or a subtype, e.g. Country (repeatable)."),
    _opt("--avoid", help="Never pass through this entity (id, name or alias; repeatable)."),
    _opt("--min-confidence", help="Use only claims with at least this confidence (0..1).", kind=float, default=0.0),
    _opt("--min-reliability", help="Use only claims with a citation graded at least this (A-F).", kind=Optional[str]),
    _opt("--status", help="Use only claims with this status (repeatable; default: all but disputed, refuted)."),
    _opt("--via-context", help="Also pass through context and concept entities (countries, cities, practices, laws); "
                               "every such hop is marked.", kind=bool, default=False, param="via_context"),
    _opt("--at", help="Use only claims whose valid time overlaps this date (YYYY, YYYY-MM, YYYY-MM-DD); "
                      "undated claims are left out and counted.", kind=Optional[str]),
    _opt("--from", help="Use only claims valid on or after this date (undated ones left out).", kind=Optional[str],
         param="date_from"),
    _opt("--to", help="Use only claims valid on or before this date (undated ones left out).", kind=Optional[str],
         param="date_to"),
    _opt("--include-undated", help="With --at/--from/--to, keep undated claims too (marked undated).", kind=bool,
         default=False, param="include_undated"),
    _opt("--known-by", help="Use only evidence published on or before this date (knowledge time); claims left "
                            "without a citation drop out.", kind=Optional[str], param="known_by"),
    _opt("--max-tlp", help="Use only records at or below this sharing level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).",
         kind=Optional[str]),
    _opt("--directed", help="Follow claims from subject to object only (default: either way).", kind=bool,
         default=False),
    _opt("--data", help="Case files or folders to read (repeatable; default ./data).",
         kind=Optional[list[Path]]),
]


STORE_OPTIONS = [
    _opt("--store", help="Workspace store written by thbor build (read when it matches the inputs), or a shared "
                         "store: sparql+http(s)://host/query?graph=IRI.", kind=str, default="build/store"),
    _opt("--no-store", help="Read the case files even when a matching store exists.", kind=bool, default=False,
         param="no_store"),
]


def _from_store(given: dict[str, Any], store_dir: Path, onto, index_only: bool) -> tuple[Any, Any, Any] | None:
    """Dataset, graph and names from the store when it was built from exactly these inputs.

    A store made from other inputs is not used (and is refreshed after this query). With
    ``index_only`` the answer comes from the array index and records read on demand; otherwise
    the records and the projection are read back whole. --max-tlp applies the sharing step to
    the records, as for the case files. A damaged store is not used either: the query reads the
    case files, and says so on stderr.
    """
    from graph.store import StoreDataset, StoreError, StoreGraph, StoreNames, fresh

    try:
        gen = fresh(store_dir, given["data"], onto)
        if gen is None:
            return None
        sds = StoreDataset(gen, onto)
        if index_only and not given["max_tlp"] and not given["known_by"]:
            return sds, StoreGraph(gen, onto), StoreNames(sds)
        ds = sds.materialise()
        G = None if given["max_tlp"] else StoreGraph(gen, onto).networkx()
    except StoreError as exc:
        err.print(f"warning: {exc}; reading the case files instead (delete {store_dir} and run "
                  "`thbor build` to rebuild it)", markup=False)
        return None
    if given["max_tlp"]:  # the one sharing step: records above the level are gone before any query
        ds = share(ds, given["max_tlp"].upper())[0]
        return ds, to_networkx(ds), NameIndex.of(ds)
    return ds, G, NameIndex.of(ds)


def _from_files(given: dict[str, Any], onto, refresh: bool) -> tuple[Any, Any, Any]:
    """Dataset, graph and names from the case files; ``refresh`` rewrites a stale store."""
    ds = load_dataset(given["data"], onto)
    table = edge_table(ds)
    G = to_networkx(ds, table)
    if refresh and (Path(given["store"]) / "CURRENT").exists():
        from graph.store import fingerprint, write_store  # the store was stale: refresh it
        write_store(ds, Path(given["store"]), fingerprint(given["data"], onto), table)
    if given["max_tlp"]:  # the one sharing step: records above the level are gone before any query
        ds = share(ds, given["max_tlp"].upper())[0]
        G = to_networkx(ds)
    return ds, G, NameIndex.of(ds)


def with_filters(func: Callable[..., Any] | None = None, *,
                 index_only: Callable[[dict[str, Any]], bool] | None = None) -> Any:
    """Add the shared filter and store options to a command; it receives ``ds``, ``G``, ``names``, ``cf``.

    The command answers from the workspace store when it matches the inputs (see
    :mod:`graph.store`), refreshing a stale one, or from a shared SPARQL store. ``index_only``
    (a test on the command's arguments) says when the array index and records read on demand
    suffice, which is what makes a cold query on a large store fast.
    """
    if func is None:
        return functools.partial(with_filters, index_only=index_only)
    options = FILTER_OPTIONS + STORE_OPTIONS
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)  # resolve the string annotations
    own = [p.replace(annotation=hints[p.name]) for p in sig.parameters.values() if p.name != "ctx"]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        given = {p.name: kwargs.pop(p.name) for p in options}
        onto = _ontology()
        use_store = not given["no_store"]
        loaded = None
        if use_store and given["store"].startswith("sparql+"):  # a team's SPARQL store: the graph pushed there
            from graph.rdf.remote import fetch
            ds = fetch(given["store"], onto)
            if given["max_tlp"]:
                ds = share(ds, given["max_tlp"].upper())[0]
            loaded = ds, to_networkx(ds), NameIndex.of(ds)
        elif use_store:
            loaded = _from_store(given, Path(given["store"]), onto, bool(index_only and index_only(kwargs)))
        ds, G, names = loaded or _from_files(given, onto, refresh=use_store)
        known = None
        if given["known_by"]:  # knowledge time: the evidence as it was public then
            ds, known = known_by(ds, _checked_date("--known-by", given["known_by"]))
            G = to_networkx(ds)
        filters = Filters(
            predicates=frozenset(given["predicate"] or ()), exclude_predicates=frozenset(given["exclude_predicate"] or ()),
            via_types=frozenset(given["via_type"] or ()), avoid_types=frozenset(given["avoid_type"] or ()),
            avoid=frozenset(names.resolve(a) for a in given["avoid"] or ()), min_confidence=given["min_confidence"],
            min_reliability=given["min_reliability"], statuses=frozenset(given["status"]) if given["status"] else None,
            at=given["at"], date_from=given["date_from"], date_to=given["date_to"],
            max_tlp=given["max_tlp"].upper() if given["max_tlp"] else None,
            directed=given["directed"], via_context=given["via_context"], include_undated=given["include_undated"],
            known_by=given["known_by"])
        cf = filters.compile(G, ds.ontology)
        ctx = _Query(ds, G, names, cf, known)
        for line in ctx.notes():
            err.print(line, markup=False)
        return func(ctx=ctx, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=own + options)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + options}
    return wrapper


def _checked_date(option: str, value: str) -> str:
    try:
        return check_date(value) or value
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


class _Query:
    def __init__(self, ds: Dataset, G, names: NameIndex, cf, known: KnownByReport | None = None) -> None:
        self.ds, self.G, self.names, self.cf, self.known = ds, G, names, cf, known

    def notes(self) -> list[str]:
        """What the filters left out (undated claims, later evidence), for stderr and JSON."""
        return self.cf.notes() + (self.known.notes() if self.known else [])

    def query_info(self) -> dict[str, Any]:
        """The filters and what they left out, as JSON data."""
        out: dict[str, Any] = {"filters": self.cf.filters.describe()}
        if self.cf.filters.windowed:
            out["undated_left_out"] = self.cf.undated_left_out
        if self.known:
            out["known_by"] = self.known.to_dict()
        return out

    def name(self, eid: str) -> str:
        return f"{self.ds.entities[eid].name} [{eid}]"


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (schema: docs/query-json.md).")]


def _emit(data: dict[str, Any]) -> None:
    out.print(json.dumps(data, indent=1, ensure_ascii=False), markup=False)


def _say(line: str = "") -> None:
    out.print(line, markup=False)


@app.command()
@reports_errors
@with_filters(index_only=lambda a: a["k"] == 1 and a["max_hops"] is None and not a["credible"])  # shortest paths
def path(ctx: _Query, a: Annotated[str, typer.Argument(metavar="A", help="From (id, name or alias).")],
         b: Annotated[str, typer.Argument(metavar="B", help="To (id, name or alias).")],
         k: Annotated[int, typer.Option("--k", help="The K shortest simple paths.")] = 1,
         max_hops: Annotated[Optional[int], typer.Option("--max-hops", help="Every simple path up to L hops.")] = None,
         limit: Annotated[int, typer.Option("--limit", help="At most this many paths with --max-hops.")] = 100,
         credible: Annotated[bool, typer.Option("--credible", help="The path with the highest product of hop confidences.")] = False,
         as_json: JsonOpt = False) -> None:
    """How are A and B connected, and on what evidence? Every hop lists its claims and citations.

    Example: thbor path "former victims turned recruiters" Cambodia --avoid-type Country
    """
    modes = sum([k != 1, max_hops is not None, credible])
    if modes > 1:
        raise UsageError("choose one of --k, --max-hops and --credible")
    if k < 1 or (max_hops is not None and max_hops < 1) or limit < 1:
        raise UsageError("--k, --max-hops and --limit must be at least 1")
    src, dst = ctx.names.resolve(a), ctx.names.resolve(b)
    if src == dst:
        raise UsageError(f"A and B name the same entity, {ctx.name(src)}")
    if max_hops is not None:
        result = paths_up_to(ctx.G, src, dst, max_hops, ctx.cf, limit)
        mode = "max-hops"
    elif credible:
        p = most_credible_path(ctx.G, src, dst, ctx.cf)
        result, mode = PathResult([p] if p else []), "credible"
    elif k > 1:
        result, mode = PathResult(k_shortest_paths(ctx.G, src, dst, k, ctx.cf)), "k-shortest"
    else:
        p = shortest_path(ctx.G, src, dst, ctx.cf)
        result, mode = PathResult([p] if p else []), "shortest"
    found = [path_evidence(ctx.ds, ctx.G, p, ctx.cf.filters.include_undated) for p in result.paths]
    shared = None if found or ctx.cf.filters.via_context else what_they_share(ctx.G, src, dst, ctx.cf)
    if as_json:
        _emit({"query": {"from": entity_summary(ctx.ds, src), "to": entity_summary(ctx.ds, dst), "mode": mode,
                         **ctx.query_info()},
               "paths": found, "truncated": result.truncated, "message": result.message,
               **({"not_connected": shared} if shared is not None else {})})
    else:
        for i, pe in enumerate(found, 1):
            for line in path_lines(ctx.ds, pe, i):
                _say(line)
            _say()
        if result.message:
            _say(result.message)
    if not found:
        if not as_json:
            _say(no_link(ctx, src, dst, shared))
        raise typer.Exit(NOTHING_FOUND)


def no_link(ctx: _Query, a: str, b: str, shared: dict[str, list[str]] | None) -> str:
    """Why there is no answer: no evidenced link, and what the two share instead."""
    if not shared or not (shared["shared"] or shared["through"]):
        return f"no path from {ctx.name(a)} to {ctx.name(b)} with these filters"
    msg = f"no evidenced link between {ctx.name(a)} and {ctx.name(b)} with these filters"
    if shared["shared"]:
        msg += "; both are linked to " + _and(role_text(ctx.ds, n) for n in shared["shared"])
    if shared["through"]:
        return msg + "; a path exists only through " + _and(role_text(ctx.ds, n) for n in shared["through"]) + \
            "; use --via-context to see those paths"
    return msg + ", which is no link; no path exists even through them with these filters"


def _and(items: Any) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@app.command(name="neighbors")
@reports_errors
@with_filters
def neighbors_cmd(ctx: _Query, x: Annotated[str, typer.Argument(help="The entity (id, name or alias).")],
                  hops: Annotated[int, typer.Option("--hops", help="How far to look.")] = 1,
                  as_json: JsonOpt = False) -> None:
    """Entities within N hops of X, and the claims among them.

    Example: thbor neighbors "KK Park" --hops 2
    """
    res = neighbors(ctx.G, ctx.names.resolve(x), hops, ctx.cf)
    mark = ctx.cf.filters.include_undated
    if as_json:
        _emit({"center": res["center"], **ctx.query_info(), "through": res["through"],
               "nodes": [{**entity_summary(ctx.ds, n), "distance": d} for n, d in sorted(res["distance"].items())],
               "claims": [claim_evidence(ctx.ds, ctx.G, c, mark) for c in res["claims"]]})
        return
    for n, d in sorted(res["distance"].items(), key=lambda kv: (kv[1], kv[0])):
        role = ctx.cf.role(n)
        _say(f"{d}  {ctx.name(n)}" + (f"  ({role}: {'passed through' if ctx.cf.node_ok(n) else 'not expanded'})"
                                      if ctx.cf.opaque(n) and n != res["center"] else ""))
    _say(f"{len(res['distance']) - 1} entities within {hops} hop(s), {len(res['claims'])} claims among them")


@app.command(name="connect")
@reports_errors
@with_filters
def connect_cmd(ctx: _Query, entities: Annotated[list[str], typer.Argument(help="Two or more entities.")],
                as_json: JsonOpt = False) -> None:
    """The smallest subgraph connecting several entities (approximate Steiner tree).

    Example: thbor connect group-id-kh-2023-recruiters "KK Park" Hanoi --via-context
    """
    ids = [ctx.names.resolve(e) for e in entities]
    res = connect(ctx.G, ids, ctx.cf)
    mark = ctx.cf.filters.include_undated
    if as_json:
        _emit({**res, **ctx.query_info(), "evidenced": not res["through"],
               "nodes": [entity_summary(ctx.ds, n) for n in res["nodes"]],
               "edges": [{**e, "context_hop": bool({e["from"], e["to"]} & set(res["through"])),
                          "claims": [claim_evidence(ctx.ds, ctx.G, c, mark) for c in e["claims"]]}
                         for e in res["edges"]]})
    else:
        if res["through"]:
            _say("connected through " + _and(role_text(ctx.ds, n) for n in res["through"])
                 + ": not evidence that the entities are linked")
        for e in res["edges"]:
            if {e["from"], e["to"]} & set(res["through"]):
                _say("  [context/concept hop]")
            for c in e["claims"]:
                for line in claim_lines(ctx.ds, claim_evidence(ctx.ds, ctx.G, c), indent="  "):
                    _say(line)
    if res["unreachable"]:
        if not as_json:
            _say("not connected with these filters: " + ", ".join(ctx.name(n) for n in res["unreachable"])
                 + ("" if ctx.cf.filters.via_context else
                    " (by actors and objects; --via-context also passes through context and concept entities)"))
        raise typer.Exit(NOTHING_FOUND)


@app.command(name="common")
@reports_errors
@with_filters
def common_cmd(ctx: _Query, a: Annotated[str, typer.Argument(help="First entity.")],
               b: Annotated[str, typer.Argument(help="Second entity.")], as_json: JsonOpt = False) -> None:
    """Entities linked to both A and B (shared neighbours), with the claims on each side.

    Example: thbor common "former victims turned recruiters" "Indonesian nationals trafficked to Cambodia for kidney removal (2023)"
    """
    res = common_neighbors(ctx.G, ctx.names.resolve(a), ctx.names.resolve(b), ctx.cf)
    links = [r for r in res if r["link"]]
    if as_json:
        _emit({"common": [{**entity_summary(ctx.ds, r["id"]), "claims_a": r["claims_a"], "claims_b": r["claims_b"]}
                          for r in links],
               "shared_context": [{**entity_summary(ctx.ds, r["id"]), "claims_a": r["claims_a"],
                                   "claims_b": r["claims_b"]} for r in res if not r["link"]]})
        if not links:
            raise typer.Exit(NOTHING_FOUND)
        return
    for r in links:
        mark = f" ({r['role']})" if ctx.cf.opaque(r["id"]) else ""
        _say(f"{ctx.name(r['id'])}{mark}: {', '.join(r['claims_a'])} | {', '.join(r['claims_b'])}")
    _say(f"{len(links)} shared neighbour(s)")
    context = [r for r in res if not r["link"]]
    if context:
        _say("both are also linked to " + _and(role_text(ctx.ds, r["id"]) for r in context)
             + ": sharing these is no link (--via-context counts them)")
    if not links:
        raise typer.Exit(NOTHING_FOUND)


@app.command(name="rank")
@reports_errors
@with_filters
def rank_cmd(ctx: _Query, by: Annotated[str, typer.Option("--by", help="degree, betweenness or pagerank.")] = "betweenness",
             type_: Annotated[Optional[list[str]], typer.Option("--type", help="Rank only entities of this type (repeatable).")] = None,
             top: Annotated[int, typer.Option("--top", help="How many to show.")] = 20,
             as_json: JsonOpt = False) -> None:
    """Rank entities by degree, betweenness (who brokers between groups) or pagerank.

    Scores are taken on the concrete graph of actors and objects: countries, practices and laws
    neither rank nor broker unless --via-context.

    Example: thbor rank --by betweenness --type Agent
    """
    unknown = sorted(set(type_ or ()) - set(ctx.ds.ontology.entity_types))
    if unknown:
        raise UsageError(f"--type: unknown entity type(s) {', '.join(unknown)}")
    rows = rank(ctx.G, by, ctx.cf, frozenset(type_ or ()), top)
    if as_json:
        _emit({"by": by, **ctx.query_info(),
               "ranking": [{**entity_summary(ctx.ds, r["id"]), "score": r["score"]} for r in rows]})
        return
    for i, r in enumerate(rows, 1):
        _say(f"{i:>3}  {r['score']:.6f}  {ctx.name(r['id'])}")
    if not rows and not ctx.cf.filters.via_context and set(type_ or ()) & ctx.cf.opaque_t:
        _say("context and concept entities are ranked only with --via-context")


@app.command(name="communities")
@reports_errors
@with_filters
def communities_cmd(ctx: _Query, seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer).")] = 0,
                    resolution: Annotated[float, typer.Option("--resolution", help="Higher gives smaller communities.")] = 1.0,
                    as_json: JsonOpt = False) -> None:
    """Groups of densely connected entities (Louvain, seeded).

    Like rank, on the concrete graph of actors and objects unless --via-context.

    Example: thbor communities --min-confidence 0.1
    """
    found = communities(ctx.G, ctx.cf, seed, resolution)
    if as_json:
        _emit({"communities": [[entity_summary(ctx.ds, n) for n in c] for c in found]})
        return
    for i, c in enumerate(found, 1):
        _say(f"community {i} ({len(c)}): " + "; ".join(ctx.ds.entities[n].name for n in c))


@app.command(name="routes")
@reports_errors
@with_filters
def routes_cmd(ctx: _Query, as_json: JsonOpt = False) -> None:
    """Country-to-country flows of people or organs, with counts and the claims behind them.

    Example: thbor routes --min-reliability D
    """
    rows = routes(ctx.ds, ctx.G, ctx.cf)
    if as_json:
        _emit({"routes": rows})
        return
    for r in rows:
        people = f", {r['people']} people" if r["people"] else ""
        organs = f", organs: {', '.join(r['organs'])}" if r["organs"] else ""
        _say(f"{r['from_name']} ({r['from']}) -> {r['to_name']} ({r['to']}): {len(r['claims'])} claim(s){people}{organs}")
        for c in r["claims"]:
            _say(f"    {c}")


@app.command(name="timeline")
@reports_errors
@with_filters
def timeline_cmd(ctx: _Query, entity: Annotated[Optional[str], typer.Argument(help="Only claims about this entity.")] = None,
                 as_json: JsonOpt = False) -> None:
    """Dated claims in order of valid time (when it happened), each with its knowledge time (when
    its first cited source was published), for the whole graph or one entity.

    Example: thbor timeline "Cambodia" --from 2014 --to 2023
    """
    ids = timeline(ctx.ds, ctx.G, ctx.cf, ctx.names.resolve(entity) if entity else None)
    mark = ctx.cf.filters.include_undated
    if as_json:
        _emit({**ctx.query_info(), "timeline": [claim_evidence(ctx.ds, ctx.G, c, mark) for c in ids]})
        return
    _say(f"{'happened':<21} {'known since':<12} claim")
    for c in ids:
        ev = claim_evidence(ctx.ds, ctx.G, c, mark)
        _say(f"{valid_time_text(ev):<21} {ev.get('known_since') or '?':<12} {ctx.name(ev['subject'])} "
             f"\u2014{ev['predicate']}\u2192 {ctx.name(ev['object'])} ({ev['status']}, {ev['confidence']:.3f})")
