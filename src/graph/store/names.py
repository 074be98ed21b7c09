"""Name lookup in a store generation: its SQLite name tables as a :class:`~graph.model.names.NameStore`.

The tables (written by :func:`graph.store.write._name_rows`): ``names`` (match key, id, words of a
name) and ``name_words`` (word, id). Resolving, ambiguity and suggestions are
:class:`~graph.model.names.NameIndex`'s; this module supplies the rows.
"""

from __future__ import annotations

from graph.model.names import NameIndex, name_tokens, word_matches
from graph.store.read import StoreDataset


class StoreNames(NameIndex):
    """:class:`~graph.model.names.NameIndex` over a store's names (:class:`StoredNames`)."""

    def __init__(self, sds: StoreDataset):
        super().__init__(StoredNames(sds))


class StoredNames:
    """A store's name tables, as the :class:`~graph.model.names.NameStore` of a :class:`StoreNames`.

    The names worth ranking for a query (:meth:`texts_near`) are those of the entities an indexed
    look-up finds: with a word that is, begins with or (sharing its first two letters) is a typo
    of a query word, or whose match key shares the query's first four letters. Each look-up takes
    at most :attr:`LIMIT` rows, so that a store of millions of names answers as quickly as a small one.
    """

    LIMIT = 2000

    def __init__(self, sds: StoreDataset):
        self.sds = sds
        self.honorifics = frozenset(sds.meta.get("honorifics", []))

    def is_id(self, query: str) -> bool:
        return self.sds.db.execute("SELECT 1 FROM entities WHERE id = ?", (query,)).fetchone() is not None

    def name_of(self, eid: str) -> str:
        return str(self.sds.entities[eid].name)

    def ids_with_key(self, key: str) -> list[str]:
        return [r[0] for r in self.sds.db.execute("SELECT DISTINCT id FROM names WHERE key = ? ORDER BY id", (key,))]

    def texts_near(self, query: str) -> list[tuple[str, str]]:
        """(words of a name, id) of every name of the entities worth ranking for ``query``."""
        words = list(dict.fromkeys(name_tokens(query, self.honorifics)))
        ids = {i for word in words for i in self._ids_with_word(word)}
        if words:
            ids.update(self._column("SELECT id FROM names WHERE key >= ? AND key < ? ORDER BY key, id LIMIT ?",
                                    *_beginning("".join(words)[:4])))
        return self._names_of(sorted(ids))

    def _ids_with_word(self, word: str) -> set[str]:
        """Entities with a word that is ``word``, begins with it, or is a typo of it sharing its first two letters."""
        if len(word) < 2:
            return set(self._column("SELECT id FROM name_words WHERE word = ? ORDER BY id LIMIT ?", word))
        ids = set(self._column("SELECT id FROM name_words WHERE word >= ? AND word < ? ORDER BY word, id LIMIT ?",
                               *_beginning(word)))
        if len(word) >= 4:
            vocabulary = self._column("SELECT DISTINCT word FROM name_words WHERE word >= ? AND word < ? "
                                      "ORDER BY word LIMIT ?", *_beginning(word[:2]))
            for near in word_matches(word, vocabulary):
                ids.update(self._column("SELECT id FROM name_words WHERE word = ? ORDER BY id LIMIT ?", near))
        return ids

    def _names_of(self, ids: list[str]) -> list[tuple[str, str]]:
        """(words of a name, id) of every name of ``ids``."""
        rows: list[tuple[str, str]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            sql = f"SELECT text, id FROM names WHERE id IN ({','.join('?' * len(chunk))})"  # noqa: S608
            rows += self.sds.db.execute(sql, chunk).fetchall()
        return rows

    def _column(self, sql: str, *args: str) -> list[str]:
        """The first column of ``sql``'s rows, its last parameter being :attr:`LIMIT`."""
        return [r[0] for r in self.sds.db.execute(sql, (*args, self.LIMIT))]


def _beginning(prefix: str) -> tuple[str, str]:
    """The range of words and keys (letters and digits only) that begin with ``prefix``."""
    return prefix, prefix + "~"
