"""A subject-access export, as the person (`GET /me/export`) and the data-protection officer
(`GET /retention/subject-access-requests/{id}/export`) receive it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ExportedRecord(BaseModel):
    kind: str = Field(description="`case`, `mentor record` or `partnership`.", examples=["case"])
    id: str = Field(description="The record's UUID.")
    events: list[dict[str, Any]] = Field(description=(
        "What happened to the record, oldest first: each step's name, when, and what it held about the "
        "person (another person's personal data left out). In the officer's copy, a partnership's "
        "confidential content is withheld."))


class ActedOnEntry(BaseModel):
    """Who recorded a step on one of the person's records."""

    model_config = ConfigDict(populate_by_name=True)

    at: str = Field(description="When (ISO 8601, UTC).")
    who: str = Field(description="\"you\", or a role (\"an administrator\"); never another person's id.",
                     examples=["an administrator"])
    what: str = Field(description="The step.", examples=["MatchProposed"])
    record: str = Field(description="The record's kind.", examples=["case"])
    record_id: str = Field(description="The record's UUID.")
    recorded_for: str | None = Field(None, alias="for", description=(
        "\"you\" where someone recorded the step on the person's behalf (an administrator recording "
        "their signature, say); else null."))


class ViewedEntry(BaseModel):
    """A read of the person's records, or of a list that can include them, from the access log."""

    at: str = Field(description="When (ISO 8601, UTC).")
    who: str = Field(description="\"you\", or a role (\"a line manager\"); never another person's id.",
                     examples=["an auditor"])
    route: str = Field(description="The route's template.", examples=["GET /cases/{case_id}"])
    record: str = Field(description="What it was to the person.", examples=["your case"])
    record_id: str | None = Field(description="The record's UUID; null where the id would name a person, or the "
                                              "read spanned the whole service.")
    scope: str = Field(description="\"your record\", or \"a list that can include you\".",
                       examples=["your record"])


class SubjectExportPublic(BaseModel):
    """Everything Trellis holds about one person."""

    model_config = ConfigDict(populate_by_name=True)

    person_id: str = Field(description="The person's opaque id.")
    identity: str | None = Field(description="The identity they sign in with; null once erased.")
    generated_at: str = Field(description="When the copy was made (ISO 8601).")
    records: list[ExportedRecord] = Field(description="One per case, mentor record and partnership of theirs.")
    who_acted: list[ActedOnEntry] = Field(description="Who recorded each step on their records, oldest first.")
    confidential_withheld: int = Field(description=(
        "Entries of a partnership's confidential content left out of this copy: always 0 in the person's own "
        "copy; the officer's copy withholds them."))
    who_viewed: list[ViewedEntry] = Field(description=(
        "Who viewed your records: every read of them, and of the lists that can include them, in the "
        "access log, oldest first — by role, and \"you\" where it was you."))
