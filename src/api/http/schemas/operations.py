"""Answers of the operational routes: readiness (liveness answers `Health`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Readiness(BaseModel):
    """The database answers and no read model is more than `max_lag` events behind."""

    status: Literal["ready"] = "ready"
    max_lag: int = Field(description="The most events a read model may be behind (TRELLIS_READY_MAX_LAG).")
    lag: dict[str, int] = Field(description="Each read model's lag behind the head of the event log, in events.",
                                examples=[{"dashboard": 0, "mentors": 2}])
