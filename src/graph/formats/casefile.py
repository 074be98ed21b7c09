"""Writing records as a case file: what ``thbor import -o`` leaves for curators to read and edit.

A ``.yaml`` (or ``.yml``) file has the sections ``sources``, ``entities`` and ``claims``; a
``.jsonl`` file has one record a line, each marked with its kind. Defaults and empty fields are
left out, so a record reads as a person would have written it; the loader reads both back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from graph.errors import UsageError
from graph.model.dataset import Dataset
from graph.outputs import atomic_write

SUFFIXES = (".yaml", ".yml", ".jsonl")  # what a case file may end in (the inputs thbor reads as case files)
_KINDS = {"sources": "source", "entities": "entity", "claims": "claim"}


def case_file_text(ds: Dataset, suffix: str) -> str:
    """The records of ``ds`` as the text of a case file ending in ``suffix``.

    Raises :class:`UsageError` naming ``path`` for any other suffix.
    """
    sections: dict[str, Mapping[str, Any]] = {"sources": ds.sources, "entities": ds.entities, "claims": ds.claims}
    dumped = {k: [r.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for r in v.values()]
              for k, v in sections.items()}
    if suffix == ".jsonl":
        return "".join(json.dumps({"record": _KINDS[k], **r}, ensure_ascii=False, sort_keys=True) + "\n"
                       for k, rows in dumped.items() for r in rows)
    if suffix not in SUFFIXES:
        raise UsageError(f"path must end in {', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]}", fields=("path",))
    return yaml.safe_dump(dumped, allow_unicode=True, sort_keys=False, width=100)


def write_case_file(ds: Dataset, path: Path | str) -> Path:
    """Write the records of ``ds`` to ``path`` (.yaml, .yml or .jsonl), atomically."""
    path = Path(path)
    return atomic_write(path, case_file_text(ds, path.suffix.lower()))
