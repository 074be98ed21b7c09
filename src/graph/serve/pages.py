"""The pages of ``thbor serve``: autoescaped Jinja templates and the static files they load.

Pages look like the dossier site (its stylesheet) and draw networks with the views' script and the
vis-network bundled with pyvis (:func:`graph.html.views.vis_network_js`): nothing is fetched from
another host. Every value reaches a page through autoescaping, or as JSON in a
``<script type="application/json">`` block made by :func:`graph.html.views.json_for_script`.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from graph.html.views import json_for_script, line_styles, vis_network_js
from graph.model.ontology import Ontology

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
       "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""The site pages' policy, but for what a server needs: forms and the page's own JSON (``'self'``)."""

ASSETS = {  # name -> (package, media type)
    "site.css": ("graph.html", "text/css"),
    "view.js": ("graph.html", "text/javascript"),
    "serve.css": ("graph.serve", "text/css"),
    "serve.js": ("graph.serve", "text/javascript"),
}


def _template_text(name: str) -> str:
    return (resources.files("graph.serve") / "templates" / name).read_text(encoding="utf-8")


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          loader=jinja2.FunctionLoader(_template_text))
_ENV.filters["q"] = lambda value: quote(str(value), safe="")  # a path segment
_ENV.filters["qs"] = lambda params: urlencode(params, doseq=True)  # a query string
_ENV.filters["json_script"] = json_for_script


@functools.cache
def asset(name: str) -> tuple[bytes, str]:
    """A static file's bytes and media type; KeyError for a name that is not one."""
    if name == "vis-network.min.js":
        return vis_network_js().encode("utf-8"), "text/javascript"
    package, media = ASSETS[name]
    return (resources.files(package) / "templates" / name).read_bytes(), media


def render(kind: str, *, title: str, level: str, onto: Ontology, **context: Any) -> str:
    """A page of ``kind`` (index, search, entity, network, path, error) with the sharing level in its header."""
    page = _ENV.get_template("page.html.j2")
    return page.render(kind=kind, title=title, level=level, styles=line_styles(onto),
                       types=sorted(onto.entity_types), **context)
