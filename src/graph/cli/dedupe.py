"""``thbor dedupe``: propose likely duplicates, and record curators' decisions on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.cli._app import _ontology, app, out, reports_errors
from graph.load.validate import load_dataset
from graph.quality.dedupe import DEFAULT_FILE, candidates, record_decision


@app.command()
@reports_errors
def dedupe(data: Annotated[Optional[list[Path]], typer.Option(
               "--data", help="Case files or folders (default ./data).")] = None,
           min_score: Annotated[float, typer.Option(
               "--min-score", help="Show pairs scoring at least this (0..1).")] = 0.5,
           top: Annotated[int, typer.Option("--top", help="At most this many pairs.")] = 50,
           decide: Annotated[Optional[tuple[str, str, str]], typer.Option(
               "--decide", metavar="A B same|not|unsure",
               help="Record a decision on a pair instead of listing.")] = None,
           by: Annotated[Optional[str], typer.Option("--by", help="Who decides (default: the login name).")] = None,
           why: Annotated[Optional[str], typer.Option("--why", help="Why, for the record.")] = None,
           file: Annotated[Path, typer.Option("--file", help="Where decisions are kept.")] = DEFAULT_FILE,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List likely duplicate entities, best first, with the evidence; or record a decision on one pair.

    Example: thbor dedupe --decide hosp-a hosp-b same --why "same address in both reports"
    """
    if decide is not None:
        made = record_decision(data, _ontology(), *decide, by=by, why=why, file=file)
        out.print(f"recorded in {file}: {made.a} {made.decision} {made.b}", markup=False)
        return
    ds = load_dataset(data, _ontology())
    found = candidates(ds, min_score, top)
    if as_json:
        out.print(json.dumps([c.to_dict() for c in found], indent=1, ensure_ascii=False), markup=False)
        return
    for c in found:
        ev = c.evidence
        notes = [f"names {ev['names'][0]!r} ~ {ev['names'][1]!r}", f"types {'/'.join(ev['types'])}"]
        if ev["shared_neighbours"]:
            notes.append(f"{len(ev['shared_neighbours'])} shared neighbour(s)")
        notes += ev["penalties"]
        out.print(f"{c.score:.3f}  {c.a} ({ds.entities[c.a].name}) ~ {c.b} ({ds.entities[c.b].name})  "
                  + "; ".join(notes), markup=False)
    out.print(f"{len(found)} candidate pair(s)", markup=False)
