"""The ``thbor`` Typer app and what its commands share: consoles, options, error reporting.

Command modules import ``app`` from here and register on it; :mod:`graph.cli` imports them.

Exit codes: 0 success, 1 bad input (every problem is listed, file:line: record: message),
2 wrong usage, 3 nothing found (see :mod:`graph.cli`).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from graph.errors import InputError, ThborError, UsageError
from graph.load.validate import input_bytes
from graph.model.ontology import Ontology, load_ontology

app = typer.Typer(
    name="thbor",
    help="A sourced knowledge graph of trafficking in persons for organ removal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
ProgressOpt = Annotated[Optional[bool], typer.Option(
    "--progress/--no-progress", help="A progress bar while JSON Lines are read (default: on a terminal).")]


@contextlib.contextmanager
def reading_progress(paths: list[Path] | None, show: bool | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr over the JSON Lines among ``paths``; yields what advances it."""
    total = input_bytes(paths)
    if not total or not (err.is_terminal if show is None else show):
        yield None
        return
    columns = (TextColumn("reading and checking"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("reading", total=total)
        yield lambda n: bar.advance(task, n)

PathsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Case files or folders (*.yaml, *.yml, *.jsonl). Default: ./data", show_default=False)]


class _State:
    ontology_dir: Path | None = None


def _ontology() -> Ontology:
    return load_ontology(_State.ontology_dir)


def vocabulary(field: str) -> str:
    """The values of one vocabulary of the shipped ontology, in order, for a help text.

    Help texts are rendered before ``--ontology`` is read, so they list the shipped vocabulary;
    the values a command accepts come from the ontology it runs with.
    """
    return load_ontology().listing(field)


def contested() -> str:
    """The statuses left out by default (``thb:contested`` in the shipped ontology), for help texts."""
    return ", ".join(sorted(load_ontology().contested_statuses))


def opaque_classes() -> str:
    """The broadest classes of the shipped ontology whose traversal role is not traversable
    (context and concept entities), for help texts."""
    onto = load_ontology()
    opaque = onto.opaque_types
    return ", ".join(sorted(t for t in opaque if not (onto.classes[t].ancestors - {t}) & opaque))


def partner_level() -> str:
    """The shipped ontology's partner sharing level (``thb:partnerLevel``), for help texts."""
    return load_ontology().partner_level


def warn(message: str) -> None:
    """A warning of the library (a damaged store, say) on stderr."""
    err.print(f"warning: {message}", markup=False)


@contextlib.contextmanager
def as_flags(**flags: str) -> Iterator[None]:
    """Name the flags of library fields the command calls otherwise than by its parameters' names
    (``focus="--focus"`` where the parameter is ``focus_on``); see :func:`flagged`."""
    try:
        yield
    except UsageError as exc:
        exc.flags.update(flags)
        raise


# field -> flag where a flag is not the field's name with dashes (``statuses`` -> ``--status``);
# command modules add theirs
FLAGS: dict[str, str] = {}


def flagged(exc: UsageError) -> str:
    """The message of ``exc`` with each field it names said as a flag.

    A field's flag is the one :func:`as_flags` or :data:`FLAGS` names, else the field with
    dashes (``max_hops`` -> ``--max-hops``). Quoted text is input, never rewritten.

    >>> flagged(UsageError("max_hops must be at least 1, not 'max_hops'", fields=("max_hops",)))
    "--max-hops must be at least 1, not 'max_hops'"
    """
    names = {f: exc.flags.get(f) or FLAGS.get(f) or "--" + f.replace("_", "-") for f in exc.fields}
    if not names:
        return str(exc)
    words = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                       + r")(?![\w-])")
    # quoted input stays as given: rewrite only what lies outside '...' and "..."
    parts = re.split(r"""('[^']*'|"[^"]*")""", str(exc))
    return "".join(part if i % 2 else words.sub(lambda m: names[m.group(1)], part) for i, part in enumerate(parts))


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into messages on stderr and exit code 1, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for p in exc.problems:
                err.print(str(p), markup=False)
            files = len({p.path for p in exc.problems})
            err.print(f"{len(exc.problems)} problem(s) in {files} file(s)", style="bold red")
            raise typer.Exit(1) from None
        except UsageError as exc:
            err.print(f"usage error: {flagged(exc)}", style="bold red", markup=False)
            raise typer.Exit(2) from None
        except ThborError as exc:
            err.print(f"error: {exc}", style="bold red", markup=False)
            raise typer.Exit(1) from None
    return wrapper


@app.callback()
def main(ontology: Annotated[Optional[Path], typer.Option(
        "--ontology", help="Ontology folder. Default: ./ontology if present, else the shipped one.",
        show_default=False)] = None) -> None:
    """A sourced knowledge graph of trafficking in persons for organ removal (THBOR)."""
    _State.ontology_dir = ontology


def _show_counts(title: str, counts: dict[str, Any]) -> None:
    if not counts:
        return
    if out.is_terminal:
        table = Table(title=title, title_justify="left", show_header=False)
        for k, v in counts.items():
            table.add_row(str(k), str(v))
        out.print(table)
    else:
        out.print(f"{title}:", markup=False)
        width = max(len(str(k)) for k in counts)
        for k, v in counts.items():
            out.print(f"  {str(k):<{width}}  {v}", markup=False)


