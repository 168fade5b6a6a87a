"""How many of a programme's cases wait for a match: read from a read model, not an aggregate.

The extension rule weighs a mentor's capacity against this count. It is the dashboard's
count of cases at a waiting stage, so it follows the commands within moments; an
in-memory application (unit tests), which keeps no read models, folds its own event log
with the domain's stage machine instead.
"""

from __future__ import annotations

from functools import cached_property
from uuid import UUID

from eventsourcing.utils import get_topic

from api.services.commanding import Commands
from domain import Case, Stage, stage_after
from domain.case import WAITING_FOR_MATCH
from projections.decoding import sealed_mapper
from projections.queries import ReadModels
from projections.sql import Store

PAGE = 1000


class MatchingQueue(Commands):
    @cached_property
    def read_models(self) -> ReadModels | None:
        """The read models beside the events (None in memory)."""
        store = Store.beside(self.recorder)
        return None if store is None else ReadModels(store, clock=self.clock, opener=self.open_sealed)

    def cases_waiting(self, programme_id: UUID) -> int:
        if self.read_models is not None:
            return self.read_models.cases_waiting(programme_id)
        return _fold_waiting(self, programme_id)


def _fold_waiting(app: Commands, programme_id: UUID) -> int:
    topics = [get_topic(cls) for cls in vars(Case).values() if isinstance(cls, type) and issubclass(cls, Case.Event)]
    decode = sealed_mapper(app.mapper).to_domain_event
    programme_of: dict[UUID, UUID] = {}
    matching: dict[UUID, str] = {}
    stage: dict[UUID, Stage] = {}
    start = 1
    while page := app.recorder.select_notifications(start, PAGE, topics=topics):
        for notification in page:
            event = decode(notification)
            case_id = event.originator_id
            if isinstance(event, Case.EOISubmitted):
                programme_of[case_id], matching[case_id] = event.programme_id, event.matching
            stage[case_id] = stage_after(event, matching.get(case_id)) or stage[case_id]
        start = page[-1].id + 1
    return sum(1 for c, s in stage.items() if s in WAITING_FOR_MATCH and programme_of.get(c) == programme_id)
