"""Finding entities by id, name or alias: case-, accent- and script-insensitive.

>>> match_key("Hà Nội") == match_key("Ha Noi") == match_key("HANOI")
True
>>> match_key("ហាណូយ") != ""    # other scripts are transliterated to Latin first
True
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import unquote_plus

import ahocorasick
from anyascii import anyascii
from rapidfuzz import fuzz, process

from graph.errors import LookupProblem
from graph.model.dataset import Dataset
from graph.model.records import Entity

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
    """The honorifics and ranks the ontology lists (the scheme of ``thb:honorific``)."""
    return ds.ontology.honorifics


SUGGESTIONS = 8
"""At most this many "did you mean" suggestions."""

PLAUSIBLE = 70.0
"""The least score (0-100) of a suggestion: below it, no name of the entity plausibly reads as the query."""

WORD_PLAUSIBLE = 75.0
"""The least similarity (0-100) of a query word and a name word that counts as the one meaning the other."""


def name_texts(names: Iterable[str], honorifics: frozenset[str] = frozenset()) -> list[str]:
    """The distinct words of each of ``names`` joined by spaces, with honorifics and without, sorted.

    >>> name_texts(["Aipda M. Rizal", "m-rizal", "..."], frozenset({"aipda"}))
    ['aipda m rizal', 'm rizal']
    """
    texts = set()
    for name in names:
        tokens = name_tokens(name)
        texts.add(" ".join(tokens))
        texts.add(" ".join([t for t in tokens if t not in honorifics] or tokens))
    return sorted(t for t in texts if t)


def word_matches(word: str, vocabulary: Iterable[str]) -> dict[str, float]:
    """The words of ``vocabulary`` that ``word`` plausibly means, with how well (0-100).

    The same word scores 100; a word that begins with ``word`` (of two letters or more) 80 to 100,
    the more the less of it is left over; a word that differs from ``word`` by a typo (both of four
    letters or more) its edit similarity, when at least :data:`WORD_PLAUSIBLE`.

    >>> word_matches("kk", ["park", "kkpark", "kk", "k"])
    {'kk': 100.0, 'kkpark': 86.66666666666667}
    >>> word_matches("hanoy", ["hanoi", "han", "hat"])
    {'hanoi': 80.0}
    """
    words = list(dict.fromkeys(vocabulary))
    found: dict[str, float] = {}
    if len(word) >= 4:
        long_words = [w for w in words if len(w) >= 4]
        for other, score, _ in process.extract(word, long_words, scorer=fuzz.ratio,
                                                score_cutoff=WORD_PLAUSIBLE, limit=None):
            found[other] = score
    if len(word) >= 2:
        for other in words:
            if other.startswith(word):
                found[other] = max(found.get(other, 0.0), 80.0 + 20.0 * len(word) / len(other))
    elif word in words:
        found[word] = 100.0
    return dict(sorted(found.items()))


def rank_suggestions(query: str, rows: Iterable[tuple[str, str]], honorifics: frozenset[str] = frozenset(),
                     limit: int = SUGGESTIONS) -> list[str]:
    """The ids of the entities ``query`` plausibly names, best first (by score, then by id), at most ``limit``.

    ``rows`` are (name, id): every name, alias and id of the entities to consider, as words joined by
    spaces (:func:`name_texts`). An entity scores the better of

    * how well its best name as a whole matches the query: the edit similarity of the match keys,
      or of the words in any order; and
    * 90 % how many of the query's words (weighted by length) are among the words of its names and
      id (:func:`word_matches`: the word, a word it begins, a typo of it), plus 10 % how much of its
      best-covered name the query accounts for.

    Entities scoring under :data:`PLAUSIBLE` are left out: a query like nothing gives no suggestions.
    """
    words = name_tokens(query, honorifics)
    if not words:
        return []
    names = [(name_tokens(text), i) for text, i in rows]
    matches = {w: word_matches(w, sorted({t for tokens, _ in names for t in tokens})) for w in dict.fromkeys(words)}
    whole = _whole_scores(words, names)
    matched = {t for found in matches.values() for t in found}
    by_id: dict[str, list[list[str]]] = defaultdict(list)
    for tokens, i in names:
        if i in whole or matched.intersection(tokens):
            by_id[i].append(tokens)
    scores = {i: max(whole.get(i, 0.0), _word_score(words, matches, tokens_of))
              for i, tokens_of in by_id.items()}
    best = {i: round(s, 1) for i, s in scores.items() if round(s, 1) >= PLAUSIBLE}
    return sorted(best, key=lambda i: (-best[i], i))[:limit]


def _whole_scores(words: list[str], names: list[tuple[list[str], str]]) -> dict[str, float]:
    """Per id, the best similarity (at least :data:`PLAUSIBLE`) of one of its names as a whole to the query."""
    best: dict[str, float] = {}
    for scorer, query, choices in ((fuzz.ratio, "".join(words), ["".join(t) for t, _ in names]),
                                   (fuzz.token_sort_ratio, " ".join(words), [" ".join(t) for t, _ in names])):
        for _, score, k in process.extract(query, choices, scorer=scorer, score_cutoff=PLAUSIBLE, limit=None):
            i = names[k][1]
            best[i] = max(best.get(i, 0.0), score)
    return best


def _word_score(words: list[str], matches: dict[str, dict[str, float]], names: list[list[str]]) -> float:
    """90 % the share of the query's words an entity's names hold, 10 % how much of its best name they cover."""
    own = {t for tokens in names for t in tokens}
    cover = sum(len(w) * max((s for t, s in matches[w].items() if t in own), default=0.0) for w in words)

    def fit(tokens: list[str]) -> float:
        return sum(len(t) * max(found.get(t, 0.0) for found in matches.values()) for t in tokens) / \
            sum(len(t) for t in tokens)

    return 0.9 * cover / sum(len(w) for w in words) + 0.1 * max(fit(tokens) for tokens in names)


def entity_texts(e: Entity, honorifics: frozenset[str] = frozenset()) -> list[str]:
    """What an entity is found by: its id, the ids merged into it, its name and aliases, as :func:`name_texts`."""
    return name_texts([e.id, *e.merged_from, *e.all_names()], honorifics)


class NameStore(Protocol):
    """Where a :class:`NameIndex` finds names: in memory (:class:`NameTable`) or in the workspace store
    (:class:`graph.store.StoreNames`). Storage only: resolution, ambiguity and suggestions are the index's."""

    honorifics: frozenset[str]

    def is_id(self, query: str) -> bool: ...  # is ``query`` the id of an entity?
    def name_of(self, eid: str) -> str: ...  # the name of entity ``eid`` (KeyError when there is none)
    def ids_with_key(self, key: str) -> list[str]: ...  # distinct ids with an id, name or alias of match key ``key``
    def texts_near(self, query: str) -> Iterable[tuple[str, str]]: ...  # (name as words, id) worth ranking for query


class NameTable:
    """Ids, names and aliases of a Dataset's entities, by match key, in memory."""

    def __init__(self, ds: Dataset):
        self.honorifics = honorifics_of(ds)
        self.ids = {e.id: e.name for e in ds.entities.values()}
        self.by_key: dict[str, list[str]] = defaultdict(list)  # match key -> ids
        self.texts: list[tuple[str, str]] = []  # (a name, alias or id as words, id), see name_texts
        for e in ds.entities.values():
            for text in entity_texts(e, self.honorifics):
                self.texts.append((text, e.id))
                if e.id not in self.by_key[key := text.replace(" ", "")]:
                    self.by_key[key].append(e.id)

    def is_id(self, query: str) -> bool:
        return query in self.ids

    def name_of(self, eid: str) -> str:
        return self.ids[eid]

    def ids_with_key(self, key: str) -> list[str]:
        return self.by_key.get(key, [])

    def texts_near(self, query: str) -> list[tuple[str, str]]:
        return self.texts  # all of them: ranking a Dataset's names is quick


class NameIndex:
    """Finding entities by id, name or alias in the names of a :class:`NameStore`."""

    def __init__(self, names: NameStore):
        self.names = names

    @classmethod
    def of(cls, ds: Dataset) -> NameIndex:
        return cls(NameTable(ds))

    def resolve(self, query: str) -> str:
        """The id of the one entity ``query`` names (an id, a name or an alias; its key with honorifics first).

        Raises :class:`LookupProblem` when several match (listed by id), or none: then with the
        entities it plausibly means, best first (:func:`rank_suggestions`).
        """
        names = self.names
        if names.is_id(query):
            return query
        found = names.ids_with_key(match_key(query)) or names.ids_with_key(match_key(query, names.honorifics))
        if len(found) == 1:
            return found[0]
        if found:
            raise LookupProblem(query, f"{query!r} is ambiguous: it names {len(found)} entities; give an id",
                                sorted((i, names.name_of(i)) for i in found))
        ids = rank_suggestions(query, names.texts_near(query), names.honorifics)
        raise LookupProblem(query, f"no entity named {query!r}" + ("; did you mean:" if ids else ""),
                            [(i, names.name_of(i)) for i in ids])


# Mentions of names inside running text -------------------------------------------------------

_SPACELESS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF),
              (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
"""Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, CJK, kana, Hangul):
each of their characters is a token of its own, since no word boundary can be seen."""


def _spaceless(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _SPACELESS)


def text_tokens(text: str) -> list[tuple[str, int, int]]:
    """The Latin, lower-case tokens of ``text`` with where each stands in it (start, end).

    Normalised like :func:`name_tokens` (NFKC, transliteration, case, punctuation), but one
    character at a time so that every token maps back to the original text; combining marks,
    soft hyphens and zero-width characters join rather than split words.

    >>> text_tokens("Ｎguye\u0302\u0303n-Van  王伟说")
    [('nguyen', 0, 8), ('van', 9, 12), ('wang', 14, 15), ('wei', 15, 16), ('shuo', 16, 17)]
    """
    if text.isascii():  # the common case, without the per-character work
        return [(m.group(0), m.start(), m.end()) for m in _ALNUM_RUN.finditer(text.lower())]
    tokens: list[tuple[str, int, int]] = []
    word, start, end = "", 0, 0
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch)
        latin = anyascii(norm).lower()
        if norm and _spaceless(norm[0]):
            if word:
                tokens.append((word, start, end))
            word = ""
            tokens += [(t, i, i + 1) for t in _ALNUM_RUN.findall(latin)]
            continue
        for c in latin:
            if c.isascii() and c.isalnum():
                if not word:
                    start = i
                word, end = word + c, i + 1
            elif word:
                tokens.append((word, start, end))
                word = ""
        if not latin and word:
            end = i + 1  # a mark inside a word belongs to it
    if word:
        tokens.append((word, start, end))
    return tokens


_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _found_glued(tokens: list[str], key: str) -> bool:
    """May a term be found run into other letters? Only a name of several words, long and without
    digits: "nguyenvanthanh" inside "freenguyenvanthanh2020" is the name; "synent12" inside
    "synent123" is another id, and a short word inside a longer one is another word."""
    return len(tokens) >= 2 and len(key) >= 8 and not any(ch.isdigit() for ch in key)


def _name_orders(tokens: list[str]) -> list[list[str]]:
    """The word orders a name of a few words is written in: as given, family name first or last
    ("KARIMI, Mohammed", "Thanh Nguyen Van"), reversed. Ids and titles (many words, or digits)
    keep their one order."""
    if not 2 <= len(tokens) <= 4 or any(ch.isdigit() for t in tokens for ch in t):
        return [tokens]
    orders = [tokens, tokens[-1:] + tokens[:-1], tokens[1:] + tokens[:1], tokens[::-1]]
    return [o for i, o in enumerate(orders) if o not in orders[:i]]


def _decoded(text: str | None) -> list[str]:
    """``text`` with percent-escapes undone until nothing changes, and with HTML entities undone."""
    if not text or ("%" not in text and "&" not in text):
        return []
    out, seen = [], text
    for _ in range(5):  # escapes of escapes: each pass undoes one level
        nxt = html.unescape(unquote_plus(seen))
        if nxt == seen:
            break
        out.append(nxt)
        seen = nxt
    return out


class MentionFinder:
    """Finds mentions of given terms (names, ids, titles, URLs) in text, however spelled.

    A term is found where its letters and digits (:func:`text_tokens`) make up whole tokens of the
    text that stand one after the other, split or run together in any way: "Nguyễn Văn Thành" is
    found in "NGUYEN-van  thanh", "NguyenVan Thanh" and "NguyenVanThanh"; "王伟" in "王伟说" and
    "Wang Wei", but not inside "Swangwei". Terms with fewer than two letters and digits are not
    looked for: they would be found everywhere.

    >>> f = MentionFinder({"Nguyễn Văn Thành": "X", "王伟": "Y"})
    >>> f.find("met nguyen  van\\nthanh and 王伟")
    [(4, 21, 'X'), (26, 28, 'Y')]
    >>> f.find("Swangwei"), f.find("wang")
    ([], [])
    """

    def __init__(self, terms: dict[str, str]):
        self._automaton = ahocorasick.Automaton()  # letters and digits run together -> (length, value, glued)
        for term, value in sorted(terms.items()):
            tokens = [t for t, _, _ in text_tokens(term)]
            for order in _name_orders(tokens):
                key = "".join(order)
                if len(key) >= 2 and key not in self._automaton:  # the first term in sorted order wins
                    self._automaton.add_word(key, (len(key), value, _found_glued(order, key)))
        self.empty = not len(self._automaton)
        if not self.empty:
            self._automaton.make_automaton()

    def __call__(self, text: str | None) -> bool:
        """True when ``text`` mentions a term, also once percent-escapes and HTML entities are undone.

        >>> f = MentionFinder({"Nguyễn Văn Thành": "X"})
        >>> f("https://example.org/?who=Nguy%25E1%25BB%2585n+V%25C4%2583n+Th%25C3%25A0nh"), f("#FreeNguyenVanThanh")
        (True, True)
        >>> f("THANH, Nguyen Van"), f("Van Thanh")
        (True, False)
        """
        if not text or self.empty:
            return False  # most texts have no escapes to undo: one search
        return bool(self.find(text)) or (("%" in text or "&" in text) and any(map(self.find, _decoded(text))))

    def find(self, text: str | None) -> list[tuple[int, int, str]]:
        """The mentions in ``text`` as (start, end, value), in order, overlapping ones merged."""
        if self.empty or not text:
            return []
        if text.isascii() and next(self._automaton.iter(_NON_ALNUM.sub("", text.lower())), None) is None:
            return []  # most texts mention nothing: one pass over their letters and digits tells
        tokens = text_tokens(text)
        starts, ends, at = {}, {}, 0  # offsets in the run-together tokens -> offsets in the text
        for word, start, end in tokens:
            starts[at] = start
            at += len(word)
            ends[at] = end
        joined = "".join(word for word, _, _ in tokens)
        found = []
        for last, (length, value, glued) in self._automaton.iter(joined):
            first = last + 1 - length
            if first in starts and last + 1 in ends:
                found.append((starts[first], ends[last + 1], value))
            elif glued:  # a long name run into other letters ("#FreeNguyenVanThanh"): the whole words go
                begin = max(k for k in starts if k <= first)
                finish = min(k for k in ends if k >= last + 1)
                found.append((starts[begin], ends[finish], value))
        merged: list[tuple[int, int, str]] = []
        for start, end, value in sorted(found, key=lambda f: (f[0], -f[1])):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
            else:
                merged.append((start, end, value))
        return merged

    def replace(self, text: str, replacement: Callable[[str], str]) -> str:
        """``text`` with each mention replaced by ``replacement(value)`` (the whole text when the
        mention shows only once escapes are undone)."""
        out, last = [], 0
        found = self.find(text)
        if not found:
            hidden = next((f for v in _decoded(text) if (f := self.find(v))), None)
            return replacement(hidden[0][2]) if hidden else text
        for start, end, value in found:
            out += [text[last:start], replacement(value)]
            last = end
        return "".join(out) + text[last:]
