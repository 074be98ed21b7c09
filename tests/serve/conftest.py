"""A real uvicorn server on a free loopback port, answering in a thread, over records opened once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import uvicorn

from graph.serve import Served, create_app


@contextlib.contextmanager
def running(served: Served, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``served`` with uvicorn on a free port of ``host``; yields the base address."""
    server = uvicorn.Server(uvicorn.Config(create_app(served, host=host), host=host, port=0, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)  # until uvicorn says it listens (not a timing assumption: no deadline but the thread's)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join()
