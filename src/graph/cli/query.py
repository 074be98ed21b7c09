"""The query commands of ``thbor``: path, neighbors, connect, common, rank, communities, routes, timeline.

Each parses its options and asks one question of a :class:`~graph.query.results.Query`, which
:func:`with_filters` opens by the one rule of :mod:`graph.workspace` (case files, the workspace
store or a shared SPARQL store); ``--json`` prints the answer's ``to_dict()``. Entities are named
by id, name or alias; data files come from ``--data`` (default ``./data``).

Exit codes: 0 found, 1 bad input (files, unknown or ambiguous names), 2 wrong usage
(unknown option, contradictory filters), 3 nothing found (no path).
"""

from __future__ import annotations

import functools
import inspect
import json
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from graph.cli._app import (
    FLAGS,
    _ontology,
    app,
    as_flags,
    contested,
    err,
    opaque_classes,
    out,
    reports_errors,
    vocabulary,
    warn,
)
from graph.query.evidence import claim_lines, path_lines, role_text, valid_time_text
from graph.query.results import PathMode, Query, QueryOptions
from graph.workspace import DEFAULT_STORE, Workspace

NOTHING_FOUND = 3


def _opt(*names: str, help: str, kind: Any = Optional[list[str]], default: Any = None,
         param: str | None = None) -> inspect.Parameter:
    if param:  # the library names the field, the command line the flag
        FLAGS[param] = names[0]
    return inspect.Parameter(param or names[0].lstrip("-").replace("-", "_"), inspect.Parameter.KEYWORD_ONLY,
                             default=default, annotation=Annotated[kind, typer.Option(*names, help=help)])


# parameters named as the fields of QueryOptions, which they fill
FILTER_OPTIONS = [
    _opt("--predicate", help="Use only claims with this predicate (repeatable).", param="predicates"),
    _opt("--exclude-predicate", help="Never use claims with this predicate (repeatable).", param="exclude_predicates"),
    _opt("--via-type", help="Intermediate entities must have this type or a subtype (repeatable).", param="via_types"),
    _opt("--avoid-type", help="Never pass through entities of this type or a subtype, e.g. Country (repeatable).",
         param="avoid_types"),
    _opt("--avoid", help="Never pass through this entity (id, name or alias; repeatable)."),
    _opt("--min-confidence", help="Use only claims with at least this confidence (0..1).", kind=float, default=0.0),
    _opt("--min-reliability", help=f"Use only claims with a citation graded at least this "
                                   f"({vocabulary('reliability')}).", kind=Optional[str]),
    _opt("--status", help=f"Use only claims with this status ({vocabulary('status')}; repeatable; default: all "
                          f"but {contested()}).",
         param="statuses"),
    _opt("--via-context", help=f"Also pass through context and concept entities ({opaque_classes()}); "
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
    _opt("--max-tlp", help=f"Use only records at or below this sharing level ({vocabulary('tlp')}).",
         kind=Optional[str]),
    _opt("--directed", help="Follow claims from subject to object only (default: either way).", kind=bool,
         default=False),
]

STORE_OPTIONS = [
    _opt("--data", help="Case files or folders to read (repeatable; default ./data).",
         kind=Optional[list[Path]]),
    _opt("--store", help="Workspace store written by thbor build (read when it matches the inputs), or a shared "
                         "store: sparql+http(s)://host/query?graph=IRI.", kind=str, default=DEFAULT_STORE),
    _opt("--no-store", help="Read the case files even when a matching store exists.", kind=bool, default=False,
         param="no_store"),
]


def with_filters(func: Callable[..., Any] | None = None, *,
                 index_only: Callable[[dict[str, Any]], bool] | None = None) -> Any:
    """Add the shared filter and store options to a command; it receives the :class:`Query` as ``ctx``.

    The query is opened by :meth:`graph.workspace.Workspace.query`. ``index_only`` (a test on
    the command's arguments) says when the array index and records read on demand suffice,
    which is what makes a cold query on a large store fast.
    """
    if func is None:
        return functools.partial(with_filters, index_only=index_only)
    options = FILTER_OPTIONS + STORE_OPTIONS
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)  # resolve the string annotations
    own = [p.replace(annotation=hints[p.name]) for p in sig.parameters.values() if p.name != "ctx"]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        given = {p.name: kwargs.pop(p.name) for p in FILTER_OPTIONS}
        where = Workspace(kwargs.pop("data"), _ontology(), kwargs.pop("store"), not kwargs.pop("no_store"))
        with as_flags(known_by="--known-by"):
            ctx = where.query(QueryOptions(**given), index_only=bool(index_only and index_only(kwargs)), warn=warn)
        for line in ctx.notes():
            err.print(line, markup=False)
        return func(ctx=ctx, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=own + options)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + options}
    return wrapper


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (schema: docs/query-json.md).")]


def _emit(data: dict[str, Any]) -> None:
    out.print(json.dumps(data, indent=1, ensure_ascii=False), markup=False)


def _say(line: str = "") -> None:
    out.print(line, markup=False)


@app.command()
@reports_errors
@with_filters(index_only=lambda a: a["k"] == 1 and a["max_hops"] is None and not a["credible"])  # shortest paths
def path(ctx: Query, a: Annotated[str, typer.Argument(metavar="A", help="From (id, name or alias).")],
         b: Annotated[str, typer.Argument(metavar="B", help="To (id, name or alias).")],
         k: Annotated[int, typer.Option("--k", help="The K shortest simple paths.")] = 1,
         max_hops: Annotated[Optional[int], typer.Option("--max-hops", help="Every simple path up to L hops.")] = None,
         limit: Annotated[int, typer.Option("--limit", help="At most this many paths with --max-hops.")] = 100,
         credible: Annotated[bool, typer.Option(
             "--credible", help="The path with the highest product of hop confidences.")] = False,
         as_json: JsonOpt = False) -> None:
    """How are A and B connected, and on what evidence? Every hop lists its claims and citations.

    Example: thbor path "former victims turned recruiters" Cambodia --avoid-type Country
    """
    with as_flags(k="--k", max_hops="--max-hops", limit="--limit", credible="--credible"):
        mode = PathMode(k, max_hops, limit, credible)
    answer = ctx.path(a, b, mode)
    if as_json:
        _emit(answer.to_dict())
    else:
        for i, pe in enumerate(answer.paths, 1):
            for line in path_lines(ctx.ds, pe, i):
                _say(line)
            _say()
        if answer.message:
            _say(answer.message)
    if not answer.paths:
        if not as_json:
            _say(no_link(ctx, answer.source["id"], answer.target["id"], answer.not_connected))
        raise typer.Exit(NOTHING_FOUND)


def no_link(ctx: Query, a: str, b: str, shared: dict[str, list[str]] | None) -> str:
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


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


@app.command(name="neighbors")
@reports_errors
@with_filters
def neighbors_cmd(ctx: Query, x: Annotated[str, typer.Argument(help="The entity (id, name or alias).")],
                  hops: Annotated[int, typer.Option("--hops", help="How far to look.")] = 1,
                  as_json: JsonOpt = False) -> None:
    """Entities within N hops of X, and the claims among them.

    Example: thbor neighbors "KK Park" --hops 2
    """
    answer = ctx.neighbors(x, hops)
    if as_json:
        _emit(answer.to_dict())
        return
    for n, d in sorted(answer.distance.items(), key=lambda kv: (kv[1], kv[0])):
        role = ctx.cf.role(n)
        _say(f"{d}  {ctx.name(n)}" + (f"  ({role}: {'passed through' if ctx.cf.node_ok(n) else 'not expanded'})"
                                      if ctx.cf.opaque(n) and n != answer.center else ""))
    _say(f"{len(answer.distance) - 1} entities within {hops} hop(s), {len(answer.claims)} claims among them")


@app.command(name="connect")
@reports_errors
@with_filters
def connect_cmd(ctx: Query, entities: Annotated[list[str], typer.Argument(help="Two or more entities.")],
                as_json: JsonOpt = False) -> None:
    """The smallest subgraph connecting several entities (approximate Steiner tree).

    Example: thbor connect group-id-kh-2023-recruiters "KK Park" Hanoi --via-context
    """
    answer = ctx.connect(entities)
    if as_json:
        _emit(answer.to_dict())
    else:
        if answer.through:
            _say("connected through " + _and(role_text(ctx.ds, n) for n in answer.through)
                 + ": not evidence that the entities are linked")
        for e in answer.edges:
            if answer.context_hop(e):
                _say("  [context/concept hop]")
            for c in e["claims"]:
                for line in claim_lines(ctx.ds, ctx.claim(c, mark_undated=False), indent="  "):
                    _say(line)
    if answer.unreachable:
        if not as_json:
            _say("not connected with these filters: " + ", ".join(ctx.name(n) for n in answer.unreachable)
                 + ("" if ctx.cf.filters.via_context else
                    " (by actors and objects; --via-context also passes through context and concept entities)"))
        raise typer.Exit(NOTHING_FOUND)


@app.command(name="common")
@reports_errors
@with_filters
def common_cmd(ctx: Query, a: Annotated[str, typer.Argument(help="First entity.")],
               b: Annotated[str, typer.Argument(help="Second entity.")], as_json: JsonOpt = False) -> None:
    """Entities linked to both A and B (shared neighbours), with the claims on each side.

    Example: thbor common "former victims turned recruiters" "Indonesian nationals trafficked to Cambodia for kidney removal (2023)"
    """  # noqa: E501 (the example is one command line)
    answer = ctx.common(a, b)
    if as_json:
        _emit(answer.to_dict())
        if not answer.links:
            raise typer.Exit(NOTHING_FOUND)
        return
    for r in answer.links:
        mark = f" ({r['role']})" if ctx.cf.opaque(r["id"]) else ""
        _say(f"{ctx.name(r['id'])}{mark}: {', '.join(r['claims_a'])} | {', '.join(r['claims_b'])}")
    _say(f"{len(answer.links)} shared neighbour(s)")
    if answer.context:
        _say("both are also linked to " + _and(role_text(ctx.ds, r["id"]) for r in answer.context)
             + ": sharing these is no link (--via-context counts them)")
    if not answer.links:
        raise typer.Exit(NOTHING_FOUND)


@app.command(name="rank")
@reports_errors
@with_filters
def rank_cmd(ctx: Query,
             by: Annotated[str, typer.Option("--by", help="degree, betweenness or pagerank.")] = "betweenness",
             type_: Annotated[Optional[list[str]], typer.Option(
                 "--type", help="Rank only entities of this type (repeatable).")] = None,
             top: Annotated[int, typer.Option("--top", help="How many to show.")] = 20,
             as_json: JsonOpt = False) -> None:
    """Rank entities by degree, betweenness (who brokers between groups) or pagerank.

    Scores are taken on the concrete graph of actors and objects: countries, practices and laws
    neither rank nor broker unless --via-context.

    Example: thbor rank --by betweenness --type Agent
    """
    with as_flags(types="--type"):
        answer = ctx.rank(by, type_ or (), top)
    if as_json:
        _emit(answer.to_dict())
        return
    for i, r in enumerate(answer.rows, 1):
        _say(f"{i:>3}  {r['score']:.6f}  {ctx.name(r['id'])}")
    if not answer.rows and not ctx.cf.filters.via_context and set(type_ or ()) & ctx.cf.opaque_t:
        _say("context and concept entities are ranked only with --via-context")


@app.command(name="communities")
@reports_errors
@with_filters
def communities_cmd(ctx: Query,
                    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer).")] = 0,
                    resolution: Annotated[float, typer.Option(
                        "--resolution", help="Higher gives smaller communities.")] = 1.0,
                    as_json: JsonOpt = False) -> None:
    """Groups of densely connected entities (Louvain, seeded).

    Like rank, on the concrete graph of actors and objects unless --via-context.

    Example: thbor communities --min-confidence 0.1
    """
    answer = ctx.communities(seed, resolution)
    if as_json:
        _emit(answer.to_dict())
        return
    for i, c in enumerate(answer.groups, 1):
        _say(f"community {i} ({len(c)}): " + "; ".join(ctx.ds.entities[n].name for n in c))


@app.command(name="routes")
@reports_errors
@with_filters
def routes_cmd(ctx: Query, as_json: JsonOpt = False) -> None:
    """Country-to-country flows of people or organs, with counts and the claims behind them.

    Example: thbor routes --min-reliability D
    """
    answer = ctx.routes()
    if as_json:
        _emit(answer.to_dict())
        return
    for r in answer.rows:
        people = f", {r['people']} people" if r["people"] else ""
        organs = f", organs: {', '.join(r['organs'])}" if r["organs"] else ""
        _say(f"{r['from_name']} ({r['from']}) -> {r['to_name']} ({r['to']}): "
             f"{len(r['claims'])} claim(s){people}{organs}")
        for c in r["claims"]:
            _say(f"    {c}")


@app.command(name="timeline")
@reports_errors
@with_filters
def timeline_cmd(ctx: Query,
                 entity: Annotated[Optional[str], typer.Argument(help="Only claims about this entity.")] = None,
                 as_json: JsonOpt = False) -> None:
    """Dated claims in order of valid time (when it happened), each with its knowledge time (when
    its first cited source was published), for the whole graph or one entity.

    Example: thbor timeline "Cambodia" --from 2014 --to 2023
    """
    answer = ctx.timeline(entity)
    if as_json:
        _emit(answer.to_dict())
        return
    _say(f"{'happened':<21} {'known since':<12} claim")
    for ev in answer.evidence():
        _say(f"{valid_time_text(ev):<21} {ev.get('known_since') or '?':<12} {ctx.name(ev['subject'])} "
             f"\u2014{ev['predicate']}\u2192 {ctx.name(ev['object'])} ({ev['status']}, {ev['confidence']:.3f})")
