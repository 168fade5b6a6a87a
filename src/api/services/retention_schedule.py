"""Retention: each programme's `retention_months` applies once a person's records are closed.

A mentee is due once every case of theirs is closed and the last closed more than their
programme's retention period ago; a mentor once every mentor record of theirs has left the
pool that long ago, with no slot held; a person who is both, only when both hold. A legal
hold on them, a case, a partnership or a programme of theirs keeps them. Due people are
erased as an erasure request would erase them, each under a retention request whose id
follows from the person, so a run stopped at any point and run again finishes the work
exactly once. Anonymous statistics are not touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from api.services.erasure import ErasurePlan
from projections.data_protection_queries import Records
from api.services.holds import HoldCommands
from domain import SYSTEM, Actor, Invalid, MentorStatus, NotFound, RequestKind, RequestState, Slot, Stage, SubjectRequest
from projections import dashboard, mentors

BATCH = 100
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DuePerson:
    person_id: str
    closed_at: str  # when the last of their records closed
    held_by: str | None = None  # a legal hold that keeps them, if any


@dataclass
class RetentionSummary:
    due: list[DuePerson] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    dry_run: bool = False


class RetentionCommands(HoldCommands):
    def retention_due(self) -> list[DuePerson]:
        """Everyone whose retention period has run out, in the order they became due."""
        read_models = self.current_read_models()
        return self._due(read_models, read_models.every_records())

    def run_retention(self, actor: Actor = SYSTEM, dry_run: bool = False,
                      progress: Progress | None = None) -> RetentionSummary:
        """Erases everyone due (not held); `dry_run` lists them and changes nothing. Resumes
        whatever an earlier, stopped run left half done. Plans from the read models as they
        stood when it began (its own writes touch only the people it erases)."""
        read_models = self.current_read_models()
        records = read_models.every_records()
        summary = RetentionSummary(due=self._due(read_models, records), dry_run=dry_run)
        summary.held = [d.person_id for d in summary.due if d.held_by]
        todo = [d.person_id for d in summary.due if not d.held_by]
        if dry_run:
            return summary
        open_requests = {r.subject_id: r.request_id for r in read_models.requests(RequestKind.RETENTION.value)
                         if r.state == RequestState.RECEIVED.value}
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            requests = self._retention_requests(batch, open_requests, actor)
            plans = [self._plan_from(str(requests[p].id), p, records.get(p)) for p in batch]
            if self.ledger is not None:
                self.ledger.append_all([(plan.subject_id, plan.keys) for plan in plans], self.clock().isoformat())
            counts = self.erase_all(plans, scrub=False)
            with self.acting(actor):
                for person, count in zip(batch, counts, strict=True):
                    requests[person].complete(count)
            self.commit(*requests.values())
            summary.erased += batch
            if progress:
                progress(len(summary.erased), len(todo))
        self.keys.scrub()
        self.people.scrub()
        return summary

    def _due(self, read_models: object, records: dict[str, Records]) -> list[DuePerson]:
        now = self.clock()
        months = {str(p.programme_id): p.settings.retention_months for p in self.programmes()}
        if not months:
            raise Invalid("there are no programmes yet, so no retention period has started")
        cases = read_models.store.query(
            f"SELECT mentee_id, programme_id, stage, stage_since FROM {dashboard.CASES.name}")
        mentor_rows = read_models.store.query(
            f"SELECT m.person_id, m.programme_id, m.status, m.updated_at, "
            f"(SELECT COUNT(*) FROM {mentors.SLOTS.name} s WHERE s.mentor_id = m.mentor_id AND s.state <> ?) "
            f"AS slots FROM {mentors.MENTORS.name} m", (Slot.RELEASED.value,))
        closed: dict[str, list[tuple[str, str]]] = {}
        kept: set[str] = set()
        for r in cases:
            if r["stage"] != Stage.CLOSED.value:
                kept.add(r["mentee_id"])
            closed.setdefault(r["mentee_id"], []).append((r["programme_id"], r["stage_since"]))
        for r in mentor_rows:
            if r["status"] != MentorStatus.LEFT.value or int(r["slots"]):
                kept.add(r["person_id"])
            closed.setdefault(r["person_id"], []).append((r["programme_id"], r["updated_at"]))
        held = {h.target_id: h.hold_id for h in read_models.holds(active_only=True)}
        # a run stopped half-way left these open: they are finished first, whatever their keys say
        unfinished = sorted(r.subject_id for r in read_models.requests(RequestKind.RETENTION.value)
                            if r.state == RequestState.RECEIVED.value)
        due = [DuePerson(person, "", _held(person, records.get(person), held)) for person in unfinished]
        candidates = [p for p in closed if p not in kept and p not in unfinished]
        erased = {ref.split(":", 1)[1] for ref in self.keys.destroyed([f"subject:{p}" for p in candidates])}
        for person in candidates:
            ends = closed[person]
            if person in erased or not all(_past(at, months.get(programme, 0), now) for programme, at in ends):
                continue
            due.append(DuePerson(person, max(at for _, at in ends), _held(person, records.get(person), held)))
        return sorted(due, key=lambda d: (d.closed_at, d.person_id))

    def _retention_requests(self, people: list[str], open_requests: dict[str, str],
                            actor: Actor) -> dict[str, SubjectRequest]:
        """Each person's retention request: the one an earlier run left open, or a new one
        (all the new ones recorded in one write)."""
        found, new = {}, []
        for person in people:
            if person in open_requests:
                found[person] = self.load(SubjectRequest, UUID(open_requests[person]))
                continue
            with self.acting(actor):
                found[person] = SubjectRequest.receive(RequestKind.RETENTION, person, self.clock().date())
            new.append(found[person])
        if new:
            self.commit(*new)
        return found

    def _plan_from(self, request_id: str, person: str, records: Records | None) -> ErasurePlan:
        records = records or Records((), (), (), (), (), ())
        keys = (f"subject:{person}", f"special:{person}", *(f"partnership:{p}" for p in records.partnerships))
        return ErasurePlan(
            request_id=request_id, subject_id=person, keys=keys, cases_to_close=records.open_cases,
            cases_to_return_to_matching=records.slot_cases, mentor_records=records.mentor_records,
            partnerships=records.partnerships, identity_linked=True,
        )


def _held(person: str, records: Records | None, held: dict[str, str]) -> str | None:
    ids = [person] + ([*records.cases, *records.partnerships, *records.programmes] if records else [])
    return next((held[i] for i in ids if i in held), None)


def _past(at: str | None, months: int, now: datetime) -> bool:
    if not at or not months:
        return False
    closed = datetime.fromisoformat(at)
    return closed + timedelta(days=months * 365.25 / 12) < now
