"""The charts of the dossier site: claims by status over time, the country routes, centrality.

Each chart is taken from the answer of a query function, with the filters of the site it is part
of (so from the records that site shows, at its sharing level): the timeline of
:func:`graph.query.network.timeline`, the flows of :func:`graph.query.network.routes` and the
ranking of :func:`graph.query.network.rank` with the defaults of ``thbor rank``. This module only
counts and labels their answers; no rule of which claim counts is written here again.

Every chart is written three times into the site's ``charts/`` folder: the SVG rendered at build
time (:mod:`graph.html.chartspecs`), its Vega-Lite (``.vl.json``) or Vega (``.vg.json``)
specification, and its data as CSV. The charts page shows each SVG inline with a title, a text
description and the table of its data, for readers who cannot see the picture.

The charts hold aggregates only (a count per year and status, per route, the top entities), so
their size does not grow with the data; their cost is that of the three queries (measured in
``docs/charts.md``). They are part of the site, and skipped exactly where the site is.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graph.html.chartspecs import flow_spec, ranking_spec, render_svg, status_colours, timeline_spec
from graph.model.dataset import Dataset
from graph.outputs import atomic_write, cell
from graph.query.filters import Compiled
from graph.query.network import rank, routes, timeline

RANK_BY = "betweenness"  # the defaults of ``thbor rank`` (graph.query.results.Query.rank); a test checks they agree
RANK_TOP = 20
FOLDER = "charts"  # under the site's folder
FLOW_LIMIT = 40  # the flow diagram draws at most this many routes, those with most claims (the table lists all)


@dataclass
class Chart:
    """One chart: what it says in words and as a table, its specification, and its SVG once drawn."""

    name: str  # the stem of its files: charts/<name>.svg, .vl.json or .vg.json, .csv
    title: str
    description: str  # what the chart shows, in words, for readers who cannot see it
    spec: dict[str, Any]
    columns: tuple[str, ...]  # the data table (and CSV) beside the chart
    rows: list[tuple[Any, ...]]
    svg: str = field(default="", repr=False)

    @property
    def spec_file(self) -> str:
        """The file name of its specification: ``.vl.json`` for Vega-Lite, ``.vg.json`` for Vega."""
        return f"{self.name}.{'vg' if 'vega/' in self.spec['$schema'] else 'vl'}.json"

    @property
    def grammar(self) -> str:
        return "Vega" if self.spec_file.endswith(".vg.json") else "Vega-Lite"

    def csv(self) -> str:
        """The table as CSV, every text cell spreadsheet-safe (:func:`graph.outputs.cell`)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([cell(v) for v in row] for row in self.rows)
        return buf.getvalue()


def site_charts(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled) -> list[Chart]:
    """The site's charts, drawn: each from the query answers with the site's filters ``cf``."""
    charts = [status_timeline(ds, G, cf), route_flows(ds, G, cf), centrality(ds, G, cf)]
    for chart in charts:
        chart.svg = render_svg(chart.spec)
    return charts


def write_charts(charts: list[Chart], site_dir: Path) -> list[Path]:
    """Write each chart's SVG, specification and CSV into ``site_dir/charts/``."""
    out = site_dir / FOLDER
    files = []
    for chart in charts:
        spec = json.dumps(chart.spec, indent=1, ensure_ascii=False) + "\n"
        files += [atomic_write(out / f"{chart.name}.svg", chart.svg + "\n"),
                  atomic_write(out / chart.spec_file, spec), atomic_write(out / f"{chart.name}.csv", chart.csv())]
    return files


def status_timeline(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled) -> Chart:
    """Claims of the timeline per year of valid time and status; undated claims counted apart.

    A claim stands at the year its valid time begins, where ``thbor timeline`` orders it. An
    undated claim is evidence about no year, so it is never placed at one: it is counted in a
    panel of its own. Without a time window these are the claims the site shows that have no
    date (the timeline leaves them out); within one, those the timeline keeps with
    ``include_undated``; a window without it leaves them out of the site too, and the chart says
    how many (the filters count them).
    """
    onto = ds.ontology
    order = onto.vocabulary("status").ordered()
    dated: Counter[tuple[str, str]] = Counter()
    undated: Counter[str] = Counter()
    for cid in timeline(ds, G, cf):
        c = ds.claims[cid]
        d = G.edges[c.subject, c.object, cid]
        if d["lo"] is None:
            undated[d["status"]] += 1
        else:  # the year of the day it begins: where the timeline orders it
            dated[(d["lo"][:4], d["status"])] += 1
    if not cf.filters.windowed:  # the timeline has no undated claim: those the site shows, counted here
        for u, v, d in G.edges(data=True):
            if d["lo"] is None and d["hi"] is None and cf.edge_ok(d) \
                    and cf.node_ok(u, endpoint=True) and cf.node_ok(v, endpoint=True):
                undated[d["status"]] += 1
    left_out = cf.undated_left_out if cf.filters.windowed and not cf.filters.include_undated else 0
    statuses = [s for s in order if s in {s for _, s in dated} | set(undated)]
    firsts = sorted(int(y) for y, _ in dated)
    years = [str(y) for y in range(firsts[0], firsts[-1] + 1)] if firsts else []
    n_dated, n_undated = sum(dated.values()), sum(undated.values())
    by_status = Counter({s: n for (_, s), n in dated.items()})
    text = [f"{n_dated} dated claim(s)" + (f" from {years[0]} to {years[-1]}" if years else "")
            + (", by status: " + ", ".join(f"{by_status[s]} {s}" for s in statuses if by_status[s]) if n_dated else "")
            + ", each at the year its valid time begins."]
    if n_undated:
        text.append(f"{n_undated} undated claim(s) (" + ", ".join(f"{undated[s]} {s}" for s in statuses if undated[s])
                    + ") are shown apart, under \u201cno valid time\u201d: they are evidence about no year.")
    if left_out:
        text.append(f"{left_out} undated claim(s) are left out by the time window, as on the rest of the site.")
    if not n_undated and not left_out:
        text.append("No claim shown is undated.")
    contested = onto.contested_statuses & set(statuses)
    if contested:
        text.append(f"Contested statuses ({', '.join(sorted(contested))}) are drawn in red.")
    dashed = sorted(onto.dashed_statuses & set(statuses))
    if dashed:
        text.append(f"Bars of {', '.join(dashed)} claims have a dashed outline, as their edges in the views.")
    rank_of = {s: i for i, s in enumerate(order)}
    title = "Claims by year of valid time and status"
    spec = timeline_spec(
        title=title, description=" ".join(text), years=years, statuses=statuses,
        colours=status_colours(statuses, onto.contested_statuses), dashed=dashed,
        dated=[{"year": y, "status": s, "rank": rank_of[s], "claims": n} for (y, s), n in sorted(dated.items())],
        undated=[{"status": s, "rank": rank_of[s], "claims": undated[s]}
                 for s in statuses if undated[s]])
    rows = [(y, s, n) for (y, s), n in sorted(dated.items(), key=lambda r: (r[0][0], rank_of[r[0][1]]))]
    rows += [("undated", s, undated[s]) for s in statuses if undated[s]]
    if left_out:
        rows.append(("undated, left out by the time window", "", left_out))
    return Chart("timeline", title, " ".join(text), spec, ("year", "status", "claims"), rows)


def route_flows(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled) -> Chart:
    """The country routes of ``thbor routes`` as a flow diagram: a band per route, as wide as its claims."""
    flows = routes(ds, G, cf)
    links: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    for r in flows:
        source, target = _country(r["from_name"], r["from"]), _country(r["to_name"], r["to"])
        n = len(r["claims"])
        said = [f"{n} claim{'s' if n != 1 else ''}"]
        said += [f"{r['people']} people"] if r["people"] else []
        said += [", ".join(r["organs"])] if r["organs"] else []
        carries = ("people and organs" if r["people"] and r["organs"] else "people" if r["people"]
                   else "organs" if r["organs"] else "not specified")
        links.append({"source": source, "target": target, "claims": n, "carries": carries,
                      "label": " \u00b7 ".join(said)})
        rows.append((source, target, n, r["people"] or "", "; ".join(r["organs"]), " ".join(r["claims"])))
    origins = sorted({link["source"] for link in links}, key=_unknown_last)
    destinations = sorted({link["target"] for link in links}, key=_unknown_last)
    if flows:
        claims = sum(link["claims"] for link in links)
        text = (f"{len(flows)} route(s) from {len(origins)} origin(s) to {len(destinations)} destination(s), "
                f"from {claims} claim(s) of flow relations: "
                + "; ".join(f"{link['source']} to {link['target']}, {link['label']}" for link in links[:FLOW_LIMIT])
                + ("" if len(links) <= FLOW_LIMIT else f"; and {len(links) - FLOW_LIMIT} more in the table")
                + ". A band's width is its number of claims; its colour says whether the claims give a count "
                  "of people, the organs, both or neither.")
    else:
        text = "No claim of a flow relation (people or organs moved between countries) is shown."
    drawn = sorted(links, key=lambda link: -link["claims"])[:FLOW_LIMIT]  # stable: route order among equals
    if len(drawn) < len(links):
        text += f" The picture draws the {FLOW_LIMIT} routes with most claims; the table lists all {len(links)}."
        origins = [c for c in origins if any(link["source"] == c for link in drawn)]
        destinations = [c for c in destinations if any(link["target"] == c for link in drawn)]
    title = "Country routes of people and organs"
    spec = flow_spec(title=title, description=text, links=drawn, origins=origins, destinations=destinations)
    return Chart("routes", title, text, spec, ("from", "to", "claims", "people", "organs", "claim ids"), rows)


def centrality(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled) -> Chart:
    """The top entities of ``thbor rank`` (its defaults), each bar in the colour of its class."""
    onto = ds.ontology
    ranked = rank(G, RANK_BY, cf, top=RANK_TOP)
    bars, rows = [], []
    for i, r in enumerate(ranked, 1):
        e = ds.entities[r["id"]]
        look = onto.appearance(e.types)
        bars.append({"rank": i, "entry": f"{i}. {e.name}", "group": look.group, "score": r["score"]})
        rows.append((i, e.name, r["id"], look.group, r["score"]))
    groups = sorted({b["group"] for b in bars})
    zero = sum(1 for r in ranked if r["score"] == 0)
    text = (f"The {len(ranked)} entities with the highest {RANK_BY} centrality on the concrete graph "
            "(actors and objects; countries, practices and laws neither rank nor broker), as thbor rank gives "
            "them, each bar in the colour of the entity's type as in the views.")
    if ranked:
        text += f" First: {ds.entities[ranked[0]['id']].name} ({ranked[0]['score']:g})."
    if zero:
        text += f" {zero} of them score 0: they lie on no shortest path between two others."
    title = f"Centrality: the top {len(ranked)} by {RANK_BY}"
    spec = ranking_spec(title=title, description=text, measure=f"{RANK_BY} centrality", rows=bars, groups=groups,
                        colours=[onto.colour(g) for g in groups])
    return Chart("centrality", title, text, spec, ("rank", "entity", "id", "type", RANK_BY), rows)


def _country(name: str, code: str) -> str:
    """A country as the flow diagram labels it: "Cambodia (KH)", "unknown" for a country not known."""
    return "unknown" if code == "?" else f"{name} ({code})"


def _unknown_last(name: str) -> tuple[bool, str]:
    return name == "unknown", name
