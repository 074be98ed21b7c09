"""The main job: validate the inputs and write every output into one folder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .ontology import Ontology
from .outputs import atomic_write
from .stats import dataset_stats
from .validate import load_dataset


@dataclass
class BuildResult:
    """What a build wrote, and the counts of what it read."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def build(paths: Iterable[Path | str] | None = None, out_dir: Path | str = "build",
          ontology: Ontology | None = None) -> BuildResult:
    """Validate ``paths`` and write ``dataset.json`` and ``summary.json`` to ``out_dir``.

    Nothing is written when the inputs have problems (:class:`~graph.errors.InputError`).
    """
    ds = load_dataset(paths, ontology)
    out = Path(out_dir)
    result = BuildResult(out, stats=dataset_stats(ds))
    result.files.append(atomic_write(out / "dataset.json", ds.to_json()))
    summary = json.dumps(result.stats, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    result.files.append(atomic_write(out / "summary.json", summary))
    return result
