"""QA statistics: anonymous aggregates with small groups suppressed."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.http import views
from api.http.deps import ReadModelsDep
from api.http.problems import COMMON
from api.http.schemas.oversight import QAStatisticsPublic

router = APIRouter(prefix="/statistics", tags=["statistics"], responses=COMMON)
Period = Annotated[str | None, Query(
    max_length=7, pattern=r"^\d{4}(-(Q[1-4]|\d{2}))?$", examples=["2026-Q3"],
    description="A year (2026), a quarter (2026-Q3) or a month (2026-07); all time if absent.",
)]


@router.get("", summary="QA statistics", description=(
    "Counts, rates and averages for the cases whose EOI fell in the period. No identifiers or "
    "free text; any group smaller than the programme's threshold is suppressed (null)."))
def qa_statistics(programme_id: UUID, read_models: ReadModelsDep, period: Period = None) -> QAStatisticsPublic:
    return views.statistics(read_models, programme_id, period)
