"""Interactive HTML network views: one self-contained file, no request to any other host.

pyvis builds the node and edge data (``pyvis.node.Node`` / ``pyvis.edge.Edge``); the page is our
own template (:file:`templates/view.html.j2`, autoescaped) with vis-network, our script and our
styles inlined. Every data value reaches the page as JSON inside a ``<script type=
"application/json">`` block (with ``<``, ``>`` and ``&`` escaped) and is shown with
``textContent``; links are made only for http(s) URLs.

Small views let vis-network's physics settle (straight edges, no improved layout, a short
stabilisation, physics off afterwards); larger ones get positions computed here (igraph's
grid Fruchterman-Reingold, seeded) and draw with physics off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from pyvis.edge import Edge
from pyvis.node import Node

from graph.errors import UsageError
from graph.html.pathing import path_payload
from graph.html.swatches import VIEWBOX, swatch_path
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.records import Claim, date_bounds
from graph.outputs import atomic_write
from graph.query.evidence import claim_evidence
from graph.query.filters import Compiled
from graph.query.knowledge import known_since
from graph.query.network import neighbors
from graph.query.paths import shortest_path, what_they_share
from graph.query.projection import valid_days
from graph.query.results import Query

PHYSICS_LIMIT = 300  # above this many nodes, positions are computed in Python
DEFAULT_MAX_NODES = 5000


@dataclass
class ViewSpec:
    """What a view shows: entities, claims, and what is highlighted."""

    title: str
    nodes: list[str]
    claims: list[str]
    highlight_nodes: list[str] = field(default_factory=list)
    highlight_claims: list[str] = field(default_factory=list)
    level: str = ""  # the sharing level the view was made at ("" when not filtered)
    through: list[str] = field(default_factory=list)  # context/concept entities the view passes through
    statuses: list[str] = field(default_factory=list)  # the claim statuses the view was made with (empty: all)
    mark_undated: bool = False  # undated claims are in it on request (--include-undated): marked


def _spec(cf: Compiled, title: str, nodes: list[str], claims: list[str], *, highlight_nodes: Sequence[str] = (),
          highlight_claims: Sequence[str] = (), through: Sequence[str] = ()) -> ViewSpec:
    """A view made with these filters: its level, statuses and time scope come from them."""
    scope = cf.filters.scope()
    return ViewSpec(title + (f" ({scope})" if scope else ""), nodes, claims, list(highlight_nodes),
                    list(highlight_claims), cf.filters.max_tlp or "", list(through), sorted(cf.statuses),
                    cf.filters.include_undated)


def whole(G: nx.MultiDiGraph, cf: Compiled, title: str = "thbor-graph: overview") -> ViewSpec:
    """Every allowed entity and claim (context and concept entities too: nothing is walked)."""
    idx, edge_ok, _ = cf.masks()
    node_ok = cf.shown_mask()
    nodes = [n for i, n in enumerate(idx.nodes) if node_ok[i]]
    keep = set(nodes)
    claims = [idx.keys[i] for i in range(len(idx.keys))
              if edge_ok[i] and idx.nodes[idx.src[i]] in keep and idx.nodes[idx.dst[i]] in keep]
    return _spec(cf, title, nodes, sorted(claims))


def focus(G: nx.MultiDiGraph, cf: Compiled, center: str, hops: int, *, title: str | None = None) -> ViewSpec:
    """The neighbourhood of one entity, the entity highlighted (context entities passed through listed)."""
    res = neighbors(G, center, hops, cf)
    name = G.nodes[center]["name"]
    title = title or f"{name}: {hops} hop(s)"
    if res["through"]:
        title += " through context: " + ", ".join(G.nodes[n]["name"] for n in res["through"])
    return _spec(cf, title, sorted(res["distance"]), res["claims"], highlight_nodes=[center], through=res["through"])


def path_view(G: nx.MultiDiGraph, cf: Compiled, a: str, b: str) -> ViewSpec | None:
    """A shortest path between two entities, highlighted among its entities' neighbours; None without one.

    Like ``thbor path``, the path passes through context and concept entities only when the
    filters ask for it; then they are listed in ``through`` and their hops drawn as such.
    """
    p = shortest_path(G, a, b, cf)
    if p is None:
        return None
    nodes = set(p.nodes)
    for n in p.nodes:
        if n in (a, b) or cf.node_ok(n):
            nodes |= {m for m in cf.neighbors(n) if cf.shown(m)}
    claims = sorted({k for u in nodes for v, keys in cf.neighbors(u).items() if v in nodes for k in keys})
    path_claims = sorted({k for hop in p.hops for k in hop})
    title = f"Path: {G.nodes[a]['name']} \u2192 {G.nodes[b]['name']} ({len(p)} hops)"
    if p.through:
        title += " through context: " + ", ".join(G.nodes[n]["name"] for n in p.through)
    return _spec(cf, title, sorted(nodes), claims, highlight_nodes=p.nodes, highlight_claims=path_claims,
                 through=p.through)


def country_view(G: nx.MultiDiGraph, cf: Compiled, code: str) -> ViewSpec:
    """Entities of one country (by their country code) and the claims among them."""
    code = code.upper()
    members = {n for n, d in G.nodes(data=True) if d["country"] == code and cf.node_ok(n, endpoint=True)}
    if not members:
        raise UsageError(f"no entity has country {code}")
    claims = sorted({k for u in members for v, keys in cf.neighbors(u).items() if v in members for k in keys})
    return _spec(cf, f"Country {code}", sorted(members), claims)


def payload(ds: Dataset, G: nx.MultiDiGraph, spec: ViewSpec, seed: int = 1, *,
            pathing: bool = False) -> dict[str, Any]:
    """Everything the page needs, as plain data; with ``pathing``, what its path finder and time
    filters read too (:mod:`graph.html.pathing`: pages with controls)."""
    onto = ds.ontology
    looks = {n: onto.appearance(ds.entities[n].types) for n in spec.nodes}
    groups = sorted({look.group for look in looks.values()})
    positions = _layout(G, spec, seed) if len(spec.nodes) > PHYSICS_LIMIT else {}
    hl_nodes, hl_claims, through = set(spec.highlight_nodes), set(spec.highlight_claims), set(spec.through)
    nodes, entities = [], {}
    for n in spec.nodes:
        e = ds.entities[n]
        look = looks[n]
        group = look.group
        label = e.name if len(e.name) <= 40 else e.name[:39] + "\u2026"
        title = f"{e.name}\n{group}" + (f"\nalso: {', '.join(look.others)}" if look.others else "")
        opts: dict[str, Any] = {"title": title, "color": _node_colour(look.colour, look.border), "group_": group}
        if look.border:  # another type's colour, as a border wide enough to see
            opts["borderWidth"] = 3
        if n in positions:
            opts.update(x=positions[n][0], y=positions[n][1], physics=False)
        if n in hl_nodes:
            opts.update(borderWidth=4, highlighted=True)
        nodes.append(Node(n, look.shape, label=label, **opts).options)
        entities[n] = {"name": e.name, "types": list(e.types), "group": group, "tlp": e.tlp,
                       # only a role that keeps it from linking others in paths is worth a line in the panel
                       "role": None if onto.traversable(e.types) else onto.traversal_role(e.types),
                       "aliases": [a.model_dump(exclude_none=True) for a in e.aliases], "country": e.country,
                       "description": e.description, "url": e.url, "merged_from": list(e.merged_from)}
    edges, claims = [], {}
    curves = _parallel_curves(ds, spec.claims)
    for cid in spec.claims:
        ev = claim_evidence(ds, G, cid, spec.mark_undated)
        c = ds.claims[cid]
        symmetric = onto.relations[c.predicate].symmetric
        valid = valid_days(c)  # the first and last day it held (None: open or undated)
        opts = {"id": cid, "width": 1 + 4 * ev["confidence"], "dashes": c.status in onto.dashed_statuses,
                "color": "#c0392b" if c.status in onto.contested_statuses else "#8a8a8a",
                "title": f"{ds.entities[c.subject].name} \u2014{ev['label']}\u2192 {ds.entities[c.object].name}\n"
                         f"{c.status}, confidence {ev['confidence']:.2f}\ngrade {_grades(ev)}",
                "status": c.status, "confidence": ev["confidence"], "lo": _year(valid[0]), "hi": _year(valid[1]),
                "reliability": G.edges[c.subject, c.object, cid]["reliability"],  # as --min-reliability reads it
                "known": _public_from(ds, c)}
        if cid in curves:  # one of several claims between the same two entities: a curve of its own
            opts["smooth"] = curves[cid]
        if cid in hl_claims:
            opts.update(highlighted=True, width=opts["width"] + 3)
        if {c.subject, c.object} & through:
            # a hop through a context or concept entity: dotted, amber unless its status is marked red
            opts.update(context_hop=True, dashes=[10, 4, 2, 4] if c.status in onto.dashed_statuses else [2, 6],
                        title=opts["title"] + "\ncontext/concept hop: not evidence of a link")
            if c.status not in onto.contested_statuses:
                opts["color"] = "#e69f00"
        edge = Edge(c.subject, c.object, directed=not symmetric, **opts).options
        edges.append(edge)
        claims[cid] = ev
    levels = onto.vocabulary("tlp").ordered()
    shown = [entities[n]["tlp"] for n in entities] + [claims[c]["tlp"] for c in claims]
    level = spec.level or (max(shown, key=levels.index) if shown else levels[0])
    return {"title": spec.title, "level": level, "filtered": bool(spec.level), "nodes": nodes, "edges": edges,
            "entities": entities, "claims": claims, "groups": [legend_entry(onto, g) for g in groups],
            "swatch_box": VIEWBOX,
            "physics": not positions,
            "highlight": {"nodes": sorted(hl_nodes), "claims": sorted(hl_claims), "through": sorted(through)},
            "statuses": [s for s in onto.vocabulary("status").ordered() if not spec.statuses or s in spec.statuses],
            "reliabilities": onto.vocabulary("reliability").ordered(), "contested": sorted(onto.contested_statuses),
            "grades": grade_words(onto),
            **({"pathing": path_payload(ds, G, spec.nodes, spec.claims)} if pathing else {})}


# what each part of a grade such as "B2" grades, for the explanation of grade badges
GRADE_PARTS = {"reliability": "source reliability", "credibility": "information credibility"}


def grade_words(onto: Ontology) -> dict[str, dict[str, Any]]:
    """The words of each grade part, from the ontology's vocabularies: pages explain a badge with them."""
    return {part: {"name": name, "labels": {n: c.label for n, c in onto.vocabulary(part).concepts.items()}}
            for part, name in GRADE_PARTS.items()}


def _grades(ev: dict[str, Any]) -> str:
    """The distinct grades of a claim's citations (reliability and credibility), in citation order."""
    grades = [f"{c['reliability']}{c.get('credibility', '')}" for c in ev["citations"]]
    return ", ".join(dict.fromkeys(grades))


def _parallel_curves(ds: Dataset, claim_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """vis-network ``smooth`` options that draw claims between the same two entities apart.

    The k-th claim of a pair (in id order) curves to one side or the other, further out every
    second claim; a claim drawn against the pair's order takes the mirrored curve, so that no two
    coincide whichever way they point. A lone claim keeps the straight line (no entry).
    """
    pairs: dict[tuple[str, str], list[str]] = {}
    for cid in sorted(claim_ids):
        c = ds.claims[cid]
        pairs.setdefault((min(c.subject, c.object), max(c.subject, c.object)), []).append(cid)
    out = {}
    for (first, _), ids in pairs.items():
        if len(ids) < 2:
            continue
        for k, cid in enumerate(ids):
            clockwise = (k % 2 == 0) == (ds.claims[cid].subject == first)
            out[cid] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                        "roundness": round(0.2 * (k // 2 + 1), 2)}
    return out


def _node_colour(colour: str, border: str | None) -> str | dict[str, Any]:
    """vis-network's colour option: the group's colour, and the border in another type's colour if any.

    A plain colour lets vis-network derive the border and the highlight from it; a border of its
    own must be given for every state, or selecting the node would lose it.
    """
    if border is None:
        return colour
    state = {"background": colour, "border": border}
    return {**state, "highlight": dict(state), "hover": dict(state)}


def legend_entry(onto: Ontology, group: str) -> dict[str, str]:
    """A legend group as pages draw it: its name, colour, node shape and the SVG path of that shape."""
    shape = onto.shape(group)
    return {"name": group, "color": onto.colour(group), "shape": shape, "path": swatch_path(shape)}


def _public_from(ds: Dataset, c: Claim) -> str | None:
    """The first day by which a claim is known (YYYY-MM-DD), for the page's "Known by" filter; None: never.

    A claim is kept by :func:`graph.query.knowledge.known_by` on a date when one of its sources was
    public by it (:func:`~graph.query.knowledge.public_by`: the last day its published date stands
    for is on or before the date's last day). So the page keeps it exactly when this day, the last
    day of its earliest published date, is on or before the last day of the date asked for: the
    rule stays here, and the page only compares ISO strings.
    """
    since = known_since(ds, c)
    return date_bounds(since)[1] if since else None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _layout(G: nx.MultiDiGraph, spec: ViewSpec, seed: int) -> dict[str, tuple[float, float]]:
    """Seeded positions for large views (igraph's grid Fruchterman-Reingold: linear per step)."""
    import random

    import igraph

    index = {n: i for i, n in enumerate(spec.nodes)}
    wanted = set(spec.claims)
    pairs = {tuple(sorted((index[u], index[v]))) for u, v, k in G.edges(keys=True)
             if k in wanted and u in index and v in index and u != v}
    g = igraph.Graph(n=len(spec.nodes), edges=sorted(pairs))
    state = random.getstate()
    random.seed(seed)  # igraph draws its initial positions from Python's random module
    try:
        layout = g.layout_fruchterman_reingold(grid=True, niter=300)
    finally:
        random.setstate(state)
    scale = 40.0 * max(1.0, len(spec.nodes) ** 0.5)
    xs, ys = zip(*layout.coords, strict=True) if layout.coords else ((), ())
    span = max(max(xs, default=1) - min(xs, default=0), max(ys, default=1) - min(ys, default=0), 1e-9)
    return {n: (round((x - min(xs)) / span * scale, 1), round((y - min(ys)) / span * scale, 1))
            for n, (x, y) in zip(spec.nodes, layout.coords, strict=True)}


def _asset(name: str) -> str:
    return (resources.files("graph.html") / "templates" / name).read_text(encoding="utf-8")


def vis_network_js() -> str:
    """vis-network's script as shipped inside pyvis (no CDN)."""
    script = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return script.read_text(encoding="utf-8")


def json_for_script(data: Any) -> str:
    """JSON safe inside a <script> element: no ``</script>``, no comment or CDATA openers."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                          loader=jinja2.FunctionLoader(lambda name: _asset(name)))


def _or(words: list[str]) -> str:
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def line_styles(onto: Ontology) -> dict[str, str]:
    """How claims are drawn, in words, from the ontology's status annotations (for the legend note)."""
    return {"dashed": _or(sorted(onto.dashed_statuses)), "contested": _or(sorted(onto.contested_statuses))}


def render_view(data: dict[str, Any], styles: dict[str, str], inline_vis: bool = True, vis_src: str = "") -> str:
    """The page: our template with the data and, by default, every script inlined."""
    template = _ENV.get_template("view.html.j2")
    return template.render(title=data["title"], level=data["level"], data_json=json_for_script(data), styles=styles,
                           css=_asset("view.css"), app_js=_asset("view.js"), path_js=_asset("pathfind.js"),
                           vis_js=vis_network_js() if inline_vis else "", vis_src=vis_src)


@dataclass
class NoEvidencedPath:
    """A path view asked for between two entities that no evidence links (``shared``: what they
    meet at, when context was not allowed)."""

    a: str
    b: str
    shared: dict[str, list[str]] | None


def choose_view(q: Query, *, focus_on: str | None = None, path: tuple[str, str] | None = None,
                case: str | None = None, country: str | None = None, hops: int = 2) -> ViewSpec | NoEvidencedPath:
    """The view a ``thbor view`` asks for: a neighbourhood, a path, a country or the whole graph."""
    if len([x for x in (focus_on, path, case, country) if x]) > 1:
        raise UsageError("choose one of focus, path, case and country", fields=("focus", "path", "case", "country"))
    if focus_on or case:
        return focus(q.G, q.cf, q.names.resolve(focus_on or case or ""), hops)
    if path:
        a, b = q.names.resolve(path[0]), q.names.resolve(path[1])
        found = path_view(q.G, q.cf, a, b)
        if found is None:  # as thbor path says it: no evidenced link, and what the two share
            return NoEvidencedPath(a, b, None if q.cf.filters.via_context else what_they_share(q.G, a, b, q.cf))
        return found
    if country:
        return country_view(q.G, q.cf, country)
    return whole(q.G, q.cf)


def write_view(ds: Dataset, G: nx.MultiDiGraph, spec: ViewSpec, path: Path | str, *,
               max_nodes: int = DEFAULT_MAX_NODES) -> Path:
    """Write one self-contained view; refuse views above ``max_nodes`` entities, and a ``path``
    that exists and is not a regular file."""
    from graph.outputs import check_target  # noqa: PLC0415

    if len(spec.nodes) > max_nodes:
        raise UsageError(f"the view would have {len(spec.nodes)} entities, above the limit of {max_nodes}: "
                         "narrow it with focus, case, country or filters, or raise max_nodes",
                         fields=("focus", "case", "country", "max_nodes"))
    check_target(path)
    return atomic_write(path, render_view(payload(ds, G, spec, pathing=True), line_styles(ds.ontology)))
