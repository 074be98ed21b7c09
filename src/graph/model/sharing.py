"""The one filtering step every export goes through: sharing levels and pseudonyms.

``share(ds, "GREEN")`` gives a new Dataset holding only what may leave at TLP:GREEN:

- a source or entity leaves when its own level is at or below the level asked for;
- a citation leaves when its source (and the source it reports) leave;
- a claim leaves when its own level is low enough, both its entities leave and at least one of
  its citations leaves;
- nothing that leaves mentions a record that does not (its id, name, an alias, a merged id; a
  source's id, title, author, publisher or URL), in any spelling :class:`graph.model.names.MentionFinder`
  sees through (case, accents, width, spacing, punctuation, script). Where a mention is found
  decides what happens: a record whose id mentions one stays home (a claim's own id is replaced
  by the id derived from what it says); so does a source whose title or publisher does, and a
  citation whose quote or locator does; a URL, alias, merged id, note, description, author or
  text qualifier that mentions one is dropped; in an entity's name the mention is replaced by
  ``[withheld]``. So a withheld person never appears, not even in passing.

With ``pseudonymise=True`` every entity of a class marked ``thb:pseudonymise`` (persons) gets a
pseudonym instead of its id and name (HMAC-SHA256 of the id, keyed by the ``THBOR_PSEUDONYM_KEY``
environment variable, which must be set: without a secret key anyone could recompute them),
loses its aliases, description, note, url and merged ids, and every mention of it anywhere else
(the same matcher, every field, quotes included) is replaced by the pseudonym; URLs that mention
it are dropped; ids that mention it are rewritten, references with them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import unquote

from pydantic import BaseModel

from graph.errors import UsageError
from graph.model.dataset import Dataset
from graph.model.names import MentionFinder, match_key
from graph.model.ontology import Ontology
from graph.model.records import Citation, Claim, Entity, Source, derive_claim_id

KEY_ENV = "THBOR_PSEUDONYM_KEY"
MIN_KEY = 16  # a shorter key may be guessed
WITHHELD = "[withheld]"


@dataclass
class SharingReport:
    """What a sharing step kept, withheld and changed (goes into the export manifest).

    ``redacted_fields`` counts the fields dropped or rewritten because they mentioned a withheld
    (or pseudonymised) record; ``replaced_ids`` the ids rewritten for the same reason.
    """

    level: str
    pseudonymised: bool = False
    withheld: dict[str, int] = field(default_factory=lambda: {"sources": 0, "entities": 0, "claims": 0, "citations": 0})
    redacted_fields: int = 0
    replaced_ids: int = 0
    pseudonyms: int = 0
    warnings: list[str] = field(default_factory=list)


def level_asked(max_tlp: str | None) -> str | None:
    """A sharing level as asked for (any case), as the vocabulary spells it; None when none was asked.

    >>> level_asked("amber+strict"), level_asked(None)
    ('AMBER+STRICT', None)
    """
    return max_tlp.upper() if max_tlp else None


def resolve_level(onto: Ontology, max_tlp: str | None) -> str:
    """The level asked for, or the ontology's partner level; an unknown level is a usage error naming ``max_tlp``."""
    level = level_asked(max_tlp) or onto.partner_level
    if level not in onto.vocabulary("tlp").concepts:
        raise UsageError(f"max_tlp: unknown sharing level {level!r} (expected {onto.listing('tlp')})",
                         fields=("max_tlp",))
    return level


def share(ds: Dataset, max_tlp: str | None, pseudonymise: bool = False,
          key: bytes | None = None) -> tuple[Dataset, SharingReport]:
    """The part of ``ds`` that may leave at ``max_tlp`` (see the module docstring).

    ``None`` means the ontology's partner level (``thb:partnerLevel``), the level of every export
    and SPARQL answer unless another is asked for.

    Raises :class:`UsageError` for an unknown level, or when ``pseudonymise`` is asked for
    without a ``key`` and ``THBOR_PSEUDONYM_KEY`` is not set.
    """
    tlp = ds.ontology.vocabulary("tlp")
    max_tlp = resolve_level(ds.ontology, max_tlp)
    limit = tlp.rank(max_tlp)
    report = SharingReport(max_tlp, pseudonymise)
    if pseudonymise and key is None:
        key = pseudonym_key(report)
    if limit < max(c.rank for c in tlp.concepts.values()):  # the highest level withholds nothing
        ds = _withhold(ds, lambda level: level is None or tlp.rank(level) <= limit, report)
    if key is not None:
        ds = _pseudonymise(ds, key, report)
    return ds, report


def _withhold(ds: Dataset, ok: Callable[[str | None], bool], report: SharingReport) -> Dataset:
    """``ds`` without the records above the level (``ok`` says which levels may leave), nor mentions of them."""
    if all(ok(r.tlp) for records in (ds.sources, ds.entities, ds.claims) for r in records.values()):
        return Dataset(ds.ontology, ds.sources, ds.entities, ds.claims)  # nothing above it: nothing to scrub either
    sources = {i: s for i, s in ds.sources.items() if ok(s.tlp)}
    entities = {i: e for i, e in ds.entities.items() if ok(e.tlp)}
    terms = dict.fromkeys(t for e in ds.entities.values() if e.id not in entities
                          for t in (e.id, *e.merged_from, *e.all_names()))
    # a withheld source's author or publisher is no secret when a source that leaves names it too
    public = {match_key(t) for s in sources.values() for t in (s.author, s.publisher) if t}
    for s in ds.sources.values():
        if s.id not in sources:
            terms.update(dict.fromkeys(t for t in (s.id, s.title, s.author, s.publisher)
                                       if t and (t in (s.id, s.title) or match_key(t) not in public)))
            terms.update(dict.fromkeys(_url_forms(s.url)))
    scrub = _Scrubber(MentionFinder({t: WITHHELD for t in terms if t}), report, pseudonyms=False)
    sources = {i: kept_s for i, s in sources.items() if (kept_s := scrub.source(s)) is not None}
    sources = {i: s.model_copy(update={"known_via": None}) if s.known_via and s.known_via not in sources else s
               for i, s in sources.items()}
    sources = {i: s.model_copy(update={"syndicates": s.syndicates if s.syndicates in sources else None,  # origins
                                       "cites": [x for x in s.cites if x in sources]})
               if {s.syndicates, *s.cites} - {None, *sources} else s for i, s in sources.items()}
    entities = {i: kept_e for i, e in entities.items() if (kept_e := scrub.entity(e, sources)) is not None}
    claims: dict[str, Claim] = {}
    for claim in ds.claims.values():
        if ok(claim.tlp) and claim.subject in entities and claim.object in entities:
            kept = scrub.claim(claim, sources)
            if kept is not None and kept.id is not None and kept.id not in claims:
                claims[kept.id] = kept
    report.withheld.update(sources=len(ds.sources) - len(sources), entities=len(ds.entities) - len(entities),
                           claims=len(ds.claims) - len(claims))
    return Dataset(ds.ontology, sources, entities, claims)  # curators' decisions stay home


def _url_forms(url: str | None) -> list[str]:
    """A URL as text may quote it: whole, decoded, without its scheme (the host alone is no secret)."""
    if not url:
        return []
    decoded = unquote(url)
    return [url, decoded, *(u.split("://", 1)[-1] for u in (url, decoded))]


class _Scrubber:
    """One finder applied to every field of a record: drops or rewrites what mentions a term.

    Sharing (``pseudonyms=False``) withholds a record whose id, or a source whose title or
    publisher, mentions a term, drops a citation whose quote or locator does and every other
    field that does, except a name, where the mention becomes ``[withheld]``. Pseudonymising
    replaces each mention by its pseudonym (ids by its id form) and drops only URLs.
    """

    TEXTS: dict[type[BaseModel], tuple[str, ...]] = {
        Source: ("title", "publisher", "author", "note"), Entity: ("name", "description", "note"), Claim: ("note",)}

    def __init__(self, finder: MentionFinder, report: SharingReport, pseudonyms: bool):
        self.finder, self.report, self.pseudonyms = finder, report, pseudonyms

    def _text(self, text: str) -> str:
        return self.finder.replace(text, lambda v: f"[{v}]" if self.pseudonyms else v)

    def _fields(self, rec: Any) -> dict[str, Any]:
        """The changes to ``rec``'s text fields, URL, aliases, merged ids and text qualifiers."""
        update: dict[str, Any] = {}
        model: type[BaseModel] = type(rec)
        finder, pseudonyms = self.finder, self.pseudonyms
        for name in _fields_of(model, self.TEXTS[model]):
            value = getattr(rec, name)
            if value and finder(value):
                update[name] = self._text(value) if pseudonyms or name == "name" else None
        has = _fields_of(model, ("url", "aliases", "merged_from", "qualifiers"))
        if "url" in has and rec.url and finder(rec.url):  # the finder sees through percent-escapes
            update["url"] = None
        if "aliases" in has and rec.aliases and any(finder(a.name) for a in rec.aliases):
            update["aliases"] = ([a.model_copy(update={"name": self._text(a.name)}) for a in rec.aliases] if pseudonyms
                                 else [a for a in rec.aliases if not finder(a.name)])
        if "merged_from" in has and any(finder(m) for m in rec.merged_from):
            update["merged_from"] = [m for m in rec.merged_from if not finder(m)]
        if "qualifiers" in has and any(isinstance(v, str) and finder(v) for v in rec.qualifiers.values()):
            update["qualifiers"] = {k: self._text(v) if pseudonyms and isinstance(v, str) else v
                                    for k, v in rec.qualifiers.items()
                                    if pseudonyms or not (isinstance(v, str) and finder(v))}
        self.report.redacted_fields += len(update)
        return update

    def _citations(self, citations: list[Citation], sources: dict[str, Source],
                   ids: dict[str, str] | None = None) -> list[Citation]:
        out = []
        for c in citations:
            if c.source not in sources or (c.reports is not None and c.reports not in sources):
                continue
            if self.pseudonyms:
                update = {"quote": self._text(c.quote), "locator": c.locator and self._text(c.locator),
                          "source": (ids or {}).get(c.source, c.source),
                          "reports": c.reports and (ids or {}).get(c.reports, c.reports),
                          "values": {k: self._text(v) if isinstance(v, str) else v for k, v in c.values.items()}}
                out.append(c.model_copy(update={k: v for k, v in update.items() if v != getattr(c, k)}))
            elif not self.finder(c.quote) and not self.finder(c.locator) and \
                    not any(isinstance(v, str) and self.finder(v) for v in c.values.values()):  # the figures it gives
                out.append(c)
        self.report.withheld["citations"] += len(citations) - len(out)
        return out

    def _keeps_id(self, rec: Source | Entity) -> bool:
        """When sharing: does the record's id (a source's title, publisher) mention nothing withheld?"""
        return self.pseudonyms or not (self.finder(rec.id) or isinstance(rec, Source) and (
            self.finder(rec.title) or self.finder(rec.publisher)))

    def source(self, s: Source, ids: dict[str, str] | None = None) -> Source | None:
        """The source as it may leave; None when it may not. ``ids`` maps source ids to new ones."""
        if not self._keeps_id(s):
            return None
        update = self._fields(s)
        ids = ids or {}
        if ids.get(s.id, s.id) != s.id:
            update["id"] = ids[s.id]
        if s.known_via is not None and ids.get(s.known_via, s.known_via) != s.known_via:
            update["known_via"] = ids[s.known_via]
        if s.syndicates is not None and ids.get(s.syndicates, s.syndicates) != s.syndicates:
            update["syndicates"] = ids[s.syndicates]
        if any(ids.get(x, x) != x for x in s.cites):
            update["cites"] = sorted(ids.get(x, x) for x in s.cites)
        return s.model_copy(update=update) if update else s

    def entity(self, e: Entity, sources: dict[str, Source], ids: dict[str, str] | None = None) -> Entity | None:
        """The entity as it may leave (None: withheld); ``sources`` are those that leave (by old id)."""
        if not self._keeps_id(e):
            return None
        update = self._fields(e)
        citations = self._citations(e.citations, sources, ids)
        if citations != e.citations:
            update["citations"] = citations
        return e.model_copy(update=update) if update else e

    def claim(self, c: Claim, sources: dict[str, Source], ids: dict[str, str] | None = None) -> Claim | None:
        """The claim as it may leave; None when none of its citations may, or its id cannot be made safe."""
        citations = self._citations(c.citations, sources, ids)
        if not citations:
            return None
        update = self._fields(c)
        if citations != c.citations:
            update["citations"] = citations
        out = c.model_copy(update=update) if update else c
        if "qualifiers" in update and c.id == derive_claim_id(c):  # its id hashed what it no longer says
            out = out.model_copy(update={"id": derive_claim_id(out)})
        elif not self.pseudonyms and self.finder(out.id):
            # an id of the curator's naming a withheld record: the derived one instead
            out = out.model_copy(update={"id": derive_claim_id(out)})
            self.report.replaced_ids += 1
            if self.finder(out.id):
                return None
        return out


def _id_form(label: str) -> str:
    """How a pseudonym stands in an id: ``Pseudonym 0a1b…`` as ``pseudonym-0a1b…``."""
    return "pseudonym-" + label.split()[-1]


@functools.cache
def _fields_of(model: type[BaseModel], names: tuple[str, ...]) -> tuple[str, ...]:
    """Which of ``names`` a record model has (asked once per model: pydantic's lookup is slow)."""
    return tuple(f for f in names if f in model.model_fields)


def pseudonym_key(report: SharingReport | None = None) -> bytes:
    """The secret key of pseudonyms, from ``THBOR_PSEUDONYM_KEY``.

    Without one there is no pseudonymising: a key anyone knows (or one left out of the output)
    would let anyone holding a person's id recompute the pseudonym, or make pseudonyms that no
    later export matches. A short key is accepted with a warning in ``report``.
    """
    value = os.environ.get(KEY_ENV, "")
    if not value.strip():
        raise UsageError(f"pseudonymise needs a secret key: set {KEY_ENV} to a secret of {MIN_KEY} characters "
                         "or more, the same for every export whose pseudonyms must match", fields=("pseudonymise",))
    if len(value) < MIN_KEY and report is not None:
        report.warnings.append(f"{KEY_ENV} is shorter than {MIN_KEY} characters: pseudonyms may be recomputed "
                               "by guessing it")
    return value.encode("utf-8")


def _pseudonymise(ds: Dataset, key: bytes, report: SharingReport) -> Dataset:
    """``ds`` with every person replaced by a pseudonym, every mention of them included."""
    labels: dict[str, str] = {}
    terms: dict[str, str] = {}
    for e in ds.entities.values():
        if ds.ontology.pseudonymised(e.types):
            tag = hmac.new(key, e.id.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
            labels[e.id] = f"Pseudonym {tag}"
            terms.update(dict.fromkeys((e.id, *e.merged_from, *e.all_names()), labels[e.id]))
    report.pseudonyms = len(labels)
    if not labels:
        return ds
    scrub = _Scrubber(MentionFinder(terms), report, pseudonyms=True)
    source_ids = _new_ids(ds.sources, scrub, {}, report)
    # pseudonymising withholds nothing: every record comes back (rewritten), never None
    sources = {source_ids[i]: cast(Source, scrub.source(s, source_ids)) for i, s in ds.sources.items()}
    entity_ids = _new_ids(ds.entities, scrub, {i: _id_form(label) for i, label in labels.items()}, report)
    entities = {}
    for i, e in ds.entities.items():
        if i in labels:
            e = e.model_copy(update={"name": labels[i], "aliases": [], "description": None, "note": None,
                                     "url": None, "merged_from": []})
        e = cast(Entity, scrub.entity(e, ds.sources, source_ids))
        entities[entity_ids[i]] = e.model_copy(update={"id": entity_ids[i]})
    claims: dict[str, Claim] = {}
    for claim in ds.claims.values():
        c = cast(Claim, scrub.claim(claim, ds.sources, source_ids))
        c = c.model_copy(update={"subject": entity_ids[c.subject], "object": entity_ids[c.object]})
        if claim.id == derive_claim_id(claim) or scrub.finder(c.id):
            c = c.model_copy(update={"id": derive_claim_id(c)})
        claims[derive_claim_id(c) if c.id is None else c.id] = c
    return Dataset(ds.ontology, sources, entities, claims)


def _new_ids(records: dict[str, Any], scrub: _Scrubber, given: dict[str, str], report: SharingReport) -> dict[str, str]:
    """Old id -> the id a record leaves with: ``given``, else with each mention in it replaced.

    Made one-to-one: a new id already taken gets a numbered suffix.
    """
    out: dict[str, str] = {}
    taken = {i for i in records if i not in given and not scrub.finder(i)}
    for old in records:
        new = given.get(old) or (scrub.finder.replace(old, _id_form) if scrub.finder(old) else old)
        if new != old:
            report.replaced_ids += old not in given
            n, candidate = 1, new
            while candidate in taken:
                n += 1
                candidate = f"{new}-{n}"
            new = candidate
            taken.add(new)
        out[old] = new
    return out
