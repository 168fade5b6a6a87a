"""`Idempotency-Key` on POST commands: a retry returns the first result and records nothing new.

Every command goes through `idempotent` (from `api.http.routing`), once the caller is signed in
and allowed. A key is scoped to the actor who sent it; the request's fingerprint (method,
path, query, body) must match the first use, or the retry is refused as a problem (422).
Refused commands release their key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

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


@dataclass(frozen=True)
class Ticket:
    """A command's key, claimed, completed or released by the command's own blocking work."""

    store: Any
    owner: str  # role:person — a key is the sender's alone
    person_id: str
    key: str
    fingerprint: str
    now: int
    expires: int


_TICKET: ContextVar[Ticket | None] = ContextVar("trellis_idempotency_ticket", default=None)


class Replayed(Exception):  # noqa: N818 - not an error: the key's first answer is to be given again
    def __init__(self, first: Any) -> None:
        super().__init__("replayed")
        self.first = first


async def idempotent(request: Request, handler: Callable[[Request], Awaitable[Response]], actor: Actor,
                     takes_body: bool) -> Response:
    """The command's answer through its `Idempotency-Key` (in the headers): the first answer again
    for a retry, the command itself otherwise. The key is claimed, and then completed with the
    answer or released, in the same thread as the command itself (`keyed`): one hop, not three."""
    key = request.headers[HEADER]
    _check(key)
    trellis = request.app.state.trellis
    fingerprint = await _fingerprint(request, trellis.fingerprint_key, takes_body)
    now = int(trellis.clock().timestamp())
    expires = now + int(request.app.state.settings.idempotency_hours * 3600)
    ticket = Ticket(trellis.idempotency, f"{actor.role.value}:{actor.id}", actor.id, key, fingerprint, now, expires)
    token = _TICKET.set(ticket)
    try:
        return await handler(request)
    except Replayed as replay:
        return _replay(replay.first, fingerprint)
    finally:
        _TICKET.reset(token)


def keyed(endpoint: Callable[..., Any], status_code: int) -> Callable[..., Any]:
    """A command's endpoint (a plain `def`, run in the thread pool) under its request's key, if it
    has one: the key claimed first (`Replayed` if it was used before), the command run, and the
    key completed with the answer it gives or, if it is refused, released. The answer is
    serialised here, once, for the key's record and the caller alike."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        ticket = _TICKET.get()
        if ticket is None:
            return _answer(endpoint(*args, **kwargs), status_code)
        first = ticket.store.claim(ticket.owner, ticket.person_id, ticket.key, ticket.fingerprint, ticket.now,
                                   ticket.expires)
        if first is not None:
            raise Replayed(first)
        try:
            answer = _answer(endpoint(*args, **kwargs), status_code)
        except BaseException:
            ticket.store.release(ticket.owner, ticket.key)
            raise
        ticket.store.complete(ticket.owner, ticket.key, answer.status_code, bytes(answer.body))
        return answer

    return run


def _answer(result: Any, status_code: int) -> Response:
    if isinstance(result, Response):
        return result
    body = result.model_dump_json() if isinstance(result, BaseModel) else JSONResponse(jsonable_encoder(result)).body
    return Response(body, status_code=status_code, media_type="application/json")


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
