"""Writing N-Triples and Turtle with a child process: this one walks the records, the child writes the files.

Walking the records (:class:`graph.rdf.write.Marked`) is Python work on the Dataset, which only
this process holds. What follows it is not: making the N-Triples lines of each block of Turtle,
turning the marked text into each format (``bytes.replace``, one pass per namespace marker),
writing a few gigabytes, fsync and the files' SHA-256. A child process does that on the second
core, fed the marked Turtle's UTF-8 bytes through a pipe; the markers are single bytes below 0x20,
which never occur inside a UTF-8 sequence, so replacing them in the bytes gives exactly the bytes
of :func:`graph.rdf.write.write_rdf` (the files are byte-identical whichever way they are written).
The child writes into the file handles the caller opened, so the caller's
:func:`graph.outputs.atomic_writer` still decides whether the files appear: a failure of the
child fails the export with its message, and nothing is left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import struct
import subprocess
import sys
from collections.abc import Sequence
from typing import IO, NamedTuple

from graph.errors import OutputError
from graph.model.dataset import Dataset
from graph.rdf.write import DEFAULT_BASE, Marked

_FRAME = struct.Struct("<?Q")  # the Turtle's header or not, length of the chunk's bytes
_PIPE_BYTES = 1 << 20  # a wider pipe than the default 64 kB: fewer switches between the two processes


class Written(NamedTuple):
    """What :func:`write_rdf_in_child` wrote: the triples and the SHA-256 of each file."""

    triples: int
    nt_sha256: str
    ttl_sha256: str


def write_rdf_in_child(ds: Dataset, nt: IO[bytes], ttl: IO[bytes], base: str = DEFAULT_BASE, *,
                       where: str, confidence: Sequence[float] | None = None) -> Written:
    """Write N-Triples into ``nt`` and Turtle into ``ttl`` (binary file handles, empty, with a file
    descriptor each) by a child process, as :func:`graph.rdf.write.write_rdf` would write them.

    Both files are fsynced by the child. ``where`` names the output in the error raised
    (:class:`OutputError`) when the child fails, a full disk say. ``confidence``: see
    :class:`graph.rdf.write.Marked`.
    """
    marked = Marked(ds, base, confidence=confidence)  # checks ``confidence`` before a child is started
    t = marked.terms
    subs = json.dumps([t.replacements(False), t.replacements(True)])
    fds = (nt.fileno(), ttl.fileno())
    # -I: the child needs only the standard library, and nothing from the environment
    proc = subprocess.Popen([sys.executable, "-I", "-c", _CHILD, subs, *map(str, fds)], pass_fds=fds,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        pipe = proc.stdin
        if pipe is None:  # never: stdin=PIPE
            raise OutputError(f"{where}: cannot write: no pipe to the writer")
        with contextlib.suppress(OSError):  # a narrower pipe only costs a little time
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        try:
            header = True  # the first chunk: Turtle's prefix lines, which N-Triples has not
            for _, text in marked.chunks(False, True):
                data = text.encode("utf-8")
                pipe.write(_FRAME.pack(header, len(data)))
                pipe.write(data)
                header = False
        except BrokenPipeError:
            pass  # the child stopped; what it said is reported below
        out, err = proc.communicate()  # closes the pipe: the child sees the end and finishes the files
    finally:
        if proc.returncode is None:  # this process failed or was interrupted while feeding it
            proc.kill()
            proc.communicate()
    if proc.returncode:
        said = err.decode("utf-8", errors="replace").strip().splitlines()
        raise OutputError(f"{where}: cannot write: {said[-1] if said else f'the writer stopped ({proc.returncode})'}")
    nt_sha, ttl_sha = out.decode().split()
    return Written(marked.triples, nt_sha, ttl_sha)


# The child: frames from stdin, each a chunk of marked Turtle: the prefix lines first, then blocks,
# "\n" + subject + " " + pairs joined by " ;\n    " + " .\n". No term holds a raw newline or a
# space, so the chunk splits into blocks at blank lines, a block's subject ends at its first space,
# and its N-Triples lines are the block with every " ;\n    " made " .\n" + subject + " ": the
# bytes of graph.rdf.write.write_rdf. A thread reads the frames as they come (a few chunks
# ahead), so that the parent never waits for the pipe while a chunk is written. A failure (a full
# disk, a closed handle) ends it with one line on stderr, no traceback.
_CHILD = r"""
import hashlib, json, os, queue, struct, sys, threading
subs = [[(a.encode(), b.encode()) for a, b in kind] for kind in json.loads(sys.argv[1])]
frame = struct.Struct("<?Q")
chunks = queue.Queue(8)

def fail(message):  # at once: the reading thread may be inside stdin, which an orderly exit would wait for
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    os._exit(1)

def feed():
    read = sys.stdin.buffer.read
    while head := read(frame.size):
        header, n = frame.unpack(head) if len(head) == frame.size else (False, -1)
        data = read(n) if n >= 0 else b""
        if len(data) != n:
            break
        chunks.put((header, data))
    else:
        chunks.put(None)
        return
    chunks.put(False)

def ntriples(data):
    lines = []
    for block in data[1:-1].split(b"\n\n"):
        subject = block[:block.index(b" ")]
        lines.append(block.replace(b" ;\n    ", b" .\n" + subject + b" "))
    return b"\n".join(lines) + b"\n"

def finish(data, turtle):
    for marker, text in subs[turtle]:
        data = data.replace(marker, text)
    outs[turtle].write(data)
    hashes[turtle].update(data)

threading.Thread(target=feed, daemon=True).start()
try:
    outs = [os.fdopen(int(fd), "wb") for fd in sys.argv[2:4]]
    hashes = [hashlib.sha256(), hashlib.sha256()]
    while chunk := chunks.get():
        header, data = chunk
        if not header and data:
            finish(ntriples(data), False)
        finish(data, True)
    if chunk is False:
        fail("the export stopped in the middle of a chunk")
    for fh in outs:
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
except OSError as exc:
    fail(exc.strerror or str(exc))
except Exception as exc:
    fail(f"{type(exc).__name__}: {exc}")
print(hashes[0].hexdigest(), hashes[1].hexdigest())
"""
