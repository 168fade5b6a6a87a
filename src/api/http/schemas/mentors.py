"""Mentor command requests."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool, StrictInt

from api.http.schemas.common import Body, PersonId, Text200, Text4000
from api.http.schemas.people import PersonDetailsBody, SpecialCategoryBody


class MentorCreate(Body):
    """A person expresses interest in mentoring in a programme."""

    programme_id: UUID
    person_id: PersonId
    details: PersonDetailsBody


class TrainingCompletion(Body):
    completed_on: date = Field(examples=["2026-09-01"])


class DirectoryProfile(Body):
    """What the public directory shows about a mentor."""

    headline: Text200 = Field("", examples=["Deputy head, primary"])
    bio: Text4000 = ""
    expertise: list[Text200] = Field(default_factory=list, max_length=20, examples=[["curriculum", "maths"]])
    sector: Text200 = ""
    region: Text200 = ""


class PoolJoin(Body):
    capacity: StrictInt = Field(ge=1, le=20, examples=[3])
    profile: DirectoryProfile
    special: SpecialCategoryBody | None = None
    consent: StrictBool = Field(False, description="The mentor's consent to keep the special-category answers.")


class CapacityChange(Body):
    capacity: StrictInt = Field(ge=1, le=20, examples=[4])


# -- responses -----------------------------------------------------------------------------------
class DirectoryEntryPublic(BaseModel):
    """A mentor's public directory profile. Special-category answers never appear."""

    mentor_id: str
    programme_id: str
    name: str | None
    headline: str | None
    bio: str | None
    expertise: list[str]
    sector: str | None
    region: str | None
    free: int = Field(description="Places free now (capacity less held and confirmed).")


class MentorCapacityPublic(BaseModel):
    """A row of the capacity table."""

    mentor_id: str
    programme_id: str
    name: str | None
    status: str = Field(examples=["in_pool"])
    capacity: int
    confirmed: int
    held: int
    free: int
    status_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded for the mentor the step that gave them this status (their role), when it was not the mentor."))
    capacity_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the mentor's capacity for them (their role), when it was not the mentor."))
