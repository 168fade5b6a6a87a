"""`Idempotency-Key` on POST commands: a retry returns the first result and records nothing new.

Every command goes through `idempotent` (from `api.http.routing`), once the caller is signed in
and allowed. A key is scoped to the actor who sent it; the request's fingerprint (method,
path, query, body) must match the first use, or the retry is refused as a problem (422).
Refused commands release their key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header, Request, Response
from starlette.concurrency import run_in_threadpool

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
    """Declares the header in the OpenAPI schema; `idempotent` does the work."""
    return key


async def idempotent(request: Request, handler: Callable[[Request], Awaitable[Response]], actor: Actor,
                     takes_body: bool) -> Response:
    """The command's answer through its `Idempotency-Key` (in the headers): the first answer again
    for a retry, the command itself otherwise (its key claimed, then completed or released)."""
    key = request.headers[HEADER]
    _check(key)
    trellis = request.app.state.trellis
    owner = f"{actor.role.value}:{actor.id}"
    fingerprint = await _fingerprint(request, trellis.fingerprint_key, takes_body)
    now = int(trellis.clock().timestamp())
    expires = now + int(request.app.state.settings.idempotency_hours * 3600)
    store = trellis.idempotency
    first = await run_in_threadpool(store.claim, owner, actor.id, key, fingerprint, now, expires)
    if first is not None:
        return _replay(first, fingerprint)
    try:
        response = await handler(request)
    except BaseException:
        await run_in_threadpool(store.release, owner, key)
        raise
    if response.status_code < 400:
        await run_in_threadpool(store.complete, owner, key, response.status_code, bytes(response.body))
    else:
        await run_in_threadpool(store.release, owner, key)
    return response


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
