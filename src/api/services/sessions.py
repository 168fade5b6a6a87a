"""What the pair alone may read: their partnership's session records, decrypted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from api.persistence.event_store import EventStore
from domain import Actor, NotAllowed, Partnership


@dataclass(frozen=True)
class SessionRecord:
    """One session as the pair sees it, confidential content included (ERASED once shredded)."""

    held_on: str
    minutes: int
    medium: str
    notes: Any
    actions: Any
    recorded_by_role: str


class SessionQueries(EventStore):
    def session_records(self, partnership_id: UUID, actor: Actor) -> list[SessionRecord]:
        partnership = self.load(Partnership, partnership_id)
        if partnership.party_of(actor) is None:
            raise NotAllowed("only the mentee and mentor of this partnership may read its sessions")
        return [
            SessionRecord(
                held_on=e.held_on, minutes=e.minutes, medium=e.medium,
                notes=e.notes.value, actions=e.actions.value, recorded_by_role=str(e.actor_role),
            )
            for e in self.events.get(partnership_id)
            if isinstance(e, Partnership.SessionHeld)
        ]
