"""Knowledge time: what was public by a date, from the published dates of the sources.

A claim's ``start``/``end`` say when the thing happened (valid time, see
:func:`graph.query.projection.valid_days`); the ``published`` dates of the sources it cites say when it
became known. :func:`known_by` keeps the evidence that was public on a date: "what could anyone
have read when the suspects were arrested?".

A source counts as public by a date when the last day its ``published`` date stands for is on or
before the last day of the date asked for: a source published "2023" is not known to be public by
2023-07-26. A citation that relays another source (``reports``) was public when either was: the
relayed report is where the statement first became known. A citation whose sources have no
published date cannot be placed in time: it is left out and its sources reported.

>>> from graph.load.validate import load_dataset
>>> ds = load_dataset(["data"])
>>> early, report = known_by(ds, "2015")
>>> len(early.claims) < len(ds.claims), report.claims_left_out > 0
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model.dataset import Dataset
from graph.model.records import Claim, date_bounds


@dataclass
class KnownByReport:
    """What :func:`known_by` left out, and why."""

    date: str
    citations_left_out: int = 0
    claims_left_out: int = 0  # claims whose every citation was left out
    later_sources: list[str] = field(default_factory=list)  # published after the date
    undated_sources: list[str] = field(default_factory=list)  # no published date: cannot be placed in time

    def notes(self) -> list[str]:
        """Lines for people."""
        out = []
        if self.citations_left_out:
            out.append(f"known by {self.date}: {self.citations_left_out} citation(s) of {len(self.later_sources)} "
                       f"source(s) published later and {len(self.undated_sources)} undated source(s) left out; "
                       f"{self.claims_left_out} claim(s) left without evidence")
        if self.undated_sources:
            out.append("sources without a published date (their evidence is not placed in time): "
                       + ", ".join(self.undated_sources))
        return out

    def to_dict(self) -> dict:
        """The report as JSON data."""
        return {"date": self.date, "citations_left_out": self.citations_left_out,
                "claims_left_out": self.claims_left_out, "later_sources": self.later_sources,
                "undated_sources": self.undated_sources}


def public_by(published: str | None, date: str) -> bool | None:
    """Was a source published on or before ``date``? None when it has no published date.

    >>> public_by("2023-07-01", "2023-07"), public_by("2023", "2023-07-26"), public_by(None, "2023")
    (True, False, None)
    """
    if published is None:
        return None
    return date_bounds(published)[1] <= date_bounds(date)[1]


def known_since(ds: Dataset, claim: Claim) -> str | None:
    """The earliest published date among the sources a claim rests on (its knowledge time), or None."""
    return earliest([ds.sources[s].published for c in claim.citations for s in (c.source, c.reports) if s])


def earliest(dates: list[str | None]) -> str | None:
    """The date public soonest (by the last day each stands for), or None when none is given.

    >>> earliest(["2016", "2014-06-01", None])
    '2014-06-01'
    """
    given = [d for d in dates if d]
    return min(given, key=lambda d: (date_bounds(d)[1], d)) if given else None


def known_by(ds: Dataset, date: str) -> tuple[Dataset, KnownByReport]:
    """The Dataset as it was public on ``date``: later and undated citations out, claims left bare out."""
    report = KnownByReport(date)
    public = {s.id: public_by(s.published, date) for s in ds.sources.values()}
    later: set[str] = set()
    undated: set[str] = set()
    claims: dict[str, Claim] = {}
    for cid, c in ds.claims.items():  # keyed by claim id
        kept = [x for x in c.citations if public[x.source] or (x.reports and public[x.reports])]
        if len(kept) == len(c.citations):
            claims[cid] = c
            continue
        for x in c.citations:
            if x not in kept:
                for s in (x.source, x.reports):
                    if s:
                        (undated if public[s] is None else later).add(s)
        report.citations_left_out += len(c.citations) - len(kept)
        if kept:
            claims[cid] = c.model_copy(update={"citations": kept})
        else:
            report.claims_left_out += 1
    report.later_sources, report.undated_sources = sorted(later), sorted(undated)
    return Dataset(ds.ontology, ds.sources, ds.entities, claims, ds.resolutions), report
