"""Quality checks on a valid Dataset: what a reviewer should look at before trusting it.

Validation says whether the data can be read; lint says where it is weak. Each finding names
the record and where it was read.

>>> from graph.load.validate import load_dataset
>>> findings = lint(load_dataset(["data"]))
>>> {f.rule for f in findings} <= set(RULES)
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from graph.errors import UsageError
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.origins import denying_stances, origins
from graph.model.records import Claim, Entity, Record

MAX_QUOTE_WORDS = 25

RULES = {  # rule -> what it finds; {reliability} and {credibility}: the low grades of the ontology
    "low-graded": "claim rests only on low-graded sources ({reliability}) or credibility ({credibility})",
    "single-source": "claim rests on a single independent origin (echoes of one origin count once)",
    "denied-not-contested": "a citation denies the claim, but its status is not {contested}",
    "unverified-not-alleged": "claim rests only on sources of low reliability ({reliability}) but is not marked "
                              "{unverified}",
    "no-claims": "entity appears in no claim",
    "uncited-source": "source is cited, reported or relied on by nothing",
    "long-quote": f"quote is longer than {MAX_QUOTE_WORDS} words (quote a phrase; paraphrase in note)",
    "lowered-tlp": "sharing level set below its type's default without a note saying why",
    "quote-not-in-text": "quote does not occur in the text given for its source",
    "no-latin-alias": "entity withheld from partners has a name in another script and no alias in Latin script "
                      "(the sharing step finds other spellings of it only by transliteration)",
}


@dataclass(frozen=True, order=True)
class Finding:
    """One weakness of one record."""

    rule: str
    path: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.record}: [{self.rule}] {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class LintReport:
    """The findings of the rules asked for, their count per rule, and the size of what was linted."""

    findings: list[Finding]
    counts: dict[str, int]  # rule -> findings, in the order of RULES, rules without findings left out
    sizes: dict[str, int] = field(default_factory=dict)  # claims, entities, sources

    def to_dict(self, summary: bool = False) -> dict[str, object]:
        """What ``thbor lint --json`` prints; ``summary`` leaves the findings out, keeping their counts."""
        return {"counts": self.counts, "findings": [] if summary else [f.to_dict() for f in self.findings]}


def select_rules(names: Iterable[str] | None) -> frozenset[str]:
    """The rules named (every rule when none is); :class:`UsageError` for a name that is no rule."""
    chosen = frozenset(names or ())
    unknown = sorted(chosen - set(RULES))
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(unknown)}; rules: {', '.join(RULES)}")
    return chosen or frozenset(RULES)


def lint_report(ds: Dataset, texts: dict[str, str] | None = None, rules: Iterable[str] | None = None) -> LintReport:
    """:func:`lint` with only ``rules`` (default: all) and counts per rule.

    ``texts`` may name only sources of ``ds`` (:class:`UsageError` naming ``texts`` otherwise).
    """
    chosen = select_rules(rules)
    missing = sorted(set(texts or {}) - set(ds.sources))
    if missing:
        raise UsageError(f"texts name unknown source(s) {', '.join(missing)}", fields=("texts name",))
    findings = [f for f in lint(ds, texts) if f.rule in chosen]
    counts = {r: n for r in RULES if (n := sum(f.rule == r for f in findings))}
    return LintReport(findings, counts, {"claims": len(ds.claims), "entities": len(ds.entities),
                                         "sources": len(ds.sources)})


def _finding(rule: str, rec: Record, message: str, loc: tuple[str | int, ...] = ()) -> Finding:
    return Finding(rule, rec.origin.path, rec.origin.line_of(loc), rec.label, message)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def lint(ds: Dataset, texts: dict[str, str] | None = None) -> list[Finding]:
    """Every finding of every rule, sorted by file and line.

    ``texts`` maps source ids to their full text: every quote citing such a source must occur in
    it verbatim (white space aside).
    """
    findings: list[Finding] = []
    findings += _claim_findings(ds)
    findings += _entity_findings(ds)
    findings += _source_findings(ds)
    findings += _quote_findings(ds, {k: _normalise(v) for k, v in (texts or {}).items()})
    return sorted(findings, key=lambda f: (f.path, f.line, f.record, f.rule))


def rule_text(rule: str, onto: Ontology) -> str:
    """What ``rule`` finds, in the words of the ontology's vocabulary.

    >>> from graph.model.ontology import load_ontology
    >>> rule_text("low-graded", load_ontology())
    'claim rests only on low-graded sources (E/F) or credibility (5/6)'
    """
    def low(field: str) -> str:
        return "/".join(g for g in onto.vocabulary(field).ordered() if g in onto.low_grades(field))

    unverified = sorted(onto.weak_evidence_statuses - onto.contested_statuses)
    contested = " or ".join(sorted(onto.contested_statuses))
    return RULES[rule].format(reliability=low("reliability"), credibility=low("credibility"),
                              unverified=" or ".join(unverified), contested=contested)


def _claim_findings(ds: Dataset) -> list[Finding]:
    reliability = ds.ontology.vocabulary("reliability").concepts
    denials = denying_stances(ds.ontology)
    out = []
    for claim in ds.claims.values():
        if ds.is_low_graded(claim):
            out.append(_finding("low-graded", claim, rule_text("low-graded", ds.ontology)))
        groups = origins(ds, claim)
        if len(groups) <= 1:
            out.append(_finding("single-source", claim, f"1 independent origin: {', '.join(groups[0])}" if groups
                                else "no independent origin: every citation denies the claim"))
        if claim.status not in ds.ontology.contested_statuses and any(c.stance in denials for c in claim.citations):
            out.append(_finding("denied-not-contested", claim, f"status is {claim.status!r}, but a citation denies it",
                                ("status",)))
        # the origin of a second-hand citation is the source it reports
        firsthand = sorted({c.reports or c.source for c in claim.citations})
        if (all(reliability[ds.sources[o].reliability].low_grade for o in firsthand)
                and claim.status not in ds.ontology.weak_evidence_statuses):
            out.append(_finding("unverified-not-alleged", claim,
                                f"status is {claim.status!r}; rests on {', '.join(firsthand)}", ("status",)))
    return out


def _entity_findings(ds: Dataset) -> list[Finding]:
    used = Counter(e for c in ds.claims.values() for e in (c.subject, c.object))
    rank = ds.ontology.vocabulary("tlp").rank
    out = []
    for e in ds.entities.values():
        if not used[e.id]:
            out.append(_finding("no-claims", e, RULES["no-claims"]))
        default = ds.ontology.default_tlp(e.types)
        if e.tlp and rank(e.tlp) < rank(default) and not e.note:
            out.append(_finding("lowered-tlp", e, f"{e.tlp} is below the default {default}", ("tlp",)))
        if e.tlp and rank(e.tlp) > rank(ds.ontology.partner_level) and not any(map(_latin, e.all_names())):
            # "สมชาย ใจดี" transliterates to "smchay aichdi": a text writing "Somchai Jaidee" would leak it
            out.append(_finding("no-latin-alias", e, f"{e.name!r}: add the usual Latin spelling as an alias",
                                ("aliases",)))
    return out


def _latin(name: str) -> bool:
    """True when every letter of ``name`` is a Latin letter (accents allowed).

    >>> _latin("Nguyễn Văn Thành"), _latin("สมชาย ใจดี"), _latin("王伟")
    (True, False, False)
    """
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())


def _source_findings(ds: Dataset) -> list[Finding]:
    referenced: set[str] = set()
    for rec in _cited_records(ds):
        for c in rec.citations:
            referenced.update(i for i in (c.source, c.reports) if i)
    # a source that a referenced source is known through, reprints or draws on is relied on too
    frontier = set(referenced)
    while frontier:
        nxt = {up for s in frontier for up in (ds.sources[s].known_via, ds.sources[s].syndicates,
                                                *ds.sources[s].cites) if up} - referenced
        referenced |= nxt
        frontier = nxt
    return [_finding("uncited-source", s, RULES["uncited-source"])
            for s in ds.sources.values() if s.id not in referenced]


def _cited_records(ds: Dataset) -> list[Claim | Entity]:
    """The records that cite sources: claims, then entities."""
    return [*ds.claims.values(), *ds.entities.values()]


def _quote_findings(ds: Dataset, texts: dict[str, str]) -> list[Finding]:
    out = []
    for rec in _cited_records(ds):
        for i, c in enumerate(rec.citations):
            words = len(c.quote.split())
            if words > MAX_QUOTE_WORDS:
                out.append(_finding("long-quote", rec, f"citations.{i}: {words} words", ("citations", i, "quote")))
            if c.source in texts and _normalise(c.quote) not in texts[c.source]:
                out.append(_finding("quote-not-in-text", rec, f"citations.{i}: {c.quote[:60]!r} not found in "
                                    f"the text of {c.source}", ("citations", i, "quote")))
    return out
