"""The one filtering step every export goes through: sharing levels and pseudonyms.

``share(ds, "GREEN")`` gives a new Dataset holding only what may leave at TLP:GREEN:

- a source or entity leaves when its own level is at or below the level asked for;
- a citation leaves when its source (and the source it reports) leave;
- a claim leaves when its own level is low enough, both its entities leave and at least one of
  its citations leaves;
- a free-text field (note, description, locator) of a record that leaves is dropped, and a
  citation dropped, when it mentions a record that does not leave (its name, an alias, its id or
  a source title), so that a withheld person never appears, not even in passing.

With ``pseudonymise=True`` every entity of a class marked ``thb:pseudonymise`` (persons) gets a
stable pseudonym instead of its id and name (HMAC-SHA256 of the id, keyed by the
``THBOR_PSEUDONYM_KEY`` environment variable), loses its aliases, description, note and url, and
every mention of its names in other text is replaced by the pseudonym. Claim ids that were built
from its id are rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from .dataset import Dataset
from .errors import UsageError
from .records import Citation, Claim, Entity, Source, derive_claim_id

KEY_ENV = "THBOR_PSEUDONYM_KEY"
MIN_TERM = 4  # shorter names are too common to scan text for


@dataclass
class SharingReport:
    """What a sharing step kept, withheld and changed (goes into the export manifest)."""

    level: str
    pseudonymised: bool = False
    withheld: dict[str, int] = field(default_factory=lambda: {"sources": 0, "entities": 0, "claims": 0, "citations": 0})
    redacted_fields: int = 0
    pseudonyms: int = 0
    warnings: list[str] = field(default_factory=list)


def share(ds: Dataset, max_tlp: str, pseudonymise: bool = False, key: bytes | None = None) -> tuple[Dataset, SharingReport]:
    """The part of ``ds`` that may leave at ``max_tlp`` (see the module docstring)."""
    tlp = ds.ontology.vocabulary("tlp")
    if max_tlp not in tlp.concepts:
        raise UsageError(f"unknown sharing level {max_tlp!r} (expected {', '.join(tlp.ordered())})")
    limit = tlp.rank(max_tlp)
    report = SharingReport(max_tlp, pseudonymise)
    if limit >= max(c.rank for c in tlp.concepts.values()) and not pseudonymise:
        return ds, report  # the highest level withholds nothing

    def ok(level: str | None) -> bool:
        return level is None or tlp.rank(level) <= limit

    withheld_terms: set[str] = set()
    sources = {}
    for s in ds.sources.values():
        if ok(s.tlp):
            sources[s.id] = s
        else:
            withheld_terms |= {s.id, s.title}
    entities = {}
    for e in ds.entities.values():
        if ok(e.tlp):
            entities[e.id] = e
        else:
            withheld_terms |= {e.id, *e.all_names()}
    report.withheld["sources"] = len(ds.sources) - len(sources)
    report.withheld["entities"] = len(ds.entities) - len(entities)
    mentions = _mention_finder(withheld_terms)
    cleaner = _Cleaner(mentions, report)

    # a source whose title or publisher mentions a withheld record stays home too
    sources = {i: s for i, s in sources.items() if not mentions(s.title) and not mentions(s.publisher)}
    sources = {i: cleaner.source(s, sources) for i, s in sources.items()}
    entities = {i: cleaner.record(e, sources) for i, e in entities.items()}
    claims = {}
    for c in ds.claims.values():
        if not ok(c.tlp) or c.subject not in entities or c.object not in entities:
            continue
        c = cleaner.record(c, sources, cited=True)
        if c is not None:
            claims[c.id] = c
    report.withheld["claims"] = len(ds.claims) - len(claims)
    out = Dataset(ds.ontology, sources, entities, claims)  # curators' decisions stay home
    if pseudonymise:
        out = _pseudonymise(out, key, report)
    return out, report


def _NEVER(text: str | None) -> bool:
    return False


def _mention_finder(terms: set[str]):
    """A test: does a text mention any of ``terms`` (case-insensitive)?

    An Aho-Corasick automaton scans a text once whatever the number of terms; a regular
    expression of thousands of alternatives (withheld names of a bulk import) takes ~100 µs a quote.
    """
    terms = {t.lower() for t in terms if t and len(t) >= MIN_TERM}
    if not terms:
        return _NEVER
    automaton = ahocorasick.Automaton()
    for t in sorted(terms):
        automaton.add_word(t, t)
    automaton.make_automaton()
    return lambda text: bool(text) and next(automaton.iter(text.lower()), None) is not None


class _Cleaner:
    """Drops citations and text fields that reach outside what is shared."""

    TEXT_FIELDS = ("note", "description", "locator", "author")

    def __init__(self, mentions, report: SharingReport):
        self.mentions, self.report = mentions, report

    def _texts(self, rec: Any) -> dict[str, Any]:
        if self.mentions is _NEVER:
            return {}
        fields = _text_fields(type(rec), self.TEXT_FIELDS)
        drop = {f: None for f in fields if self.mentions(getattr(rec, f))}
        self.report.redacted_fields += len(drop)
        return drop

    def source(self, s: Source, kept: dict[str, Source]) -> Source:
        update = self._texts(s)
        if s.known_via is not None and s.known_via not in kept:
            update["known_via"] = None
        return s.model_copy(update=update) if update else s

    def record(self, rec: Entity | Claim, kept: dict[str, Source], cited: bool = False) -> Any:
        """The record as it may leave; None when ``cited`` and none of its citations may (no copy made)."""
        citations = [c for c in rec.citations if self._citation_ok(c, kept)]
        self.report.withheld["citations"] += len(rec.citations) - len(citations)
        if cited and not citations:
            return None
        update: dict[str, Any] = self._texts(rec)
        if len(citations) != len(rec.citations):
            update["citations"] = citations
        return rec.model_copy(update=update) if update else rec

    def _citation_ok(self, c: Citation, kept: dict[str, Source]) -> bool:
        return (c.source in kept and (c.reports is None or c.reports in kept)
                and not self.mentions(c.quote) and not self.mentions(c.locator))


@functools.cache
def _text_fields(model: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """Which of ``names`` a record model has (asked once per model: pydantic's lookup is slow)."""
    return tuple(f for f in names if f in model.model_fields)


def pseudonym_key() -> tuple[bytes, str | None]:
    """The key for pseudonyms, and a warning when it is the public default."""
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode("utf-8"), None
    return b"thbor-graph-default-pseudonym-key", (
        f"{KEY_ENV} is not set: pseudonyms use a public default key, so anyone holding a person's id "
        "can recompute them; set the variable to a secret shared by the exports that must match")


def _pseudonymise(ds: Dataset, key: bytes | None, report: SharingReport) -> Dataset:
    if key is None:
        key, warning = pseudonym_key()
        if warning:
            report.warnings.append(warning)
    renamed: dict[str, str] = {}
    names: dict[str, str] = {}
    entities = {}
    for e in ds.entities.values():
        if not ds.ontology.pseudonymised(e.types):
            entities[e.id] = e
            continue
        tag = hmac.new(key, e.id.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
        new_id, label = f"pseudonym-{tag}", f"Pseudonym {tag}"
        renamed[e.id] = new_id
        for n in dict.fromkeys([e.id, *e.all_names()]):
            names[n] = label
        entities[new_id] = e.model_copy(update={"id": new_id, "name": label, "aliases": [], "description": None,
                                                 "note": None, "url": None})
    report.pseudonyms = len(renamed)
    if not renamed:
        return ds
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 3),
                         re.IGNORECASE)

    def scrub(text: str | None) -> str | None:
        return pattern.sub(lambda m: f"[{names.get(m.group(0)) or _label_of(m.group(0), names)}]", text) if text else text

    def scrub_record(rec: Any) -> Any:
        update = {f: scrub(getattr(rec, f)) for f in ("note", "description", "locator", "title", "author")
                  if f in type(rec).model_fields and getattr(rec, f)}
        if hasattr(rec, "citations"):
            update["citations"] = [c.model_copy(update={"quote": scrub(c.quote), "locator": scrub(c.locator)})
                                   for c in rec.citations]
        return rec.model_copy(update={k: v for k, v in update.items() if v != getattr(rec, k)})

    claims = {}
    for c in ds.claims.values():
        c = scrub_record(c)
        if c.subject in renamed or c.object in renamed:
            c = c.model_copy(update={"subject": renamed.get(c.subject, c.subject),
                                     "object": renamed.get(c.object, c.object)})
            c = c.model_copy(update={"id": derive_claim_id(c)})
        claims[c.id] = c
    entities = {i: scrub_record(e) for i, e in entities.items()}
    sources = {i: scrub_record(s) for i, s in ds.sources.items()}
    return Dataset(ds.ontology, sources, entities, claims)


def _label_of(found: str, names: dict[str, str]) -> str:
    lowered = {k.lower(): v for k, v in names.items()}
    return lowered.get(found.lower(), "pseudonym")
