"""Every output of the shipped data, as one manifest of SHA-256 digests.

The manifest pins the outputs of ``data/``: a refactoring that changes no behaviour leaves it
byte-identical; a change that is meant to alter an output regenerates it on purpose::

    python tests/golden/outputs.py > tests/golden/outputs.sha256

Files are digested by their path under the output folder; command output (``--json``) by the
command line that printed it.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]

# Folders and files written by commands, each a list of CLI arguments (OUT = the output folder).
WRITERS: list[list[str]] = [
    ["build", "data", "-o", "OUT/build"],
    *[["export", "data", "--no-store", "--format", fmt, "--max-tlp", tlp, "-o", f"OUT/export-{tlp}/{name}"]
      for tlp in ("green", "red")
      for fmt, name in (("ttl", "graph.ttl"), ("nt", "graph.nt"), ("jsonld", "graph.jsonld"),
                        ("trig", "graph.trig"), ("nq", "graph.nq"), ("graphml", "graph.graphml"),
                        ("gexf", "graph.gexf"), ("ftm", "graph.ftm.json"), ("csv", "csv"),
                        ("neo4j", "neo4j"))],
    ["site", "--data", "data", "--no-store", "--max-tlp", "red", "-o", "OUT/site-red"],
    ["view", "--data", "data", "--no-store", "--path", "KK Park", "Indonesia", "--via-context",
     "-o", "OUT/view-path.html"],
    ["view", "--data", "data", "--store", "OUT/build/store", "--focus", "KK Park", "-o", "OUT/view-focus.html"],
]

# Query commands read the case files (``--no-store``) or the build's store: both must agree.
QUERIES: list[list[str]] = [
    ["path", "--json", "KK Park", "Indonesia", "--via-context"],
    ["path", "KK Park", "Indonesia"],
    ["path", "--json", "--k", "3", "KK Park", "Indonesia", "--via-context"],
    ["neighbors", "--json", "KK Park", "--hops", "2"],
    ["connect", "--json", "KK Park", "Indonesia", "Cambodia", "--via-context"],
    ["common", "--json", "KK Park", "Indonesia", "--via-context"],
    ["rank", "--json", "--by", "betweenness"],
    ["rank", "--json", "--by", "pagerank"],
    ["communities", "--json"],
    ["routes", "--json"],
    ["timeline", "--json"],
    ["timeline", "--json", "--at", "2016", "--include-undated", "--max-tlp", "red"],
]

# Commands whose standard output is the product.
PRINTERS: list[list[str]] = [
    ["stats", "data", "--json"],
    ["lint", "data", "--json"],
    ["dedupe", "--data", "data", "--json"],
    ["sparql", "--data", "data", "--no-store", "--format", "csv", "queries/claims-by-status.rq"],
    *[[*q, "--data", "data", "--no-store"] for q in QUERIES],
    *[[*q, "--data", "data", "--store", "OUT/build/store"] for q in QUERIES],
]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest() -> list[str]:
    """Run every writer and printer on ``data/`` and return ``digest  name`` lines, sorted."""
    from graph.cli import app

    runner = CliRunner()
    lines: list[str] = []
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(ROOT)
        try:
            for args in WRITERS:
                argv = [a.replace("OUT", tmp) for a in args]
                result = runner.invoke(app, ["--ontology", "ontology", *argv])
                if result.exit_code != 0:
                    raise RuntimeError(f"{' '.join(args)}: exit {result.exit_code}: {result.output}")
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file() and path.suffix != ".lock":
                    lines.append(f"{_digest(path.read_bytes())}  {path.relative_to(tmp).as_posix()}")
            for args in PRINTERS:
                argv = [a.replace("OUT", tmp) for a in args]
                result = runner.invoke(app, ["--ontology", "ontology", *argv])
                if result.exit_code not in (0, 3):
                    raise RuntimeError(f"{' '.join(args)}: exit {result.exit_code}: {result.output}")
                lines.append(f"{_digest(result.stdout.encode())}  $ thbor {' '.join(args)}")
        finally:
            os.chdir(cwd)
    return sorted(lines, key=lambda line: line[66:])


if __name__ == "__main__":
    sys.stdout.write("\n".join(manifest()) + "\n")
