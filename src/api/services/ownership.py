"""Whether the case, partnership or mentor a request names is the actor's own.

Answered from the aggregates themselves (never a lagging read model), so a party can act on
a partnership the moment it is formed. The HTTP policy asks; it never loads an aggregate.

`owns_named` answers for the object a request's path names (`named_object`: its partnership,
case or mentor id). A party's tie to a partnership, a mentee's or line manager's to their
case and a mentor's to their own record never change once recorded, so a yes is remembered
(`owned_already`: asked again, nothing is loaded). A mentor's tie to a case, through a proposal, comes and goes: it is
loaded every time. No answer of no is remembered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from api.persistence.event_store import EventStore
from domain import Actor, Case, Mentor, NotFound, Partnership, Role, mentor_id

OWNED_KEPT = 100_000  # ties remembered per process (forgotten all at once past this: they are only loaded again)
NAMING = ("partnership_id", "case_id", "mentor_id")  # path parameters naming what one may own, asked in this order


def named_object(params: Mapping[str, Any]) -> tuple[str, UUID] | None:
    """The partnership, case or mentor record the path names (the first of `NAMING` it has), by
    its parameter's name; None if it names none. An id that is not a UUID names nothing that
    exists: NotFound."""
    for name in NAMING:
        if name in params:
            try:
                return name, UUID(str(params[name]))
            except ValueError:
                raise NotFound(f"no such {name.removesuffix('_id')}") from None
    return None


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

    def owns_named(self, actor: Actor, params: Mapping[str, Any]) -> bool:
        """Whether the object the path names (`named_object`) is the actor's own, loaded to see."""
        named = named_object(params)
        if named is None:
            return False
        name, object_id = named
        asked = {"partnership_id": self.owns_partnership, "case_id": self.owns_case, "mentor_id": self.owns_mentor}
        return asked[name](actor, object_id)

    def owned_already(self, actor: Actor, params: Mapping[str, Any]) -> bool:
        """From memory alone: whether the object the path names was found the actor's own before."""
        owned = self.__dict__.get("_owned")
        if not owned:
            return False
        try:
            named = named_object(params)
        except NotFound:
            return False  # `owns_named` says so
        return named is not None and (named[0], str(named[1]), actor.id, actor.role) in owned

    def _remember(self, actor: Actor, kind: str, object_id: UUID) -> bool:
        owned: set = self.__dict__.setdefault("_owned", set())
        if len(owned) >= OWNED_KEPT:
            owned.clear()
        owned.add((kind, str(object_id), actor.id, actor.role))
        return True
