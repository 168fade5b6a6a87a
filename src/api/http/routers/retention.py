"""The data-protection officer's work: erasure and subject-access requests with their
statutory clocks, legal holds, retention runs, the consent ledger and the statistics floor."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import Query
from fastapi.responses import HTMLResponse

from api.http import views
from api.http.deps import CurrentActor, ReadModelsDep, TrellisDep
from api.http.routing import TrellisRouter
from api.http.problems import COMMON, responses
from api.http.results import command, created, done
from api.http.schemas.common import Created, Done
from api.http.schemas.exports import SubjectExportPublic
from api.http.schemas.retention import (
    ConsentPublic, DuePublic, ErasurePreview, FloorChange, HoldCreate, HoldPublic, Refusal, RequestPublic,
    RetentionRunPublic, SubjectNamed,
)

router = TrellisRouter(prefix="/retention", tags=["data protection"], responses=COMMON)


# -- erasure requests ----------------------------------------------------------------------------
@router.get("/erasure-requests", summary="Erasure requests", description="With their deadlines and state.")
def erasure_requests(read_models: ReadModelsDep, trellis: TrellisDep) -> list[RequestPublic]:
    return [views.request(r, trellis.clock()) for r in read_models.requests("erasure")]


@router.post("/erasure-requests", status_code=201, **command(
    "Record an erasure request", "Due one calendar month after it was received."))
def receive_erasure(body: SubjectNamed, trellis: TrellisDep, actor: CurrentActor) -> Created:
    return created(trellis.receive_request("erasure", actor, body.received_on, identity=body.identity,
                                           person_id=body.person_id))


@router.get("/erasure-requests/{request_id}/preview", summary="What an erasure will touch", responses=responses(404))
def preview_erasure(request_id: UUID, trellis: TrellisDep) -> ErasurePreview:
    return views.erasure_preview(trellis.plan_erasure(request_id))


@router.post("/erasure-requests/{request_id}/execute", **command(
    "Carry out an erasure", "Refused while a legal hold stands on anything it would erase."))
def execute_erasure(request_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.execute_erasure(request_id, actor))


@router.post("/erasure-requests/{request_id}/refuse", **command("Refuse an erasure, on a lawful basis"))
def refuse_erasure(request_id: UUID, body: Refusal, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.refuse_request(request_id, body.lawful_basis, actor))


# -- subject-access requests --------------------------------------------------------------------
@router.get("/subject-access-requests", summary="Subject-access requests", description="With their deadlines.")
def access_requests(read_models: ReadModelsDep, trellis: TrellisDep) -> list[RequestPublic]:
    return [views.request(r, trellis.clock()) for r in read_models.requests("access")]


@router.post("/subject-access-requests", status_code=201, **command(
    "Record a subject-access request", "Due one calendar month after it was received."))
def receive_access(body: SubjectNamed, trellis: TrellisDep, actor: CurrentActor) -> Created:
    return created(trellis.receive_request("access", actor, body.received_on, identity=body.identity,
                                           person_id=body.person_id))


@router.get("/subject-access-requests/{request_id}/export", summary="The subject's export, as JSON",
            responses=responses(404))
def export_json(request_id: UUID, trellis: TrellisDep) -> SubjectExportPublic:
    return SubjectExportPublic.model_validate(trellis.export_subject(request_id).as_dict())


@router.get("/subject-access-requests/{request_id}/export.html", summary="The subject's export, to print",
            response_class=HTMLResponse, responses=responses(404))
def export_html(request_id: UUID, trellis: TrellisDep) -> HTMLResponse:
    return HTMLResponse(views.export_page(trellis.export_subject(request_id)), headers=views.EXPORT_HEADERS)


@router.post("/subject-access-requests/{request_id}/complete", **command(
    "Mark a subject-access request answered", "Records what the export held (counts only)."))
def complete_access(request_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.complete_access_request(request_id, actor))


# -- legal holds --------------------------------------------------------------------------------
@router.get("/legal-holds", summary="Legal holds", description="Who placed each, when, and whether it stands.")
def legal_holds(read_models: ReadModelsDep, active_only: bool = False) -> list[HoldPublic]:
    return [views.shape(HoldPublic, asdict(h), active=h.active) for h in read_models.holds(active_only)]


@router.post("/legal-holds", status_code=201, **command(
    "Place a legal hold", "On a person, a case, a partnership or a programme that exists."))
def place_hold(body: HoldCreate, trellis: TrellisDep, actor: CurrentActor) -> Created:
    return created(trellis.place_hold(body.target, body.target_id, body.reason, actor))


@router.post("/legal-holds/{hold_id}/lift", **command("Lift a legal hold"))
def lift_hold(hold_id: UUID, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.lift_hold(hold_id, actor))


# -- retention ------------------------------------------------------------------------------------
@router.get("/schedule", summary="Who retention would erase now", description="A dry run: nothing changes.")
def retention_preview(trellis: TrellisDep, actor: CurrentActor) -> RetentionRunPublic:
    return views.retention_run(trellis.run_retention(actor, dry_run=True))


@router.post("/schedule/run", **command(
    "Run retention", "Erases everyone whose retention period has run out, except under a legal hold."))
def retention_run(trellis: TrellisDep, actor: CurrentActor) -> RetentionRunPublic:
    return views.retention_run(trellis.run_retention(actor))


# -- consent and the statistics floor -------------------------------------------------------------
@router.get("/consents", summary="The consent ledger",
            description="What each person consented to, when, and for what purpose; never their answers.")
def consents(read_models: ReadModelsDep, person_id: Annotated[str | None, Query(max_length=200)] = None,
             ) -> list[ConsentPublic]:
    return [views.shape(ConsentPublic, c) for c in read_models.consent_ledger(person_id)]


@router.post("/statistics-floor", **command(
    "Set the statistics floor", "No published statistic describes fewer people than this (never below 5)."))
def statistics_floor(body: FloorChange, trellis: TrellisDep, actor: CurrentActor) -> Done:
    return done(trellis.set_statistics_floor(body.floor, actor))


__all__ = ["DuePublic", "router"]
