"""The sharing step for ``thbor serve``, in a process of its own: ``python -m graph.serve.prepare``.

Reads every record of a store generation, keeps what may leave at the level asked for
(:func:`graph.model.sharing.share`) and writes that as a store generation of its own (see
:mod:`graph.serve.data`). It runs apart so that the server never holds every record in memory.

    python -m graph.serve.prepare GEN LEVEL ROOT STAMP ONTOLOGY_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.load.memory import paused_gc
from graph.model.ontology import load_ontology
from graph.model.sharing import share
from graph.store import StoreDataset, write_store


def prepare(gen: Path, level: str, root: Path, stamp: str, ontology_dir: Path) -> Path:
    """Write the records of ``gen`` at ``level`` as the generation ``stamp`` under ``root``."""
    onto = load_ontology(ontology_dir)
    with paused_gc():  # long-lived records, not cycles
        ds = StoreDataset(gen, onto).materialise()
        shared = share(ds, level)[0]
        del ds
        return write_store(shared, root, stamp)


if __name__ == "__main__":
    gen_arg, level_arg, root_arg, stamp_arg, onto_arg = sys.argv[1:6]
    prepare(Path(gen_arg), level_arg, Path(root_arg), stamp_arg, Path(onto_arg))
