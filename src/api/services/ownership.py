"""Whether the case, partnership or mentor a request names is the actor's own.

Answered from the aggregates themselves (never a lagging read model), so a party can act on
a partnership the moment it is formed. The HTTP policy asks; it never loads an aggregate.
"""

from __future__ import annotations

from uuid import UUID

from api.persistence.event_store import EventStore
from domain import Actor, Case, Mentor, Partnership, Role, mentor_id


class OwnershipQueries(EventStore):
    def owns_partnership(self, actor: Actor, partnership_id: UUID) -> bool:
        return self.load(Partnership, partnership_id).party_of(actor) is not None

    def owns_case(self, actor: Actor, case_id: UUID) -> bool:
        case = self.load(Case, case_id)
        if actor.role is Role.LINE_MANAGER:
            return case.line_manager_id == actor.id
        if actor.role is Role.MENTEE:
            return case.mentee_id == actor.id
        if actor.role is Role.MENTOR:
            return case.proposed_mentor is not None and case.proposed_mentor == mentor_id(case.programme_id, actor.id)
        return False

    def owns_mentor(self, actor: Actor, mentor_id_: UUID) -> bool:
        return actor.role is Role.MENTOR and self.load(Mentor, mentor_id_).person_id == actor.id
