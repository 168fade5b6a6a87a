"""The auditor's reads: who did what and when, and the state of anything at a past moment.

Every as-of route takes exactly one moment: `on` (a day: its end, UTC), `at` (a date-time
with its zone) or `position` (in the event log). A moment in the future, or before the object
existed, is refused (422) and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from api.http import views
from api.http.deps import ReadModelsDep, TrellisDep
from api.http.limits import MAX_SQL_INT
from api.http.problems import COMMON, responses
from api.http.schemas.cases import TimelineEntry
from api.http.schemas.history import BoardAsOf, CaseAsOf, MentorAsOf, PartnershipAsOf, ProgrammeAsOf
from api.http.routing import TrellisRouter
from api.services.moments import Moment

router = TrellisRouter(prefix="/audit", tags=["audit"], responses=COMMON)
On = Annotated[date | None, Query(description="A day: the state at its end (UTC).", examples=["2026-10-01"])]
At = Annotated[datetime | None, Query(description="A date-time with its zone.", examples=["2026-10-01T12:00:00Z"])]
Position = Annotated[int | None, Query(ge=1, le=MAX_SQL_INT,
                                      description="An event-log position: after that event.")]
AS_OF = responses(404, 409)


def asked_moment(trellis: TrellisDep, on: On = None, at: At = None, position: Position = None) -> Moment:
    """The one moment the query names: refused (422) if none, several, or one in the future."""
    return trellis.moment(on, at, position)


AskedMoment = Annotated[Moment, Depends(asked_moment)]


@router.get("/events", summary="The programme history", description=(
    "Every event in log order: its name, the aggregate, the actor and role, for whom, and when. Page with `after`."))
def events(
    read_models: ReadModelsDep, aggregate_id: UUID | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_SQL_INT)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[TimelineEntry]:
    return views.audit_events(read_models.audit_timeline(aggregate_id, limit=limit, after=after))


@router.get("/cases/{case_id}/as-of", summary="A case's state at a past moment", responses=AS_OF)
def case_as_of(case_id: UUID, trellis: TrellisDep, when: AskedMoment) -> CaseAsOf:
    return views.as_of(CaseAsOf, trellis.case_as_of(case_id, when), when)


@router.get("/partnerships/{partnership_id}/as-of", summary="A partnership's state at a past moment",
            description="Status, dates, signatures and counts; never session content.", responses=AS_OF)
def partnership_as_of(partnership_id: UUID, trellis: TrellisDep, when: AskedMoment) -> PartnershipAsOf:
    return views.as_of(PartnershipAsOf, trellis.partnership_as_of(partnership_id, when), when)


@router.get("/mentors/{mentor_id}/as-of", summary="A mentor record's state at a past moment", responses=AS_OF)
def mentor_as_of(mentor_id: UUID, trellis: TrellisDep, when: AskedMoment) -> MentorAsOf:
    return views.as_of(MentorAsOf, trellis.mentor_as_of(mentor_id, when), when)


@router.get("/programmes/{programme_id}/as-of", summary="A programme's configuration at a past moment", responses=AS_OF)
def programme_as_of(programme_id: UUID, trellis: TrellisDep, when: AskedMoment) -> ProgrammeAsOf:
    return views.programme_as_of(trellis.programme_as_of(programme_id, when), when)


@router.get("/programmes/{programme_id}/board/as-of", summary="The pipeline board at a past moment", responses=AS_OF,
            description="Cases at each stage and the action queues, with ages counted to that moment.")
def board_as_of(
    programme_id: UUID, trellis: TrellisDep, when: AskedMoment,
    stale_after_days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> BoardAsOf:
    return views.board_as_of(trellis.board_as_of(programme_id, when, stale_after_days), when)
