"""The auditor's reads: who did what and when, and the state of a case on a past day."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.http import views
from api.http.deps import ReadModelsDep, TrellisDep
from api.http.problems import COMMON, responses
from api.http.schemas.cases import TimelineEntry
from api.http.schemas.oversight import CaseAsOf

router = APIRouter(prefix="/audit", tags=["audit"], responses=COMMON)


@router.get("/events", summary="The programme history", description=(
    "Every event in log order: its name, the aggregate, the actor and role, and when. Page with `after`."))
def events(
    read_models: ReadModelsDep, aggregate_id: UUID | None = None,
    after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[TimelineEntry]:
    return [views.shape(TimelineEntry, e) for e in read_models.audit_timeline(aggregate_id, limit=limit, after=after)]


@router.get("/cases/{case_id}/as-of", summary="A case's state on a past day", responses=responses(404))
def case_as_of(case_id: UUID, on: Annotated[date, Query(examples=["2026-10-01"])], trellis: TrellisDep) -> CaseAsOf:
    return views.shape(CaseAsOf, trellis.case_as_of(case_id, on))
