"""From raw records to a validated :class:`~graph.model.dataset.Dataset`, collecting every problem.

>>> from pathlib import Path
>>> ds = load_dataset([Path("data")])
>>> len(ds.claims) > 0
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import InputError, Problem
from graph.load.files import Limits, RawRecord, find_input_files, input_paths, iter_file
from graph.load.memory import paused_gc
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology, Qualifier, Relation, load_ontology
from graph.model.records import (
    RECORD_MODELS,
    Citation,
    Claim,
    Entity,
    Origin,
    Record,
    Resolution,
    Source,
    check_text,
)

Keyed = Source | Entity | Claim  # the records that have ids of their own


def load_dataset(paths: Iterable[Path | str] | None = None, ontology: Ontology | None = None,
                 limits: Limits = Limits(), progress: Callable[[int], None] | None = None) -> Dataset:
    """Read, validate and assemble the case files under ``paths`` (default ``./data``).

    Each record is validated as it is read, so a large JSON Lines file never sits in memory as
    raw data beside its records. ``progress`` is called with the bytes read as JSON Lines are
    streamed. Raises :class:`~graph.errors.InputError` listing every problem of every file.
    """
    onto = ontology or load_ontology()
    files, problems = find_input_files(input_paths(paths))
    reading: list[Problem] = []

    def records() -> Iterator[RawRecord]:
        for f in files:
            for item in iter_file(f, limits, onto, progress):
                if isinstance(item, Problem):
                    reading.append(item)
                else:
                    yield item

    with paused_gc():
        dataset, more = validate_records(records(), onto)
    problems += reading + more
    if not problems and not (dataset.sources or dataset.entities or dataset.claims):
        # "0 records" would let a build replace its outputs with empty ones
        problems.append(Problem(", ".join(str(p) for p in input_paths(paths)), 0, "",
                                "the inputs hold no records (expected sources:, entities: or claims:)"))
    if problems:
        raise InputError(problems)
    return dataset


def input_bytes(paths: Iterable[Path | str] | None = None) -> int:
    """The size of the JSON Lines files among the inputs (what ``progress`` counts up to)."""
    files, _ = find_input_files(input_paths(paths))
    return sum(f.stat().st_size for f in files
               if f.suffix.lower() == ".jsonl" and not f.name.lower().endswith(".ftm.jsonl"))


def validate_records(raw: Iterable[RawRecord], onto: Ontology) -> tuple[Dataset, list[Problem]]:
    """Check records alone, against the ontology and against each other."""
    problems: list[Problem] = []
    kinds: dict[type, list[Keyed]] = {Source: [], Entity: [], Claim: []}
    resolutions: list[Resolution] = []
    broken: set[str] = set()  # ids of records that failed on their own
    for r in raw:
        rec = validated(r, problems, broken)
        if isinstance(rec, Resolution):
            resolutions.append(rec)
        elif isinstance(rec, (Source, Entity, Claim)):
            kinds[type(rec)].append(rec)

    # sources first, then entities, then claims, each in input order: the first of an id is kept
    seen: dict[str, Origin] = {}
    unique: list[dict[str, Any]] = []
    for records in kinds.values():
        kept: dict[str, Any] = {}
        for rec in records:
            key = rec.id or ""
            first = seen.get(key)
            if first is not None:
                problems.append(duplicate(rec, first))
                continue
            seen[key] = rec.origin
            kept[key] = rec
        unique.append(kept)
    del seen, kinds
    sources, entities, claims = unique
    if resolutions:
        from graph.load.resolution import apply_resolutions
        entities, claims, more = apply_resolutions(entities, claims, resolutions, onto)
        problems.extend(more)

    check = Checker(onto, sources, entities, problems=problems, broken=broken)
    for s in sources.values():
        check.source(s)
    for e in entities.values():
        check.entity(e)
    for c in claims.values():
        check.claim(c)
    return Dataset(onto, sources, entities, claims, list(resolutions)), problems


def record_id(rec: Keyed) -> str:
    """The id of a source, entity or claim (a claim's is derived when it gives none, so never empty)."""
    return rec.id or ""


def validated(r: RawRecord, problems: list[Problem], broken: set[str]) -> Record | None:
    """The typed record of a raw one; its problems go to ``problems`` and its id, if broken, to ``broken``."""
    rec: Record | None
    try:
        rec = RECORD_MODELS[r.kind].model_validate(r.data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, r))
        if isinstance(r.data.get("id"), str):
            broken.add(r.data["id"])
        rec = _without_bad_fields(RECORD_MODELS[r.kind], r.data, exc)
        if rec is None:
            return None
    rec.locate(r.origin, r.label)
    rec.compact()
    return rec


def duplicate(rec: Keyed, first: Origin) -> Problem:
    """The problem of a record whose id was given before (at ``first``)."""
    where = f"{first.path}:{first.line}"
    if rec.label != rec.id:  # a claim whose id is derived from what it says
        return _at(rec, (), f"says the same as the claim at {where} (same subject, predicate, object, dates and "
                            "qualifiers): merge their citations")
    return _at(rec, ("id",), f"duplicate id {rec.id!r} (first defined at {where})")


def _without_bad_fields(model: type[Record], data: dict[str, Any], exc: ValidationError) -> Record | None:
    """The record minus the fields that failed, so that its other fields are still checked.

    Such a record only serves to report more problems at once; the dataset is not returned
    while any problem stands.
    """
    bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    if not bad:
        return None
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in bad})
    except ValidationError:
        return None


_ID_FIELDS = ("id", "subject", "object", "source", "known_via", "syndicates")


def _pydantic_problems(exc: ValidationError, r: RawRecord) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "string_pattern_mismatch" and loc and loc[-1] in _ID_FIELDS:
            msg = "ids are letters, digits and . _ : - (at most 200, starting with a letter or digit)"
        out.append(Problem(r.origin.path, r.origin.line_of(loc), r.label, f"{field}: {msg}" if field else msg))
    return out


def _at(rec: Record, loc: tuple[str | int, ...], message: str) -> Problem:
    return Problem(rec.origin.path, rec.origin.line_of(loc), rec.label, message)


class Checker:
    """Ontology and reference checks; appends to ``problems`` and fills in defaults."""

    def __init__(self, onto: Ontology, sources: dict[str, Source], entities: dict[str, Entity], *,
                 problems: list[Problem], broken: set[str]) -> None:
        self.onto, self.sources, self.entities, self.problems = onto, sources, entities, problems
        self.broken = broken
        self.tlp = onto.vocabulary("tlp").ordered()
        self.status = onto.vocabulary("status").ordered()
        self.reliability = onto.vocabulary("reliability").ordered()
        self.credibility = onto.vocabulary("credibility").ordered()
        self.stance = onto.vocabulary("stance").ordered()
        self.entity_types = set(onto.entity_types)
        self.source_kinds = sorted(onto.source_kinds)
        self._below: dict[frozenset[str], frozenset[str]] = {}
        self._fits: dict[tuple, bool] = {}  # (relation, types of the ends) -> whether the ends fit

    def _bad(self, rec: Record, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(_at(rec, loc, message))

    def _choice(self, rec: Record, field: str, value: str | None, allowed: list[str]) -> bool:
        if value is not None and value not in allowed:
            self._bad(rec, (field,), f"{field}: unknown value {value!r} (expected one of {', '.join(allowed)})")
            return False
        return True

    def _tlp(self, rec: Keyed, default: str) -> None:
        if self._choice(rec, "tlp", rec.tlp, self.tlp) and rec.tlp is None:
            rec.tlp = default

    def _unknown(self, kind: str, ref: str) -> str:
        return (f"{kind} {ref!r} has problems of its own (listed separately)" if ref in self.broken
                else f"unknown {kind} {ref!r}")

    def _citations(self, rec: Record, citations: list[Citation]) -> None:
        sources = self.sources
        for i, c in enumerate(citations):
            if c.source not in sources:
                self._bad(rec, ("citations", i, "source"), f"citations.{i}.source: {self._unknown('source', c.source)}")
            if c.reports is not None:
                if c.reports not in sources:
                    self._bad(rec, ("citations", i, "reports"),
                              f"citations.{i}.reports: {self._unknown('source', c.reports)}")
                if c.reports == c.source:
                    self._bad(rec, ("citations", i, "reports"), f"citations.{i}.reports: a source cannot report itself")
            if c.credibility is not None and c.credibility not in self.credibility:
                self._bad(rec, ("citations", i, "credibility"),
                          f"citations.{i}.credibility: {c.credibility!r} is not a credibility grade "
                          f"({', '.join(self.credibility)})")
            if c.stance is not None and c.stance not in self.stance:
                self._bad(rec, ("citations", i, "stance"),
                          f"citations.{i}.stance: unknown value {c.stance!r} "
                          f"(expected one of {', '.join(self.stance)})")
            if c.values:
                self._qualifier_map(rec, ("citations", i, "values"), c.values)

    def source(self, s: Source) -> None:
        self._choice(s, "kind", s.kind, self.source_kinds)
        self._choice(s, "reliability", s.reliability, self.reliability)
        default = self.onto.default_tlp([s.kind]) if s.kind in self.source_kinds else self.tlp[0]
        self._tlp(s, default)
        for field, refs in (("known_via", [s.known_via]), ("syndicates", [s.syndicates]), ("cites", s.cites)):
            for ref in refs:
                if ref is not None and ref not in self.sources:
                    self._bad(s, (field,), f"{field}: {self._unknown('source', ref)}")
                elif ref == s.id and field != "known_via":
                    self._bad(s, (field,), f"{field}: a source cannot name itself")

    def entity(self, e: Entity) -> None:
        unknown = [t for t in e.types if t not in self.entity_types]
        for t in unknown:
            self._bad(e, ("type",) if len(e.types) == 1 else ("types",), f"unknown entity type {t!r}")
        self._tlp(e, self.onto.default_tlp(e.types))
        self._citations(e, e.citations)

    def claim(self, c: Claim) -> None:
        rel = self.onto.relations.get(c.predicate)
        if rel is None:
            self._bad(c, ("predicate",), f"unknown predicate {c.predicate!r}")
        subj, obj = self.entities.get(c.subject), self.entities.get(c.object)
        if subj is None:
            self._bad(c, ("subject",), f"subject: {self._unknown('entity', c.subject)}")
        if obj is None:
            self._bad(c, ("object",), f"object: {self._unknown('entity', c.object)}")
        if c.subject == c.object:
            self._bad(c, ("object",), "subject and object are the same entity")
        if rel is not None and subj is not None and obj is not None:
            self._domain_range(c, rel, subj, obj)
        if self._choice(c, "status", c.status, self.status) and c.status is None:
            c.status = self.onto.default_status
        self._tlp(c, self.tlp[0])  # a claim's own level; endpoints and sources add theirs
        if c.qualifiers:
            self._qualifiers(c)
        self._citations(c, c.citations)

    def _within(self, types: list[str], classes: frozenset[str]) -> bool:
        """``onto.is_a``, with each class set expanded once into every class under it."""
        below = self._below.get(classes)
        if below is None:
            below = self._below[classes] = frozenset(n for n, k in self.onto.classes.items() if k.ancestors & classes)
        return any(t in below for t in types)

    def _domain_range(self, c: Claim, rel: Relation, subj: Entity, obj: Entity) -> None:
        key = (rel.name, len(subj.types), *subj.types, *obj.types)  # a million claims join a few type pairs
        fits = self._fits.get(key)
        if fits is None:
            domain, range_ = frozenset(rel.domain), frozenset(rel.range)
            forward = self._within(subj.types, domain) and self._within(obj.types, range_)
            backward = rel.symmetric and self._within(obj.types, domain) and self._within(subj.types, range_)
            fits = self._fits[key] = bool(forward or backward)
        if fits:
            return
        if not self.onto.is_a(subj.types, rel.domain):
            self._bad(c, ("subject",), f"subject {subj.id!r} is {'/'.join(subj.types)}, but {rel.name!r} "
                                       f"needs {' or '.join(sorted(rel.domain))}")
        if not self.onto.is_a(obj.types, rel.range):
            self._bad(c, ("object",), f"object {obj.id!r} is {'/'.join(obj.types)}, but {rel.name!r} "
                                      f"needs {' or '.join(sorted(rel.range))}")

    def _qualifiers(self, c: Claim) -> None:
        self._qualifier_map(c, ("qualifiers",), c.qualifiers)

    def _qualifier_map(self, rec: Record, at: tuple[str | int, ...], values: dict[str, Any]) -> None:
        """Check a map of qualifier values (a claim's qualifiers, a citation's values) against the ontology."""
        name = ".".join(map(str, at))
        for key, value in values.items():
            q = self.onto.qualifiers.get(key)
            loc = (*at, key)
            if q is None:
                self._bad(rec, loc, f"{name}: unknown qualifier {key!r} "
                                    f"(expected one of {', '.join(self.onto.qualifiers)})")
                continue
            problem = _qualifier_problem(self.onto, q, value)
            if problem:
                self._bad(rec, loc, f"{name}.{key}: {problem}")
            elif q.datatype == "decimal" and isinstance(value, float) and value.is_integer():
                values[key] = int(value)  # 50000.0 and 50000 are one number: one form, stable ids


def _qualifier_problem(onto: Ontology, q: Qualifier, value: Any) -> str | None:
    if q.vocabulary:
        allowed = onto.vocabularies[q.vocabulary].ordered()
        return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"
    if q.value_class:
        allowed = sorted(n for n, c in onto.classes.items() if q.value_class in c.ancestors and n != q.value_class)
        return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"
    if q.datatype == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"{value!r} is not a whole number"
    if q.datatype == "decimal":
        if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf have no xsd:decimal
            return f"{value!r} is not a finite number"
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else f"{value!r} is not a number"
    if q.datatype in ("string", None):
        if not (isinstance(value, str) and value.strip()):
            return f"{value!r} is not text"
        try:
            check_text(value)
        except ValueError as exc:
            return str(exc)
    return None
