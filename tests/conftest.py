"""Shared fixtures: tiny hand-written datasets and a CLI runner."""

from __future__ import annotations

import contextlib
import http.server
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.model.ontology import load_ontology

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def ontology():
    return load_ontology(ROOT / "ontology")


@pytest.fixture
def tiny() -> Path:
    return FIXTURES / "tiny"


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path from dedented text (or bytes) and return its path."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path
    return _write


@pytest.fixture
def cli():
    """Run ``thbor`` in-process; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def _run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--ontology", str(ROOT / "ontology"), *map(str, args)])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr
    return _run


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    import shutil
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it"
    return found


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records console messages, page errors, dialogs and every request."""
    # bypass_csp: Playwright's own helpers evaluate strings, which the pages' CSP forbids;
    # the tests prove safety without leaning on the CSP
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.log = {"console": [], "errors": [], "dialogs": [], "requests": []}
    pg.on("console", lambda m: pg.log["console"].append((m.type, m.text)))
    pg.on("pageerror", lambda e: pg.log["errors"].append(str(e)))
    pg.on("request", lambda r: pg.log["requests"].append(r.url))

    def on_dialog(d):
        pg.log["dialogs"].append(d.message)
        d.dismiss()
    pg.on("dialog", on_dialog)
    pg.add_init_script("window.__xss = 0; ['alert','confirm','prompt'].forEach(function (f) {"
                       " var o = window[f]; window[f] = function () { window.__xss++; }; });")
    yield pg
    context.close()


@contextlib.contextmanager
def local_http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[http.server.HTTPServer]:
    """A real HTTP server on a free loopback port, answering with ``handler`` in a thread."""
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--quick", action="store_true",
                     help="Leave out slow and browser tests (a quick run while developing; CI runs all).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (bulk data, subprocesses, whole builds)")
    config.addinivalue_line("markers", "browser: drives a real Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that asks for a browser page is a browser test, whatever its file says.
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if not config.getoption("--quick"):
        return
    # deselected, not skipped: a run without --quick (CI) never shows a skip, and one with it
    # says how many it left out
    left_out = [i for i in items if "slow" in i.keywords or "browser" in i.keywords]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [i for i in items if not ("slow" in i.keywords or "browser" in i.keywords)]
