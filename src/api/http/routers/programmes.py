"""Programmes: their configuration."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from api.http import views
from api.http.deps import CurrentActor, KnownPosition, ProgrammeId, ReadModelsDep, TrellisDep
from api.http.routing import TrellisRouter
from api.http.paging import MAX_PAGE
from api.http.problems import COMMON, responses
from api.http.results import command, created, done
from api.http.schemas.common import Created, Done
from api.http.schemas.programmes import (
    PipelinePublic, ProgrammeCreate, ProgrammePublic, ProgrammeReconfigure,
)

router = TrellisRouter(prefix="/programmes", tags=["programmes"], responses=COMMON)


@router.get("", summary="List programmes")
def list_programmes(trellis: TrellisDep) -> list[ProgrammePublic]:
    return [views.programme(entry) for entry in trellis.programmes()]


@router.get("/{programme_id}", summary="Read a programme's configuration", responses=responses(404))
def read_programme(programme_id: UUID, trellis: TrellisDep) -> ProgrammePublic:
    return views.programme(trellis.programme(programme_id))


@router.get("/{programme_id}/pipeline", summary="The pipeline board", responses=responses(404),
            response_model=PipelinePublic,  # serialised by the view, once per board
            description="Cases at each stage, and the action queues with how long each item has waited.")
async def pipeline(
    programme_id: ProgrammeId, read_models: ReadModelsDep, response: Response, position: KnownPosition,
    stale_after_days: Annotated[int, Query(ge=1, le=365)] = 30,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=(
        f"The most items each queue lists, oldest first (at most {MAX_PAGE}); `queue_sizes` counts them all."))] = 50,
) -> Response:
    body = await views.pipeline_json(read_models, programme_id, stale_after_days, limit, position)
    return views.json_answer(body, response)


@router.post("", status_code=201, **command("Register a programme",
             "Its id follows from its name, so registering the same name twice is a conflict."))
def register_programme(body: ProgrammeCreate, trellis: TrellisDep, actor: CurrentActor) -> Created:
    return created(trellis.register_programme(body.settings(), actor))


@router.post("/{programme_id}/reconfigure", **command("Reconfigure a programme"))
def reconfigure_programme(
    programme_id: UUID, body: ProgrammeReconfigure, trellis: TrellisDep, actor: CurrentActor
) -> Done:
    return done(trellis.reconfigure_programme(programme_id, body.settings(), actor))
