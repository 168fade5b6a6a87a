"""An object's stored events, read for its history: sealed as the read models see them.

Events are decoded with the read models' mapper (`projections.decoding.sealed_mapper`):
confidential and special-category values are never decrypted here — they decode as
WITHHELD whatever key exists — and personal values stay encrypted until a caller opens one
it names (`open_personal`), with the application's keys; an erased subject's opens as None.
Timelines and as-of states are built from these events alone.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any
from uuid import UUID

from api.services.matching_queue import MatchingQueue
from domain import Invalid, NotFound
from domain.protected import Personal
from projections.decoding import Deferred, sealed_mapper


class EventHistory(MatchingQueue):
    @cached_property
    def _history_mapper(self) -> Any:
        return sealed_mapper(self.mapper)

    def stored_history(self, aggregate_id: UUID, kind: type, upto_version: int | None = None) -> list[Any]:
        """The events of one object of class `kind`, oldest first, sealed; NotFound if there is none."""
        decode = self._history_mapper.to_domain_event
        events = [decode(stored) for stored in self.recorder.select_events(aggregate_id, lte=upto_version)]
        if not events or not isinstance(events[0], kind.Event):
            raise NotFound(f"no {kind.__name__.lower()} {aggregate_id}")
        return events

    def open_personal(self, value: Any) -> Any:
        """A personal value of a sealed event, opened; None when absent or its subject is erased."""
        if value is None:
            return None
        if type(value) is not Personal:
            raise TypeError("only personal values are opened for a history")
        if isinstance(value.value, Deferred):
            return self.open_sealed(json.dumps(value.value.stored, separators=(",", ":")))
        # recorded in clear by an early version: no longer once its subject is erased
        return None if self.keys.is_destroyed(f"subject:{value.owner}") else value.value

    def audit_index(self) -> Any:
        """The audit read model: every event's position, object and version, in log order."""
        if self.read_models is None:
            raise Invalid("the history index is a read model, kept in SQLite or PostgreSQL")
        return self.read_models
