"""Reads answered from the event store itself: the programme catalogue and past states.

Programme settings hold nothing personal. A past state is the aggregate replayed up to
its last event recorded by the end of the day; only non-personal fields are shown.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from eventsourcing.utils import get_topic

from api.application import Trellis
from api.http.schemas.oversight import CaseAsOf
from api.http.schemas.programmes import ProgrammePublic
from domain import Case, Programme

PAGE = 500


def programmes(trellis: Trellis) -> list[ProgrammePublic]:
    topic = get_topic(Programme.Registered)
    found, start = [], 1
    while True:
        page = trellis.recorder.select_notifications(start, PAGE, topics=[topic])
        found += [n.originator_id for n in page]
        if len(page) < PAGE:
            break
        start = page[-1].id + 1
    return [programme(trellis, UUID(str(pid))) for pid in found]


def programme(trellis: Trellis, programme_id: UUID) -> ProgrammePublic:
    settings = trellis.programme_settings(programme_id).as_dict()
    return ProgrammePublic(programme_id=str(programme_id), **settings)


def case_as_of(trellis: Trellis, case_id: UUID, on: date) -> CaseAsOf:
    trellis.load(Case, case_id)  # NotFound for an unknown case
    end_of_day = datetime.combine(on, time.max, tzinfo=UTC)
    version = None
    for event in trellis.events.get(case_id):
        if event.timestamp > end_of_day:
            break
        version = event.originator_version
    if version is None:
        return CaseAsOf(case_id=str(case_id), on=on.isoformat(), existed=False, stage=None, version=None,
                        line_manager_id=None, proposed_mentor=None, partnership_id=None, closed_reason=None)
    case = trellis.repository.get(case_id, version=version)
    return CaseAsOf(
        case_id=str(case_id), on=on.isoformat(), existed=True, stage=case.stage.value, version=version,
        line_manager_id=case.line_manager_id, proposed_mentor=_str(case.proposed_mentor),
        partnership_id=_str(case.partnership_id), closed_reason=_str(case.closed_reason),
    )


def _str(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
