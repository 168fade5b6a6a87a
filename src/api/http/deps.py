"""Dependencies as `Annotated` aliases. Each reads what the lifespan built once.

Tests override `get_trellis`, `get_read_models` or `get_actor` through
`app.dependency_overrides`.

What runs on every request is `async def` and does no I/O on the event loop: FastAPI runs a
plain `def` dependency in the thread pool, a hop that costs more than the work of reading
app state or checking a token. Only work that may wait on the database (a person first
seen, a programme not yet known, ownership) goes to the thread pool, and only when needed.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.services import Trellis
from api.http.auth import Authenticator, Identity, Unauthenticated
from api.http.rules import POLICY, Rule
from domain import Actor

# Answered without the read models' positions (liveness: without the database at all).
OPERATIONS = frozenset({"/health", "/ready", "/metrics"})
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


async def get_optional_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    role: Annotated[str | None, Header(
        alias="X-Trellis-Role", max_length=40,
        description="For a token with several roles: the one to act in (default: the first).",
    )] = None,
) -> Actor | None:
    """The signed-in actor; None with no token; 401 for a bad token. A public route reads no
    one's token (nor the person registry): /metrics takes a token of its own, and /health must
    not touch the database. (`credentials` and `role` declare the headers in the OpenAPI schema.)"""
    if POLICY.get(route_key(request), PRIVATE).public:
        return None
    return await signed_in(request)


def route_key(request: Request) -> str:
    """'METHOD /template' of the route matched: the policy table's key."""
    _, path = request.app.state.route_paths.get(id(request.scope.get("route")), (None, None))
    return f"{request.method} {path}"


async def get_actor(actor: Annotated[Actor | None, Depends(get_optional_actor)]) -> Actor:
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


async def read_position(request: Request, response: Response) -> None:
    """On every GET: `X-Trellis-Read-Position`, taken before the read (so a lower bound). From
    memory: the runner's own when it runs in this process, else a value at most a moment old."""
    side = getattr(request.app.state, "read_side", None)
    if request.method == "GET" and side is not None and request.scope["route"].path not in OPERATIONS:
        position = side.known_read_position()
        if position is None:
            position = await run_in_threadpool(side.refresh_read_position)
        if position is not None:
            response.headers[READ_POSITION] = str(position)
