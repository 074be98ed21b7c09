"""Typed records: Source, Entity, Claim, Citation, Alias.

Field names are the on-disk contract of the case files. These models check what a record can
check alone (shapes, formats, dates, URLs); checks against the ontology and across records live
in :mod:`graph.load.validate`.

>>> c = Claim(subject="a", predicate="recruited", object="b",
...           citations=[{"source": "s", "quote": "recruited", "credibility": 2}])
>>> c.id, c.status
('a.recruited.b', None)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated, Any

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph.model.values import (  # noqa: F401
    OPEN_END,
    as_date_text,
    as_end_text,
    check_date,
    check_end,
    check_line,
    check_text,
    check_url,
    date_bounds,
    is_false,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$"
CLAIM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,419}$"  # derived ids join two entity ids
LANG_PATTERN = r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$"

_NO_LINES: Mapping[tuple[str | int, ...], int] = MappingProxyType({})


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file, line of the record, and the line of each nested field.

    ``field_lines`` maps a field's location (as pydantic reports it: ``("citations", 0,
    "quote")``) to its line; a location not listed falls back to its nearest listed parent.

    >>> Origin("a.yaml", 3, {("citations",): 7, ("citations", 0): 8}).line_of(("citations", 0, "quote"))
    8
    """

    path: str
    line: int
    # one shared empty mapping by default: a million JSON Lines records need no field lines each
    field_lines: Mapping[tuple[str | int, ...], int] = field(default_factory=lambda: _NO_LINES, hash=False,
                                                               compare=False)

    def line_of(self, loc: tuple[str | int, ...] = ()) -> int:
        """Line of a field location, or of the record when no part of it is known."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.field_lines:
                return self.field_lines[loc[:n]]
        return self.line



# RDF compares language tags case-insensitively and stores them in lower case: so do we
LangTag = Annotated[str | None, BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v),
                    Field(pattern=LANG_PATTERN)]
IsoDate = Annotated[str | None, BeforeValidator(as_date_text), AfterValidator(check_date)]
EndDate = Annotated[str | None, BeforeValidator(as_end_text), AfterValidator(check_end)]
Url = Annotated[str | None, AfterValidator(check_url)]
Text = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(check_text)]
Line = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(check_line)]
RecordId = Annotated[str, Field(pattern=ID_PATTERN)]


class Part(BaseModel):
    """Common base: unknown fields are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Record(Part):
    """A top-level record (source, entity, claim), which remembers where it was read."""

    # Where a record was read is kept beside its fields, not as a pydantic private attribute:
    # those cost a fifth of the time of loading a million records. Dumps, equality and repr see
    # only the fields; copies keep the origin.

    def locate(self, origin: Origin | None, label: str | None) -> None:
        """Remember where the record was read and how messages name it."""
        self.__dict__["_origin"], self.__dict__["_label"] = origin, label

    def compact(self) -> None:
        """Let the record and its parts share one set of field names per kind, instead of each holding
        the names of the fields it was given (pydantic's ``model_fields_set``).

        A million claims' own sets take about a gigabyte, and nothing reads them here: no dump
        leaves out the fields that were not given, and copies get sets of their own.
        """
        share = object.__setattr__  # a slot of pydantic's models: set directly
        share(self, "__pydantic_fields_set__", _field_set(type(self)))
        for name in ("citations", "aliases"):
            parts = self.__dict__.get(name)
            if parts:
                names = _field_set(type(parts[0]))
                for part in parts:
                    share(part, "__pydantic_fields_set__", names)

    @property
    def origin(self) -> Origin:
        """Where the record was read from (a placeholder for records made in code)."""
        return self.__dict__.get("_origin") or Origin("<memory>", 0)

    @property
    def label(self) -> str:
        """How messages name the record: its id as the file gives it, else its kind and line."""
        return self.__dict__.get("_label") or str(getattr(self, "id", "") or "")


_FIELD_SETS: dict[type[Part], set[str]] = {}


def _field_set(kind: type[Part]) -> set[str]:
    shared = _FIELD_SETS.get(kind)
    if shared is None:
        shared = _FIELD_SETS[kind] = set(kind.model_fields)
    return shared


class Alias(Part):
    """Another name of an entity, with its language (BCP 47)."""

    name: Line
    lang: LangTag = None


def _grade_text(value: Any) -> Any:
    """A credibility grade given as a number (``credibility: 2`` in YAML) as its notation."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _empty(value: Any) -> bool:
    return not value


class Citation(Part):
    """A verbatim passage of a source that supports a claim or entity."""

    source: RecordId
    quote: Annotated[str, Field(min_length=1, max_length=2_000), AfterValidator(check_text)]
    locator: Annotated[str | None, Field(max_length=200), AfterValidator(check_line)] = None
    reports: RecordId | None = None  # the source that the cited source reports (second-hand evidence)
    credibility: Annotated[str | None, BeforeValidator(_grade_text)] = None
    stance: Line | None = None  # affirms (the ontology's default when none is given) or denies the claim
    # the figures this source gives (qualifier -> value), where sources disagree; left out of dumps while empty
    values: dict[str, Any] = Field(default_factory=dict, max_length=50, exclude_if=_empty)


def cited_sources(citations: list[Citation]) -> list[str]:
    """Ids of the sources citations rest on, cited or reported, each once, in citation order.

    >>> cited_sources([Citation(source="a", quote="q", reports="b"), Citation(source="a", quote="r")])
    ['a', 'b']
    """
    return list(dict.fromkeys(i for c in citations for i in (c.source, c.reports) if i))


class Source(Record):
    """A document that claims are derived from."""

    id: RecordId
    title: Line
    publisher: Line | None = None
    author: Line | None = None
    url: Url = None
    published: IsoDate = None
    kind: Line
    language: LangTag = None
    reliability: Line
    tlp: str | None = None
    known_via: RecordId | None = None
    syndicates: RecordId | None = None  # the source whose content this one reprints (one origin)
    cites: list[RecordId] = Field(default_factory=list, max_length=500, exclude_if=_empty)  # sources it draws on
    note: Text | None = None

    @field_validator("cites")
    @classmethod
    def _cites_once(cls, v: list[str]) -> list[str]:
        return sorted(dict.fromkeys(v))  # a set, in a canonical order (RDF keeps no order)


class Entity(Record):
    """A node of the graph: an actor, place, law, case, practice."""

    id: RecordId
    type: Line | None = None
    types: list[Line] = Field(default_factory=list, max_length=20)
    name: Line
    aliases: list[Alias] = Field(default_factory=list, max_length=500)
    country: str | None = None
    description: Text | None = None
    url: Url = None
    tlp: str | None = None
    citations: list[Citation] = Field(default_factory=list, max_length=500)
    note: Text | None = None
    merged_from: list[RecordId] = Field(default_factory=list)  # ids merged into this one by resolutions

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if v is not None and (not re.fullmatch(r"[A-Z]{2}", v) or pycountry.countries.get(alpha_2=v) is None):
            raise ValueError(f"{v!r} is not an ISO 3166-1 alpha-2 country code")
        return v

    @model_validator(mode="after")
    def _one_type_field(self) -> Entity:
        if self.type and self.types:
            raise ValueError("give either 'type' or 'types', not both")
        if self.type:
            self.types = [self.type]
            self.type = None
        if not self.types:
            raise ValueError("an entity needs a 'type' (or 'types')")
        self.types = sorted(dict.fromkeys(self.types))
        self.aliases = sorted(self.aliases, key=lambda a: (a.name, a.lang or ""))  # a set, in a canonical order
        return self

    def all_names(self) -> list[str]:
        """The name and every alias."""
        return [self.name, *(a.name for a in self.aliases)]


class Claim(Record):
    """A sourced statement `subject —predicate→ object`.

    ``start`` and ``end`` say when it happened; a start without an end covers the start period
    only, unless the claim is open-ended (``open_end``, written ``end: open`` in case files):
    then it holds from its start on. ``open_end`` is left out of dumps while false, so records
    without it dump as before.

    >>> c = Claim(subject="a", predicate="paid", object="b", start=2021, end="Open",
    ...           citations=[{"source": "s", "quote": "q"}])
    >>> c.end, c.open_end
    (None, True)
    """

    id: Annotated[str | None, Field(pattern=CLAIM_ID_PATTERN)] = None
    subject: RecordId
    predicate: Line
    object: RecordId
    status: str | None = None
    start: IsoDate = None
    end: EndDate = None
    open_end: bool = Field(default=False, exclude_if=is_false)
    qualifiers: dict[str, Any] = Field(default_factory=dict, max_length=50)
    tlp: str | None = None
    note: Text | None = None
    citations: list[Citation] = Field(min_length=1, max_length=500)

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("start")
        if end == OPEN_END:
            if _start_missing(info):
                raise ValueError("an open end needs a start")
        elif start and end and date_bounds(start)[0] > date_bounds(end)[1]:
            raise ValueError(f"start {start} is after end {end}")
        return end

    @field_validator("open_end")
    @classmethod
    def _open_end_fits_dates(cls, open_end: bool, info: ValidationInfo) -> bool:
        # runs only when open_end is given; a failed start or end has been reported already
        end = info.data.get("end")
        if not open_end:
            if end == OPEN_END:
                raise ValueError("'end: open' contradicts 'open_end: false'")
        elif end not in (None, OPEN_END):
            raise ValueError(f"an open end cannot have an end date (end: {end}): give one or the other")
        elif end is None and "end" in info.data and _start_missing(info):
            raise ValueError("an open end needs a start")
        return open_end

    @model_validator(mode="after")
    def _complete(self) -> Claim:
        if self.end == OPEN_END:
            self.end, self.open_end = None, True
        if self.id is None:
            self.id = derive_claim_id(self)
        return self


def _start_missing(info: ValidationInfo) -> bool:
    """True when no start was given (a start that failed its own checks is not missing)."""
    return "start" in info.data and info.data["start"] is None


def derive_claim_id(claim: Claim) -> str:
    """A stable, readable id from what the claim says (not from its evidence, which may grow).

    ``subject.predicate.object``, plus a short hash of the dates and qualifiers when it has any;
    an open end counts among the dates (claims without one keep the ids they always had).

    >>> derive_claim_id(Claim(subject="a", predicate="paid", object="b", citations=[{"source": "s", "quote": "q"}]))
    'a.paid.b'
    """
    base = f"{claim.subject}.{claim.predicate}.{claim.object}"
    if claim.start is None and claim.end is None and not claim.qualifiers:
        return base
    detail: list[Any] = [claim.start, claim.end, claim.qualifiers]
    if claim.open_end:
        detail.append({"open_end": True})
    digest = hashlib.sha256(json.dumps(detail, sort_keys=True, default=str).encode()).hexdigest()
    return f"{base}.{digest[:8]}"


class Resolution(Record):
    """A curator's decision on whether two entity records are the same actor."""

    a: RecordId
    b: RecordId
    decision: Annotated[str, Field(pattern=r"^(same|not|unsure)$")]
    by: Line
    at: IsoDate = None
    why: Text | None = None


RECORD_MODELS: dict[str, type[Record]] = {"source": Source, "entity": Entity, "claim": Claim, "resolution": Resolution}
SECTIONS = {"sources": "source", "entities": "entity", "claims": "claim", "resolutions": "resolution"}
