"""People: the person registry's link from an identity to an opaque id, seen from the services.

`adopt_history_people` upgrades a store recorded before people had opaque ids: its events
name people by their identity itself (a token's `sub`), so each such id is linked to
itself, and those people keep their records when they next sign in. New people get opaque
ids. (History is never rewritten: such an old id stays in the old events.)
"""

from __future__ import annotations

from api.services.matching_queue import MatchingQueue
from projections import audit, dashboard, mentors

OPAQUE_PREFIX = "p-"
NOBODY = {"system", ""}


class PeopleQueries(MatchingQueue):
    def adopt_history_people(self) -> int:
        """Links every person id the read models know from the history that the registry does
        not to itself; returns how many were linked. Run once the read models are rebuilt."""
        if self.read_models is None:
            return 0
        found = set()
        for table, column in ((dashboard.PEOPLE.name, "subject_id"), (dashboard.CASES.name, "line_manager_id"),
                              (mentors.MENTORS.name, "person_id"), (audit.EVENTS.name, "actor_id")):
            found |= {r["id"] for r in self.read_models.store.query(f"SELECT DISTINCT {column} AS id FROM {table}")}
        adopted = 0
        for person_id in sorted(i for i in found if i and i not in NOBODY and not i.startswith(OPAQUE_PREFIX)):
            if self.keys.is_destroyed(f"subject:{person_id}"):
                continue  # erased: never linked again
            if self.people.person_for(person_id, create=False) is None:
                self.people.link(person_id, person_id)
                adopted += 1
        return adopted
