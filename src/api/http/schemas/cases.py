"""Case command requests."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool

from api.http.schemas.common import Body, PersonId, Text2000, Text4000
from api.http.schemas.people import PersonDetailsBody, SpecialCategoryBody


class CaseCreate(Body):
    """A mentee's expression of interest (EOI)."""

    programme_id: UUID
    mentee_id: PersonId
    details: PersonDetailsBody
    statement: Text4000 = Field("", examples=["New to middle leadership; I want support leading a team."])
    line_manager_id: PersonId | None = Field(None, description="Needed when the programme asks line managers.")


class EOIApproval(Body):
    priority: StrictBool = Field(False, description="Put the EOI forward as a priority.")


class EOIDecline(Body):
    reason: Text2000 = Field("", examples=["Not this term"])


class MatchingRequest(Body):
    preferences: list[UUID] = Field(min_length=1, max_length=5, description="Preferred mentors, best first.")
    goals: Text4000 = Field("", examples=["Lead my team through a curriculum change"])
    special: SpecialCategoryBody | None = None
    consent: StrictBool = Field(False, description="The mentee's consent to keep the special-category answers.")


class ExploratoryConversation(Body):
    mentor_id: UUID
    held_on: date = Field(examples=["2026-10-01"])


class MatchProposal(Body):
    mentor_id: UUID
    reasons: Text2000 = Field("", examples=["Same phase and a shared focus"])


class DiscoveryCall(Body):
    held_on: date = Field(examples=["2026-10-08"])


class RematchRequest(Body):
    reason: Text2000 = Field("", description="Optional; no blame is recorded against anyone.")


class Withdrawal(Body):
    reason: Text2000 = Field("", examples=["Changed role"])


# -- responses: one allow-listed model per audience ---------------------------------------------
class CaseDetail(BaseModel):
    """A case as administrators and auditors see it: stage, dates, people — never content."""

    audience: Literal["oversight"] = "oversight"
    case_id: str
    programme_id: str
    mentee_id: str
    mentee_name: str | None
    line_manager_id: str | None
    stage: str = Field(examples=["awaiting_match"])
    stage_since: str | None
    submitted_at: str | None
    priority: bool
    closed_reason: str | None
    mentor_id: str | None
    mentor_name: str | None
    partnership_id: str | None
    partnership_status: str | None
    eoi_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the expression of interest for the mentee (their role), when it was not the mentee."))
    matching_request_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the matching request for the mentee (their role), when it was not the mentee."))
    withdrawal_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the case's withdrawal for the mentee (their role), when it was not the mentee."))


class LineManagerReport(BaseModel):
    """A report's case as their line manager sees it: stage, dates and the mentor's name."""

    case_id: str
    mentee_id: str
    programme_id: str
    stage: str
    progress: str = Field(examples=["matching"])
    submitted_at: str | None
    stage_since: str | None
    started_on: str | None
    ended_at: str | None
    mentor_name: str | None


class CaseForLineManager(LineManagerReport):
    """What a line manager sees of a report's case: status, dates and the mentor's name."""

    audience: Literal["line_manager"] = "line_manager"


class CaseForParty(BaseModel):
    """The mentee's own case, or the case of the mentor proposed or matched to it."""

    audience: Literal["party"] = "party"
    case_id: str
    programme_id: str
    mentee_name: str | None
    stage: str
    stage_since: str | None
    submitted_at: str | None
    mentor_id: str | None
    mentor_name: str | None
    partnership_id: str | None
    partnership_status: str | None
    eoi_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the expression of interest for the mentee (their role), when it was not the mentee."))
    matching_request_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the matching request for the mentee (their role), when it was not the mentee."))


CaseView = Annotated[CaseDetail | CaseForLineManager | CaseForParty, Field(discriminator="audience")]


class TimelineEntry(BaseModel):
    """Who did what, when: the event's name and the actor, never its content."""

    position: int
    recorded_at: str
    event_type: str = Field(examples=["MatchProposed"])
    aggregate_type: str
    aggregate_id: str
    version: int
    actor_id: str | None
    actor_role: str | None
    on_behalf_of: str | None = Field(
        description="Whom an administrator recorded this for (their own step, recorded for them), if anyone.")
    recorded_by_administrator: bool = Field(
        description="True when an administrator recorded a step that a party takes for themselves.")
