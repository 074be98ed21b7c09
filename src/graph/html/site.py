"""The dossier site: plain HTML pages with relative links, readable offline and on paper.

An index (cases, entities by type, sources, a search box), a page per entity (its claims grouped
by relation, each with status, confidence, its number of independent origins, a conflict marker
and citations, and its one-hop network), a page per source (every claim it supports) and a page
of conflicts (``thbor conflicts``: each side with its sources and quotes) and a page of charts
(:mod:`graph.html.charts`: claims over time, the country routes, centrality). Pages are rendered
with autoescaping Jinja templates; scripts and styles are shared files under ``assets/``, nothing
is fetched from elsewhere.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from graph.html.charts import FOLDER, site_charts, write_charts
from graph.html.swatches import VIEWBOX
from graph.html.views import _asset, focus, json_for_script, legend_entry, payload, vis_network_js
from graph.model.dataset import Dataset
from graph.model.disagreement import Conflict, find_conflicts
from graph.model.names import match_key
from graph.model.origins import corroboration
from graph.model.records import cited_sources
from graph.outputs import atomic_write, replaced_folder
from graph.query.evidence import claim_evidence, valid_time_text
from graph.query.filters import Compiled

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          loader=jinja2.FunctionLoader(lambda name: _asset(name)))
NETWORK_LIMIT = 300  # an entity page embeds its network only up to this many entities


@dataclass
class SiteResult:
    out_dir: Path
    pages: int = 0
    files: list[Path] = field(default_factory=list)


def _file(rid: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", rid) + ".html"


def write_site(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled, out_dir: Path | str, *, level: str = "",
               overview: str | None = None) -> SiteResult:
    """Write the whole site into a fresh folder that then replaces ``out_dir`` whole.

    ``overview``, the address of an overview view relative to the site folder (a build's
    ``../views/overview.html``), gives every entity page a link that opens it with the entity as a
    path's start, for the path finding in the page.

    No page of an earlier site stays behind (an entity since withheld, raised to a higher
    sharing level or deleted); ``out_dir`` is replaced only when it is new, empty or an earlier
    site (it holds ``index.html``), see :func:`graph.outputs.replaced_folder`.
    """
    out = Path(out_dir)
    with replaced_folder(out, "index.html") as tmp:
        result = write_site_into(ds, G, cf, tmp, level=level, overview=overview)
    result.out_dir = out
    result.files = [out / f.relative_to(tmp) for f in result.files]
    return result


def write_site_into(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled, out_dir: Path | str, *,
                    level: str = "", overview: str | None = None) -> SiteResult:
    """Write the whole site into ``out_dir``, a new folder (as in a build, itself replaced whole)."""
    out = Path(out_dir)
    result = SiteResult(out)
    levels = ds.ontology.vocabulary("tlp").ordered()
    shown_level = level or max((e.tlp for e in ds.entities.values() if e.tlp), key=levels.index, default=levels[0])
    for name, text in (("vis-network.min.js", vis_network_js()), ("view.js", _asset("view.js")),
                       ("site.css", _asset("site.css")),
                       ("search.js", _asset("search.js"))):
        result.files.append(atomic_write(out / "assets" / name, text))
    page = _ENV.get_template("site.html.j2")
    ent_href = {e: f"entity/{_file(e)}" for e in ds.entities}
    src_href = {s: f"source/{_file(s)}" for s in ds.sources}
    # scope: e.g. a time window or a --known-by date
    common = {"level": shown_level, "scope": cf.filters.scope(), "overview": overview}
    found = find_conflicts(ds)
    marks: dict[str, list[str]] = defaultdict(list)  # claim id -> the kinds of disagreement it is in
    for conflict in found:
        for cid in conflict.claims:
            marks[cid].append(conflict.kind)
    default_stance = ds.ontology.field_defaults.get("stance")

    def claim_view(cid: str, root: str) -> dict[str, Any]:
        ev = claim_evidence(ds, G, cid, cf.filters.include_undated)
        claim = ds.claims[cid]
        cits = []
        for c, record in zip(ev["citations"], claim.citations, strict=True):
            item = {**c, "href": root + src_href[c["source"]],
                    "meta": ", ".join(x for x in (c.get("publisher"), c.get("published"), c.get("locator")) if x),
                    "stance": record.stance if record.stance != default_stance else None,
                    "given": ", ".join(f"{k}: {v}" for k, v in sorted(record.values.items()))}
            if "reports" in c:
                item["reports"] = {**c["reports"], "href": root + src_href[c["reports"]["source"]]}
            item.setdefault("url", None)
            item.setdefault("credibility", None)
            item.setdefault("reports", None)
            cits.append(item)
        quals = ", ".join(f"{k}: {v}" for k, v in sorted((ev.get("qualifiers") or {}).items()))
        return {**ev, "anchor": re.sub(r"[^A-Za-z0-9_-]", "-", cid), "citations": cits, "qualifiers": quals,
                "contested": ev["status"] in ds.ontology.contested_statuses,
                "origins": corroboration(ds, claim), "conflict": ", ".join(dict.fromkeys(marks.get(cid, []))),
                "when": valid_time_text(ev), "note": ev.get("note"),
                "subject_name": ds.entities[ev["subject"]].name, "object_name": ds.entities[ev["object"]].name,
                "subject_href": root + ent_href[ev["subject"]], "object_href": root + ent_href[ev["object"]]}

    def grouped(ids: list[str], root: str) -> list[tuple[str, list[dict[str, Any]]]]:
        by: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cid in sorted(ids):
            c = claim_view(cid, root)
            by[c["label"]].append(c)
        return sorted(by.items())

    claims_of: dict[str, list[str]] = defaultdict(list)
    hidden_statuses = ", ".join(sorted(set(ds.ontology.vocabulary("status").concepts) - cf.statuses))
    hidden: dict[str, int] = defaultdict(int)  # claims left out for their status (by default disputed, refuted)
    shown: set[str] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if cf.edge_ok(d):
            claims_of[u].append(k)
            claims_of[v].append(k)
            shown.add(k)
        elif d["status"] not in cf.statuses:
            hidden[u] += 1
            hidden[v] += 1
    for e in ds.entities.values():
        spec = focus(G, cf, e.id, 1)
        network = len(spec.nodes) <= NETWORK_LIMIT
        data = payload(ds, G, spec) if network else {}
        if network:
            data["links"] = {n: f"../{ent_href[n]}" for n in spec.nodes}
        html = page.render(kind="entity", title=e.name, root="../", entity=e, network=network,
                           data_json=json_for_script(data), claims=grouped(claims_of[e.id], "../"),
                           claim_count=len(claims_of[e.id]), hidden=hidden[e.id],
                           hidden_statuses=hidden_statuses,
                           **common)
        result.files.append(atomic_write(out / ent_href[e.id], html))
    supported: dict[str, list[str]] = defaultdict(list)
    for c in ds.claims.values():
        if c.id in shown:
            for s in cited_sources(c.citations):
                supported[s].append(c.id)
    for source in ds.sources.values():
        via = source.known_via
        kv = {"title": ds.sources[via].title, "href": "../" + src_href[via]} if via else None
        ids = supported[source.id]
        html = page.render(kind="source", title=source.title, root="../", source=source, known_via=kv, network=False,
                           claims=grouped(ids, "../"), claim_count=len(ids), **common)
        result.files.append(atomic_write(out / src_href[source.id], html))
    anchors = {k: f"{ent_href[ds.claims[k].subject]}#claim-{re.sub(r'[^A-Za-z0-9_-]', '-', k)}" for k in shown}
    html = page.render(kind="conflicts", title="Conflicts", root="", network=False, data_json="",
                       conflicts=_conflict_views(ds, found, src_href, ent_href, anchors), **common)
    result.files.append(atomic_write(out / "conflicts.html", html))
    charts = site_charts(ds, G, cf)  # aggregates of the same records and filters as every page
    result.files += write_charts(charts, out)
    html = page.render(kind="charts", title="Charts", root="", network=False, data_json="", charts=charts,
                       folder=FOLDER, **common)
    result.files.append(atomic_write(out / "charts.html", html))
    result.files.append(atomic_write(out / "index.html", _index(ds, page, ent_href, src_href, common=common,
                                                                conflicts=len(found))))
    result.pages = len(ds.entities) + len(ds.sources) + 3
    return result


def _look(ds: Dataset, group: str) -> dict[str, Any]:
    """A swatch as the index draws it: the group's colour in its node shape, as in every view and legend."""
    return {**legend_entry(ds.ontology, group), "box": VIEWBOX}


def _conflict_views(ds: Dataset, found: list[Conflict], src_href: dict[str, str], ent_href: dict[str, str],
                    anchors: dict[str, str]) -> list[dict[str, Any]]:
    """The conflicts as the conflicts page shows them: each claim linked where a page shows it.

    A claim that no entity page shows (a disputed one, left out by default) links to its subject's page.
    """
    views = []
    for n, conflict in enumerate(found, 1):
        claims = [{"id": cid, "status": conflict.statuses.get(cid, ""),
                   "text": f"{ds.entities[c.subject].name} — {ds.ontology.relations[c.predicate].label} → "
                           f"{ds.entities[c.object].name}",
                   "href": anchors.get(cid) or ent_href[c.subject]}
                  for cid in conflict.claims for c in (ds.claims[cid],)]
        sides = [{"says": side.says, "claim": side.claim if len(conflict.claims) > 1 else "",
                  "citations": [{**cit, "href": src_href[cit["source"]]} for cit in side.citations]}
                 for side in conflict.sides]
        views.append({"anchor": f"conflict-{n}", "kind": conflict.kind, "qualifier": conflict.qualifier or "",
                      "claims": claims, "sides": sides})
    return views


def _index(ds: Dataset, page: jinja2.Template, ent_href: dict[str, str], src_href: dict[str, str], *,
           common: dict[str, Any], conflicts: int) -> str:
    onto = ds.ontology
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    cases = []
    for e in ds.entities.values():
        item = {"name": e.name, "href": ent_href[e.id], "aliases": "; ".join(a.name for a in e.aliases),
                "key": " ".join([e.id, e.name, *(a.name for a in e.aliases), match_key(e.name)])}
        groups[onto.view_group(e.types)].append(item)
        if any(onto.classes[t].dossier_view for t in e.types if t in onto.classes):
            cases.append(item)
    sources = [{"title": s.title, "href": src_href[s.id], "reliability": s.reliability, "key": f"{s.id} {s.title}"}
               for s in ds.sources.values()]
    return page.render(kind="index", title="Dossier", root="", network=False, data_json="",
                       counts={"entities": len(ds.entities), "claims": len(ds.claims), "sources": len(ds.sources)},
                       cases=sorted(cases, key=lambda x: x["name"]),
                       groups=sorted((g, sorted(items, key=lambda x: x["name"]), _look(ds, g))
                                     for g, items in groups.items()),
                       sources=sorted(sources, key=lambda x: x["title"]), conflicts=conflicts, **common)
