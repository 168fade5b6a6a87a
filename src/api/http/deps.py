"""Dependencies as `Annotated` aliases. Each reads what the lifespan built once.

Tests override `get_trellis` or `get_read_models` through `app.dependency_overrides`. What
every route's request needs before and after the route itself (the actor, the policy, the
read position, the access log) is not a dependency: `api.http.routing` does it in one pass.

What runs on every request is `async def` and does no I/O on the event loop: FastAPI runs a
plain `def` dependency in the thread pool, a hop that costs more than the work of reading
app state or checking a token. Only work that may wait on the database (a person first
seen, a programme not yet known, ownership) goes to the thread pool, and only when needed.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.services import Trellis
from api.http.auth import Authenticator, Identity, Unauthenticated
from api.http.rules import Rule
from domain import Actor

PRIVATE = Rule()
READ_POSITION = "X-Trellis-Read-Position"

bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer", bearerFormat="JWT",
    description="A JWT whose `sub` is the person's id and `roles` lists their roles.",
)


async def get_trellis(request: Request) -> Trellis:
    return request.app.state.trellis


async def get_read_models(request: Request) -> Any:
    return request.app.state.read_models


async def get_authenticator(request: Request) -> Authenticator:
    return request.app.state.authenticator


NOT_YET = object()


def actor_of(request: Request) -> Actor | None:
    """The signed-in actor, known by their opaque id; None with no token; 401 for a bad token.
    The token's subject is mapped through the person registry once per request. (Blocking:
    from a thread, or once `signed_in` has run for this request.)"""
    if getattr(request.state, "actor", NOT_YET) is NOT_YET:
        identity = _identity(request)
        request.state.actor = None if identity is None else _actor(request, identity.subject, identity.role)
    return request.state.actor


async def signed_in(request: Request) -> Actor | None:
    """`actor_of` from the event loop: a token checked with the shared secret and a person the
    registry has cached cost no thread; a JWKS key fetch or a registry lookup runs in one."""
    if getattr(request.state, "actor", NOT_YET) is NOT_YET:
        if request.app.state.authenticator.jwks is not None:
            return await run_in_threadpool(actor_of, request)
        identity = _identity(request)
        if identity is None:
            request.state.actor = None
        else:
            person = request.app.state.trellis.people.cached(identity.subject)
            request.state.actor = (
                Actor(person, identity.role) if person is not None
                else await run_in_threadpool(_actor, request, identity.subject, identity.role)
            )
    return request.state.actor


def _identity(request: Request) -> Identity | None:
    authorization = request.headers.get("authorization")
    if authorization is None:
        return None
    return request.app.state.authenticator.identity(authorization, request.headers.get("x-trellis-role"))


def _actor(request: Request, subject: str, role: Any) -> Actor:
    return Actor(request.app.state.trellis.people.person_for(subject), role)


def route_key(request: Request) -> str:
    """'METHOD /template' of the route matched: the policy table's key."""
    _, path = request.app.state.route_paths.get(id(request.scope.get("route")), (None, None))
    return f"{request.method} {path}"


async def get_actor(request: Request) -> Actor:
    """The signed-in actor (found once per request); 401 with no token or a bad one."""
    actor = await signed_in(request)
    if actor is None:
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return actor


TrellisDep = Annotated[Trellis, Depends(get_trellis)]
ReadModelsDep = Annotated[Any, Depends(get_read_models)]
CurrentActor = Annotated[Actor, Depends(get_actor)]


async def known_programme(request: Request, programme_id: UUID, trellis: TrellisDep) -> UUID:
    """The programme the path or query names, once it is known to exist (404 otherwise), so that
    no programme-scoped read answers an unknown programme with empty data. A programme is never
    removed, so one found once is remembered by the process and not looked up again."""
    known: set[UUID] = request.app.state.known_programmes
    if programme_id not in known:
        await run_in_threadpool(trellis.programme, programme_id)
        known.add(programme_id)
    return programme_id


ProgrammeId = Annotated[UUID, Depends(known_programme)]


async def known_position(request: Request) -> int | None:
    """The read position this GET answers at, as its `X-Trellis-Read-Position` announces it
    (taken before the route by `api.http.routing`)."""
    return getattr(request.state, "read_position", None)


# The position a GET's answer must reflect: the one announced in its header.
KnownPosition = Annotated[int | None, Depends(known_position)]
