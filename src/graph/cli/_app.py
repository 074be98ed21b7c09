"""The ``thbor`` Typer app and what its commands share: consoles, options, error reporting.

Command modules import ``app`` from here and register on it; :mod:`graph.cli` imports them.

Exit codes: 0 success, 1 bad input (every problem is listed, file:line: record: message),
2 wrong usage.
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


def partner_level() -> str:
    """The shipped ontology's partner sharing level (``thb:partnerLevel``), for help texts."""
    return load_ontology().partner_level


def warn(message: str) -> None:
    """A warning of the library (a damaged store, say) on stderr."""
    err.print(f"warning: {message}", markup=False)


@contextlib.contextmanager
def as_flags(**flags: str) -> Iterator[None]:
    """Say the fields a library message names (``max_hops``) as the command's flags (``--max-hops``).

    Only the head of a message, before its first ": ", names fields: what follows may quote input.
    """
    try:
        yield
    except UsageError as exc:
        head, sep, tail = str(exc).partition(": ")
        for field, flag in flags.items():
            head = re.sub(rf"(?<![\w-]){re.escape(field)}(?![\w-])", flag, head)
        raise UsageError(head + sep + tail) from None


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
            err.print(f"usage error: {exc}", style="bold red", markup=False)
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


