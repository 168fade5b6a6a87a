"""Responses for the history: timelines with their allow-listed details, and as-of states."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.http.schemas.cases import CaseDetail, TimelineEntry
from api.http.schemas.mentors import MentorCapacityPublic
from api.http.schemas.partnerships import PartnershipDetail
from api.http.schemas.programmes import PipelinePublic, ProgrammePublic

Detail = str | int | float | bool | None


class HistoryEntry(TimelineEntry):
    """One event in a timeline: who did what and when, for whom, and what may be shown of it.
    Never confidential content, special-category data or free text."""

    details: dict[str, Detail] = Field(
        examples=[{"mentor_id": "617b0e98-…", "mentor_name": "Avery Okafor", "preference_rank": 2}],
        description="What the allow-list shows of this event type.")
    withheld: dict[str, str] = Field(
        examples=[{"notes": "confidential to the pair"}],
        description="Fields this event has that are never shown here, and why.")


class AsOf(BaseModel):
    """Which moment an answer describes, and where its object stood in its own history."""

    on: str | None = Field(description="The day asked for (its end, UTC; now if it is today).")
    at: str | None = Field(description="The date-time asked for.")
    position: int | None = Field(description="The event-log position asked for.")
    version: int = Field(description="The object's version at that moment.")
    last_event_at: str = Field(description="When the object's last event before that moment was recorded.")
    last_event_position: int | None = Field(
        description="Where that event stands in the event log (null until the history index holds it).")


class CaseAsOf(CaseDetail, AsOf):
    """A case as it stood at a past moment, as the live case reads: stage, dates, people — never content."""

    matching: str = Field(examples=["self_selected"])
    matches: int = Field(description="How many partnerships the case had formed by then.")


class PartnershipAsOf(PartnershipDetail, AsOf):
    """A partnership as it stood at a past moment: status, dates, signatures and counts — never
    session content."""

    planned_months: int = Field(description="Its planned length then, extensions granted included.")
    extension_months: int | None = Field(description="The months of the extension pending then, if any.")


class MentorAsOf(MentorCapacityPublic, AsOf):
    """A mentor record as it stood at a past moment: status, capacity and the places in use."""

    person_id: str


class ProgrammeAsOf(ProgrammePublic, AsOf):
    """A programme's configuration as it stood at a past moment."""


class BoardAsOf(PipelinePublic):
    """The pipeline board as it stood at a past moment (the queues' ages counted to it)."""

    on: str | None = Field(description="The day asked for (its end, UTC; now if it is today).")
    at: str = Field(description="The moment's time: the ages in the queues are counted to it.")
    position: int = Field(description="The last event-log position the board took in.")
