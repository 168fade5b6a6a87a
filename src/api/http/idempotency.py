"""`Idempotency-Key` on POST commands: a retry returns the first result and records nothing new.

Command routers use `CommandRoute`. A key is scoped to the actor who sent it; the
request's fingerprint (method, path, query, body) must match the first use, or the
retry is refused as a problem (422). Refused commands release their key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Header, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.http.auth import Unauthenticated
from api.http.deps import signed_in as signed_in_actor
from api.http.problems import IdempotencyKeyReused
from domain import Actor
from domain.errors import Conflict, Invalid

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY = 200


def idempotency_key(
    key: Annotated[str | None, Header(
        alias=HEADER, max_length=MAX_KEY,
        description="Any unique string (a UUID is ideal). A retry with the same key returns the first "
                    "result and records nothing new; the same key with a different request is refused.",
    )] = None,
) -> str | None:
    """Declares the header in the OpenAPI schema; `CommandRoute` does the work."""
    return key


class CommandRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_body = self.body_field is not None  # a route that takes none never reads one

        async def idempotent(request: Request) -> Response:
            key = request.headers.get(HEADER)
            signed_in = await _signed_in(request)
            if key is None or signed_in is None or request.method != "POST":
                return await handler(request)
            _check(key)
            trellis = request.app.state.trellis
            actor = f"{signed_in.role.value}:{signed_in.id}"
            fingerprint = await _fingerprint(request, trellis.fingerprint_key, takes_body)
            now = int(trellis.clock().timestamp())
            expires = now + int(request.app.state.settings.idempotency_hours * 3600)
            store = trellis.idempotency
            first = await run_in_threadpool(store.claim, actor, signed_in.id, key, fingerprint, now, expires)
            if first is not None:
                return _replay(first, fingerprint)
            try:
                response = await handler(request)
            except BaseException:
                await run_in_threadpool(store.release, actor, key)
                raise
            if response.status_code < 400:
                await run_in_threadpool(store.complete, actor, key, response.status_code, bytes(response.body))
            else:
                await run_in_threadpool(store.release, actor, key)
            return response

        return idempotent


async def _signed_in(request: Request) -> Actor | None:
    try:
        return await signed_in_actor(request)
    except Unauthenticated:
        return None  # the route itself answers 401


def _check(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY or not key.isprintable():
        raise Invalid(f"{HEADER} must be 1 to {MAX_KEY} printable characters")


async def _fingerprint(request: Request, key: bytes, takes_body: bool) -> str:
    """An HMAC of the request under the server's fingerprint key: equal requests match, and
    nothing about a body can be guessed from it without the key. The body of a route that takes
    none is not read (nor part of the request)."""
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in (request.method, request.url.path, request.url.query):
        digest.update(part.encode() + b"\0")
    if takes_body:
        digest.update(await request.body())
    return digest.hexdigest()


def _replay(first: Any, fingerprint: str) -> Response:
    if first.fingerprint != fingerprint:
        raise IdempotencyKeyReused(f"this {HEADER} was first used for a different request")
    if first.status is None:
        raise Conflict(f"the first request with this {HEADER} is still being handled")
    return Response(first.body, status_code=first.status, media_type="application/json",
                    headers={REPLAYED: "true"})
