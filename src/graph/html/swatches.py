"""Legend swatches drawn in the shape of the nodes they stand for.

vis-network draws a node as one of its named shapes (``dot``, ``square``, ``triangle``, ...);
the legend of a view and the index of the dossier site draw the same shape as an SVG path in a
box from -1 to 1, so that a swatch looks like the nodes it counts. The paths are computed here
once and reach the page as data, so the view script and the site templates share one drawing.

>>> swatch_path("diamond")
'M0,-1L1,0L0,1L-1,0Z'
"""

from __future__ import annotations

import math

VIEWBOX = "-1.1 -1.1 2.2 2.2"  # the box every path below fits in, with room for the outline


def _polygon(points: list[tuple[float, float]]) -> str:
    def num(v: float) -> str:
        text = f"{v:.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return "M" + "L".join(f"{num(x)},{num(y)}" for x, y in points) + "Z"


def _star() -> list[tuple[float, float]]:
    # as vis-network draws it: ten points, alternately on an outer and an inner circle
    return [((1.0 if i % 2 == 0 else 0.4) * math.sin(i * math.pi / 5),
             -(1.0 if i % 2 == 0 else 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]


_SHAPES = {
    "dot": "M1,0A1,1 0 1 1 -1,0A1,1 0 1 1 1,0Z",
    "square": _polygon([(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)]),
    "triangle": _polygon([(0, -1), (0.95, 0.7), (-0.95, 0.7)]),
    "triangleDown": _polygon([(0, 1), (0.95, -0.7), (-0.95, -0.7)]),
    "diamond": _polygon([(0, -1), (1, 0), (0, 1), (-1, 0)]),
    "hexagon": _polygon([(math.cos(i * math.pi / 3), math.sin(i * math.pi / 3)) for i in range(6)]),
    "star": _polygon(_star()),
}


def swatch_path(shape: str) -> str:
    """The SVG path of a vis-network node shape; a circle for a shape without one here."""
    return _SHAPES.get(shape, _SHAPES["dot"])
