"""Every API route's request, in one pass around the route itself.

`TrellisRoute` (the route class of every router but the operations') does, for each request:
1. who is signed in and whether the policy table lets them call this route (401, 403), the
   ownership and self checks in the thread pool only when they must read the database;
2. on a GET, the read position it answers at (`X-Trellis-Read-Position`, from memory);
3. the route (FastAPI validates its parameters and body, runs it and serialises its answer),
   through the `Idempotency-Key` records for a command;
4. for a personal-data read that succeeded, its access-log entry, written before the answer
   is sent (`AccessWriter`: reads served together share one write).

These are plain calls, not FastAPI dependencies: resolving a tree of dependencies on every
request cost more than the work they did. A route's own parameters stay FastAPI's. What the
dependencies declared in the API docs (the bearer scheme, `X-Trellis-Role`) is declared by
`openapi_extras` instead.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

from api.http.deps import READ_POSITION, route_key
from api.http.idempotency import HEADER as IDEMPOTENCY_KEY, idempotent, keyed
from api.http.policy import admit
from api.http.reads import record
from api.http.rules import POLICY, READS

ROLE_HEADER = {
    "name": "X-Trellis-Role", "in": "header", "required": False,
    "description": "For a token with several roles: the one to act in (default: the first).",
    "schema": {"anyOf": [{"type": "string", "maxLength": 40}, {"type": "null"}],
               "description": "For a token with several roles: the one to act in (default: the first).",
               "title": "X-Trellis-Role"},
}
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "A JWT whose `sub` is the person's id and `roles` lists their roles."}


class TrellisRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if "POST" in (options.get("methods") or ()):
            if inspect.iscoroutinefunction(endpoint):  # its key could not be claimed in its own thread
                raise TypeError(f"the command {endpoint.__name__} must be a plain def, run in the thread pool")
            endpoint = keyed(endpoint, options.get("status_code") or 200)
        super().__init__(path, endpoint, **options)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_body = self.body_field is not None  # a route that takes none never reads one

        async def app(request: Request) -> Response:
            key = route_key(request)
            actor = await admit(request, POLICY.get(key))
            position = await _announced(request) if request.method == "GET" else None
            if request.method == "POST" and actor is not None and IDEMPOTENCY_KEY in request.headers:
                response = await idempotent(request, handler, actor, takes_body)
            else:
                response = await handler(request)
            reads = READS.get(key)
            if reads is not None and response.status_code < 400:
                await record(request, actor, key, reads)
            if position is not None:
                response.headers[READ_POSITION] = str(position)
            return response

        return app


async def _announced(request: Request) -> int | None:
    """The read position this GET answers at, kept on the request for the route (`KnownPosition`)."""
    side = getattr(request.app.state, "read_side", None)
    position = None if side is None else await side.announced_position()
    request.state.read_position = position
    return position


class TrellisRouter(APIRouter):
    """A router of `TrellisRoute`s that is asked to match a request only if the request's path
    begins as one of its routes' does (`/cases`, `/me` …): the app tries its routers in turn,
    each trying every route it holds, so without this a request near the end of the list was
    matched against almost every route of the API first."""

    def __init__(self, **options: Any) -> None:
        super().__init__(route_class=TrellisRoute, **options)
        self._heads: tuple[frozenset[str], int] | None = None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if _head(get_route_path(scope)) not in self._route_heads():
            return Match.NONE, {}
        return super().matches(scope)

    def _route_heads(self) -> frozenset[str]:
        """The first segment of every route's path (made again if routes were added since)."""
        if self._heads is None or self._heads[1] != len(self.routes):
            self._heads = (frozenset(_head(getattr(r, "path", "")) for r in self.routes), len(self.routes))
        return self._heads[0]


def _head(path: str) -> str:
    """'/cases/…' → '/cases'; '/' → '/'."""
    end = path.find("/", 1)
    return path if end < 0 else path[:end]


def openapi_extras(schema: dict[str, Any], routes: dict[int, tuple[APIRoute, str]]) -> None:
    """What every signed-in route takes, in the docs: the bearer scheme and `X-Trellis-Role`."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = BEARER_SCHEME
    for route, path in routes.values():
        if not isinstance(route, TrellisRoute) or not route.include_in_schema:
            continue
        for method in route.methods:
            operation = schema.get("paths", {}).get(path, {}).get(method.lower())
            if operation is None:
                continue
            operation.setdefault("security", [{"bearer": []}])
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == ROLE_HEADER["name"] for p in parameters):
                at = next((i for i, p in enumerate(parameters) if p.get("in") == "header"), len(parameters))
                parameters.insert(at, dict(ROLE_HEADER))


__all__ = ["TrellisRoute", "TrellisRouter", "openapi_extras"]
