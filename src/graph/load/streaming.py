"""Checking inputs too large to hold: each claim is validated, checked and let go.

:func:`~graph.load.validate.load_dataset` keeps every record, because every output is made from the
whole Dataset. Checking an outside file before taking it in (``thbor import``) needs less: the
sources and entities that claims refer to, and the ids seen so far. Memory then grows with the
entities, not with the claims: a million claims are checked in a fraction of the memory their
Dataset takes. The problems found are the same as :func:`load_dataset` finds.

>>> from pathlib import Path
>>> check_files([Path("data")])["claims"] > 0
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from graph.errors import InputError, Problem
from graph.load.files import Limits, find_input_files, input_paths, iter_file
from graph.load.memory import paused_gc
from graph.load.validate import Checker, duplicate, load_dataset, record_id, validated
from graph.model.ontology import Ontology, load_ontology
from graph.model.records import Claim, Entity, Origin, Source


def check_files(paths: Iterable[Path | str] | None = None, ontology: Ontology | None = None,
                limits: Limits = Limits(), progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Check the inputs as :func:`~graph.load.validate.load_dataset` does, keeping no claim; their counts.

    A claim is checked as soon as its entities and sources have been read, else at the end (a
    file that names claims before their entities keeps those claims until then). Inputs with
    resolutions, which merge claims, are loaded whole. Raises
    :class:`~graph.errors.InputError` listing every problem.
    """
    onto = ontology or load_ontology()
    files, problems = find_input_files(input_paths(paths))
    sources: dict[str, Source] = {}
    entities: dict[str, Entity] = {}
    seen: dict[str, Origin] = {}  # every id read, and where: duplicates are problems
    broken: set[str] = set()
    waiting: list[Claim] = []
    check = Checker(onto, sources, entities, problems=problems, broken=broken)
    claims = 0
    with paused_gc():
        for f in files:
            for item in iter_file(f, limits, onto, progress):
                if isinstance(item, Problem):
                    problems.append(item)
                    continue
                if item.kind == "resolution":  # merging needs every claim at hand
                    ds = load_dataset(paths, onto, limits)
                    return {"sources": len(ds.sources), "entities": len(ds.entities), "claims": len(ds.claims)}
                rec = validated(item, problems, broken)
                if not isinstance(rec, (Source, Entity, Claim)):
                    continue  # broken beyond checking (a resolution was handled above)
                key = record_id(rec)
                if key in seen:
                    problems.append(duplicate(rec, seen[key]))
                    continue
                seen[key] = rec.origin
                if isinstance(rec, Source):
                    sources[key] = rec
                elif isinstance(rec, Entity):
                    entities[key] = rec
                else:
                    claims += 1
                    if _known(rec, sources, entities):
                        check.claim(rec)
                    else:
                        waiting.append(rec)
        for s in sources.values():
            check.source(s)
        for e in entities.values():
            check.entity(e)
        for c in waiting:
            check.claim(c)
    if problems:
        raise InputError(problems)
    return {"sources": len(sources), "entities": len(entities), "claims": claims}


def _known(c: Claim, sources: dict[str, Source], entities: dict[str, Entity]) -> bool:
    return (c.subject in entities and c.object in entities
            and all(x.source in sources and (x.reports is None or x.reports in sources) for x in c.citations))
