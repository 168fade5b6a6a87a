"""The auditor's filtered history, a page at a time."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.http.schemas.cases import TimelineEntry


class HistoryPage(BaseModel):
    """One page of the filtered history, in log order, with the cursors to the pages beside it."""

    events: list[TimelineEntry]
    next_after: int | None = Field(description="Pass as `after` for the next page; null on the last page.")
    previous_before: int | None = Field(
        description="Pass as `before` for the page before this one; null on the first page.")
    indexed_up_to: int = Field(description="The last event-log position the history index holds.")
