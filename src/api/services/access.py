"""Subject-access export: everything Trellis holds about a person, decrypted, with other
people's personal data left out.

Their identity and details; as a mentee, each case's statement, goals, preferences,
special-category answers, consent records and the reasons others recorded about their
case; as a mentor, their directory profile and answers; the sessions of every partnership
they were in (notes and actions, since they were a party), its reviews, and the feedback
they gave; who acted on their records and when, and who viewed them (the access log) — by
role, and "you" where it was them, never another person's id.

The data-protection officer, who handles the request, never sees a pair's confidential
content: their copy says how many such entries were withheld, and the person downloads
the complete copy, confidential content included, themselves (`GET /me/export`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from api.services.access_log import AccessLogQueries
from api.services.commanding import Recorded
from api.services.retention_schedule import RetentionCommands
from domain import ERASED, Actor, Confidential, NotAllowed, Protected, RequestKind, RequestState, SubjectRequest

SKIP = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor_id", "actor_role",
        "on_behalf_of", "class_version"}
OTHERS = {("FeedbackSubmitted", "comments"), ("FeedbackSubmitted", "rating")}  # the other party's, unless theirs
PEOPLE = {"mentee_id", "mentor_person_id", "line_manager_id", "person_id", "subject_id"}
ANOTHER = "another person"


WITHHELD = "confidential to the pair: in the person's own copy"


@dataclass
class SubjectExport:
    person_id: str
    identity: str | None
    generated_at: str
    records: list[dict[str, Any]] = field(default_factory=list)  # one per case, mentor record, partnership
    who_acted: list[dict[str, Any]] = field(default_factory=list)
    confidential_withheld: int = 0  # entries of the pair's confidential content left out of this copy
    who_viewed: list[dict[str, Any]] = field(default_factory=list)  # reads in the access log (see access_log)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def counts(self) -> dict[str, int]:
        return {"records": len(self.records), "entries": sum(len(r["events"]) for r in self.records)}


class AccessCommands(RetentionCommands, AccessLogQueries):
    def export_subject(self, request_id: UUID) -> SubjectExport:
        """The officer's copy: everything but the pair's confidential content."""
        request = self.load(SubjectRequest, request_id)
        if request.kind is not RequestKind.ACCESS:
            raise NotAllowed(f"request {request_id} is not a subject-access request")
        return self.subject_export(request.subject_id, confidential=False)

    def complete_access_request(self, request_id: UUID, actor: Actor) -> Recorded:
        request = self.load(SubjectRequest, request_id)
        if request.kind is not RequestKind.ACCESS or request.state is not RequestState.RECEIVED:
            raise NotAllowed(f"request {request_id} is not an open subject-access request")
        counts = self.subject_export(request.subject_id).counts()
        with self.acting(actor):
            request.complete(counts)
        return self._answer(request_id, request)

    def subject_export(self, person_id: str, confidential: bool = True) -> SubjectExport:
        """Everything held about the person; `confidential`: with their partnerships'
        confidential content (for the person themselves, never for the officer)."""
        records = self.current_read_models().records_of(person_id)
        export = SubjectExport(person_id, self.people.identity_of(person_id), self.clock().isoformat())
        aggregates = [("case", c) for c in records.cases] + [("mentor record", m) for m in records.mentor_records]
        aggregates += [("partnership", p) for p in records.partnerships]
        for kind, aggregate_id in aggregates:
            events = list(self.events.get(UUID(aggregate_id)))
            entries = [_theirs(e, person_id) for e in events]
            if confidential:
                for entry in entries:
                    entry.pop("confidential", None)
            else:
                export.confidential_withheld += sum(_withhold(entry) for entry in entries)
            export.records.append({"kind": kind, "id": aggregate_id, "events": entries})
            export.who_acted += [_who(e, person_id, kind, aggregate_id) for e in events]
        export.who_acted.sort(key=lambda w: w["at"])
        export.who_viewed = self.who_viewed(person_id, records)
        return export


def _theirs(event: Any, person_id: str) -> dict[str, Any] | None:
    """What of an event is the person's: plain fields, and protected values they own or (for a
    partnership's confidential content) were a party to; another person's values left out."""
    name = type(event).__name__
    fields: dict[str, Any] = {}
    confidential: list[str] = []
    for key, value in vars(event).items():
        if key in SKIP:
            continue
        if isinstance(value, dict) and value and all(isinstance(v, Protected) for v in value.values()):
            value = {k: v for k, v in value.items() if _owned(v, person_id)}
            fields[key] = {k: _plain(v) for k, v in value.items()}
            continue
        if isinstance(value, Protected):
            if (name, key) in OTHERS and value.owner != person_id:
                continue
            if not _owned(value, person_id):
                continue
            if isinstance(value, Confidential):
                confidential.append(key)
            value = _plain(value)
        if key in PEOPLE and value not in (person_id, None):
            value = ANOTHER
        fields[key] = str(value) if isinstance(value, UUID) else value
    entry = {"event": name, "at": event.timestamp.isoformat(), "fields": fields}
    if confidential:
        entry["confidential"] = confidential
    return entry


def _withhold(entry: dict[str, Any]) -> int:
    """Replaces the pair's confidential content in an entry; returns how many values went."""
    withheld = 0
    for key in list(entry["fields"]):
        if key in entry.get("confidential", ()):
            entry["fields"][key] = WITHHELD
            withheld += 1
    entry.pop("confidential", None)
    return withheld


def _owned(value: Protected, person_id: str) -> bool:
    """Theirs, or their own partnership's content (the export only reaches their partnerships)."""
    return value.owner == person_id or isinstance(value, Confidential)


def _plain(value: Protected) -> Any:
    return None if value.value is ERASED else value.value


def _who(event: Any, person_id: str, kind: str, aggregate_id: str) -> dict[str, Any]:
    role = event.actor_role.replace("_", " ")
    actor = "you" if event.actor_id == person_id else f"{'an' if role[0] in 'aeiou' else 'a'} {role}"
    recorded_for = "you" if event.on_behalf_of == person_id else None
    return {"at": event.timestamp.isoformat(), "who": actor, "what": type(event).__name__, "record": kind,
            "record_id": aggregate_id, "for": recorded_for}
