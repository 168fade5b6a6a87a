"""Erasure: a person's data destroyed for good, while history keeps its shape.

The data-protection officer records a request (`receive_request`), previews what it will
touch (`plan_erasure`) and executes it (`execute_erasure`). Executing:
- closes the person's open cases and partnerships as the system, with no free text,
  releasing any mentor's slot; as a mentor, their open proposals and partnerships end and
  those cases return to matching, no blame recorded; their mentor records leave the pool;
- destroys their keys — personal, special-category, and those of every partnership they
  were in, mentee or mentor, since what a pair writes is about both — so every copy of
  their data, in events, snapshots and read models alike, becomes unreadable;
- unlinks their identity from their opaque id, deletes their idempotency records, and
  scrubs the key and registry tables (no old copy of a row stays in the database files);
- tells every other process to drop them from its caches (and empties this one's);
- writes their opaque id and destroyed keys to the erasure ledger (outside the database);
- records the request as completed, with counts of what was destroyed and nothing else.
A legal hold on the person, any of their cases or partnerships, or a programme they are in
refuses it. Each step can run again: a run stopped half-way is finished by the next.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from api.services.commanding import Recorded
from api.services.matching_queue import MatchingQueue
from domain import (
    SYSTEM, Case, Conflict, Invalid, Mentor, MentorStatus, NotAllowed, NotFound, Partnership, PartnershipStatus,
    RequestKind, Stage, SubjectRequest,
)
from projections.data_protection_queries import Records
from projections.results import HoldSummary
from projections.status import positions
from retention.ledger import ErasureLedger

CURRENT_WITHIN_SECONDS = 10.0


class HeldByLegalHold(NotAllowed):
    """A legal hold stands on what the command would erase."""


@dataclass(frozen=True)
class ErasurePlan:
    request_id: str
    subject_id: str
    keys: tuple[str, ...]
    cases_to_close: tuple[str, ...]
    cases_to_return_to_matching: tuple[str, ...]
    mentor_records: tuple[str, ...]
    partnerships: tuple[str, ...]
    identity_linked: bool
    holds: tuple[HoldSummary, ...] = field(default=())
    live_keys: int = 0  # of `keys`, those that exist and are not yet destroyed


class ErasureCommands(MatchingQueue):
    ledger: ErasureLedger | None = None

    def receive_request(
        self, kind: RequestKind | str, actor: object, received_on: date, *, identity: str | None = None,
        person_id: str | None = None,
    ) -> Recorded:
        """A request naming its subject by identity (as they gave it) or by opaque id."""
        subject = self._subject(identity, person_id)
        with self.acting(actor):
            request = SubjectRequest.receive(kind, subject, received_on)
        return self._answer(request.id, request)

    def refuse_request(self, request_id: UUID, basis: str, actor: object) -> Recorded:
        request = self.load(SubjectRequest, request_id)
        with self.acting(actor):
            request.refuse(basis)
        return self._answer(request_id, request)

    def plan_erasure(self, request_id: UUID) -> ErasurePlan:
        request = self.load(SubjectRequest, request_id)
        if request.kind is RequestKind.ACCESS:
            raise NotAllowed(f"request {request_id} asks for an export, not an erasure")
        return self._plan(str(request_id), request.subject_id)

    def execute_erasure(self, request_id: UUID, actor: object) -> Recorded:
        request = self.load(SubjectRequest, request_id)
        if request.kind is RequestKind.ACCESS:
            raise NotAllowed(f"request {request_id} asks for an export, not an erasure")
        with self.acting(actor):
            request.authorise_completion()  # before anything is destroyed
        plan = self._plan(str(request_id), request.subject_id)
        _refuse_if_held(plan)
        counts = self.erase(plan)
        with self.acting(actor):
            request.complete(counts)
        return self._answer(request_id, request)

    def reapply_ledger(self, ledger: ErasureLedger | None = None) -> dict[str, int]:
        """After a backup is restored: every erasure in the ledger is carried out again — keys the
        backup brought back destroyed, identities unlinked, idempotency records deleted."""
        ledger = ledger or self.ledger
        if ledger is None:
            raise Invalid("there is no erasure ledger to reapply")
        counts = {"people": 0, "keys_destroyed": 0, "identity_links_removed": 0, "idempotency_records_deleted": 0}
        for entry in ledger.entries():
            counts["people"] += 1
            counts["keys_destroyed"] += self.keys.destroy_all(entry.keys, scrub=False)
            counts["identity_links_removed"] += self.people.unlink(entry.person_id, scrub=False)
            counts["idempotency_records_deleted"] += self.idempotency.forget_person(entry.person_id)
        self.keys.scrub()
        self.people.scrub()
        return counts

    # -- the work ----------------------------------------------------------------------------
    def erase(self, plan: ErasurePlan, scrub: bool = True, ledger: bool = True) -> dict[str, int]:
        """Every step of an erasure (see the module's description); returns what it destroyed.
        `ledger`: write the ledger entry first (a batch may have written its entries already)."""
        if ledger and self.ledger is not None:
            self.ledger.append(plan.subject_id, plan.keys, self.clock().isoformat())
        return self.erase_all([plan], scrub)[0]

    def erase_all(self, plans: Sequence[ErasurePlan], scrub: bool = True) -> list[dict[str, int]]:
        """`erase` for many people at once (a retention batch): what is open is closed one record
        at a time, then everyone's keys, links and idempotency records go in one statement each."""
        live = self.keys.live([key for plan in plans for key in plan.keys])
        counts = []
        for plan in plans:
            closed, ended = self._close_cases(plan.cases_to_close)
            returned, ended_too = self._return_cases(plan.cases_to_return_to_matching)
            counts.append({
                "cases_closed": closed, "cases_returned_to_matching": returned,
                "partnerships_ended": ended + ended_too, "mentor_records_closed": self._leave_pool(plan.mentor_records),
                "keys_destroyed": sum(key in live for key in plan.keys),
            })
        people = [plan.subject_id for plan in plans]
        self.keys.destroy_all([key for plan in plans for key in plan.keys], scrub=scrub)
        unlinked = self.people.unlink_all(people, scrub=scrub)
        forgotten = self.idempotency.forget_people(people)
        for plan, count in zip(plans, counts, strict=True):
            count["identity_links_removed"] = unlinked.get(plan.subject_id, 0)
            count["idempotency_records_deleted"] = forgotten.get(plan.subject_id, 0)
        return counts

    def _close_cases(self, case_ids: tuple[str, ...]) -> tuple[int, int]:
        closed = ended = 0
        for case_id in case_ids:
            case = self.load(Case, UUID(case_id))
            if case.stage is Stage.CLOSED:
                continue  # closed since the plan (or by an earlier run)
            mentor = self.load(Mentor, case.proposed_mentor) if case.proposed_mentor else None
            partnership = self.load(Partnership, case.partnership_id) if case.partnership_id else None
            with self.acting(SYSTEM):
                case.close_on_erasure()
                if partnership is not None and partnership.status is not PartnershipStatus.ENDED:
                    partnership.end_on_erasure()
                    ended += 1
                if mentor is not None:
                    mentor.release_slot(case.id)
            self.commit(case, partnership, mentor)
            closed += 1
        return closed, ended

    def _return_cases(self, case_ids: tuple[str, ...]) -> tuple[int, int]:
        returned = ended = 0
        for case_id in case_ids:
            case = self.load(Case, UUID(case_id))
            if case.proposed_mentor is None or case.stage is Stage.CLOSED:
                continue
            mentor = self.load(Mentor, case.proposed_mentor)
            partnership = self.load(Partnership, case.partnership_id) if case.partnership_id else None
            with self.acting(SYSTEM):
                case.release_erased_mentor()
                if partnership is not None and partnership.status is not PartnershipStatus.ENDED:
                    partnership.end_on_erasure()
                    ended += 1
                mentor.release_slot(case.id)
            self.commit(case, partnership, mentor)
            returned += 1
        return returned, ended

    def _leave_pool(self, mentor_ids: tuple[str, ...]) -> int:
        left = 0
        for mentor_id in mentor_ids:
            mentor = self.load(Mentor, UUID(mentor_id))
            if mentor.status is MentorStatus.LEFT:
                continue
            with self.acting(SYSTEM):
                mentor.leave_on_erasure()
            self.commit(mentor)
            left += 1
        return left

    # -- what it touches ------------------------------------------------------------------------
    def _plan(self, request_id: str, subject_id: str, read_models: object = None) -> ErasurePlan:
        """`read_models`: current ones already in hand (a retention run plans from the read models
        as they stood when it began: its own writes touch only the people it erases)."""
        read_models = read_models or self.current_read_models()
        records = read_models.records_of(subject_id)
        keys = (f"subject:{subject_id}", f"special:{subject_id}", *(f"partnership:{p}" for p in records.partnerships))
        holds = read_models.holds_on([subject_id, *records.cases, *records.partnerships, *records.programmes])
        return ErasurePlan(
            request_id=request_id, subject_id=subject_id, keys=keys, cases_to_close=records.open_cases,
            cases_to_return_to_matching=records.slot_cases, mentor_records=records.mentor_records,
            partnerships=records.partnerships, identity_linked=self.people.is_linked(subject_id),
            holds=tuple(holds), live_keys=len(self.keys.live(keys)),
        )

    def current_read_models(self, within: float = CURRENT_WITHIN_SECONDS) -> object:
        """The read models once they have caught up with everything recorded until now, so a
        person's records are all found; a `Conflict` if they do not catch up in time."""
        if self.read_models is None:
            raise Invalid("erasure works from the read models: SQLite or PostgreSQL, not memory")
        head = self.recorder.max_notification_id() or 0
        deadline = time.monotonic() + within
        while min(p.position for p in positions(self.recorder, self.read_models.store)) < head:
            if time.monotonic() > deadline:
                raise Conflict("the read models are behind the event log; try again in a moment")
            time.sleep(0.02)  # the projection worker's pace, in production code (tests wait on positions)
        return self.read_models

    def _subject(self, identity: str | None, person_id: str | None) -> str:
        if (identity is None) == (person_id is None):
            raise Invalid("name the subject by identity or by person id, not both")
        if identity is not None:
            found = self.people.person_for(identity, create=False)
            if found is None:
                raise NotFound("no person has that identity (or they were erased)")
            return found
        if self.keys.is_destroyed(f"subject:{person_id}"):
            raise NotAllowed(f"person {person_id} has already been erased")
        if not self.people.is_linked(person_id) and not self._appears(person_id):
            raise NotFound(f"no person {person_id}")
        return person_id

    def _appears(self, person_id: str) -> bool:
        records: Records = self.current_read_models().records_of(person_id)
        return bool(records.cases or records.mentor_records)


def _refuse_if_held(plan: ErasurePlan) -> None:
    if plan.holds:
        hold = plan.holds[0]
        raise HeldByLegalHold(
            f"legal hold {hold.hold_id} on {hold.target} {hold.target_id} (placed {hold.placed_at[:10]}) "
            "stands on what this would erase; it must be lifted first"
        )
