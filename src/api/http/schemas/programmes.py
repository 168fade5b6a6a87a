"""Programme requests and responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from api.http.schemas.common import Body, Text200
from domain import ProgrammeSettings


class ProgrammeSettingsBody(Body):
    """A programme's configuration, as registered or reconfigured."""

    name: Text200 = Field(min_length=1, examples=["Middle leaders new in post"])
    kind: Literal["mentoring", "coaching"] = "mentoring"
    line_manager_approval: StrictBool = True
    matching: Literal["self_selected", "allocated"] = "self_selected"
    exploratory_conversations: StrictInt = Field(0, ge=0, le=10)
    default_duration_months: StrictInt = Field(12, ge=1, le=60)
    max_duration_months: StrictInt = Field(18, ge=1, le=60)
    typical_sessions: StrictInt = Field(6, ge=1, le=100)
    feedback_forms: StrictBool = True
    small_group_threshold: StrictInt = Field(5, ge=2, le=100)
    retention_months: StrictInt = Field(72, ge=1, le=1200)

    def settings(self) -> ProgrammeSettings:
        return ProgrammeSettings(**self.model_dump())


class ProgrammeCreate(ProgrammeSettingsBody):
    """Register a programme."""


class ProgrammeReconfigure(ProgrammeSettingsBody):
    """Replace a programme's configuration."""


# -- responses -----------------------------------------------------------------------------------
class ProgrammePublic(BaseModel):
    """A programme and its configuration (nothing personal)."""

    programme_id: str
    name: str
    kind: str
    line_manager_approval: bool
    matching: str
    exploratory_conversations: int
    default_duration_months: int
    max_duration_months: int
    typical_sessions: int
    feedback_forms: bool
    small_group_threshold: int
    retention_months: int


class QueueItemPublic(BaseModel):
    case_id: str | None
    partnership_id: str | None
    since: str | None
    age_days: int
    priority: bool
    mentee_name: str | None = None


class ActionQueuesPublic(BaseModel):
    eois_awaiting_line_manager: list[QueueItemPublic]
    awaiting_match: list[QueueItemPublic]
    proposals_awaiting_outcome: list[QueueItemPublic]
    agreements_awaiting_signature: list[QueueItemPublic]
    extensions_pending: list[QueueItemPublic]
    awaiting_feedback: list[QueueItemPublic]
    stale_partnerships: list[QueueItemPublic]
    stale_after_days: int


class PipelinePublic(BaseModel):
    """The pipeline board: cases at each stage, and the action queues with their ages."""

    programme_id: str
    stage_counts: dict[str, int] = Field(examples=[{"awaiting_match": 3, "matched": 2}])
    queues: ActionQueuesPublic
    queue_sizes: dict[str, int] = Field(
        description="How many items wait in each queue; a queue lists at most `queue_limit` of them, oldest first.",
        examples=[{"awaiting_match": 3, "stale_partnerships": 0}])
    queue_limit: int | None = Field(default=None, description="The most items a queue lists (none: all).")
