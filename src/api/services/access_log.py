"""The access log, from the services: a read recorded, the oversight's view of the log, and
what a person's subject-access export says about who viewed their records.

A read names one object: a record (case, partnership, mentor record, a data-protection
request, a record's history, one person's consent records), the reader themselves (their own
export), or a list — a programme's cases, partnerships, mentors or history, a line manager's
reports — named by the programme or the line manager; a list of the whole service names
nothing. A list read is one entry per call, not one per person listed. So the export says
which entries were of the person's own records and which of lists that can include them: a
programme's list from the day they had a record in it (cases and history: any record of
theirs; partnerships: a partnership of theirs; mentors: a mentor record of theirs), their
line manager's reports, and every list of the whole service from their first record on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from api.persistence.access_log import AccessEntry, AccessQuery
from api.services.matching_queue import MatchingQueue
from domain import Actor, Case, Mentor, Partnership
from projections.data_protection_queries import Records


class Kind(StrEnum):
    """What a read was of."""

    PERSON = "person"  # the reader themselves: their own subject-access copy
    CASE = "case"
    PARTNERSHIP = "partnership"
    MENTOR = "mentor"
    REQUEST = "request"  # a data-protection request
    HISTORY = "history"  # a record's history; with no id, the whole service's
    PROGRAMME_CASES = "programme_cases"  # a list, named by its programme
    PROGRAMME_PARTNERSHIPS = "programme_partnerships"
    PROGRAMME_MENTORS = "programme_mentors"
    PROGRAMME_HISTORY = "programme_history"  # its cases, partnerships and mentor records
    REPORTS = "line_manager_reports"  # a line manager's reports, named by the line manager
    DATA_PROTECTION = "data_protection"  # the DPO's lists: of the whole service, or (with an id) one person's
    ACCESS_LOG = "access_log"  # the log itself, read by the oversight


PEOPLE_NAMED = (Kind.PERSON, Kind.REPORTS, Kind.DATA_PROTECTION)  # their object is a person's id: not shown
OWN = "your record"
LISTED = "a list that can include you"


@dataclass(frozen=True)
class Seen:
    """What an object is to the person, and (for a list) from when it can include them."""

    what: str
    scope: str = OWN
    since: datetime | None = None


class AccessLogQueries(MatchingQueue):
    def access_entry(self, actor: Actor, route: str, kind: Kind, object_id: str | None) -> AccessEntry:
        """A read's entry: the reader, their role, the route's template, the object; at the clock's time."""
        return AccessEntry(self.clock(), actor.id, actor.role.value, route, kind.value, object_id)

    def record_read(self, actor: Actor, route: str, kind: Kind, object_id: str | None) -> None:
        self.record_reads([self.access_entry(actor, route, kind, object_id)])

    def record_reads(self, entries: Sequence[AccessEntry]) -> None:
        """The entries, in one statement (the reads served together: `api.http.access_writer`)."""
        self.access_log.append(entries)

    def access_entries(self, query: AccessQuery) -> list[AccessEntry]:
        return self.access_log.entries(query)

    def who_viewed(self, person_id: str, records: Records) -> list[dict[str, Any]]:
        """The reads of the person's records and of the lists that can include them: by role
        ("you" where it was them) and when; never another person's id."""
        objects = self._objects_of(person_id, records)
        whole_service = objects.get((None, None))
        ids = {object_id for _, object_id in objects if object_id is not None}
        viewed = []
        for entry in self.access_log.about(ids, whole_service.since if whole_service else None):
            seen = objects.get((entry.object_kind, entry.object_id) if entry.object_id else (None, None))
            if seen is None or (seen.since is not None and entry.at < seen.since):
                continue
            shown_id = None if entry.object_kind in PEOPLE_NAMED else entry.object_id
            viewed.append({"at": entry.at.isoformat(), "who": _who(entry, person_id), "route": entry.route,
                           "record": seen.what, "record_id": shown_id, "scope": seen.scope})
        return viewed

    def _objects_of(self, person_id: str, records: Records) -> dict[tuple[str | None, str | None], Seen]:
        """(kind, id) → what it is to the person; (None, None): every list of the whole service."""
        objects = {(Kind.PERSON, person_id): Seen("you")}
        cases = [self.load(Case, UUID(c)) for c in records.cases]
        mentors = [self.load(Mentor, UUID(m)) for m in records.mentor_records]
        partnerships = [self.load(Partnership, UUID(p)) for p in records.partnerships]
        for kind, what, found in ((Kind.CASE, "your case", cases), (Kind.MENTOR, "your mentor record", mentors),
                                  (Kind.PARTNERSHIP, "your partnership", partnerships)):
            for aggregate in found:
                objects[(kind, str(aggregate.id))] = Seen(what)
                objects[(Kind.HISTORY, str(aggregate.id))] = Seen(f"the history of {what}")
        for request in self.read_models.requests() if self.read_models is not None else ():
            if request.subject_id == person_id:
                objects[(Kind.REQUEST, request.request_id)] = Seen("your data-protection request")
        objects[(Kind.DATA_PROTECTION, person_id)] = Seen("your consent records")

        def listed(kind: Kind | None, object_id: str | None, what: str, since: datetime) -> None:
            known = objects.get((kind, object_id))
            if known is None or (known.since is not None and since < known.since):
                objects[(kind, object_id)] = Seen(what, LISTED, since)

        for case in cases:
            if case.line_manager_id:
                listed(Kind.REPORTS, case.line_manager_id, "your line manager's reports", case.created_on)
        for kind, what, found in ((Kind.PROGRAMME_CASES, "a programme's cases", [*cases, *mentors]),
                                  (Kind.PROGRAMME_PARTNERSHIPS, "a programme's partnerships", partnerships),
                                  (Kind.PROGRAMME_MENTORS, "a programme's mentors", mentors),
                                  (Kind.PROGRAMME_HISTORY, "a programme's history", [*cases, *mentors])):
            for aggregate in found:
                listed(kind, str(aggregate.programme_id), what, aggregate.created_on)
        for aggregate in [*cases, *mentors]:
            listed(None, None, "a list of the whole service", aggregate.created_on)
        return objects


ROLE_NAMES = {"dpo": "data-protection officer"}


def _who(entry: AccessEntry, person_id: str) -> str:
    if entry.reader_id == person_id:
        return "you"
    role = ROLE_NAMES.get(entry.reader_role, entry.reader_role.replace("_", " "))
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"
