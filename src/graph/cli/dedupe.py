"""``thbor dedupe``: propose likely duplicates, and record curators' decisions on them."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml

from graph.cli._app import _ontology, app, out, reports_errors
from graph.errors import InputError, UsageError
from graph.load.validate import load_dataset
from graph.model.names import NameIndex
from graph.outputs import atomic_write
from graph.quality.dedupe import candidates

DEFAULT_FILE = Path("data/resolutions.yaml")


@app.command()
@reports_errors
def dedupe(data: Annotated[Optional[list[Path]], typer.Option("--data", help="Case files or folders (default ./data).")] = None,
           min_score: Annotated[float, typer.Option("--min-score", help="Show pairs scoring at least this (0..1).")] = 0.5,
           top: Annotated[int, typer.Option("--top", help="At most this many pairs.")] = 50,
           decide: Annotated[Optional[tuple[str, str, str]], typer.Option(
               "--decide", metavar="A B same|not|unsure", help="Record a decision on a pair instead of listing.")] = None,
           by: Annotated[Optional[str], typer.Option("--by", help="Who decides (default: the login name).")] = None,
           why: Annotated[Optional[str], typer.Option("--why", help="Why, for the record.")] = None,
           file: Annotated[Path, typer.Option("--file", help="Where decisions are kept.")] = DEFAULT_FILE,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List likely duplicate entities, best first, with the evidence; or record a decision on one pair.

    Example: thbor dedupe --decide hosp-a hosp-b same --why "same address in both reports"
    """
    ds = load_dataset(data, _ontology())
    if decide is not None:
        a, b, decision = decide
        if decision not in ("same", "not", "unsure"):
            raise UsageError(f"the decision must be same, not or unsure, not {decision!r}")
        names = NameIndex.of(ds)
        a, b = names.resolve(a), names.resolve(b)
        if a == b:
            raise UsageError(f"{a} and {b} are already one entity")
        item = {"a": a, "b": b, "decision": decision, "by": by or getpass.getuser(),
                "at": dt.date.today().isoformat(), **({"why": why} if why else {})}
        text = yaml.safe_dump([item], allow_unicode=True, sort_keys=False)
        before = file.read_text(encoding="utf-8") if file.exists() else ""
        prefix = "" if before.strip() else "resolutions:\n"
        atomic_write(file, before + prefix + "".join("  " + line + "\n" for line in text.splitlines()))
        try:
            load_dataset([*(data or [Path("data")]), file], _ontology())  # must not contradict the others
        except InputError:
            if before:
                atomic_write(file, before)
            else:
                file.unlink()
            raise
        out.print(f"recorded in {file}: {a} {decision} {b}", markup=False)
        return
    found = candidates(ds, min_score, top)
    if as_json:
        out.print(json.dumps([{"a": c.a, "b": c.b, "score": c.score, "evidence": c.evidence} for c in found],
                             indent=1, ensure_ascii=False), markup=False)
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
