"""The access log: who read personal data, in which role, what and when (never the content).

For the auditor and the data-protection officer; reading it is itself recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Query

from api.http import views
from api.http.deps import TrellisDep
from api.http.limits import MAX_SQL_INT
from api.http.problems import COMMON
from api.http.schemas.access_log import AccessLogEntryPublic
from api.http.routing import TrellisRouter
from api.persistence.access_log import AccessQuery, stamp
from api.services.access_log import Kind
from domain import Invalid, Role

router = TrellisRouter(prefix="/audit/access-log", tags=["audit"], responses=COMMON)
Id = Annotated[str | None, Query(max_length=200)]
Day = Annotated[date | None, Query(examples=["2026-06-01"])]


@router.get("", summary="Who read what", description=(
    "Every read of personal data or session records the API served, oldest first: the reader's opaque id "
    "and role, the route's template, the object's kind and id (none for a list of the whole service) and "
    "when. Filter by reader, role, object, route and days (`since`, `until`: inclusive, UTC); page with "
    "`after` set to the last `entry` seen, at most 1000 a page (an empty page: no more)."))
def access_log(
    trellis: TrellisDep, reader: Id = None, reader_role: Role | None = None, object_kind: Kind | None = None,
    object_id: Id = None,
    route: Annotated[str | None, Query(max_length=200, examples=["GET /cases/{case_id}"])] = None,
    since: Day = None, until: Day = None,
    after: Annotated[int, Query(ge=0, le=MAX_SQL_INT)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AccessLogEntryPublic]:
    if since is not None and until is not None and since > until:
        raise Invalid(f"since ({since}) is after until ({until})")
    query = AccessQuery(reader, reader_role and reader_role.value, object_kind and object_kind.value, object_id,
                        route, _at(since, time.min), _at(until, time.max), after, limit)
    return [views.shape(AccessLogEntryPublic, e, at=stamp(e.at)) for e in trellis.access_entries(query)]


def _at(day: date | None, moment: time) -> datetime | None:
    return None if day is None else datetime.combine(day, moment, UTC)
