"""Responses for line managers, QA statistics, retention and the caller (the history's: `history`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.http.schemas.cases import LineManagerReport

__all__ = ["DemoSignIn", "Health", "LineManagerReport", "Me", "QAStatisticsPublic"]


class StatisticCell(BaseModel):
    name: str = Field(examples=["cases_total"])
    value: float | int | None = Field(description="null when suppressed")
    suppressed: bool


class QAStatisticsPublic(BaseModel):
    """Anonymous aggregates; any group smaller than `threshold` is suppressed."""

    programme_id: str
    period: str = Field(examples=["2026-Q3"])
    threshold: int = Field(description="The threshold applied: the programme's, or the DPO's floor if higher.")
    cells: list[StatisticCell]


class Me(BaseModel):
    """Who the token says the caller is."""

    id: str = Field(description="The opaque id Trellis knows the caller by.")
    identity: str = Field(description="The identity the token names (its `sub`).")
    role: str
    roles: list[str]


class DemoSignIn(BaseModel):
    role: str
    person_id: str
    token: str


class Health(BaseModel):
    status: str = Field(examples=["ok"])
