"""The Starlette application of ``thbor serve``: routes, the read-only rule, headers and errors.

- only GET and HEAD are answered; any other method gets 405, whatever the address;
- every answer carries the pages' Content-Security-Policy (nothing from another host), no
  referrer, no framing, no sniffing, and the served sharing level (``X-Thbor-Max-TLP``);
- a request whose address is longer than :data:`MAX_URL` gets 414; parameters are bounded where read;
- on loopback, requests must name a loopback host (``Host``), so that a web page elsewhere cannot
  reach the server through a name it re-points at 127.0.0.1 (DNS rebinding);
- the library's errors become answers: an unknown or withheld entity 404 (the same answer: a
  withheld record is not loaded, so the server cannot tell them apart), bad parameters 400, an
  answer above the limits 413. JSON under ``/api/``, pages elsewhere.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import LookupProblem, NodeNotFound, ThborError, UsageError
from graph.serve.data import Served
from graph.serve.pages import CSP, asset, render
from graph.serve.routes import Handlers, TooLarge

LOG = logging.getLogger(__name__)

MAX_URL = 2048
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches."""
    return host in ("localhost", "::1", "[::1]") or host.startswith("127.")


class ReadOnly:
    """ASGI middleware: GET and HEAD only, bounded addresses, the security headers on every answer."""

    def __init__(self, app: ASGIApp, level: str):
        self.app, self.level = app, level
        self.headers = [(b"content-security-policy", CSP.encode()), (b"referrer-policy", b"no-referrer"),
                        (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                        (b"cross-origin-resource-policy", b"same-origin"), (b"cache-control", b"no-store"),
                        (b"x-thbor-max-tlp", level.encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        length = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if scope["method"] not in ("GET", "HEAD"):
            response: Response = JSONResponse({"error": "read-only: only GET and HEAD"}, 405,
                                              headers={"Allow": "GET, HEAD"})
        elif length > MAX_URL:
            response = JSONResponse({"error": f"the address is longer than {MAX_URL} characters"}, 414)
        else:
            try:
                return await self.app(scope, receive, with_headers)
            except Exception:
                # an error nothing foresaw: logged, and answered here so that the answer has the
                # security headers and the level too, and says nothing of what failed
                LOG.exception("unexpected error answering %s", scope["path"])
                if started:
                    raise
                response = PlainTextResponse("the server could not answer this question", 500)
        await response(scope, receive, with_headers)


def create_app(served: Served, *, host: str = "127.0.0.1") -> Starlette:
    """The application over ``served``; ``host`` is the address it is bound to (loopback: Host checked)."""
    h = Handlers(served)

    async def static(request: Request) -> Response:
        try:
            body, media = asset(request.path_params["name"])
        except KeyError:
            raise HTTPException(404) from None
        return Response(body, media_type=media, headers={"Cache-Control": "max-age=3600"})

    def answer(request: Request, status: int, message: str, candidates: list[dict[str, str]] | None = None) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, **({"candidates": candidates} if candidates else {})}, status)
        title = {404: "Not found", 413: "Too large", 405: "Not allowed"}.get(status, "Cannot answer")
        return HTMLResponse(render("error", title=title, level=served.level, onto=h.onto, message=message,
                                   candidates=candidates or []), status)

    async def not_found(request: Request, exc: Exception) -> Response:
        if isinstance(exc, LookupProblem):
            return answer(request, 404, str(exc).splitlines()[0], [{"id": i, "name": n} for i, n in exc.candidates])
        return answer(request, 404, "no such entity" if isinstance(exc, NodeNotFound) else "no such page")

    async def bad(request: Request, exc: Exception) -> Response:
        return answer(request, 400, str(exc))

    async def too_large(request: Request, exc: Exception) -> Response:
        return answer(request, 413, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        return answer(request, code, "no such page" if code == 404 else str(getattr(exc, "detail", "error")))

    async def other(request: Request, exc: Exception) -> Response:  # a library error not foreseen: no details
        return answer(request, 500, "the server could not answer this question")

    routes = [
        Route("/", h.index), Route("/search", h.search), Route("/path", h.path),
        Route("/entity/{eid:path}/network", h.network), Route("/entity/{eid:path}", h.entity),
        Route("/api/search", h.api_search), Route("/api/show", h.api_show), Route("/api/neighbors", h.api_neighbors),
        Route("/api/path", h.api_path), Route("/api/network", h.api_network),
        Route("/assets/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # browsers ask; there is none
    ]
    handlers: dict[Any, Any] = {LookupProblem: not_found, NodeNotFound: not_found, UsageError: bad,
                                TooLarge: too_large, HTTPException: http_error, ThborError: other}
    middleware = [Middleware(ReadOnly, level=served.level)]
    if is_loopback(host):
        # the bound address itself too (127.0.0.2 ...): a literal address, which no other site's name can be
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=sorted({*LOOPBACK_HOSTS, host})))
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.router.redirect_slashes = False  # a redirect would build its address from the Host header
    return app
