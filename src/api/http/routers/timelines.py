"""Timelines: every event of a case, partnership, mentor record or programme, with what may be
shown of each (never confidential content, special-category data or free text)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from api.http import views
from api.http.deps import CurrentActor, TrellisDep
from api.http.limits import MAX_SQL_INT
from api.http.problems import COMMON, responses
from api.http.schemas.history import HistoryEntry
from api.http.routing import TrellisRouter

router = TrellisRouter(tags=["history"], responses=COMMON)
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many events.")]
After = Annotated[int, Query(ge=0, le=MAX_SQL_INT,
                             description="Only events after this event-log position (to page).")]
SHOWN = ("Each event with who recorded it, in which role and for whom (`recorded_by_administrator`: an "
         "administrator recorded a step a party takes for themselves), its allow-listed details and the "
         "fields it has that are never shown here. In log order; page with `after`.")


@router.get("/cases/{case_id}/timeline", summary="A case's history", responses=responses(404),
            description=f"The case and every partnership it ever had (a rematch's first one included). {SHOWN}")
def case_timeline(case_id: UUID, trellis: TrellisDep, actor: CurrentActor,
                  limit: Limit = 200, after: After = 0) -> list[HistoryEntry]:
    return views.timeline(trellis.case_timeline(case_id, limit, after, names=views.sees_names(actor)))


@router.get("/partnerships/{partnership_id}/timeline", summary="A partnership's history", responses=responses(404),
            description=f"Signatures, sessions (date, length, medium), review, extension, end, feedback. {SHOWN}")
def partnership_timeline(partnership_id: UUID, trellis: TrellisDep, actor: CurrentActor,
                         limit: Limit = 200, after: After = 0) -> list[HistoryEntry]:
    return views.timeline(trellis.partnership_timeline(partnership_id, limit, after, names=views.sees_names(actor)))


@router.get("/mentors/{mentor_id}/timeline", summary="A mentor record's history", responses=responses(404),
            description=f"Interest, training, the pool, capacity, pauses and the places held. {SHOWN}")
def mentor_timeline(mentor_id: UUID, trellis: TrellisDep, actor: CurrentActor,
                    limit: Limit = 200, after: After = 0) -> list[HistoryEntry]:
    return views.timeline(trellis.mentor_timeline(mentor_id, limit, after, names=views.sees_names(actor)))


@router.get("/programmes/{programme_id}/timeline", summary="A programme's history", responses=responses(404),
            description=f"The programme's configuration and every case, partnership and mentor record in it. {SHOWN}")
def programme_timeline(programme_id: UUID, trellis: TrellisDep, actor: CurrentActor,
                       limit: Limit = 200, after: After = 0) -> list[HistoryEntry]:
    return views.timeline(trellis.programme_timeline(programme_id, limit, after, names=views.sees_names(actor)))
