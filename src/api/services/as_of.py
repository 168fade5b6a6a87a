"""As-of: the state of a case, partnership, mentor record or programme at a past moment.

The moment is a date-time or an event-log position (`moments`); the object's events that had
happened by then are folded by the domain (`past_states`). A position is turned into the
object's version by the history index (the audit read model), once it has indexed that far;
each answer says at which position its object's last event stands.
Names are opened for the auditor, who may see them; confidential content is never read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from api.services.catalogue import ProgrammeEntry
from api.services.event_history import EventHistory
from api.services.moments import Moment, moment, up_to
from api.services.past_states import Past, case_state, fold, mentor_state, partnership_state, programme_state
from domain import Case, Invalid, Mentor, NotAllowed, Partnership, Programme
from projections.results import CaseSummary, MentorCapacity, PartnershipSummary

T = TypeVar("T")


def version_at(positions: dict[int, int], stored: int, position: int, what: str) -> int | None:
    """The object's last version at `position`, from its versions' positions. The index follows
    the log in order, so it answers once it holds an event of the object after `position` or all
    `stored` events of the object; until then, the question is refused."""
    if len(positions) < stored and all(p <= position for p in positions.values()):
        raise NotAllowed(f"the history index has not yet reached position {position} for {what}: "
                         "ask again in a moment")
    return max((v for v, p in positions.items() if p <= position), default=None)


class AsOfQueries(EventHistory):
    def moment(self, on: date | None = None, at: datetime | None = None, position: int | None = None) -> Moment:
        return moment(on, at, position, now=self.clock(), head=self.recorder.max_notification_id() or 0)

    def case_as_of(self, case_id: UUID, when: Moment) -> Past[CaseSummary]:
        events = self.stored_history(case_id, Case)
        kept = self._up_to(events, when, f"case {case_id}")
        return self._placed(case_state(
            kept, self.open_personal(events[0].details.get("name")), self._mentor_name,
            lambda partnership_id: self._partnership_status(partnership_id, when),
        ), events)

    def partnership_as_of(self, partnership_id: UUID, when: Moment) -> Past[PartnershipSummary]:
        events = self.stored_history(partnership_id, Partnership)
        kept = self._up_to(events, when, f"partnership {partnership_id}")
        case = self.stored_history(events[0].case_id, Case, upto_version=1)[0]
        return self._placed(partnership_state(
            kept, self.open_personal(case.details.get("name")), self._mentor_name(str(events[0].mentor_id)),
        ), events)

    def mentor_as_of(self, mentor_id: UUID, when: Moment) -> Past[MentorCapacity]:
        events = self.stored_history(mentor_id, Mentor)
        kept = self._up_to(events, when, f"mentor {mentor_id}")
        return self._placed(mentor_state(kept, self.open_personal(events[0].details.get("name"))), events)

    def programme_as_of(self, programme_id: UUID, when: Moment) -> Past[ProgrammeEntry]:
        events = self.stored_history(programme_id, Programme)
        return self._placed(programme_state(self._up_to(events, when, f"programme {programme_id}")), events)

    # -- helpers ------------------------------------------------------------------------------------
    def _up_to(self, events: list[Any], when: Moment, what: str) -> list[Any]:
        """The object's events that had happened at `when` (a position is read off the index)."""
        if when.position is None:
            return up_to(events, when, what)
        positions = self._positions(events[0].originator_id)
        if positions is None:
            raise Invalid("an as-of position needs the history index, a read model kept in SQLite or PostgreSQL")
        first = min(positions.values(), default=None)
        return up_to(events, when, what, version=version_at(positions, len(events), when.position, what),
                     begins=None if first is None else f"position {first}")

    def _positions(self, object_id: UUID) -> dict[int, int] | None:
        """The object's versions and their positions, as far as the history index holds them."""
        return None if self.read_models is None else dict(self.read_models.event_positions(object_id))

    def _placed(self, past: Past[T], events: list[Any]) -> Past[T]:
        """The state, with the position of the last event it includes (once the index holds it)."""
        positions = self._positions(events[0].originator_id) or {}
        return replace(past, last_event_position=positions.get(past.version))

    def _partnership_status(self, partnership_id: UUID, when: Moment) -> str | None:
        """The case's partnership's status then; None at a position between the case's confirmation
        and the partnership's forming (one command records the case's event first)."""
        events = self.stored_history(partnership_id, Partnership)
        try:
            return str(fold(self._up_to(events, when, f"partnership {partnership_id}")).status.value)
        except Invalid:
            return None

    def _mentor_name(self, mentor_id: str) -> str | None:
        first = self.stored_history(UUID(mentor_id), Mentor, upto_version=1)[0]
        return self.open_personal(first.details.get("name"))
