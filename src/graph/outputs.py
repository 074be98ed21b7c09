"""Writing outputs safely.

A file is written to a temporary file in the same folder, then renamed over the old one. A folder
of outputs (a build, a site, a table export) is written whole into a fresh folder beside the old
one, then swapped in (:func:`replaced_folder`): a reader sees the old folder or the new one, never
a mix, and nothing of an earlier run survives in it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from graph.errors import OutputError, UsageError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula


def cell(value: Any) -> str:
    r"""A spreadsheet-safe cell: a value that a spreadsheet would read as a formula gets a leading ';
    a carriage return becomes a line feed (rows end with line feeds: a bare CR in an unquoted cell
    would start a row of its own in some readers).

    >>> cell("=1+1"), cell("a\r\nb\rc")
    ("'=1+1", 'a\nb\nc')
    """
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if text.startswith(FORMULA_START) else text


def check_target(path: Path | str) -> None:
    """Refuse a file target that exists and is not a regular file (a device, a pipe, a folder).

    Renaming over it would replace, say, ``/dev/null`` with a regular file.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{path}: cannot use as output: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder: give a file name")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is not a regular file (a device, pipe or socket): choose another output")


def check_not_input(output: Path | str, inputs: Iterable[Path | str]) -> None:
    """Refuse an output inside an input folder, equal to an input, or a folder holding an input.

    ``inputs`` are the case files or folders read and the ontology folder. A folder output is
    replaced whole, so an input inside it would be deleted; a file output inside an input folder
    would be read as an input by the next run.
    """
    out = Path(output).resolve()
    for given in inputs:
        inp = Path(given).resolve()
        if out == inp or inp in out.parents:
            raise UsageError(f"{output} is inside the input {given}: outputs never go into the inputs, "
                             "choose another -o")
        if out in inp.parents:
            raise UsageError(f"{output} holds the input {given}: the output folder is replaced whole, "
                             "choose another -o")


def atomic_write(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = atomic_write(p, "hello")
    >>> p.read_text()
    'hello'
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path, text=False) as fh:
        fh.write(payload)
    return path


@contextlib.contextmanager
def atomic_writer(path: Path | str, text: bool = True) -> Iterator[IO]:
    """A file handle whose content replaces ``path`` only when the block ends without error.

    For outputs too large to hold in memory; the rename is atomic, as in :func:`atomic_write`.
    A ``path`` that exists and is not a regular file is refused (:func:`check_target`).
    """
    path = Path(path)
    try:
        check_target(path)
    except UsageError as exc:
        raise OutputError(str(exc)) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") if text else os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def replaced_folder(folder: Path | str, signature: str) -> Iterator[Path]:
    """Yield a fresh, empty folder; when the block ends without error it takes ``folder``'s place whole.

    - ``folder`` is replaced only when it does not exist, is empty, or holds ``signature`` (a
      file every earlier output of the same kind has, e.g. ``summary.json`` for a build): a
      folder of other files is never deleted by mistake;
    - a lock on ``.NAME.lock`` beside it makes a second writer of the same folder refuse at once;
    - the new folder, ``.NAME.tmp-<random>``, is swapped with the old one in one step
      (``renameat2(RENAME_EXCHANGE)``; where the system lacks it, two renames) and the old one
      is then deleted: a reader opening a path sees the old folder or the new one, and a file a
      reader has open keeps its content;
    - what a killed run left (``.NAME.tmp-*``) is deleted by the next one.
    """
    final = Path(folder).resolve()  # through a symlink: the folder it names is replaced
    check_folder_target(final, signature, shown=Path(folder))
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        lock = open(final.parent / f".{final.name}.lock", "a+b")  # noqa: SIM115 (held until the swap)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    with lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{folder} is being written by another thbor command (it holds {lock.name}): "
                              "wait for it to end and run again") from None
        _recover(final)
        tmp = final.parent / f".{final.name}.tmp-{secrets.token_hex(6)}"
        try:
            tmp.mkdir()
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None
        try:
            yield tmp
            _swap(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        # tmp holds the old folder now (or nothing): no reader opens a path in it any more
        shutil.rmtree(tmp, ignore_errors=True)


def check_folder_target(folder: Path, signature: str, shown: Path | None = None) -> None:
    """Refuse to replace ``folder`` unless it is missing, empty, or an earlier output (holds ``signature``)."""
    shown = shown or folder
    if not folder.exists():
        if folder.is_symlink():
            raise UsageError(f"{shown} is a broken symlink: choose another output folder")
        return
    if not folder.is_dir():
        raise UsageError(f"{shown} exists and is not a folder: choose another output folder")
    try:
        empty = next(folder.iterdir(), None) is None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not empty and not (folder / signature).is_file():
        raise UsageError(f"{shown} holds files thbor did not write there (no {signature}): it would be replaced "
                         "whole, so choose a new or empty folder, or remove it first")


def _recover(final: Path) -> None:
    """Undo what a killed run left beside ``final``: its fresh folder, or half of a two-rename swap."""
    olds = sorted(final.parent.glob(f".{final.name}.old-*"))
    if olds and not final.exists():  # killed between the two renames: the old folder goes back
        olds.pop().rename(final)
    for left in [*olds, *final.parent.glob(f".{final.name}.tmp-*")]:
        shutil.rmtree(left, ignore_errors=True)


def _swap(new: Path, final: Path) -> None:
    """Put ``new`` in ``final``'s place; afterwards ``new`` holds the old folder, if there was one."""
    try:
        if not final.exists():
            new.rename(final)
        elif not _exchange(new, final):
            old = final.parent / f".{final.name}.old-{new.name.rsplit('-', 1)[1]}"
            final.rename(old)
            new.rename(final)
            old.rename(new)
        _fsync_dir(final.parent)
    except OSError as exc:
        raise OutputError(f"{final}: cannot replace: {exc.strerror or exc}") from None


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def link_tree(src: Path, dst: Path) -> None:
    """Copy a folder of files that are never changed in place, by hard links where possible."""
    try:
        shutil.copytree(src, dst, copy_function=_link_or_copy)
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(dst, ignore_errors=True)
        raise OutputError(f"{dst}: cannot copy {src}: {exc}") from None


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def child_env() -> dict[str, str]:
    """The environment of a child process that writes an output with this package's code: this one's,
    with the folder the package is imported from first on ``PYTHONPATH`` (it may not be installed)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).parents[1]), *filter(None, [os.environ.get("PYTHONPATH")])])}
