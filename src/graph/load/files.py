"""Reading case files safely: YAML and JSON Lines with limits, keeping the line of every field.

Nothing here knows the record models: a file becomes a stream of :class:`RawRecord` (a plain
dict, its kind and its :class:`~graph.model.records.Origin`) and :class:`~graph.errors.Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph.errors import Problem
from graph.load import registry
from graph.model.records import SECTIONS, Origin

INPUT_SUFFIXES = (".yaml", ".yml", ".jsonl")  # what a folder is searched for
RDF_SUFFIXES = registry.read_suffixes("rdf")  # also read when named explicitly


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from eating time or memory."""

    max_file_bytes: int = 20 * 1024 * 1024  # one YAML case file
    max_line_bytes: int = 1024 * 1024  # one JSON Lines record
    max_depth: int = 32  # nesting of lists and maps
    max_nodes: int = 2_000_000  # YAML nodes after alias expansion


@dataclass
class RawRecord:
    """One record as read from a file, before validation."""

    kind: str  # "source", "entity" or "claim"
    data: dict[str, Any]
    origin: Origin

    @property
    def label(self) -> str:
        """The record's id when it has a usable one, else its kind and line."""
        rid = self.data.get("id")
        return rid if isinstance(rid, str) and rid else f"{self.kind} at line {self.origin.line}"


class _FileProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def iter_file(path: Path, limits: Limits = Limits(), ontology=None,
              progress: Callable[[int], None] | None = None) -> Iterator[RawRecord | Problem]:
    """The records and problems of one file, in file order; JSON Lines are streamed.

    A JSON Lines file is read a line at a time, so that a caller which validates each record as
    it comes holds one raw record at a time, whatever the file's size. ``progress`` is called with
    the bytes read since its last call (JSON Lines only).
    """
    name = str(path)
    fmt = registry.reading(path)  # RDF, FollowTheMoney entities (Aleph, OpenSanctions): read by their own readers
    if fmt is not None:
        yield from registry.reader(fmt)(path, ontology)
        return
    if path.suffix.lower() == ".jsonl":
        try:
            yield from _iter_jsonl(path, name, limits, progress)
        except OSError as exc:  # unreadable, or gone while read: the file's problem, not a crash
            yield unreadable(name, exc)
        return
    try:
        records, problems = _read_yaml(path, name, limits)
    except _FileProblems as exc:
        records, problems = [], exc.problems
    except OSError as exc:
        records, problems = [], [unreadable(name, exc)]
    yield from records
    yield from problems


def unreadable(name: str, exc: OSError) -> Problem:
    """The problem of a file that cannot be read (no permission, a broken link, an I/O error)."""
    return Problem(name, 0, "", f"cannot read the file: {exc.strerror or exc}")


# --- YAML ----------------------------------------------------------------------------------------

def _read_yaml(path: Path, name: str, limits: Limits) -> tuple[list[RawRecord], list[Problem]]:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _FileProblems([Problem(name, 0, "", f"file is {size} bytes, over the limit of {limits.max_file_bytes}")])
    text = _decode(path.read_bytes(), name)
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise _FileProblems([Problem(name, 1, "", "file is empty (expected sources:, entities: or claims:)")])
    _check_characters(text, name)
    _prescan(text, name, limits)
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return _records_from_root(root, loader, name, limits)
    except yaml.YAMLError as exc:
        raise _FileProblems([_yaml_problem(name, exc)]) from None
    finally:
        loader.dispose()


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        what = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        raise _FileProblems([Problem(name, line, "", what)]) from None


# what YAML 1.1 refuses in a stream (its reader reports only an offset, on two lines)
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _check_characters(text: str, name: str) -> None:
    """Every line holding a character YAML cannot read (a NUL byte, ESC), each as a problem."""
    problems = []
    for lineno, line in enumerate(text.split("\n"), 1):
        m = _NOT_YAML.search(line)
        if m:
            problems.append(Problem(name, lineno, "", f"the control character U+{ord(m.group()):04X} at column "
                                                      f"{m.start() + 1} is not allowed in a case file"))
    if problems:
        raise _FileProblems(problems)


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Problem:
    # An unclosed bracket or quote is found at the end of the file; where it was opened (the
    # context) is what the reader needs, so that line leads and the other is named.
    problem, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    mark = context or problem
    line = mark.line + 1 if mark is not None else 0
    what = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc)
    if context is not None and problem is not None and problem.line != context.line:
        what += f" (at line {problem.line + 1})"
    return Problem(name, line, "", f"YAML syntax error: {what}")


def _prescan(text: str, name: str, limits: Limits) -> None:
    """Walk the event stream (no objects built) to bound nesting and alias expansion.

    Every node counts once, and an alias counts as the size of what it points to, so a
    "billion laughs" file is stopped after a few thousand events instead of expanding.
    """
    total = depth = 0
    open_anchors: list[tuple[str | None, int]] = []
    sizes: dict[str, int] = {}
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 0  # the parser always sets it
            if isinstance(event, ScalarEvent):
                total += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, CollectionStartEvent):
                total += 1
                depth += 1
                if depth > limits.max_depth:
                    raise _FileProblems([Problem(name, line, "", f"nested deeper than {limits.max_depth} levels")])
                open_anchors.append((event.anchor, total - 1))
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
                anchor, start = open_anchors.pop()
                if anchor:
                    sizes[anchor] = total - start
            elif isinstance(event, AliasEvent):
                if event.anchor not in sizes:
                    what = f"alias *{event.anchor} refers to an unknown or enclosing anchor"
                    raise _FileProblems([Problem(name, line, "", what)])
                total += sizes[event.anchor]
            if total > limits.max_nodes:
                what = f"aliases expand to more than {limits.max_nodes} nodes (alias bomb?)"
                raise _FileProblems([Problem(name, line, "", what)])
    except yaml.YAMLError as exc:
        raise _FileProblems([_yaml_problem(name, exc)]) from None


def _records_from_root(root: Node | None, loader: yaml.SafeLoader, name: str,
                       limits: Limits) -> tuple[list[RawRecord], list[Problem]]:
    """The file's records and the problems of the records that could not be read.

    A broken record does not hide the good ones: they are still checked, so that references to
    them do not turn into a cascade of false "unknown" problems.
    """
    if not isinstance(root, MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise _FileProblems([Problem(name, line, "", "top level must be a map with sources:, entities: or claims:")])
    problems: list[Problem] = []
    records: list[RawRecord] = []
    for key_node, value_node in _pairs(root, name):
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key not in SECTIONS:
            problems.append(Problem(name, line, "", f"unknown top-level key {key!r} (expected {', '.join(SECTIONS)})"))
            continue
        if isinstance(value_node, ScalarNode) and value_node.tag.endswith(":null"):
            continue
        if not isinstance(value_node, SequenceNode):
            problems.append(Problem(name, line, "", f"{key}: must be a list of records"))
            continue
        for item in value_node.value:
            item_line = item.start_mark.line + 1
            if not isinstance(item, MappingNode):
                problems.append(Problem(name, item_line, "", f"{key}: each item must be a map of fields"))
                continue
            lines: dict[tuple[str | int, ...], int] = {}
            try:
                data = _to_python(item, loader, name, limits, loc=(), lines=lines, depth=0)
            except _FileProblems as exc:
                problems.extend(exc.problems)
                continue
            records.append(RawRecord(SECTIONS[key], data, Origin(name, item_line, lines)))
    return records, problems


def _pairs(node: MappingNode, name: str) -> list[tuple[ScalarNode, Node]]:
    seen: dict[str, int] = {}
    out = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            raise _FileProblems([Problem(name, line, "", "map keys must be plain text")])
        if key_node.value in seen:
            what = f"key {key_node.value!r} given twice (first at line {seen[key_node.value]})"
            raise _FileProblems([Problem(name, line, "", what)])
        seen[key_node.value] = line
        out.append((key_node, value_node))
    return out


def _to_python(node: Node, loader: yaml.SafeLoader, name: str, limits: Limits, *,
               loc: tuple[str | int, ...], lines: dict, depth: int) -> Any:
    if depth > limits.max_depth:
        what = f"nested deeper than {limits.max_depth} levels"
        raise _FileProblems([Problem(name, node.start_mark.line + 1, "", what)])
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        out = {}
        for key_node, value_node in _pairs(node, name):
            key = key_node.value
            lines[loc + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, loader, name, limits, loc=loc + (key,), lines=lines, depth=depth + 1)
            lines[loc + (key,)] = key_node.start_mark.line + 1  # the key's line, not the value's
        return out
    if isinstance(node, SequenceNode):
        return [_to_python(v, loader, name, limits, loc=loc + (i,), lines=lines, depth=depth + 1)
                for i, v in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        # YAML reads 2023-02-30 as a date and fails to build it: the text goes on to the
        # record's own checks, which name the field ("start: '2023-02-30' is not a valid date")
        return node.value


# --- JSON Lines ----------------------------------------------------------------------------------

def _iter_jsonl(path: Path, name: str, limits: Limits,
                progress: Callable[[int], None] | None) -> Iterator[RawRecord | Problem]:
    found = False
    pending = 0
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if progress is not None:
                pending += len(raw)
                if pending >= 1 << 20:
                    progress(pending)
                    pending = 0
            if len(raw) > limits.max_line_bytes:
                found = True
                yield Problem(name, lineno, "", f"line is over the limit of {limits.max_line_bytes} bytes")
                continue
            if not raw.strip():
                continue
            found = True
            try:
                data = orjson.loads(raw)  # twice as fast as the standard library on bulk lines
            except orjson.JSONDecodeError:  # say why: not UTF-8, or not JSON (a byte order mark is fine)
                try:
                    text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield Problem(name, lineno, "", "not UTF-8 text")
                    continue
                try:
                    data = orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    yield Problem(name, lineno, "", f"not valid JSON: {exc}")
                    continue
            # a line with fewer brackets than the depth limit cannot nest deeper: skip the walk
            deep = raw.count(b"{") + raw.count(b"[") > limits.max_depth
            problem = _check_json_record(data, limits if deep else None)
            if problem:
                yield Problem(name, lineno, "", problem)
                continue
            kind = data.pop("record")
            yield RawRecord(kind, data, Origin(name, lineno))
    if progress is not None and pending:
        progress(pending)
    if not found:
        yield Problem(name, 1, "", "file is empty (expected one JSON record per line)")


def _check_json_record(data: Any, limits: Limits | None) -> str | None:
    """What is wrong with one JSON Lines record; ``limits`` None when it cannot be too deep."""
    if not isinstance(data, dict):
        return "each line must be a JSON object"
    kind = data.get("record")
    if kind not in SECTIONS.values():
        return f"'record' must be one of {', '.join(SECTIONS.values())}, not {kind!r}"
    if limits is None:
        return None
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limits.max_depth:
            return f"nested deeper than {limits.max_depth} levels"
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return None


# --- finding files -------------------------------------------------------------------------------

DEFAULT_INPUT = Path("data")  # what a command reads when it is given no case files


def input_paths(paths: Iterable[Path | str] | None) -> list[Path]:
    """The case files and folders asked for, or the default ``data`` folder when none are.

    >>> input_paths(None), input_paths(["a.yaml"])
    ([PosixPath('data')], [PosixPath('a.yaml')])
    """
    return [Path(p) for p in paths] if paths else [DEFAULT_INPUT]


def find_input_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their case files (sorted); report paths that do not exist.

    A folder without case files is a problem: read as "no records", it would let a build replace
    its outputs with empty ones. So is an entry named like a case file that is not a regular
    file (a broken link, a pipe): it cannot be read, and a pipe would block the reader.
    """
    files: list[Path] = []
    problems = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in INPUT_SUFFIXES and not f.is_dir())
            for f in found:
                if f.is_file():
                    files.append(f)
                else:
                    problems.append(Problem(str(f), 0, "", _not_regular(f)))
            if not found:
                problems.append(Problem(str(p), 0, "", "folder holds no case files "
                                        f"({', '.join('*' + s for s in INPUT_SUFFIXES)})"))
        elif p.is_file():
            if p.suffix.lower() in INPUT_SUFFIXES + RDF_SUFFIXES:
                files.append(p)
            else:
                problems.append(Problem(str(p), 0, "", "unsupported file type (expected "
                                        f"{', '.join(INPUT_SUFFIXES + RDF_SUFFIXES)})"))
        elif p.is_symlink() or p.exists():
            problems.append(Problem(str(p), 0, "", _not_regular(p)))
        else:
            problems.append(Problem(str(p), 0, "", "no such file or folder"))
    return list(dict.fromkeys(files)), problems


def _not_regular(path: Path) -> str:
    """Why an entry that is neither a folder nor a regular file is not read."""
    if path.is_symlink() and not path.exists():
        return "cannot read the file: it is a link to nothing (broken link)"
    return "cannot read the file: not a regular file (a pipe, device or socket)"
