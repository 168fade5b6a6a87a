"""QA statistics: anonymous aggregates per calendar quarter, with small groups suppressed."""

from __future__ import annotations

from typing import Annotated
from fastapi import Query

from api.http import views
from api.http.deps import ProgrammeId, ReadModelsDep
from api.http.problems import COMMON, responses
from api.http.schemas.oversight import QAStatisticsPublic
from api.http.routing import TrellisRouter

router = TrellisRouter(prefix="/statistics", tags=["statistics"], responses=COMMON)
Quarter = Annotated[str, Query(
    min_length=7, max_length=7, pattern=r"^\d{4}-Q[1-4]$", examples=["2026-Q3"],
    description="A calendar quarter (2026-Q3). Statistics are published per quarter only: a year, a "
                "month or all time would overlap the quarters and let suppressed figures be worked out.",
)]


@router.get("", summary="QA statistics for one quarter", responses=responses(404), description=(
    "Counts, rates and averages for the cases whose EOI fell in the quarter. No identifiers or "
    "free text; any group smaller than the threshold (the programme's, never below the DPO's "
    "floor) is suppressed (null), with the figures that would reveal it."))
def qa_statistics(programme_id: ProgrammeId, period: Quarter, read_models: ReadModelsDep) -> QAStatisticsPublic:
    return views.statistics(read_models, programme_id, period)
