"""Partnership command requests."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from api.http.schemas.common import Body, Text4000, Text20000


class Signature(Body):
    party: Literal["mentee", "mentor"] = Field(description="Who signs; an administrator may record either.")


class SessionCreate(Body):
    """A session the pair held. Notes and actions are confidential to the pair."""

    held_on: date = Field(examples=["2026-11-02"])
    minutes: StrictInt = Field(ge=1, le=480, examples=[60])
    medium: Literal["in_person", "video", "phone"] = "video"
    notes: Text20000 = Field("", examples=["What we talked about"])
    actions: Text20000 = Field("", examples=["What each of us will do next"])


class ProgressReview(Body):
    outcome: Literal["continue", "extend", "end"]
    notes: Text20000 = Field("", description="Confidential to the pair.")


class ExtensionRequest(Body):
    months: StrictInt = Field(ge=1, le=60, examples=[3])


class PartnershipEnd(Body):
    reason: Literal["completed", "withdrawn", "rematched", "not_extended", "other"] = "completed"


class FeedbackCreate(Body):
    rating: StrictInt = Field(ge=1, le=5, examples=[4])
    comments: Text4000 = Field("", description="Used only for QA, never shown with a name.")


# -- responses -----------------------------------------------------------------------------------
class PartnershipDetail(BaseModel):
    """A partnership's status and dates, for oversight and for the pair. Never session content."""

    partnership_id: str
    case_id: str
    programme_id: str
    mentee_id: str
    mentee_name: str | None
    mentor_id: str
    mentor_name: str | None
    status: str = Field(examples=["active"])
    formed_at: str | None
    started_on: str | None
    mentee_signed: bool
    mentor_signed: bool
    sessions: int
    last_session_on: str | None
    extension_pending: bool
    extension_requested_at: str | None
    ended_at: str | None
    end_reason: str | None
    feedback_requested: bool
    feedback_received: int
    mentee_signature_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the mentee's signature for them (their role), when the mentee did not sign here themselves."))
    mentor_signature_recorded_by: str | None = Field(None, examples=["administrator"], description=(
        "Who recorded the mentor's signature for them (their role), when the mentor did not sign here themselves."))


class SessionRecordPublic(BaseModel):
    """One session as the pair alone sees it, confidential notes and actions included.
    Notes and actions read as null once the partnership's key has been destroyed."""

    held_on: str
    minutes: int
    medium: str
    notes: str | None
    actions: str | None
    recorded_by_role: str
