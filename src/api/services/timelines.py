"""Timelines that tell the whole story: every event of a case (and of every partnership it
ever had), a partnership, a mentor record or a programme, each with what may be shown of it.

Which events, in which order, by whom and for whom, come from the audit read model. What
each event says comes from its object's stored events, read sealed (`event_history`), through
the allow-list of `timeline_details`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from api.services.event_history import EventHistory
from api.services.timeline_details import Reading, Shown, details_of
from domain import Case, Mentor, Partnership, Programme, Role
from projections.results import AuditEntry

KINDS: dict[str, type] = {"Case": Case, "Mentor": Mentor, "Partnership": Partnership, "Programme": Programme}


@dataclass(frozen=True)
class TimelineEvent:
    """One event as a timeline shows it: its audit entry, and its allow-listed details."""

    entry: AuditEntry
    recorded_by_administrator: bool  # an administrator recorded a step a party takes for themselves
    details: dict[str, Any] = field(default_factory=dict)
    withheld: dict[str, str] = field(default_factory=dict)  # field → why it is not shown


def recorded_by_administrator(entry: AuditEntry) -> bool:
    return entry.on_behalf_of is not None and entry.actor_role == Role.ADMINISTRATOR.value


class TimelineQueries(EventHistory):
    def case_timeline(self, case_id: UUID, limit: int = 200, after: int = 0,
                      names: bool = True) -> list[TimelineEvent]:
        """The case's events and those of every partnership it ever had, in log order."""
        partnerships = [e.partnership_id for e in self.stored_history(case_id, Case)
                        if isinstance(e, Case.MatchConfirmed)]
        return self._timeline(self.audit_index().audit_entries([case_id, *partnerships], limit, after), names)

    def partnership_timeline(self, partnership_id: UUID, limit: int = 200, after: int = 0,
                             names: bool = True) -> list[TimelineEvent]:
        self.stored_history(partnership_id, Partnership, upto_version=1)
        return self._timeline(self.audit_index().audit_entries([partnership_id], limit, after), names)

    def mentor_timeline(self, mentor_id: UUID, limit: int = 200, after: int = 0,
                        names: bool = True) -> list[TimelineEvent]:
        self.stored_history(mentor_id, Mentor, upto_version=1)
        return self._timeline(self.audit_index().audit_entries([mentor_id], limit, after), names)

    def programme_timeline(self, programme_id: UUID, limit: int = 200, after: int = 0,
                           names: bool = True) -> list[TimelineEvent]:
        """The programme's events and those of every case, partnership and mentor record in it."""
        self.stored_history(programme_id, Programme, upto_version=1)
        return self._timeline(self.audit_index().programme_audit_entries(programme_id, limit, after), names)

    def _timeline(self, entries: Iterable[AuditEntry], names: bool) -> list[TimelineEvent]:
        entries = list(entries)
        shown = self._details(entries, Reading(self, names))
        timeline = []
        for entry in entries:
            details, withheld = shown.get((entry.aggregate_id, entry.version), ({}, {}))
            timeline.append(TimelineEvent(entry, recorded_by_administrator(entry), details, withheld))
        return timeline

    def _details(self, entries: list[AuditEntry], reading: Reading) -> dict[tuple[str, int], Shown]:
        """Each entry's allow-listed details, read from its object's events from the first (so
        that a proposal is ranked against the matching request before it, on any page)."""
        newest: dict[tuple[str, str], int] = {}  # (object id, its type) → the newest version on the page
        for entry in entries:
            if entry.aggregate_type in KINDS:
                key = (entry.aggregate_id, entry.aggregate_type)
                newest[key] = max(entry.version, newest.get(key, 0))
        shown: dict[tuple[str, int], Shown] = {}
        for (aggregate_id, kind), version in newest.items():
            for event in self.stored_history(UUID(aggregate_id), KINDS[kind], upto_version=version):
                shown[(aggregate_id, event.originator_version)] = details_of(event, reading)
        return shown
