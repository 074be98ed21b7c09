"""Writing ``dataset.json`` in a child process, from the lines of the records a build writes anyway.

A bulk build hands every record to the store as a line of JSON
(:meth:`~graph.model.dataset.Dataset.record_lines`). The same lines hold all that ``dataset.json``
holds, so a child process reads them and lays them out as :meth:`Dataset.iter_json
<graph.model.dataset.Dataset.iter_json>` does (keys sorted, indented), on the second core, while
the build works out its projection: the text is byte for byte the same (each record's JSON is
parsed back to the same values). The file is written whole or not at all
(:func:`graph.outputs.atomic_writer`); a failure is an :class:`~graph.errors.OutputError` with its
reason.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from graph.errors import OutputError
from graph.model.dataset import Dataset, json_document
from graph.outputs import atomic_writer, child_env


class DatasetJsonInChild:
    """``dataset.json`` of ``ds`` written at ``target`` by a child process from ``lines`` (the file of
    ``ds.record_lines()``, which the caller keeps until :meth:`result` returns)."""

    def __init__(self, lines: Path, target: Path, ds: Dataset):
        self.target = target
        args = [str(lines), str(target), ds.ontology.version, *ds.section_names()]
        self._proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stderr=subprocess.PIPE, env=child_env())

    def abandon(self) -> None:
        """Stop the child (the caller failed), unless it was waited for already."""
        if self._proc.returncode is None:
            self._proc.kill()
            self._proc.communicate()

    def result(self) -> Path:
        """Wait for the child; the file written. Raises :class:`OutputError` when it failed."""
        _, err = self._proc.communicate()
        if self._proc.returncode:
            said = err.decode(errors="replace").strip().splitlines()
            raise OutputError(said[-1] if said else f"{self.target}: cannot write (the writer stopped)")
        return self.target


# niced: the build that starts it works out the projection meanwhile, and must not wait for it
_CHILD = """
import os, sys
os.nice(10)
from pathlib import Path
from graph.errors import OutputError
from graph.load.dataset_writer import write_from_lines
try:
    write_from_lines(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4:])
except OutputError as exc:
    sys.exit(str(exc))
"""


def write_from_lines(lines: Path, target: Path, ontology_version: str, sections: list[str]) -> None:
    """Write ``target`` as :meth:`Dataset.iter_json <graph.model.dataset.Dataset.iter_json>` writes
    the Dataset whose :meth:`~graph.model.dataset.Dataset.record_lines` are in ``lines``, with
    ``sections`` (:meth:`~graph.model.dataset.Dataset.section_names`) and the ontology's version."""
    try:
        with lines.open("rb") as fh, atomic_writer(target) as out:
            groups = itertools.groupby((line.split(b"\t", 2) for line in fh), key=itemgetter(0))
            pending = next(groups, None)

            def records(name: str) -> Iterator[dict[str, Any]]:
                nonlocal pending
                if pending is not None and pending[0].decode() == name:
                    yield from (_loads(text) for _, _, text in pending[1])
                    pending = next(groups, None)

            order = sorted([*sections, "ontology_version"])
            out.writelines(json_document((name, ontology_version if name == "ontology_version" else records(name))
                                         for name in order))
            if pending is not None:
                raise OutputError(f"{target}: the records' lines hold a section not named: "
                                  f"{pending[0].decode(errors='replace')!r}")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _loads(text: bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # a whole number beyond 64 bits: the standard library reads it
        return json.loads(text)
