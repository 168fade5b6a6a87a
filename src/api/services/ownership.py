"""Whether the case, partnership or mentor a request names is the actor's own.

Answered from the aggregates themselves (never a lagging read model), so a party can act on
a partnership the moment it is formed. The HTTP policy asks; it never loads an aggregate.

A party's tie to a partnership, a mentee's or line manager's to their case and a mentor's to
their own record never change once recorded, so a yes is remembered (`owned_already`: asked
again, nothing is loaded). A mentor's tie to a case, through a proposal, comes and goes: it is
loaded every time. No answer of no is remembered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from api.persistence.event_store import EventStore
from domain import Actor, Case, Mentor, Partnership, Role, mentor_id

OWNED_KEPT = 100_000  # ties remembered per process (forgotten all at once past this: they are only loaded again)


class OwnershipQueries(EventStore):
    def owns_partnership(self, actor: Actor, partnership_id: UUID) -> bool:
        if self.load(Partnership, partnership_id).party_of(actor) is None:
            return False
        return self._remember(actor, "partnership_id", partnership_id)

    def owns_case(self, actor: Actor, case_id: UUID) -> bool:
        case = self.load(Case, case_id)
        if actor.role is Role.LINE_MANAGER:
            return case.line_manager_id == actor.id and self._remember(actor, "case_id", case_id)
        if actor.role is Role.MENTEE:
            return case.mentee_id == actor.id and self._remember(actor, "case_id", case_id)
        if actor.role is Role.MENTOR:
            return case.proposed_mentor is not None and case.proposed_mentor == mentor_id(case.programme_id, actor.id)
        return False

    def owns_mentor(self, actor: Actor, mentor_id_: UUID) -> bool:
        if not (actor.role is Role.MENTOR and self.load(Mentor, mentor_id_).person_id == actor.id):
            return False
        return self._remember(actor, "mentor_id", mentor_id_)

    def owned_already(self, actor: Actor, params: Mapping[str, Any]) -> bool:
        """From memory alone: whether the object the path names was found the actor's own before."""
        owned = self.__dict__.get("_owned")
        if not owned:
            return False
        for name in ("partnership_id", "case_id", "mentor_id"):
            if name in params:
                try:
                    return (name, str(UUID(str(params[name]))), actor.id, actor.role) in owned
                except ValueError:
                    return False
        return False

    def _remember(self, actor: Actor, kind: str, object_id: UUID) -> bool:
        owned: set = self.__dict__.setdefault("_owned", set())
        if len(owned) >= OWNED_KEPT:
            owned.clear()
        owned.add((kind, str(object_id), actor.id, actor.role))
        return True
