"""Benchmark: time for a synthetic 2,000- and 10,000-entity view to be drawn and idle in headless Chromium.

Targets: 2,000 entities within 2 s, 10,000 within 5 s (page load to first drawing with physics
off). Baseline named for the ratio: pyvis's default template (``Network.write_html``) on the same
entities and claims, timed until its physics reports the network stabilised (capped at 60 s).

    python benchmarks/views.py [--sizes 2000 10000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from pyvis.network import Network

sys.path.insert(0, str(Path(__file__).parent))
from paths import synthetic_dataset  # noqa: E402

from graph import load_ontology  # noqa: E402
from graph.html.views import ViewSpec, payload, whole, write_view  # noqa: E402
from graph.query.filters import Filters  # noqa: E402
from graph.query.projection import to_networkx  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
CAP = 60.0


def spec_of(n: int) -> tuple:
    onto = load_ontology()
    ds = synthetic_dataset(onto, claims=5 * n, seed=5)  # n entities
    G = to_networkx(ds)
    cf = Filters(statuses=frozenset(onto.vocabulary("status").ordered())).compile(G, onto)
    full = whole(G, cf)
    spec = ViewSpec(f"synthetic {n}", full.nodes, full.claims[: 2 * n])  # two claims per entity on average
    return ds, G, spec


def pyvis_page(ds, G, spec, path: Path) -> None:
    """pyvis's own template and defaults, the data set directly (its add_edge checks are quadratic)."""
    data = payload(ds, G, spec)
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [{"id": n["id"], "label": n["label"], "shape": "dot", "title": n["title"]} for n in data["nodes"]]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [{"from": e["from"], "to": e["to"], "arrows": "to"} for e in data["edges"]]
    net.write_html(str(path), notebook=False)


def time_page(browser, path: Path, ready: str) -> float:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    try:
        page.wait_for_function(ready, timeout=CAP * 1000, polling=50)
        elapsed = time.perf_counter() - t0
    except Exception:  # noqa: BLE001 (a timeout: report the cap)
        elapsed = float("inf")
    context.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    args = ap.parse_args()
    targets = {2000: 2.0, 10000: 5.0}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    ok = True
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        for n in args.sizes:
            ds, G, spec = spec_of(n)
            t0 = time.perf_counter()
            ours = write_view(ds, G, spec, Path(tmp) / f"ours-{n}.html", max_nodes=n)
            t_write = time.perf_counter() - t0
            theirs = Path(tmp) / f"pyvis-{n}.html"
            pyvis_page(ds, G, spec, theirs)
            t_ours = time_page(browser, ours, "window.thborReady === true")
            t_pyvis = time_page(browser, theirs, "typeof network !== 'undefined' && network.physics && "
                                                 "(network.physics.stabilized || !network.physics.physicsEnabled)")
            target = targets.get(n)
            met = target is None or t_ours < target
            ok &= met
            pyvis_text = f"{t_pyvis:.2f} s" if t_pyvis != float("inf") else f"> {CAP:.0f} s"
            ratio = f"{t_pyvis / t_ours:.1f}x faster" if t_pyvis != float("inf") else f"> {CAP / t_ours:.0f}x faster"
            print(f"{n:>6} entities, {len(spec.claims):>6} claims: thbor view {t_ours:.2f} s "
                  f"(file written in {t_write:.1f} s, {ours.stat().st_size / 1e6:.1f} MB); pyvis default {pyvis_text}; "
                  f"{ratio}; target {f'< {target:.0f} s ' if target else ''}{'met' if met else 'NOT met'}")
        browser.close()
    print(f"targets: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
