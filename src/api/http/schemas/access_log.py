"""The access log's entries, as the auditor and the data-protection officer read them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.services.access_log import Kind
from domain import Role


class AccessLogEntryPublic(BaseModel):
    """One read of personal data: who (an opaque id) in which role, which route, what, when. No content."""

    entry: int = Field(description="Its number in the log, in the order written; page with `after` set to the "
                                   "last one seen.")
    at: str = Field(description="When, by the application's clock (UTC, microseconds).",
                    examples=["2026-06-01T09:30:00.000000+00:00"])
    reader_id: str = Field(description="The reader's opaque id (never a name).", examples=["p-3f2a9c0d1e4b"])
    reader_role: Role = Field(description="The role they read in.")
    route: str = Field(description="The route's template, never its query string.",
                       examples=["GET /cases/{case_id}"])
    object_kind: Kind = Field(description=(
        "What was read: a record (`case`, `partnership`, `mentor`, `request`, `history` of a record), the "
        "reader's own copy (`person`), or a list named by its programme (`programme_cases`, "
        "`programme_partnerships`, `programme_mentors`, `programme_history`), by a line manager "
        "(`line_manager_reports`), by a person (`data_protection` with an id: their consent records) or by "
        "nothing (the whole service)."))
    object_id: str | None = Field(description="A record's UUID or a person's opaque id; null when the read "
                                              "spans the whole service.")
