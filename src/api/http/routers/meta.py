"""The caller's identity, and (under `trellis demo` only) the demo's sign-in tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials

from api.http.auth import Authenticator, issue_token
from api.http import views
from api.http.deps import CurrentActor, TrellisDep, bearer, get_authenticator
from api.http.problems import COMMON
from api.http.schemas.exports import SubjectExportPublic
from api.http.schemas.oversight import DemoSignIn, Me
from api.http.routing import TrellisRouter

router = TrellisRouter(tags=["meta"], responses=COMMON)


@router.get("/me", summary="Who am I?", description=(
    "The opaque id Trellis knows the caller by, the identity their token names, the role acted in and every "
    "role granted."))
def me(actor: CurrentActor, credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
       authenticator: Annotated[Authenticator, Depends(get_authenticator)]) -> Me:
    claims = authenticator.claims(credentials.credentials)
    return Me(id=actor.id, identity=str(claims["sub"]).strip(), role=actor.role.value,
              roles=[str(r) for r in claims.get("roles", [])])


@router.get("/dev/demo-sign-in", summary="The demo's sign-in tokens (development only)",
            description="Empty unless the server was started by `trellis demo`. Each call signs new tokens, "
                        "living no longer than any other.")
def demo_sign_in(request: Request) -> list[DemoSignIn]:
    settings = request.app.state.settings
    return [
        DemoSignIn(role=entry["role"], person_id=entry["person_id"], token=issue_token(
            settings, entry["person_id"], [entry["role"]], hours=settings.jwt_max_token_hours))
        for entry in (request.app.state.demo_sign_in or [])
    ]


@router.get("/me/export", summary="Everything Trellis holds about me",
            description="Your own subject-access copy, your partnerships' confidential records included.")
def my_export(actor: CurrentActor, trellis: TrellisDep) -> SubjectExportPublic:
    return SubjectExportPublic.model_validate(trellis.subject_export(actor.id, confidential=True).as_dict())


@router.get("/me/export.html", summary="Everything Trellis holds about me, to print", response_class=HTMLResponse)
def my_export_page(actor: CurrentActor, trellis: TrellisDep) -> HTMLResponse:
    page = views.export_page(trellis.subject_export(actor.id, confidential=True))
    return HTMLResponse(page, headers=views.EXPORT_HEADERS)
