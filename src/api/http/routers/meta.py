"""Health, the caller's identity, and (under `trellis demo` only) the demo's sign-in tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials

from api.http.auth import Authenticator
from api.http import views
from api.http.deps import CurrentActor, TrellisDep, bearer, get_authenticator
from api.http.problems import COMMON
from api.http.schemas.oversight import DemoSignIn, Health, Me

router = APIRouter(tags=["meta"], responses=COMMON)


@router.get("/health", summary="Is the service up?")
def health() -> Health:
    return Health(status="ok")


@router.get("/me", summary="Who am I?", description=(
    "The opaque id Trellis knows the caller by, the identity their token names, the role acted in and every "
    "role granted."))
def me(actor: CurrentActor, credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
       authenticator: Annotated[Authenticator, Depends(get_authenticator)]) -> Me:
    claims = authenticator.claims(credentials.credentials)
    return Me(id=actor.id, identity=str(claims["sub"]).strip(), role=actor.role.value,
              roles=[str(r) for r in claims.get("roles", [])])


@router.get("/dev/demo-sign-in", summary="The demo's sign-in tokens (development only)",
            description="Empty unless the server was started by `trellis demo`.")
def demo_sign_in(request: Request) -> list[DemoSignIn]:
    return [DemoSignIn(**entry) for entry in (request.app.state.demo_sign_in or [])]


@router.get("/me/export", summary="Everything Trellis holds about me",
            description="Your own subject-access copy, your partnerships' confidential records included.")
def my_export(actor: CurrentActor, trellis: TrellisDep) -> dict[str, Any]:
    return trellis.subject_export(actor.id, confidential=True).as_dict()


@router.get("/me/export.html", summary="Everything Trellis holds about me, to print", response_class=HTMLResponse)
def my_export_page(actor: CurrentActor, trellis: TrellisDep) -> HTMLResponse:
    return HTMLResponse(views.export_page(trellis.subject_export(actor.id, confidential=True)))
