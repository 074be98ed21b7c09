"""What changed between two builds (or two ``dataset.json`` files), record by record, for curators.

The report reads both datasets as streams sorted by id (the order ``thbor build`` writes) and
walks them side by side, so two builds of a million claims are compared without holding either:
a record whose JSON text is the same on both sides is not even parsed. What it lists:

- claims, entities and sources added and removed (an entity whose id a newer entity now lists
  in ``merged_from`` is reported as merged, not removed);
- claim status changes (``alleged -> convicted``), citations added or removed, credibility and
  reliability grades changed;
- entities renamed (name, aliases) and merged;
- sharing levels changed, and whether the change crosses the partners' level: ``raised`` (a
  record partners had is now withheld) or ``lowered`` (partners now receive it).

This report names every record, withheld ones included: it is for the people who curate the
data. What partners receive is the RDF change set of :mod:`graph.rdf.changes`, at their level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from graph.errors import InputError, Problem
from graph.load.dataset_json import RawEntry, iter_dataset_json
from graph.model.ontology import Ontology
from graph.rdf.changes import ChangeSet, resolve_level, write_changes
from graph.rdf.write import DEFAULT_BASE

KINDS = {"claims": "claim", "entities": "entity", "sources": "source"}
_SKIP = {"citations", "status", "tlp", "name", "aliases", "merged_from", "reliability"}  # reported on their own


@dataclass(frozen=True)
class Change:
    """One change of one record: ``what`` is added, removed, merged (into ``new``), merged_ids (the
    ids merged into it), status, citation, credibility, reliability, renamed, aliases, raised,
    lowered, level or changed (other fields, named in ``new``)."""

    record: str  # claim, entity, source
    id: str
    what: str
    old: Any = None
    new: Any = None


@dataclass
class ChangeReport:
    """Every change between two datasets, in record order, and the partners' RDF change set if written."""

    old: str
    new: str
    level: str  # the partners' level that "raised" and "lowered" refer to
    changes: list[Change] = field(default_factory=list)
    rdf: ChangeSet | None = None

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, as ``"claim added"``."""
        return dict(sorted(Counter(f"{c.record} {c.what}" for c in self.changes).items()))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``thbor diff --json``."""
        out: dict[str, Any] = {"old": self.old, "new": self.new, "level": self.level, "counts": self.counts(),
                               "changes": [{k: v for k, v in asdict(c).items() if v is not None}
                                           for c in self.changes]}
        if self.rdf is not None:
            out["rdf"] = {"folder": str(self.rdf.folder), **self.rdf.manifest(), "sides": self.rdf.sides}
        return out


def diff_builds(old: Path | str, new: Path | str, onto: Ontology, *, max_tlp: str | None = None,
                out: Path | str | None = None, base: str = DEFAULT_BASE) -> ChangeReport:
    """Compare ``old`` and ``new`` (build folders or ``dataset.json`` files).

    With ``out``, also write the partners' RDF change set there (:func:`graph.rdf.changes.write_changes`)
    at ``max_tlp`` (default the ontology's partner level).
    """
    level = resolve_level(onto, max_tlp)
    report = ChangeReport(str(old), str(new), level)
    tlp = onto.vocabulary("tlp")
    rank = {n: tlp.rank(n) for n in tlp.concepts}
    compare = _Comparer(report.changes, rank, rank[level])
    removed_entities: list[str] = []
    merged: dict[str, str] = {}  # merged id -> the entity that now holds it
    for section, a, b in _paired(iter_dataset_json(old), iter_dataset_json(new)):
        kind = KINDS[section]
        if a is None and b is not None:
            data = b.data()
            merged.update(dict.fromkeys(data.get("merged_from") or [], data["id"]))
            report.changes.append(Change(kind, data["id"], "added"))
        elif b is None and a is not None:
            if kind == "entity":
                removed_entities.append(a.id or "")
            else:
                report.changes.append(Change(kind, a.id or "", "removed"))
        elif a is not None and b is not None and a.text != b.text:
            x, y = a.data(), b.data()
            merged.update(dict.fromkeys(set(y.get("merged_from") or []) - set(x.get("merged_from") or []), y["id"]))
            compare.records(kind, x, y)
    for eid in removed_entities:
        report.changes.append(Change("entity", eid, "merged", new=merged[eid]) if eid in merged
                              else Change("entity", eid, "removed"))
    report.changes.sort(key=lambda c: (list(KINDS.values()).index(c.record), c.id))
    if out is not None:
        report.rdf = write_changes(old, new, out, onto, max_tlp=level, base=base)
    return report


Pair = tuple[str, RawEntry | None, RawEntry | None]


def _paired(old: Iterator[RawEntry], new: Iterator[RawEntry]) -> Iterator[Pair]:
    """Walk two id-sorted streams together: (section, old, new) of one record, None for a side without it.

    Records of the same text are the same record: only where the texts differ are the ids read
    (and their order checked), so a million unchanged records cost a comparison of bytes each.
    """
    a, b = _records(old), _records(new)
    x, y = next(a, None), next(b, None)
    last: dict[int, tuple[str, str]] = {}
    while x is not None or y is not None:
        if x is not None and y is not None and x.section == y.section and x.text == y.text:
            x, y = next(a, None), next(b, None)
            continue
        kx, ky = (_key(e, last, side) if e is not None else None for side, e in ((0, x), (1, y)))
        if x is not None and kx is not None and (ky is None or kx < ky):
            yield x.section, x, None
            x = next(a, None)
        elif y is not None and ky is not None and (kx is None or ky < kx):
            yield y.section, None, y
            y = next(b, None)
        elif x is not None and y is not None:
            yield x.section, x, y
            x, y = next(a, None), next(b, None)


def _records(entries: Iterator[RawEntry]) -> Iterator[RawEntry]:
    """The sources, entities and claims of a stream (resolutions show in the entities they merged)."""
    return (e for e in entries if e.section in KINDS)


def _key(e: RawEntry, last: dict[int, tuple[str, str]], side: int) -> tuple[str, str]:
    """(section, id) of a record, checked to come after the last one read on its side."""
    rid = e.id
    if rid is None:
        raise InputError([Problem(e.section, e.line, "", "a record without an id")])
    key = (e.section, rid)
    if side in last and key < last[side]:
        raise InputError([Problem(e.section, e.line, rid, "records are not sorted by id (a dataset.json "
                                                          "written by thbor build is)")])
    last[side] = key
    return key


class _Comparer:
    """The changes between two versions of one record."""

    def __init__(self, changes: list[Change], rank: dict[str, int], limit: int) -> None:
        self.changes, self.rank, self.limit = changes, rank, limit

    def records(self, kind: str, x: dict[str, Any], y: dict[str, Any]) -> None:
        rid = y["id"]
        add = self.changes.append
        if x.get("status") != y.get("status"):
            add(Change(kind, rid, "status", x.get("status"), y.get("status")))
        if x.get("reliability") != y.get("reliability"):
            add(Change(kind, rid, "reliability", x.get("reliability"), y.get("reliability")))
        if x.get("name") != y.get("name"):
            add(Change(kind, rid, "renamed", x.get("name"), y.get("name")))
        old_aliases, new_aliases = _aliases(x), _aliases(y)
        if old_aliases != new_aliases:
            add(Change(kind, rid, "aliases", sorted(old_aliases - new_aliases), sorted(new_aliases - old_aliases)))
        if x.get("merged_from") != y.get("merged_from"):
            add(Change(kind, rid, "merged_ids", x.get("merged_from") or [], y.get("merged_from") or []))
        self._level(kind, rid, x.get("tlp"), y.get("tlp"))
        self._citations(kind, rid, x.get("citations") or [], y.get("citations") or [])
        other = sorted(k for k in x.keys() | y.keys() if k not in _SKIP and x.get(k) != y.get(k))
        if other:
            add(Change(kind, rid, "changed", new=other))

    def _level(self, kind: str, rid: str, old: str | None, new: str | None) -> None:
        if old == new:
            return
        was = self.rank.get(old or "", -1) <= self.limit
        now = self.rank.get(new or "", -1) <= self.limit
        what = "raised" if was and not now else "lowered" if now and not was else "level"
        self.changes.append(Change(kind, rid, what, old, new))

    def _citations(self, kind: str, rid: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        """Citations matched by source and quote: added, removed, or with another credibility."""
        def keyed(cs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
            return {(c.get("source", ""), c.get("quote", "")): c for c in cs}

        a, b = keyed(old), keyed(new)
        for key in sorted(a.keys() - b.keys()):
            self.changes.append(Change(kind, rid, "citation", old=_cited(a[key])))
        for key in sorted(b.keys() - a.keys()):
            self.changes.append(Change(kind, rid, "citation", new=_cited(b[key])))
        for key in sorted(a.keys() & b.keys()):
            if a[key].get("credibility") != b[key].get("credibility"):
                self.changes.append(Change(kind, rid, "credibility", a[key].get("credibility"),
                                           b[key].get("credibility")))
            elif a[key] != b[key]:
                self.changes.append(Change(kind, rid, "citation", _cited(a[key]), _cited(b[key])))


def _aliases(rec: dict[str, Any]) -> set[str]:
    return {a["name"] + (f"@{a['lang']}" if a.get("lang") else "") for a in rec.get("aliases") or []}


def _cited(c: dict[str, Any]) -> str:
    """A citation in one line: its source and the start of its quote."""
    quote = c.get("quote", "")
    return f"{c.get('source')}: \"{quote[:60]}{'…' if len(quote) > 60 else ''}\""


def describe(c: Change) -> str:
    """One line of the readable report."""
    head = f"{c.record} {c.id}"
    match c.what:
        case "added" | "removed":
            return f"{head}: {c.what}"
        case "merged":
            return f"{head}: merged into {c.new}"
        case "citation":
            return f"{head}: citation " + (f"added {c.new}" if c.old is None else f"removed {c.old}" if c.new is None
                                           else f"changed {c.old} -> {c.new}")
        case "merged_ids":
            return f"{head}: merged ids {', '.join(c.old) or '(none)'} -> {', '.join(c.new) or '(none)'}"
        case "aliases":
            return f"{head}: aliases" + "".join(f" -{a}" for a in c.old) + "".join(f" +{a}" for a in c.new)
        case "changed":
            return f"{head}: changed {', '.join(c.new)}"
        case "raised" | "lowered":
            where = "now withheld from" if c.what == "raised" else "now shared with"
            return f"{head}: level {c.old} -> {c.new} ({where} partners)"
        case _:
            return f"{head}: {c.what} {c.old} -> {c.new}"


def render(report: ChangeReport) -> Iterator[str]:
    """The readable report, a line at a time: the counts, then every change."""
    yield f"changes from {report.old} to {report.new} (partners' level {report.level})"
    counts = report.counts()
    if not counts:
        yield "no changes"
    for what, n in counts.items():
        yield f"  {what}: {n}"
    for c in report.changes:
        yield describe(c)


def dumps(report: ChangeReport) -> str:
    """The JSON of ``thbor diff --json`` (keys sorted, deterministic)."""
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
