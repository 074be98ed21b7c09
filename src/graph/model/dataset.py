"""The Dataset: the validated hub every projection and output is made from."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph.model.ontology import Ontology
from graph.model.records import Claim, Entity, Source, cited_sources


@dataclass
class Dataset:
    """Validated sources, entities and claims, each keyed and sorted by id."""

    ontology: Ontology
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    resolutions: list[Any] = field(default_factory=list)  # curators' decisions (graph.model.records.Resolution)

    def __post_init__(self) -> None:
        for name in ("sources", "entities", "claims"):
            setattr(self, name, dict(sorted(getattr(self, name).items())))

    def claim_sources(self, claim: Claim) -> list[Source]:
        """The distinct sources a claim rests on (cited, or reported by a cited source), in citation order."""
        return [self.sources[i] for i in cited_sources(claim.citations)]

    @functools.cached_property
    def _tlp_rank(self) -> dict[str | None, int]:
        ranks: dict[str | None, int] = {n: c.rank for n, c in self.ontology.vocabulary("tlp").concepts.items()}
        ranks[None] = -1  # no level given: below every level
        return ranks

    @functools.cached_property
    def _tlp_by_rank(self) -> dict[int, str]:
        return {r: n for n, r in self._tlp_rank.items() if n is not None}

    def effective_tlp(self, claim: Claim, sources_rank: int | None = None) -> str:
        """The sharing level a claim needs: its own, its endpoints' and its sources', whichever is highest.

        ``sources_rank``, the highest rank among the claim's sources (:meth:`sources_tlp_rank`),
        when the caller has it: a bulk pass works it out once for claims that cite alike.
        """
        rank, entities = self._tlp_rank, self.entities
        if sources_rank is None:
            sources_rank = self.sources_tlp_rank(cited_sources(claim.citations))
        best = max(rank[claim.tlp], rank[entities[claim.subject].tlp], rank[entities[claim.object].tlp], sources_rank)
        return self._tlp_by_rank[best]

    def sources_tlp_rank(self, ids: Iterable[str]) -> int:
        """The highest sharing level's rank among the sources ``ids`` (-1 for none)."""
        rank, sources = self._tlp_rank, self.sources
        return max((rank[sources[i].tlp] for i in ids), default=-1)

    @functools.cached_property
    def _low_grades(self) -> tuple[frozenset[str], frozenset[str]]:
        return self.ontology.low_grades("reliability"), self.ontology.low_grades("credibility")

    def is_low_graded(self, claim: Claim) -> bool:
        """True when every citation rests on a low-graded source or a low-graded credibility."""
        reliability, credibility = self._low_grades
        return all(
            self.sources[c.source].reliability in reliability
            or (c.reports is not None and self.sources[c.reports].reliability in reliability)
            or (c.credibility is not None and c.credibility in credibility)
            for c in claim.citations
        )

    def _sections(self) -> dict[str, Any]:
        sections: dict[str, Any] = {"claims": self.claims.values(), "entities": self.entities.values(),
                                    "ontology_version": self.ontology.version, "sources": self.sources.values()}
        if self.resolutions:
            sections["resolutions"] = self.resolutions
        return dict(sorted(sections.items()))

    def to_dict(self) -> dict[str, Any]:
        """Plain data: what ``thbor build`` writes as ``dataset.json``."""
        return {k: v if isinstance(v, str) else [plain(r) for r in v] for k, v in self._sections().items()}

    def iter_json(self) -> Iterator[str]:
        """Deterministic JSON of :meth:`to_dict` (keys sorted, two-space indent), a record at a time.

        Written record by record, a million claims never sit in memory as one document; orjson
        makes it ~15 times faster than the standard library.
        """
        return json_document((k, v if isinstance(v, str) else map(plain, v)) for k, v in self._sections().items())

    def record_lines(self) -> Iterator[str]:
        """Each record as a line: its section, its id as JSON and the record as JSON (no None values),
        tab-separated, the sections in the order of ``dataset.json`` (JSON text holds no raw tab or
        line break). What the store and :func:`~graph.load.dataset_json.write_from_lines` read."""
        for section, records in self._sections().items():
            if isinstance(records, str):
                continue
            for r in records:
                key = orjson.dumps(getattr(r, "id", None) or "").decode()
                yield f"{section}\t{key}\t{r.model_dump_json(exclude_none=True)}\n"

    def section_names(self) -> list[str]:
        """The sections of ``dataset.json`` that hold records, in order."""
        return [k for k, v in self._sections().items() if not isinstance(v, str)]

    def to_json(self) -> str:
        """:meth:`iter_json` as one string."""
        return "".join(self.iter_json())


def plain(record: Any) -> dict[str, Any]:
    """A record as plain JSON data, as dataset.json holds it (no None values)."""
    return record.model_dump(mode="json", exclude_none=True)


def json_document(sections: Iterable[tuple[str, str | Iterable[dict[str, Any]]]]) -> Iterator[str]:
    """The text of ``dataset.json`` from its sections, in order: a text, or the records as plain data.

    >>> "".join(json_document([("a", "x"), ("b", [{"k": 1}])]))
    '{\\n  "a": "x",\\n  "b": [\\n    {\\n      "k": 1\\n    }\\n  ]\\n}\\n'
    """
    sections = list(sections)
    yield "{"
    for n, (key, value) in enumerate(sections):
        yield f'\n  "{key}": '
        if isinstance(value, str):
            yield _dumps(value)
        else:
            first = True
            for data in value:
                yield ("[\n    " if first else ",\n    ") + _dumps(data).replace("\n", "\n    ")
                first = False
            yield "[]" if first else "\n  ]"
        if n < len(sections) - 1:
            yield ","
    yield "\n}\n"


def _dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:  # a whole number beyond 64 bits: the standard library writes it
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
