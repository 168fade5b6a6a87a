"""Past states, answered from the event store: a case as it stood at the end of a day.

Only non-personal fields are returned: stage, version, who it was proposed to or matched with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID

from api.persistence.event_store import EventStore
from domain import Case


@dataclass(frozen=True)
class CaseAsOf:
    case_id: str
    on: str
    existed: bool
    stage: str | None = None
    version: int | None = None
    line_manager_id: str | None = None
    proposed_mentor: str | None = None
    partnership_id: str | None = None
    closed_reason: str | None = None


class HistoryQueries(EventStore):
    def case_as_of(self, case_id: UUID, on: date) -> CaseAsOf:
        self.load(Case, case_id)  # NotFound for an unknown case
        end_of_day = datetime.combine(on, time.max, tzinfo=UTC)
        version = None
        for event in self.events.get(case_id):
            if event.timestamp > end_of_day:
                break
            version = event.originator_version
        if version is None:
            return CaseAsOf(case_id=str(case_id), on=on.isoformat(), existed=False)
        case = self.repository.get(case_id, version=version)
        return CaseAsOf(
            case_id=str(case_id), on=on.isoformat(), existed=True, stage=case.stage.value, version=version,
            line_manager_id=case.line_manager_id, proposed_mentor=_str(case.proposed_mentor),
            partnership_id=_str(case.partnership_id), closed_reason=_str(case.closed_reason),
        )


def _str(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
