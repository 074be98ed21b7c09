"""The answers of ``thbor serve``: pages for people and JSON equal to the CLI's ``--json``.

Each handler reads its parameters (checked and bounded), asks the library one question under the
server's lock (:meth:`graph.serve.data.Served.answering`) and renders. Errors of the library become
answers with a status (:mod:`graph.serve.app`); every record they could name is at or below the
served level, since nothing above it is loaded.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from graph.errors import LookupProblem, UsageError
from graph.query.dossier import dossier
from graph.query.evidence import entity_summary, role_text
from graph.query.paths import check_endpoints
from graph.query.results import PathAnswer, PathMode, Query, QueryOptions
from graph.serve.data import Served, describe
from graph.serve.entity import PER_PAGE, claim_view, entity_page
from graph.serve.network import MAX_DRAWN, MAX_HOPS, MAX_LISTED, drawing, neighbourhood
from graph.serve.pages import render

MAX_TEXT = 200  # characters of a name or a search
MAX_SUGGESTIONS = 20
MAX_DOSSIER_JSON = 5000  # claims: a larger dossier is paged on its HTML page, whole only by thbor show --json


class TooLarge(Exception):
    """An answer above the server's limits (413): the message says how to get it otherwise."""


def text(request: Request, name: str, *, required: bool = True) -> str:
    """A text parameter, stripped and bounded; :class:`UsageError` when missing or too long."""
    value = request.query_params.get(name, "").strip()
    if required and not value:
        raise UsageError(f"{name} is required", fields=(name,))
    if len(value) > MAX_TEXT:
        raise UsageError(f"{name} is longer than {MAX_TEXT} characters", fields=(name,))
    return value


def number(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter between ``low`` and ``high``."""
    raw = request.query_params.get(name)
    try:
        value = default if raw in (None, "") else int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number", fields=(name,)) from None
    if not low <= value <= high:
        raise UsageError(f"{name} must be between {low} and {high}", fields=(name,))
    return value


def json_answer(data: dict[str, Any], status: int = 200) -> Response:
    """JSON as the CLI prints it (``json.dumps(..., indent=1, ensure_ascii=False)``)."""
    body = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    return Response(body, status, media_type="application/json")


def href(eid: str) -> str:
    return "/entity/" + quote(eid, safe="")


class Handlers:
    """The endpoints over one :class:`Served`."""

    def __init__(self, served: Served):
        self.served = served
        self.onto = served.ds.ontology

    def page(self, kind: str, title: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(render(kind, title=title, level=self.served.level, onto=self.onto, **context), status)

    # pages -----------------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        with self.served.answering():
            counts = describe(self.served)
        return self.page("index", "Search the graph", counts=counts)

    def search(self, request: Request) -> Response:
        query = text(request, "q", required=False)
        with self.served.answering():
            results = self.suggestions(query) if query else []
        return self.page("search", f"Search: {query}" if query else "Search", query=query, results=results)

    def entity(self, request: Request) -> Response:
        eid = request.path_params["eid"]
        page = number(request, "page", 1, 1, 100_000)
        with self.served.answering():
            q = self.served.query()
            d = entity_page(q, eid, page)
            hrefs = {eid: href(eid)}
            groups = []
            for g in d.groups:
                views = []
                for ev in g.claims:
                    hrefs[ev["other"]["id"]] = href(ev["other"]["id"])
                    views.append(claim_view(q, ev, hrefs))
                groups.append({"group": g, "total": d.group_total(g), "claims": views})
        url = d.entity.get("url")
        web = url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
        return self.page("entity", d.entity["name"], dossier=d, groups=groups, web_url=web)

    def network(self, request: Request) -> Response:
        eid = request.path_params["eid"]
        hops = number(request, "hops", 1, 1, MAX_HOPS)
        with self.served.answering():
            q = self.served.query()
            check_endpoints(q.G, q.cf, eid)
            name = q.ds.entities[eid].name
        return self.page("network", f"{name}: neighbourhood", center=eid, hops=hops, max_hops=MAX_HOPS)

    def path(self, request: Request) -> Response:
        form = self.path_form(request)
        if not (form["a"] or form["b"]):
            return self.page("path", "Path search", form=form, answer=None)
        with self.served.answering():
            q, answer = self.path_answer(form)
            views = [self.path_view(q, p) for p in answer.paths]
            why = "" if answer.paths else no_link(q, answer)
        title = f"Path: {answer.source['name']} → {answer.target['name']}"
        return self.page("path", title, form=form, form_query=_form_query(form), answer=answer, views=views,
                         no_link=why)

    # JSON ------------------------------------------------------------------------------------

    def api_search(self, request: Request) -> Response:
        query = text(request, "q")
        with self.served.answering():
            return json_answer({"query": query, "results": self.suggestions(query)})

    def api_show(self, request: Request) -> Response:
        name = text(request, "name")
        with self.served.answering():
            q = self.served.query()
            eid = q.names.resolve(name)
            size = entity_page(q, eid, 1, per_page=1).claim_count
            if size > MAX_DOSSIER_JSON:
                raise TooLarge(f"the dossier has {size} claims, above the limit of {MAX_DOSSIER_JSON} for one answer: "
                               f"its page lists them {PER_PAGE} at a time, and thbor show --json prints them all")
            return json_answer(dossier(q, eid).to_dict())

    def api_neighbors(self, request: Request) -> Response:
        name = text(request, "x")
        hops = number(request, "hops", 1, 1, MAX_HOPS)
        with self.served.answering():
            q = self.served.query()
            found = neighbourhood(q, q.names.resolve(name), hops)
            if len(found.answer.distance) > MAX_LISTED:
                raise TooLarge(f"{len(found.answer.distance)} entities within {hops} hop(s), above the limit of "
                               f"{MAX_LISTED} for one answer: thbor neighbors --json prints them all")
            return json_answer(found.answer.to_dict())

    def api_path(self, request: Request) -> Response:
        form = self.path_form(request)
        with self.served.answering():
            _, answer = self.path_answer(form)
            return json_answer(answer.to_dict(), 200 if answer.paths else 404)

    def api_network(self, request: Request) -> Response:
        eid = text(request, "id")
        hops = number(request, "hops", 1, 1, MAX_HOPS)
        with self.served.answering():
            q = self.served.query()
            found = neighbourhood(q, eid, hops, listed=False)
            draw = drawing(q, found, {n: href(n) for n in found.answer.distance})
        note = f"{draw.entities - 1} entities within {hops} hop(s), {draw.claims} claims among them."
        if draw.capped:
            note += (f" Too many to draw: showing the {draw.drawn_entities} nearest entities (of {draw.entities}, "
                     f"at most {MAX_DRAWN}) and {draw.drawn_claims} of the claims; the entity page lists every claim.")
        note += " Click an entity to open its page."
        return JSONResponse({"note": note, "capped": draw.capped, "data": draw.data})

    # helpers ---------------------------------------------------------------------------------

    def suggestions(self, query: str) -> list[dict[str, Any]]:
        """The entities ``query`` names: the one it resolves to, or the likeliest, best first."""
        ds, names = self.served.ds, self.served.names
        try:
            ids = [names.resolve(query)]
        except LookupProblem as exc:  # several of that name, or none: the likeliest (NameIndex ranks them)
            ids = [i for i, _ in exc.candidates]
        return [entity_summary(ds, i) for i in ids[:MAX_SUGGESTIONS]]

    def path_form(self, request: Request) -> dict[str, Any]:
        params = request.query_params
        avoid = [t for t in params.getlist("avoid_type") if t][:20]
        if any(len(t) > MAX_TEXT for t in avoid):
            raise UsageError("avoid_type is too long", fields=("avoid_type",))
        raw = params.get("min_confidence") or "0"
        try:
            conf = float(raw)
        except ValueError:
            raise UsageError("min_confidence must be a number between 0 and 1", fields=("min_confidence",)) from None
        if not 0 <= conf <= 1:
            raise UsageError("min_confidence must be a number between 0 and 1", fields=("min_confidence",))
        return {"a": text(request, "a", required=False), "b": text(request, "b", required=False),
                "avoid_type": avoid, "min_confidence": conf,
                "via_context": params.get("via_context") in ("1", "true", "on"),
                "directed": params.get("directed") in ("1", "true", "on")}

    def path_answer(self, form: dict[str, Any]) -> tuple[Query, PathAnswer]:
        """``thbor path A B`` with the form's filters, at the served level (the shortest path)."""
        if not form["a"] or not form["b"]:
            raise UsageError("a and b are both required", fields=("a", "b"))
        options = QueryOptions(avoid_types=tuple(form["avoid_type"]) or None, min_confidence=form["min_confidence"],
                               via_context=form["via_context"], directed=form["directed"])
        q = self.served.query(options)
        return q, q.path(form["a"], form["b"], PathMode())

    def path_view(self, q: Query, p: dict[str, Any]) -> dict[str, Any]:
        names = {n["id"]: n["name"] for n in p["nodes"]}
        hrefs = {n: href(n) for n in names}
        hops = [{"from_name": names[h["from"]], "to_name": names[h["to"]],
                 "claims": [{**claim_view(q, ev, hrefs), "context_hop": h["context_hop"]} for ev in h["claims"]]}
                for h in p["hops"]]
        return {**p, "hop_views": hops, "through_text": "; ".join(role_text(q.ds, n) for n in p["through"])}


def no_link(q: Query, answer: PathAnswer) -> str:
    """Why there is no path, as ``thbor path`` says it: no evidenced link, and what the two share instead."""
    a, b, shared = answer.source["id"], answer.target["id"], answer.not_connected
    if not shared or not (shared["shared"] or shared["through"]):
        return f"no path from {q.name(a)} to {q.name(b)} with these filters"
    msg = f"no evidenced link between {q.name(a)} and {q.name(b)} with these filters"
    if shared["shared"]:
        msg += "; both are linked to " + _and([role_text(q.ds, n) for n in shared["shared"]])
    if shared["through"]:
        return msg + "; a path exists only through " + _and([role_text(q.ds, n) for n in shared["through"]]) + \
            "; tick “also through context and concept entities” to see those paths"
    return msg + ", which is no link; no path exists even through them with these filters"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _form_query(form: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"a": form["a"], "b": form["b"]}
    if form["avoid_type"]:
        out["avoid_type"] = form["avoid_type"]
    if form["min_confidence"]:
        out["min_confidence"] = form["min_confidence"]
    out.update({k: "1" for k in ("via_context", "directed") if form[k]})
    return out
