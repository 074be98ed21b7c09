"""Regenerate the README's screenshots from a real build of the shipped data.

Builds ``data/`` with the ontology in ``ontology/`` into a temporary folder (the main job, as
``thbor build`` runs it), opens its pages in a headless Chromium (Debian's ``chromium``, driven by
Playwright) with every request to another host blocked, and writes PNG files into ``docs/img/``.
Each page must load with no script error and no outside request, or the script fails.

    python docs/screenshots.py            # writes docs/img/*.png
    python docs/screenshots.py --out /tmp/shots

The images are documentation, not outputs: they are not byte-stable (font hinting and layout
timing vary a little between runs), so no test pins their bytes; a browser test runs this script
and checks each image is written and is not blank.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page (relative to the build folder), its file name and the window size."""

    page: str
    name: str
    width: int = 1440
    height: int = 900
    hash: str = ""  # a URL fragment the page reads (e.g. a path to highlight)
    ready: str = ""  # a JavaScript condition to wait for before the picture is taken


NETWORK_READY = "window.thborReady === true"
SHOTS = (
    Shot("views/overview.html", "overview.png", ready=NETWORK_READY),
    Shot("views/overview.html", "overview-phone.png", width=390, height=844, ready=NETWORK_READY),
    Shot("views/case-id-kh-kidney-2023.html", "case-view.png", ready=NETWORK_READY),
    Shot("views/overview.html", "path-in-page.png", ready=NETWORK_READY,
         hash="path=group-vulnerable-populations,net-id-kidney-syndicate"),
    Shot("site/entity/net-id-kidney-syndicate.html", "dossier.png", height=1100),
    Shot("site/charts.html", "charts.png", height=1300),
)


def build_shipped(folder: Path) -> Path:
    """The main job on the shipped data, into ``folder``; returns the build folder."""
    from graph.build import build
    from graph.model.ontology import load_ontology

    out = folder / "build"
    build([ROOT / "data"], out, load_ontology(ROOT / "ontology"))
    return out


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("screenshots need Debian's chromium (apt-get install chromium)")
    return found


def take(build_dir: Path, out: Path, shots: tuple[Shot, ...] = SHOTS, browser=None) -> list[Path]:
    """Every shot of ``shots`` whose page the build has, as PNG files in ``out``.

    ``browser``: a Playwright Chromium already running (the tests'); by default one is started.
    """
    out.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return _take_all(browser, build_dir, out, shots)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        started = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        try:
            return _take_all(started, build_dir, out, shots)
        finally:
            started.close()


def _take_all(browser, build_dir: Path, out: Path, shots: tuple[Shot, ...]) -> list[Path]:
    written = []
    for shot in shots:
        page_file = build_dir / shot.page
        if not page_file.exists():
            print(f"skipped {shot.name}: the build has no {shot.page}", file=sys.stderr)
            continue
        written.append(_take(browser, page_file, out / shot.name, shot))
    return written


def _take(browser, page_file: Path, target: Path, shot: Shot) -> Path:
    # bypass_csp: waiting for a page's readiness evaluates a string, which the pages' CSP forbids;
    # outside requests are still caught below, and blocked
    context = browser.new_context(viewport={"width": shot.width, "height": shot.height}, device_scale_factor=1,
                                  bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:"))
            else problems.append(f"outside request: {r.url}"))
    context.route("http*://**", lambda route: route.abort())
    url = page_file.resolve().as_uri() + (f"#{shot.hash}" if shot.hash else "")
    page.goto(url)
    if shot.ready:
        page.wait_for_function(shot.ready, timeout=60000)
    page.wait_for_timeout(1500)  # let the network layout settle: a picture, not a measurement
    if problems:
        raise SystemExit(f"{shot.page}: " + "; ".join(problems))
    page.screenshot(path=str(target))
    context.close()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNG files")
    parser.add_argument("--build", type=Path, help="an existing build folder (default: build the shipped data)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = args.build or build_shipped(Path(tmp))
        for path in take(build_dir, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
