"""The Vega-Lite and Vega specifications of the site's charts, and their rendering to SVG.

A specification is plain data (what https://vega.github.io/editor opens as it is), built here
from rows that :mod:`graph.html.charts` takes from the query library; this module decides only
how the rows are drawn, never which claims count. The specs are rendered at build time by
`vl-convert <https://github.com/vega/vl-convert>`_, which runs the Vega and Vega-Lite JavaScript
it bundles in its own engine: the SVG it gives needs no script in the page (the site's
``script-src 'self'`` stays as it is), carries every value inline and is refused any request
(``allowed_base_urls=[]``). The same spec gives the same bytes on every run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from graph.errors import OutputError

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
VEGA = "https://vega.github.io/schema/vega/v5.json"
CONFIG = {"font": "sans-serif", "background": "white", "view": {"stroke": None}}
# Statuses the ontology does not colour: the confirmed grades in blues that darken with rank, the contested
# ones (thb:contested) in the red the site and the views mark them with.
BLUES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
REDS = ("#c0392b", "#7b241c", "#e6786a")
FLOW_COLOURS = {"people and organs": "#882255", "people": "#0072B2", "organs": "#D55E00", "not specified": "#999999"}
BAND, MORE = 12, 14  # a band of the flow diagram: its least width (px), and what the route with most claims adds
DASH = [3, 2]  # the outline of a bar of a status the ontology draws dashed (thb:dashed)


def status_colours(statuses: list[str], contested: frozenset[str]) -> list[str]:
    """One colour per status in the order given: blues by rank for the others, reds for the contested.

    >>> status_colours(["alleged", "reported", "disputed"], frozenset({"disputed"}))
    ['#deebf7', '#08306b', '#c0392b']
    """
    plain = [s for s in statuses if s not in contested]
    step = (len(BLUES) - 1) / max(len(plain) - 1, 1)
    blues = {s: BLUES[round(i * step)] for i, s in enumerate(plain)}
    reds = {s: REDS[i % len(REDS)] for i, s in enumerate(s for s in statuses if s in contested)}
    return [blues.get(s) or reds[s] for s in statuses]


def timeline_spec(*, title: str, description: str, years: list[str], dated: list[dict[str, Any]],
                  undated: list[dict[str, Any]], statuses: list[str], colours: list[str],
                  dashed: list[str]) -> dict[str, Any]:
    """Stacked bars of claims per year of valid time by status; undated claims counted in a panel of their own.

    ``dated`` rows have ``year``, ``status``, ``rank`` (the status's) and ``claims``; ``undated``
    rows the same without a year: they stand apart, as counts in words, never on the year axis.
    """
    def panel(rows: list[dict[str, Any]], x: dict[str, Any], width: int) -> dict[str, Any]:
        return {"width": width, "height": 220, "data": {"values": rows},
                "mark": {"type": "bar", "stroke": "#333333", "strokeWidth": 0.6},
                "encoding": {
                    "x": x,
                    "y": {"field": "claims", "type": "quantitative", "stack": "zero", "title": "claims",
                          "axis": {"tickMinStep": 1, "format": "d"}},
                    "color": {"field": "status", "type": "nominal", "title": "status",
                              "scale": {"domain": statuses, "range": colours}},
                    "order": {"field": "rank", "type": "quantitative"},
                    "strokeDash": dash}}

    dash = {"condition": {"test": {"field": "status", "oneOf": dashed}, "value": DASH}, "value": [1, 0]}

    angle = 0 if len(years) <= 12 else -90
    panels = [panel(dated, {"field": "year", "type": "ordinal", "title": "year its valid time begins",
                            "scale": {"domain": years}, "axis": {"labelAngle": angle}},
                    max(240, 24 * len(years)))]
    if undated:  # a count per status in words beside a swatch, not a bar: no year, and no scale shared with them
        total = sum(row["claims"] for row in undated)
        rows = [{**row, "text": f"{row['claims']} {row['status']}"} for row in undated]
        y = {"field": "status", "type": "nominal", "sort": {"field": "rank", "op": "min"}, "axis": None}
        color = {"field": "status", "type": "nominal", "scale": {"domain": statuses, "range": colours}}
        panels.append({"width": 110, "height": min(220, 24 * len(rows)), "data": {"values": rows},
                       "title": {"text": f"undated: {total}", "subtitle": "no valid time, no year",
                                 "fontSize": 12, "anchor": "start"},
                       "encoding": {"y": y},
                       "layer": [{"mark": {"type": "square", "size": 120, "stroke": "#333333", "strokeWidth": 0.6,
                                           "opacity": 1},
                                  "encoding": {"x": {"value": 6}, "color": color, "strokeDash": dash}},
                                 {"mark": {"type": "text", "align": "left", "fontSize": 12},
                                  "encoding": {"x": {"value": 18}, "text": {"field": "text"}}}]})
    return {"$schema": VEGA_LITE, "title": {"text": title, "anchor": "start"}, "description": description,
            "config": CONFIG, "hconcat": panels, "spacing": 30,
            "resolve": {"scale": {"y": "independent", "color": "shared", "strokeDash": "shared"}}}


def flow_spec(*, title: str, description: str, links: list[dict[str, Any]], origins: list[str],
              destinations: list[str]) -> dict[str, Any]:
    """A two-column flow diagram (Vega), Sankey-like: origin countries left, destinations right.

    ``links`` rows have ``source``, ``target`` (country names as in ``origins`` and
    ``destinations``, which give the order down each side), ``claims`` (the band's width),
    ``carries`` (a key of :data:`FLOW_COLOURS`) and ``label``, written on the band where it leaves
    its origin. The bands of a country are stacked along its bar, as in a Sankey diagram.
    """
    most = max((row["claims"] for row in links), default=1)

    def thick(n: int) -> float:  # as the "w" formula below, to make room for the stacked bands
        return BAND + MORE * n / most

    def side(key: str, names: list[str]) -> float:  # room for the country with most bands, on every row
        return len(names) * (max((sum(thick(r["claims"]) for r in links if r[key] == n) for n in names),
                                 default=0) + 14)

    height = round(max(120, side("source", origins), side("target", destinations)))
    rows = [{**r, "si": origins.index(r["source"]), "ti": destinations.index(r["target"])} for r in links]

    def stacked(end: str, scale: str, order: str, y: str) -> list[dict[str, Any]]:
        """Each band's place along its country's bar: stacked in the order of the other side."""
        return [{"type": "stack", "groupby": [end], "field": "w", "sort": {"field": order}, "as": [f"{y}0", f"{y}1"]},
                {"type": "joinaggregate", "groupby": [end], "fields": ["w"], "ops": ["sum"], "as": [f"{y}total"]},
                {"type": "formula", "as": y, "expr": f"scale('{scale}', datum.{end}) + bandwidth('{scale}') / 2"
                                                     f" - datum.{y}total / 2 + (datum.{y}0 + datum.{y}1) / 2"}]

    def column(end: str, scale: str, x: str, align: str, dx: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One column of countries: a bar as high as its bands, the name beside it, and its data."""
        data = {"name": f"{scale}-totals", "source": "links", "transform": [
            {"type": "aggregate", "groupby": [end], "fields": ["w"], "ops": ["sum"], "as": ["total"]}]}
        y = {"scale": scale, "field": end, "band": 0.5}
        return [{"type": "rect", "from": {"data": data["name"]}, "interactive": False,
                 "encode": {"enter": {"xc": {"signal": x}, "width": {"value": 8}, "yc": y,
                                      "height": {"field": "total"}, "fill": {"value": "#263238"}}}},
                {"type": "text", "from": {"data": data["name"]}, "interactive": False,
                 "encode": {"enter": {"x": {"signal": f"{x} + ({dx})"}, "y": y, "text": {"field": end},
                                      "align": {"value": align}, "baseline": {"value": "middle"},
                                      "fontSize": {"value": 12}, "fill": {"value": "#1a1a1a"}}}}], data

    left, left_data = column("source", "origins", "0", "right", -10)
    right, right_data = column("target", "destinations", "width", "left", 10)
    carried = [c for c in FLOW_COLOURS if any(row["carries"] == c for row in links)]
    label = {"x": {"value": 10}, "y": {"field": "sy"}, "text": {"field": "label"}, "align": {"value": "left"},
             "baseline": {"value": "middle"}, "fontSize": {"value": 10}, "fill": {"value": "#1a1a1a"}}
    return {
        "$schema": VEGA, "description": description, "width": 440, "height": height, "padding": 8,
        "autosize": "pad", "background": "white", "config": {"text": {"font": "sans-serif"}},
        "title": {"text": title, "anchor": "start", "font": "sans-serif"},
        "data": [{"name": "links", "values": rows, "transform": [
                     {"type": "formula", "as": "w", "expr": f"{BAND} + {MORE} * datum.claims / {most}"},
                     *stacked("source", "origins", "ti", "sy"), *stacked("target", "destinations", "si", "ty"),
                     {"type": "formula", "as": "sx", "expr": "4"}, {"type": "formula", "as": "tx", "expr": "width - 4"},
                     {"type": "linkpath", "orient": "horizontal", "shape": "diagonal",
                      "sourceX": "sx", "sourceY": "sy", "targetX": "tx", "targetY": "ty"}]},
                 left_data, right_data],
        "scales": [
            {"name": "origins", "type": "band", "domain": origins, "range": "height", "padding": 0.05},
            {"name": "destinations", "type": "band", "domain": destinations, "range": "height", "padding": 0.05},
            {"name": "carries", "type": "ordinal", "domain": carried, "range": [FLOW_COLOURS[c] for c in carried]}],
        "legends": [{"fill": "carries", "title": "what the claims say moved", "orient": "bottom",
                     "direction": "horizontal", "symbolType": "square"}] if carried else [],
        "marks": [
            {"type": "path", "from": {"data": "links"}, "interactive": False, "encode": {"enter": {
                "path": {"field": "path"}, "stroke": {"scale": "carries", "field": "carries"},
                "strokeOpacity": {"value": 0.5}, "strokeWidth": {"signal": "datum.w - 1"}}}},
            *left, *right,
            {"type": "text", "from": {"data": "links"}, "interactive": False,  # a white halo, then the label
             "encode": {"enter": {**label, "stroke": {"value": "white"}, "strokeWidth": {"value": 3}}}},
            {"type": "text", "from": {"data": "links"}, "interactive": False, "encode": {"enter": label}}]}


def ranking_spec(*, title: str, description: str, measure: str, rows: list[dict[str, Any]],
                 groups: list[str], colours: list[str]) -> dict[str, Any]:
    """Horizontal bars of a ranking, best first, each in the colour of the entity's class.

    ``rows`` have ``rank``, ``entry`` ("1. name", unique), ``group`` (the legend group of the
    entity, one of ``groups``, whose colours are ``colours``) and ``score``.
    """
    # sorted by a field, never by a list of names: Vega-Lite writes such a list into an expression
    y = {"field": "entry", "type": "nominal", "title": None, "sort": {"field": "rank", "op": "min"},
         "axis": {"labelLimit": 300, "labelFontSize": 11}}
    return {"$schema": VEGA_LITE, "title": {"text": title, "anchor": "start"}, "description": description,
            "config": CONFIG, "width": 320, "height": {"step": 20}, "data": {"values": rows},
            "encoding": {"y": y, "x": {"field": "score", "type": "quantitative", "title": measure}},
            "layer": [
                {"mark": {"type": "bar", "stroke": "#555555", "strokeWidth": 0.5},
                 "encoding": {"color": {"field": "group", "type": "nominal", "title": "type",
                                        "scale": {"domain": groups, "range": colours},
                                        "legend": {"orient": "bottom", "columns": 4}}}},
                {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
                 "encoding": {"text": {"field": "score", "type": "quantitative", "format": ".4~g"}}}]}


def render_svg(spec: dict[str, Any]) -> str:
    """The spec drawn as SVG by vl-convert, with no request to any host, and checked by :func:`check_svg`."""
    import vl_convert as vlc  # a compiled engine: loaded only when charts are drawn

    draw = vlc.vega_to_svg if spec["$schema"] == VEGA else vlc.vegalite_to_svg
    try:
        svg = draw(spec, allowed_base_urls=[])
    except ValueError as exc:  # what vl-convert raises when Vega fails
        raise OutputError(f"the chart {spec['title']['text']!r} could not be drawn: {exc}") from None
    return check_svg(svg, spec["title"]["text"])


def check_svg(svg: str, title: str) -> str:
    """``svg`` when it is well-formed and holds nothing that could run or fetch; :class:`OutputError` if not.

    The SVG goes into the page as markup: vl-convert escapes every text it draws, and this check
    refuses a ``script``, ``foreignObject``, ``a``, ``use``, ``image`` or ``iframe`` element and
    any ``on...`` or ``href`` attribute, so that not even a change of its output could bring script
    or a request into the site.

    >>> check_svg('<svg xmlns="http://www.w3.org/2000/svg"><text>a &lt;b&gt;</text></svg>', "t")[:4]
    '<svg'
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise OutputError(f"the chart {title!r} is not well-formed SVG: {exc}") from None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        names = [a.rsplit("}", 1)[-1].lower() for a in el.attrib]
        if tag in ("script", "foreignObject", "a", "use", "image", "iframe") \
                or any(n.startswith("on") or n == "href" for n in names):
            raise OutputError(f"the chart {title!r} holds a {tag} element or an active attribute")
    return svg
