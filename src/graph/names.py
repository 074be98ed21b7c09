"""Finding entities by id, name or alias: case-, accent- and script-insensitive.

>>> match_key("Hà Nội") == match_key("Ha Noi") == match_key("HANOI")
True
>>> match_key("ហាណូយ") != ""    # other scripts are transliterated to Latin first
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from anyascii import anyascii

from .dataset import Dataset
from .errors import ThborError

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_tokens(text: str, honorifics: frozenset[str] = frozenset()) -> list[str]:
    """Latin, lower-case tokens of a name, without honorifics and ranks (unless nothing else is left).

    >>> name_tokens("Aipda M. Rizal", frozenset({"aipda"}))
    ['m', 'rizal']
    """
    tokens = [t for t in _NON_ALNUM.split(anyascii(unicodedata.normalize("NFKC", text)).lower()) if t]
    kept = [t for t in tokens if t not in honorifics]
    return kept or tokens


def match_key(text: str, honorifics: frozenset[str] = frozenset()) -> str:
    """A key that ignores case, accents, punctuation, spacing, script and (given) honorifics."""
    return "".join(name_tokens(text, honorifics))


def honorifics_of(ds: Dataset) -> frozenset[str]:
    """The honorifics and ranks the ontology lists (``thb:HonorificScheme``)."""
    scheme = ds.ontology.vocabularies.get("HonorificScheme")
    return frozenset(scheme.concepts) if scheme else frozenset()


class LookupProblem(ThborError):
    """A name matched no entity, or several; ``candidates`` lists (id, name) to choose from."""

    def __init__(self, query: str, message: str, candidates: list[tuple[str, str]]):
        self.query, self.candidates = query, candidates
        lines = [message] + [f"  {cid}  ({name})" for cid, name in candidates]
        super().__init__("\n".join(lines))


@dataclass
class NameIndex:
    """Ids, names and aliases of a Dataset's entities, by match key."""

    ids: dict[str, str]  # id -> name
    by_key: dict[str, list[str]]  # match key -> ids
    honorifics: frozenset[str] = frozenset()

    @classmethod
    def of(cls, ds: Dataset) -> NameIndex:
        by_key: dict[str, list[str]] = defaultdict(list)
        titles = honorifics_of(ds)
        for e in ds.entities.values():
            for name in dict.fromkeys([e.id, *e.merged_from, *e.all_names()]):
                for key in dict.fromkeys([match_key(name), match_key(name, titles)]):
                    if key and e.id not in by_key[key]:
                        by_key[key].append(e.id)
        return cls({e.id: e.name for e in ds.entities.values()}, dict(by_key), titles)

    def resolve(self, query: str) -> str:
        """The id of the one entity ``query`` names (an id, a name or an alias).

        Raises :class:`LookupProblem` with a "did you mean" list when nothing or several match.
        """
        if query in self.ids:
            return query
        key = match_key(query)
        found = self.by_key.get(key, []) or self.by_key.get(match_key(query, self.honorifics), [])
        if len(found) == 1:
            return found[0]
        if found:
            return self._fail(query, f"{query!r} is ambiguous: it names {len(found)} entities; give an id", found)
        close = difflib.get_close_matches(key, list(self.by_key), n=5, cutoff=0.75) if key else []
        close += [k for k in self.by_key if key and len(key) >= 4 and key in k and k not in close][:5]
        ids = list(dict.fromkeys(i for k in close for i in self.by_key[k]))[:8]
        return self._fail(query, f"no entity named {query!r}" + ("; did you mean:" if ids else ""), ids)

    def _fail(self, query: str, message: str, ids: list[str]) -> str:
        raise LookupProblem(query, message, [(i, self.ids[i]) for i in sorted(ids)])
