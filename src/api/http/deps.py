"""Dependencies as `Annotated` aliases. Each reads what the lifespan built once.

Tests override `get_trellis`, `get_read_models` or `get_actor` through
`app.dependency_overrides`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.services import Trellis
from api.http.auth import Authenticator, Unauthenticated
from domain import Actor

bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer", bearerFormat="JWT",
    description="A JWT whose `sub` is the person's id and `roles` lists their roles.",
)


def get_trellis(request: Request) -> Trellis:
    return request.app.state.trellis


def get_read_models(request: Request) -> Any:
    return request.app.state.read_models


def get_authenticator(request: Request) -> Authenticator:
    return request.app.state.authenticator


NOT_YET = object()


def actor_of(request: Request) -> Actor | None:
    """The signed-in actor, known by their opaque id; None with no token; 401 for a bad token.
    The token's subject is mapped through the person registry once per request."""
    if getattr(request.state, "actor", NOT_YET) is NOT_YET:
        authorization = request.headers.get("authorization")
        actor = None
        if authorization is not None:
            identity = request.app.state.authenticator.identity(authorization, request.headers.get("x-trellis-role"))
            actor = Actor(request.app.state.trellis.people.person_for(identity.subject), identity.role)
        request.state.actor = actor
    return request.state.actor


def get_optional_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    role: Annotated[str | None, Header(
        alias="X-Trellis-Role", max_length=40,
        description="For a token with several roles: the one to act in (default: the first).",
    )] = None,
) -> Actor | None:
    """The signed-in actor; None with no token (public routes); 401 for a bad token.
    (`credentials` and `role` declare the headers in the OpenAPI schema.)"""
    return actor_of(request)


def get_actor(actor: Annotated[Actor | None, Depends(get_optional_actor)]) -> Actor:
    if actor is None:
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return actor


TrellisDep = Annotated[Trellis, Depends(get_trellis)]
ReadModelsDep = Annotated[Any, Depends(get_read_models)]
CurrentActor = Annotated[Actor, Depends(get_actor)]


def read_position(request: Request, response: Response) -> None:
    """On every GET: `X-Trellis-Read-Position`, taken before the read (so a lower bound)."""
    side = getattr(request.app.state, "read_side", None)
    if request.method == "GET" and side is not None:
        position = side.read_position()
        if position is not None:
            response.headers["X-Trellis-Read-Position"] = str(position)
