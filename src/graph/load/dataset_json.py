"""Reading back the ``dataset.json`` that ``thbor build`` writes (:meth:`Dataset.iter_json`).

Two ways in: :func:`iter_dataset_json` streams the records one at a time as their JSON text, in
file order (the build writes each section sorted by id), so that two builds of a million claims
can be compared without either sitting in memory; :func:`read_dataset_json` validates them back
into a :class:`~graph.model.dataset.Dataset`.

The build writes one record per block at a fixed indentation, which the stream splits apart
without parsing (a string in JSON holds no line break, so the text between two blocks occurs
nowhere else); a ``dataset.json`` laid out otherwise (written by another tool, reformatted) is
parsed whole instead, with the same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from graph.errors import InputError, Problem
from graph.load.files import RawRecord
from graph.load.validate import validate_records
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.records import SECTIONS, Origin, Resolution

DATASET_FILE = "dataset.json"
_BETWEEN = b"\n    },\n    {\n"  # between two records of one section
_SECTION_END = b"\n  ]"  # at two spaces: only where a section ends (record lines are indented deeper)
_ID = b'\n      "id": '
_CHUNK = 1 << 24


class RawEntry(NamedTuple):
    """One record of a ``dataset.json`` as its JSON text, with its section (a tuple: a million are made)."""

    section: str  # "claims", "entities", "sources", "resolutions"
    text: bytes
    line: int  # of the record in the file; 0 when not known

    @property
    def id(self) -> str | None:
        """The record's id (None for a resolution), read from its text without parsing all of it."""
        if self.section == "resolutions":
            return None
        at = self.text.find(_ID)
        if at < 0:
            rid = self.data().get("id")
            return rid if isinstance(rid, str) else None
        end = self.text.find(b"\n", at + 1)
        value = orjson.loads(self.text[at + len(_ID):len(self.text) if end < 0 else end].rstrip(b","))
        return value if isinstance(value, str) else None

    def data(self) -> dict[str, Any]:
        """The record as plain data."""
        value = orjson.loads(self.text)
        if not isinstance(value, dict):
            raise InputError([Problem(self.section, self.line, "", "a record must be a JSON object")])
        return value


def dataset_file(path: Path | str) -> Path:
    """The ``dataset.json`` of a build folder, or ``path`` itself when it is a file."""
    path = Path(path)
    found = path / DATASET_FILE if path.is_dir() else path
    if not found.is_file():
        raise InputError([Problem(str(path), 0, "", f"no {DATASET_FILE} here: expected a folder written by "
                                                    f"thbor build or a {DATASET_FILE} file")])
    return found


def iter_dataset_json(path: Path | str) -> Iterator[RawEntry]:
    """The records of ``path`` (a build folder or its ``dataset.json``), one at a time, in file order.

    Raises :class:`InputError` when the file is not a dataset (unreadable, not JSON, no sections).
    """
    file = dataset_file(path)
    try:
        with file.open("rb") as fh:
            first = fh.readline()
            if first != b"{\n":
                yield from _parsed(file)
                return
            yield from _streamed(fh, file)
    except OSError as exc:
        raise InputError([Problem(str(file), 0, "", f"cannot read: {exc.strerror or exc}")]) from None


def _streamed(fh: Any, file: Path) -> Iterator[RawEntry]:
    """The build's own layout, split at the text between two records (at C speed). A piece that is
    one record's inner lines is that record; the few that hold a section's start or end are read
    line by line. Each record's text is rebuilt the same way: ``    {``, its lines, ``    }``."""
    section: str | None = None
    rest, line = b"", 2
    while True:
        chunk = fh.read(_CHUNK)
        pieces = (rest + chunk).split(_BETWEEN)
        rest = pieces.pop() if chunk else b""
        if not chunk and (not pieces or not pieces[-1].rstrip().endswith(b"\n}")):
            raise InputError([Problem(str(file), line, "", "the file ends before the dataset does (cut short?)")])
        for piece in pieces:
            if section is not None and not piece.startswith(b'  "') and _SECTION_END not in piece:
                yield RawEntry(section, b"    {\n" + piece + b"\n    }", line - 1)
            else:
                for entry in _piece(piece, section, file, line):
                    section = entry.section
                    if entry.text:
                        yield entry
            line += piece.count(b"\n") + 3
        if not chunk:
            return


def _piece(piece: bytes, section: str | None, file: Path, line: int) -> Iterator[RawEntry]:
    """A piece that holds a section's start or end, line by line. It may begin inside a record (the
    split took the record's opening line) and end inside one (the split took its closing line).
    Yields the records, and an entry with empty text for each section header."""
    lines = piece.split(b"\n")
    block: list[bytes] | None = lines[:0] if lines[0].startswith(b"      ") else None
    start = line - 1
    for n, text in enumerate(lines):
        lineno = line + n
        if block is not None:
            if text in (b"    }", b"    },"):
                yield RawEntry(section or "", b"\n".join([b"    {", *block, b"    }"]), start)
                block = None
            else:
                block.append(text)
        elif text == b"    {":
            block, start = [], lineno
        elif text.startswith(b'  "'):
            key, _, value = text.strip().partition(b'": ')
            section = key.lstrip(b'"').decode("utf-8", "replace")
            if section not in SECTIONS and section != "ontology_version":
                raise InputError([Problem(str(file), lineno, "", f"unknown section {section!r}")])
            if not value.startswith((b"[", b'"')):
                raise InputError([Problem(str(file), lineno, "", f"unexpected {section!r} (expected a list)")])
            yield RawEntry(section, b"", lineno)
        elif text.strip() not in (b"]", b"],", b"}", b""):
            raise InputError([Problem(str(file), lineno, "", "not the layout of a dataset.json")])
    if block is not None:  # the split took its closing line: the record ends here
        yield RawEntry(section or "", b"\n".join([b"    {", *block, b"    }"]), start)


def _parsed(file: Path) -> Iterator[RawEntry]:
    """Any other layout: parsed whole, each record written back as sorted JSON."""
    try:
        data = orjson.loads(file.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError([Problem(str(file), 0, "", f"not valid JSON: {exc}")]) from None
    if not isinstance(data, dict) or not any(k in data for k in SECTIONS):
        raise InputError([Problem(str(file), 0, "", "not a dataset (expected sources, entities and claims)")])
    for section in sorted(SECTIONS):
        for n, rec in enumerate(data.get(section) or []):
            if not isinstance(rec, dict):
                raise InputError([Problem(str(file), 0, "", f"{section}[{n}]: a record must be a JSON object")])
            yield RawEntry(section, orjson.dumps(rec, option=orjson.OPT_SORT_KEYS), 0)


def read_dataset_json(path: Path | str, onto: Ontology) -> Dataset:
    """The Dataset of a build folder or ``dataset.json``, checked again like case files.

    The entities are already merged (``merged_from``): the curators' decisions are kept with the
    Dataset but not applied a second time.
    """
    file = dataset_file(path)
    raws: list[RawRecord] = []
    resolutions: list[Resolution] = []
    problems: list[Problem] = []
    for entry in iter_dataset_json(file):
        if entry.section == "resolutions":
            try:
                resolutions.append(Resolution.model_validate(entry.data()))
            except ValidationError as exc:
                problems.append(Problem(str(file), entry.line, "resolution", str(exc).splitlines()[0]))
        else:
            raws.append(RawRecord(SECTIONS[entry.section], entry.data(), Origin(str(file), entry.line)))
    ds, more = validate_records(raws, onto)
    problems += more
    if problems:
        raise InputError(problems)
    ds.resolutions = list(resolutions)
    return ds
