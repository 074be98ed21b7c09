"""What changed between two builds, as RDF a partner can apply: the triples added and removed.

A partner who loaded last month's export needs the difference between what they received and
what they would receive now, at THEIR sharing level, and nothing else. Each side is therefore the
shared export itself — :func:`graph.model.sharing.share` and the N-Triples writer, the very
bytes ``thbor export`` and ``thbor build`` write — and the change is the set difference of their
triples. A record raised above the partner's level simply disappears from the newer side: its
triples (only those the partner had) are in ``removed.nt``, with no level, reason or other trace.

A build folder's own ``export/graph.nt`` is used as it is when its manifest says it was shared
at the level and base asked for (it is exactly what partners received from that build); otherwise
the side is shared again from its ``dataset.json``.

The difference is computed without holding either file in memory as text: each line's 64-bit
keyed hash (Python's SipHash, keyed at random per process) and length go into arrays, the arrays
are matched by sorting, and the lines that differ are read back by their offsets. A change is
missed only if two different triples hash alike: a changed line's hash meeting one of the other
side's (about changed × N / 2^64: 3 × 10^-7 for 1% of 23 million triples changed, 3 × 10^-5
when all of them change), or two lines of one file meeting (about N² / 2^65, 1.5 × 10^-5 at 23
million). A miss leaves a triple out of the change set; it never adds one the partner should
not get.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from graph.errors import InputError, Problem, UsageError
from graph.load.dataset_json import dataset_file, read_dataset_json
from graph.model.ontology import Ontology
from graph.model.sharing import resolve_level, share
from graph.outputs import atomic_write, atomic_writer, check_not_input, sha256_file
from graph.rdf.write import DEFAULT_BASE, Namer, write_ntriples

ADDED, REMOVED, MANIFEST = "added.nt", "removed.nt", "changes.json"
_CHUNK = 1 << 24  # bytes of lines read at a time


@dataclass
class ChangeSet:
    """The RDF change between two sides at one sharing level, and where it was written."""

    folder: Path
    level: str
    base: str
    graph: str
    added: int = 0
    removed: int = 0
    files: list[Path] = field(default_factory=list)
    sides: dict[str, str] = field(default_factory=dict)  # "old"/"new" -> how its triples were obtained

    def manifest(self) -> dict[str, Any]:
        """What ``changes.json`` says: level, base, graph, counts and checksums, nothing of the records."""
        return {"level": self.level, "base": self.base, "graph": self.graph,
                "counts": {"added": self.added, "removed": self.removed},
                "files": {f.name: sha256_file(f) for f in self.files if f.name != MANIFEST}}



def write_changes(old: Path | str, new: Path | str, folder: Path | str, onto: Ontology, *,
                  max_tlp: str | None = None, base: str = DEFAULT_BASE) -> ChangeSet:
    """Write ``added.nt``, ``removed.nt`` and ``changes.json`` into ``folder`` (each atomically).

    ``old`` and ``new`` are build folders or ``dataset.json`` files; ``max_tlp`` the partner's
    level (default the ontology's partner level).
    """
    level = resolve_level(onto, max_tlp)
    try:
        names = Namer(base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    folder = Path(folder)
    check_not_input(folder, [old, new])
    result = ChangeSet(folder, level, names.base, names.graph())
    with tempfile.TemporaryDirectory(prefix="thbor-diff-") as tmp:
        sides = {}
        for name, side in (("old", Path(old)), ("new", Path(new))):
            sides[name], result.sides[name] = _shared_ntriples(side, Path(tmp) / f"{name}.nt", onto,
                                                               level=level, base=names.base)
        result.added, result.removed = diff_ntriples(sides["old"], sides["new"], folder / ADDED, folder / REMOVED)
    result.files = [folder / ADDED, folder / REMOVED]
    manifest = json.dumps(result.manifest(), indent=1, sort_keys=True) + "\n"
    result.files.append(atomic_write(folder / MANIFEST, manifest))
    return result


def _shared_ntriples(side: Path, scratch: Path, onto: Ontology, *, level: str, base: str) -> tuple[Path, str]:
    """The N-Triples a partner at ``level`` gets from ``side``, and how they were obtained."""
    dataset_file(side)  # a clear error when the side is neither a build nor a dataset.json
    export = side / "export" / "graph.nt"
    if side.is_dir() and export.is_file() and _export_matches(export, level, base):
        return export, f"{export} (the build's export at {level})"
    ds = read_dataset_json(side, onto)
    shared, _ = share(ds, level)
    try:
        with scratch.open("w", encoding="utf-8", newline="\n") as fh:
            write_ntriples(shared, fh, base)
    except OSError as exc:
        raise InputError([Problem(str(scratch), 0, "", f"cannot write: {exc.strerror or exc}")]) from None
    return scratch, f"{side} shared at {level}"


def _export_matches(export: Path, level: str, base: str) -> bool:
    """True when the build's manifest says its N-Triples were shared at ``level`` under ``base``."""
    try:
        manifest = json.loads(export.with_name(export.name + ".manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    sharing = manifest.get("sharing") or {}
    return (manifest.get("base") == base and sharing.get("level") == level and not sharing.get("pseudonymised")
            and manifest.get("format") == "nt")


def diff_ntriples(old: Path, new: Path, added: Path, removed: Path) -> tuple[int, int]:
    """Write the lines of ``new`` not in ``old`` to ``added`` and the reverse to ``removed``.

    Lines are written in the order of their file (deterministic for deterministic inputs), each
    distinct line once. Returns the two counts.
    """
    old_h, old_off, old_len = _line_hashes(old)
    new_h, new_off, new_len = _line_hashes(new)
    old_sorted, new_sorted = np.sort(old_h), np.sort(new_h)
    gone = _within(old_h, old_sorted[~_within(old_sorted, new_sorted)])
    came = _within(new_h, new_sorted[~_within(new_sorted, old_sorted)])
    return (_copy_lines(new, added, new_h, new_off, new_len, came),
            _copy_lines(old, removed, old_h, old_off, old_len, gone))


def _line_hashes(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash, offset and length of every line (the last one counted with its newline even if it lacks it)."""
    hashes, lengths = [], []
    try:
        with path.open("rb") as fh:
            while lines := fh.readlines(_CHUNK):
                if not lines[-1].endswith(b"\n"):
                    lines[-1] += b"\n"
                hashes.append(np.fromiter(map(hash, lines), dtype=np.int64, count=len(lines)))
                lengths.append(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))
    except OSError as exc:
        raise InputError([Problem(str(path), 0, "", f"cannot read: {exc.strerror or exc}")]) from None
    h = np.concatenate(hashes) if hashes else np.zeros(0, np.int64)
    n = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
    return h, np.cumsum(n) - n, n


def _within(these: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """For each hash of ``these``, whether the sorted ``ordered`` holds it.

    Fast in the two ways it is used: ``these`` sorted too (the search walks both in step), or
    ``ordered`` small (the few hashes that changed, which stay in the processor's cache).
    """
    if not len(ordered):
        return np.zeros(len(these), bool)
    at = np.minimum(np.searchsorted(ordered, these), len(ordered) - 1)
    return ordered[at] == these


def _copy_lines(src: Path, dst: Path, hashes: np.ndarray, offsets: np.ndarray, lengths: np.ndarray,
                chosen: np.ndarray) -> int:
    """Copy the chosen lines of ``src`` (each distinct one once) into ``dst``, atomically."""
    rows = np.flatnonzero(chosen)
    _, first = np.unique(hashes[rows], return_index=True)  # a line written twice in a file is one triple
    rows = rows[np.sort(first)]
    with src.open("rb") as fh, atomic_writer(dst, text=False) as out:
        _copy_rows(fh, out, offsets[rows], lengths[rows])
    return len(rows)


def _copy_rows(fh: IO[bytes], out: IO[bytes], offsets: np.ndarray, lengths: np.ndarray) -> None:
    buf: list[bytes] = []
    for off, n in zip(offsets.tolist(), lengths.tolist(), strict=True):
        fh.seek(off)
        line = fh.read(n)
        buf.append(line if line.endswith(b"\n") else line + b"\n")
        if len(buf) >= 10_000:
            out.write(b"".join(buf))
            buf.clear()
    out.write(b"".join(buf))
