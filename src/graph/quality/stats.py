"""Counts that describe a Dataset: what ``thbor stats`` shows.

>>> from graph.load.validate import load_dataset
>>> s = dataset_stats(load_dataset(["data"]))
>>> s["totals"]["claims"] > 0
True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.model.dataset import Dataset
from graph.model.origins import corroboration
from graph.quality.conflicts import conflicting_claims
from graph.query.projection import EdgeTable


def _sorted(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def dataset_stats(ds: Dataset, table: EdgeTable | None = None) -> dict[str, Any]:
    """Counts by entity type, predicate, status, source reliability and sharing level.

    ``low_graded_claims`` lists the claims whose every citation rests on a low-graded source
    or credibility (the grades the ontology marks ``thb:lowGrade``). ``table``, the projection's
    edge columns when the caller has them, saves computing claim levels twice.

    ``claims_by_independent_origins`` counts the claims by how many independent origins support
    them (:mod:`graph.model.origins`: echoes of one origin count once); ``conflicting_claims``
    marks each claim in a disagreement with the kinds of disagreement (``thbor conflicts``);
    ``corroborated_claims`` gives each claim with more than one independent origin its number (a
    claim not listed has one, or none when every citation denies it).
    """
    tlp_order = ds.ontology.vocabulary("tlp").ordered()
    if table is not None and "origins" in table.columns:  # found with the confidence, once
        origins = dict(zip(table.keys, table.columns["origins"], strict=True))
    else:
        origins = {cid: corroboration(ds, c) for cid, c in ds.claims.items()}
    if table is not None and "low_graded" in table.columns:
        low_graded = [cid for cid, low in zip(table.keys, table.columns["low_graded"], strict=True) if low]
    else:
        low_graded = [cid for cid, c in ds.claims.items() if ds.is_low_graded(c)]
    if table is not None:
        effective, predicates, statuses = (Counter(table.columns[a]) for a in ("tlp", "predicate", "status"))
    else:
        effective = Counter(ds.effective_tlp(c) for c in ds.claims.values())
        predicates = Counter(c.predicate for c in ds.claims.values())
        statuses = Counter(c.status for c in ds.claims.values())
    return {
        "totals": {"sources": len(ds.sources), "entities": len(ds.entities), "claims": len(ds.claims),
                   "citations": sum(len(c.citations) for c in ds.claims.values())},
        "entity_types": _sorted(Counter(t for e in ds.entities.values() for t in e.types)),
        "predicates": _sorted(predicates),
        "claim_status": _sorted(statuses),
        "source_reliability": dict(sorted(Counter(s.reliability for s in ds.sources.values()).items())),
        "source_kinds": _sorted(Counter(s.kind for s in ds.sources.values())),
        "sharing_levels": {
            kind: {lv: n for lv in tlp_order if (n := levels[lv])}
            for kind, records in (("sources", ds.sources.values()), ("entities", ds.entities.values()),
                                  ("claims", ds.claims.values()))
            for levels in (Counter(r.tlp for r in records),)
        },
        "claims_effective_sharing_levels": {lv: n for lv in tlp_order if (n := effective[lv])},
        "low_graded_claims": sorted(low_graded),
        "claims_by_independent_origins": {str(n): k for n, k in sorted(Counter(origins.values()).items())},
        "corroborated_claims": {cid: n for cid, n in sorted(origins.items()) if n > 1},
        "conflicting_claims": conflicting_claims(ds),
    }

