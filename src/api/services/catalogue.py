"""The programme catalogue, read from the event store (programme settings hold nothing personal)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.utils import get_topic

from api.persistence.event_store import EventStore
from domain import Programme, ProgrammeSettings

PAGE = 500


@dataclass(frozen=True)
class ProgrammeEntry:
    programme_id: UUID
    settings: ProgrammeSettings


class CatalogueQueries(EventStore):
    def programmes(self) -> list[ProgrammeEntry]:
        topic = get_topic(Programme.Registered)
        found, start = [], 1
        while page := self.recorder.select_notifications(start, PAGE, topics=[topic]):
            found += [UUID(str(n.originator_id)) for n in page]
            start = page[-1].id + 1
        return [self.programme(programme_id) for programme_id in found]

    def programme(self, programme_id: UUID) -> ProgrammeEntry:
        return ProgrammeEntry(programme_id, self.load(Programme, programme_id).settings)
