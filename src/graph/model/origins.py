"""Independent origins: which of a claim's sources are echoes of one another.

Agreement is often an echo: five outlets reprinting one wire story are one origin, not five.
Two sources a claim rests on are **one origin** when

1. a citation of the claim cites one and ``reports`` the other (second-hand evidence);
2. one reaches the other upstream, through any chain of ``known_via`` (known through it),
   ``syndicates`` (reprints it) or ``cites`` (draws on it); or both reach a third source so;
3. they, or sources upstream of them, share a publisher (case and spacing aside; a source
   without a publisher is its own).

Links are followed upstream only, from a source to what it relays: a review that cites two
independent studies does not make the studies one origin, while two outlets that reprint one
wire story are. The groups are made by union-find over the claim's sources: two sources are
joined when their upstream sets (each source itself, what it relays, their publishers) meet.

The number of groups is the claim's **corroboration**: how many independent origins support it.
Citations that deny a claim (a ``stance`` the ontology marks ``thb:contested``) support nothing
and are left out of it.

>>> from graph.model.records import Citation, Source
>>> src = {"wire": Source(id="wire", title="W", kind="NewsArticle", reliability="B", publisher="Wire"),
...        "a": Source(id="a", title="A", kind="NewsArticle", reliability="C", syndicates="wire"),
...        "b": Source(id="b", title="B", kind="NewsArticle", reliability="C", syndicates="wire"),
...        "c": Source(id="c", title="C", kind="Report", reliability="B")}
>>> origin_groups([Citation(source=s, quote="q") for s in ("a", "b", "c")], src)
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.records import Citation, Claim, Source, cited_sources

OriginKey = tuple[str, str]  # ("source", id) or ("publisher", normalised name)


def denying_stances(onto: Ontology) -> frozenset[str]:
    """The citation stances that deny a claim: those the ontology marks ``thb:contested``."""
    return frozenset(n for n, c in onto.vocabulary("stance").concepts.items() if c.contested)


def supporting(citations: Iterable[Citation], onto: Ontology) -> list[Citation]:
    """The citations that affirm their claim (every one whose stance does not deny it)."""
    denials = denying_stances(onto)
    return [c for c in citations if c.stance not in denials]


def upstream(source_id: str, sources: Mapping[str, Source]) -> set[OriginKey]:
    """The source, the sources it relays (``known_via``, ``syndicates``, ``cites``, transitively), their publishers."""
    keys: set[OriginKey] = set()
    todo, seen = [source_id], set()
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        keys.add(("source", sid))
        s = sources.get(sid)
        if s is None:
            continue
        if s.publisher:
            keys.add(("publisher", re.sub(r"\s+", " ", s.publisher).strip().casefold()))
        todo += [x for x in (s.known_via, s.syndicates, *s.cites) if x]
    return keys


class Upstreams(dict[str, frozenset[OriginKey]]):
    """:func:`upstream` of each source of ``sources``, worked out once: a bulk pass over a million
    claims asks again and again about the same few thousand sources."""

    def __init__(self, sources: Mapping[str, Source]):
        super().__init__()
        self.sources = sources

    def __missing__(self, source_id: str) -> frozenset[OriginKey]:
        keys = self[source_id] = frozenset(upstream(source_id, self.sources))
        return keys


def origin_index(citations: list[Citation], sources: Mapping[str, Source],
                 up: Mapping[str, AbstractSet[OriginKey]] | None = None) -> dict[str, str]:
    """Each source the citations rest on (cited or reported) -> the first source of its origin group.

    Union-find over the sources: joined by a citation's ``reports`` and by meeting upstream sets
    (``up``: the sources' upstream keys, worked out once, e.g. :class:`Upstreams`).
    """
    ids = cited_sources(citations)
    if len(ids) <= 1:  # the common case: one source, nothing to join
        return {i: i for i in ids}
    if up is not None and all(c.reports is None for c in citations):
        keys = [up[i] for i in ids]
        if len(frozenset().union(*keys)) == sum(map(len, keys)):  # no two meet upstream: nothing to join
            return {i: i for i in ids}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:  # the root is the source met first, so that groups are named stably
            first, second = (ra, rb) if ids.index(ra) < ids.index(rb) else (rb, ra)
            parent[second] = first

    for c in citations:
        if c.reports is not None:
            union(c.source, c.reports)
    owner: dict[OriginKey, str] = {}
    for i in ids:
        for key in (up[i] if up is not None else upstream(i, sources)):
            if key in owner:
                union(owner[key], i)
            else:
                owner[key] = i
    return {i: find(i) for i in ids}


def source_order(sid: str, sources: Mapping[str, Source]) -> tuple[bool, str, str]:
    """Which of two sources came first: the earlier published, then the undated, each by id."""
    published = sources[sid].published if sid in sources else None
    return (published is None, str(published or ""), sid)


def readings(citations: list[Citation], sources: Mapping[str, Source],
             up: Mapping[str, AbstractSet[OriginKey]] | None = None) -> dict[str, list[Citation]]:
    """Each origin (by its :func:`origin_index` root) -> the citations its weight is read from.

    An origin is read from its **original**: the first (by :func:`source_order`) of its sources
    that is cited first-hand (a citation with no ``reports``) and relays none of the other sources
    upstream (``known_via``, ``syndicates``, ``cites``) — so sources of one publisher are read from
    the earliest. Its first-hand citations are the reading. An echo of a cited source (a reprint, a
    source that cites or is known through it, a citation that reports it, a later piece of its
    publisher) is therefore never the reading, and adding one changes nothing. Only an origin with
    no such citation is read from its echoes: the citations of its first source that relays nothing.

    >>> src = {"wire": Source(id="wire", title="W", kind="NewsArticle", reliability="B"),
    ...        "a": Source(id="a", title="A", kind="NewsArticle", reliability="C", syndicates="wire")}
    >>> wire, reprint = Citation(source="wire", quote="q"), Citation(source="a", quote="q")
    >>> readings([reprint, wire], src) == {"a": [wire]}
    True
    """
    index = origin_index(citations, sources, up)
    if len(index) <= 1:  # the common case: one source, read from all its citations
        return {root: list(citations) for root in index.values()}
    if all(sid == root for sid, root in index.items()) and all(c.reports is None for c in citations):
        # each source is an origin of its own, cited first-hand: read from all its citations
        each: dict[str, list[Citation]] = {sid: [] for sid in index}
        for c in citations:
            each[c.source].append(c)
        return each
    members: dict[str, list[str]] = {}
    for sid, root in index.items():
        members.setdefault(root, []).append(sid)
    first_hand = {c.source for c in citations if c.reports is None}
    found: dict[str, list[Citation]] = {}
    upstream_of = up if up is not None else Upstreams(sources)
    for root, group in members.items():
        inside = set(group)
        unrelayed = [s for s in group if not {k for kind, k in upstream_of[s] if kind == "source"} & inside - {s}]
        firsts = [s for s in unrelayed if s in first_hand] or unrelayed or group  # (a relay cycle: every member)
        original = min(firsts, key=lambda sid: source_order(sid, sources))
        own = [c for c in citations if c.source == original and c.reports is None]
        found[root] = own or [c for c in citations if original in (c.source, c.reports)]
    return found


def origin_groups(citations: list[Citation], sources: Mapping[str, Source]) -> list[list[str]]:
    """The sources of ``citations`` in origin groups: each group sorted, the groups sorted."""
    groups: dict[str, list[str]] = {}
    for source_id, root in origin_index(citations, sources).items():
        groups.setdefault(root, []).append(source_id)
    return sorted(sorted(g) for g in groups.values())


def origins(ds: Dataset, claim: Claim) -> list[list[str]]:
    """The independent origins that support ``claim``: its affirming citations' sources, grouped.

    >>> from graph.load.validate import load_dataset
    >>> ds = load_dataset(["data"])
    >>> {len(origins(ds, c)) for c in ds.claims.values()}
    {1}
    """
    return origin_groups(supporting(claim.citations, ds.ontology), ds.sources)


def corroboration(ds: Dataset, claim: Claim) -> int:
    """How many independent origins support ``claim`` (the number of :func:`origins` groups)."""
    return len(origins(ds, claim))
