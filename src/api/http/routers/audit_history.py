"""The auditor's programme history: filtered, paged by position (a keyset cursor, never an
offset), and exported as CSV or JSON Lines through the signed checkpoint it verifies against."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse

from api.http import views
from api.http.deps import ReadModelsDep, TrellisDep
from api.http.limits import MAX_SQL_INT
from api.http.problems import COMMON, responses
from api.http.schemas.audit_history import HistoryPage
from api.http.routing import TrellisRouter
from api.services.history_export import csv_chunks, jsonl_chunks, plan_export
from domain import Invalid, Role
from projections.audit_history import HistoryFilter, any_after, any_before, indexed_up_to, page_after, page_before

router = TrellisRouter(prefix="/audit/history", tags=["audit"], responses=COMMON)
Name = Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Day = Annotated[date | None, Query(examples=["2026-06-01"])]
Position = Annotated[int | None, Query(ge=0, le=MAX_SQL_INT)]
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def history_filter(
    actor_id: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00-\x1f]+$",
                                          description="The actor's opaque id.", examples=["p-3f2a9c0d1e4b"])] = None,
    actor_role: Annotated[Role | None, Query(description="The role the actor acted in.")] = None,
    event_type: Name = None, aggregate_type: Name = None,
    aggregate_id: UUID | None = None, since: Day = None, until: Day = None,
) -> HistoryFilter:
    """The filters: each optional; `since` and `until` are days, inclusive (UTC)."""
    if since is not None and until is not None and since > until:
        raise Invalid(f"since ({since}) is after until ({until})")
    return HistoryFilter(actor_id, actor_role and actor_role.value, event_type, aggregate_type,
                         aggregate_id and str(aggregate_id), since, until)


Filtered = Annotated[HistoryFilter, Depends(history_filter)]


@router.get("", summary="The programme history, filtered and paged", description=(
    "Events in log order, filtered by actor, role, event type (`MatchProposed`), object kind (`Case`) or id, "
    "and days. Page forward with `after` (`next_after` of a page) or back with `before` (`previous_before`); "
    "at most 1000 a page. Never personal data or content."))
def history(
    read_models: ReadModelsDep, wanted: Filtered, after: Position = None, before: Position = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HistoryPage:
    if after is not None and before is not None:
        raise Invalid("page with after or with before, not both")
    store = read_models.store
    if before is not None:
        entries = page_before(store, wanted, before, limit + 1)
        earlier, entries = len(entries) > limit, entries[-limit:]
        later = bool(entries) and any_after(store, wanted, entries[-1].position)
    else:
        entries = page_after(store, wanted, after or 0, limit + 1)
        later, entries = len(entries) > limit, entries[:limit]
        earlier = bool(entries) and any_before(store, wanted, entries[0].position)
    return HistoryPage(
        events=views.audit_events(entries), indexed_up_to=indexed_up_to(store),
        next_after=entries[-1].position if entries and later else None,
        previous_before=entries[0].position if entries and earlier else None)


@router.get("/export", summary="Export the filtered history", responses={
    200: {"content": {MEDIA["csv"]: {}, MEDIA["jsonl"]: {}}, "description": "The export, streamed."},
    **responses(404, 409)}, response_class=StreamingResponse, description=(
    "The filtered history as CSV or JSON Lines, streamed, through the position of a signed checkpoint: the one "
    "at `checkpoint`, or by default the latest. JSON Lines begin with a line naming the filters, the last "
    "position and the checkpoint document; `X-Trellis-Checkpoint-Position` names it too (absent when none has "
    "been signed yet: the export then runs through the last indexed event, and nothing vouches for it)."))
def export(
    trellis: TrellisDep, read_models: ReadModelsDep, wanted: Filtered,
    kind: Annotated[Literal["csv", "jsonl"], Query(alias="format", description="csv or jsonl (JSON Lines).")] = "csv",
    checkpoint: Position = None,
) -> StreamingResponse:
    planned = plan_export(read_models.store, trellis.audit_records.store, wanted, checkpoint,
                          trellis.latest_checkpoints(1))
    chunks = csv_chunks if kind == "csv" else jsonl_chunks
    headers = {"Content-Disposition": f'attachment; filename="{planned.filename(kind)}"',
               "X-Trellis-Through-Position": str(planned.through)}
    if planned.checkpoint is not None:
        headers["X-Trellis-Checkpoint-Position"] = str(planned.checkpoint.position)
    return StreamingResponse(chunks(read_models.store, planned), media_type=MEDIA[kind], headers=headers)
