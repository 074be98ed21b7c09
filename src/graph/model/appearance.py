"""How views draw an entity: its legend group, colour, shape and the colour of its other types.

The visual language is data, like the rest of the ontology: ``thb:legend`` marks the classes that
are groups of their own, ``thb:shape`` and ``thb:colour`` say how they are drawn, and a subclass
inherits both from its nearest superclass that declares them. :class:`AppearanceAccess` answers
for :class:`~graph.model.ontology.Ontology`, so every view, the legend and the dossier site ask
the same question and get the same answer.

>>> from graph.model.ontology import load_ontology
>>> look = load_ontology().appearance(["Person", "Victim"])
>>> look.group, look.shape, look.colour == load_ontology().colour("Person"), look.others
('Person', 'dot', True, ('Victim',))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal

from graph.errors import OntologyError
from graph.model.vocabulary import thb

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
ROOT = "Entity"  # the meta-model root: its colour is the fallback for a type the ontology does not know


def read_colours(g: Graph, names: Iterable[str]) -> dict[str, str]:
    """The ``thb:colour`` each class declares itself (``#RRGGBB``, upper case), by class name."""
    out = {}
    for n in sorted(names):
        values = sorted(g.objects(thb(n), thb("colour")), key=str)
        for value in values:
            if not isinstance(value, Literal) or not HEX_COLOUR.fullmatch(str(value)):
                raise OntologyError(f"thb:{n} thb:colour {str(value)!r}: not a colour of the form \"#RRGGBB\"")
        if len({str(v).upper() for v in values}) > 1:
            raise OntologyError(f"thb:{n} has {len(values)} thb:colour values: a class has one colour")
        if values:
            out[n] = str(values[0]).upper()
    return out


class DrawnClass(Protocol):
    """What this module reads of a class (:class:`~graph.model.ontology.ClassInfo`, which imports this module)."""

    @property
    def ancestors(self) -> frozenset[str]: ...
    @property
    def legend(self) -> bool: ...
    @property
    def shape(self) -> str | None: ...
    @property
    def colour(self) -> str | None: ...


@dataclass(frozen=True)
class Appearance:
    """How an entity is drawn: as its group, with the colour of another of its types as border."""

    group: str  # the legend group (see AppearanceAccess.view_group)
    colour: str  # the group's colour (#RRGGBB)
    shape: str  # the group's shape (a vis-network shape name)
    border: str | None  # the colour of its next type whose colour differs, None for none
    others: tuple[str, ...]  # its types that the group does not cover, most specific first


class AppearanceAccess:
    """The accessors of :class:`~graph.model.ontology.Ontology` that say how views draw entities.

    A mixin, like :class:`~graph.model.vocabulary.VocabularyAccess`; ``classes`` is a field of
    the ontology dataclass.
    """

    classes: Mapping[str, DrawnClass]

    def depth(self, name: str) -> int:
        """How specific a class is: the number of its superclasses in the namespace (itself included)."""
        return len(self.classes[name].ancestors) if name in self.classes else 0

    def by_specificity(self, types: Iterable[str]) -> list[str]:
        """Types ordered most specific first (most superclasses), ties by name: the order every view uses."""
        return sorted(set(types), key=lambda t: (-self.depth(t), t))

    def view_group(self, types: Iterable[str]) -> str:
        """The legend group of an entity: its most specific class marked ``thb:legend``."""
        types = list(types)
        found = {a for t in types if t in self.classes for a in self.classes[t].ancestors if self.classes[a].legend}
        if not found:
            return sorted(types)[0] if types else ROOT
        return self.by_specificity(found)[0]

    def colour(self, name: str) -> str:
        """A class's colour (``thb:colour``, inherited); the root's for a class the ontology does not know."""
        info = self.classes.get(name) or self.classes.get(ROOT)
        if info is None or info.colour is None:
            raise OntologyError(f"thb:{name} has no thb:colour, nor has any of its superclasses")
        return info.colour

    def shape(self, name: str) -> str:
        """A class's node shape (``thb:shape``, inherited), ``dot`` when none is declared."""
        info = self.classes.get(name)
        return info.shape if info is not None and info.shape else "dot"

    def appearance(self, types: Iterable[str]) -> Appearance:
        """How views draw an entity of these types.

        Colour and shape are those of its group (its most specific class marked ``thb:legend``,
        see :meth:`view_group`), so that a node always matches its legend swatch. Its other types,
        those that are neither the group nor one of the group's superclasses, are listed most
        specific first; the first of them whose colour differs from the group's gives the border.
        """
        types = list(types)
        group = self.view_group(types)
        covered = self.classes[group].ancestors if group in self.classes else frozenset({group})
        others = tuple(t for t in self.by_specificity(types) if t not in covered)
        colour = self.colour(group)
        border = next((c for t in others if (c := self.colour(t)) != colour), None)
        return Appearance(group, colour, self.shape(group), border, others)
