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
from api.services.holds import HoldCommands
from domain import SYSTEM, Actor, MentorStatus, NotFound, RequestKind, RequestState, Slot, Stage, SubjectRequest
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
        now = self.clock()
        months = {p.programme_id: p.settings.retention_months for p in self.programmes()}
        cases = read_models.store.query(
            f"SELECT mentee_id, programme_id, stage, stage_since FROM {dashboard.CASES.name}")
        records = read_models.store.query(
            f"SELECT m.person_id, m.programme_id, m.status, m.updated_at, "
            f"(SELECT COUNT(*) FROM {mentors.SLOTS.name} s WHERE s.mentor_id = m.mentor_id AND s.state <> ?) "
            f"AS slots FROM {mentors.MENTORS.name} m", (Slot.RELEASED.value,))
        closed: dict[str, list[tuple[str, str]]] = {}
        kept: set[str] = set()
        for r in cases:
            if r["stage"] != Stage.CLOSED.value:
                kept.add(r["mentee_id"])
            closed.setdefault(r["mentee_id"], []).append((r["programme_id"], r["stage_since"]))
        for r in records:
            if r["status"] != MentorStatus.LEFT.value or int(r["slots"]):
                kept.add(r["person_id"])
            closed.setdefault(r["person_id"], []).append((r["programme_id"], r["updated_at"]))
        # a run stopped half-way left these open: they are finished first, whatever their keys say
        unfinished = [r.subject_id for r in read_models.requests(RequestKind.RETENTION.value)
                      if r.state == RequestState.RECEIVED.value]
        due = [DuePerson(person, "") for person in sorted(unfinished)]
        for person, ends in closed.items():
            if person in unfinished:
                continue
            if person in kept or self.keys.is_destroyed(f"subject:{person}"):
                continue
            if all(_past(at, months.get(UUID(programme), 0), now) for programme, at in ends):
                records_of = read_models.records_of(person)
                holds = read_models.holds_on([person, *records_of.cases, *records_of.partnerships,
                                              *records_of.programmes])
                due.append(DuePerson(person, max(at for _, at in ends), holds[0].hold_id if holds else None))
        return sorted(due, key=lambda d: (d.closed_at, d.person_id))

    def run_retention(self, actor: Actor = SYSTEM, dry_run: bool = False,
                      progress: Progress | None = None) -> RetentionSummary:
        """Erases everyone due (not held); `dry_run` lists them and changes nothing. Resumes
        whatever an earlier, stopped run left half done."""
        read_models = self.current_read_models()
        summary = RetentionSummary(due=self.retention_due(), dry_run=dry_run)
        summary.held = [d.person_id for d in summary.due if d.held_by]
        todo = [d for d in summary.due if not d.held_by]
        if dry_run:
            return summary
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            plans = [self._plan(str(self._retention_request(d.person_id, actor)), d.person_id, read_models)
                     for d in batch]
            if self.ledger is not None:
                self.ledger.append_all([(p.subject_id, p.keys) for p in plans], self.clock().isoformat())
            for plan in plans:
                self._finish(plan, actor)
                summary.erased.append(plan.subject_id)
            if progress:
                progress(len(summary.erased), len(todo))
        self.keys.scrub()
        self.people.scrub()
        return summary

    def _retention_request(self, person_id: str, actor: Actor) -> UUID:
        with self.acting(actor):
            request = SubjectRequest.receive(RequestKind.RETENTION, person_id, self.clock().date())
        try:
            existing = self.load(SubjectRequest, request.id)
        except NotFound:
            self.commit(request)
            return request.id
        return existing.id

    def _finish(self, plan: ErasurePlan, actor: Actor) -> None:
        request = self.load(SubjectRequest, UUID(plan.request_id))
        if request.state is not RequestState.RECEIVED:
            return  # done by an earlier run
        counts = self.erase(plan, scrub=False, ledger=False)  # the run wrote the ledger for the batch
        with self.acting(actor):
            request.complete(counts)
        self.commit(request)


def _past(at: str | None, months: int, now: datetime) -> bool:
    if not at or not months:
        return False
    closed = datetime.fromisoformat(at)
    return closed + timedelta(days=months * 365.25 / 12) < now
