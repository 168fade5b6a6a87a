"""The application services: get → call the aggregate → save → return the id.

Every command takes the acting `Actor`. Several aggregates changed by one command are
saved in one atomic write, so a mentor's slot and the case that holds it never drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain import (
    Actor, Case, Conflict, EndReason, Medium, Mentor, NotAllowed, NotFound, Partnership,
    PartnershipStatus, PersonDetails, Programme, ProgrammeSettings, ReviewOutcome,
)
from api.copies import copy_aggregate
from retention.keystore import KeyStore, key_store_for
from retention.protection import register_protection

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class SessionRecord:
    """One session as the pair sees it, confidential content included."""

    held_on: str
    minutes: int
    medium: str
    notes: Any
    actions: Any
    recorded_by_role: str


class Trellis(Application[UUID]):
    name = "trellis"
    snapshotting_intervals = {Partnership: 50, Mentor: 50, Programme: 100}  # noqa: RUF012

    def __init__(self, env: dict[str, str] | None = None, *, master_key: bytes, key_cache_seconds: float = 60.0) -> None:
        self._master_key = master_key
        self._key_cache_seconds = key_cache_seconds
        self.keys: KeyStore
        super().__init__(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        self.keys = key_store_for(self.factory, self._master_key, self._key_cache_seconds)
        register_protection(transcoder, self.keys)

    def create_tables(self) -> None:
        """The one explicit step that creates every table (`trellis db init`)."""
        recorders = [self.recorder] + ([self.snapshots.recorder] if self.snapshots else [])
        for recorder in recorders:
            if hasattr(recorder, "create_table"):
                recorder.create_table()
        self.keys.create_table()

    # -- plumbing ---------------------------------------------------------------------
    def load(self, cls: type[A], aggregate_id: UUID) -> A:
        """A private copy for one command: the cached aggregate is never handed out, so a
        command refused half-way changes nothing that another command or thread will see."""
        try:
            if self.repository.cache is None:
                aggregate = self.repository.get(aggregate_id)
            else:
                aggregate = copy_aggregate(self.repository.get(aggregate_id, deepcopy_from_cache=False))
        except AggregateNotFoundError:
            raise NotFound(f"no {cls.__name__.lower()} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__.lower()} {aggregate_id}")
        return aggregate

    def commit(self, *aggregates: Aggregate | None, conflict: str = "") -> None:
        """Saves atomically; a concurrent change (or a duplicate natural key) is a `Conflict`."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise Conflict(conflict or "someone else changed this at the same time; reload and try again") from None
        self._cache_saved(aggregates)

    def _cache_saved(self, aggregates: tuple[Aggregate | None, ...]) -> None:
        """The saved state becomes the cached one, so the next load need not decode (and decrypt)
        the events just written. Loads still fast-forward from it, so a change by another worker
        is never missed. A service must not change an aggregate after committing it."""
        if self.repository.cache is not None:
            for aggregate in aggregates:
                if aggregate is not None:
                    self.repository.cache.put(aggregate.id, aggregate)

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshots from the aggregate just saved, when it stands at the snapshot's version,
        rather than the library's way of re-reading (and decrypting) its events; otherwise
        (several events of one aggregate saved at once, past the interval) the library's way."""
        if not (self.snapshots and self.snapshotting_intervals):
            return
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if aggregate is None or interval is None or event.originator_version % interval:
                continue
            if aggregate.version == event.originator_version and type(aggregate) not in self.snapshotting_projectors:
                snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
                self.snapshots.put([snapshot_class.take(aggregate)])
            else:
                projector = self.snapshotting_projectors.get(type(aggregate), project_aggregate)
                self.take_snapshot(event.originator_id, event.originator_version, projector)

    @contextmanager
    def _case_queue(self, case: Case, actor: Actor) -> Iterator[Programme]:
        """Keeps the programme's matching queue in step with the case's stage."""
        programme = self.load(Programme, case.programme_id)
        yield programme
        if case.is_waiting_for_match:
            if case.id not in programme.waiting:
                programme.queue_case(case.id, actor)
        else:
            programme.dequeue_case(case.id, actor)

    # -- programmes -------------------------------------------------------------------
    def register_programme(self, settings: ProgrammeSettings, actor: Actor) -> UUID:
        programme = Programme.register(settings, actor)
        self.commit(programme, conflict=f"a programme named {settings.name!r} already exists")
        return programme.id

    def reconfigure_programme(self, programme_id: UUID, settings: ProgrammeSettings, actor: Actor) -> None:
        programme = self.load(Programme, programme_id)
        programme.reconfigure(settings, actor)
        self.commit(programme)

    def programme_settings(self, programme_id: UUID) -> ProgrammeSettings:
        return self.load(Programme, programme_id).settings

    # -- mentors ----------------------------------------------------------------------
    def express_mentor_interest(
        self, programme_id: UUID, person_id: str, details: PersonDetails, actor: Actor
    ) -> UUID:
        self.load(Programme, programme_id)
        mentor = Mentor.express_interest(programme_id, person_id, details, actor)
        self.commit(mentor, conflict=f"mentor {mentor.id} has already expressed interest")
        return mentor.id

    def complete_mentor_training(self, mentor_id: UUID, completed_on: date, actor: Actor) -> None:
        self._mentor_command(mentor_id, "complete_training", actor, completed_on=completed_on)

    def join_pool(
        self, mentor_id: UUID, capacity: int, profile: dict[str, Any], actor: Actor,
        special: dict[str, str] | None = None, consent: bool = False,
    ) -> None:
        self._mentor_command(
            mentor_id, "join_pool", actor, capacity=capacity, profile=profile, special=special, consent=consent
        )

    def change_mentor_capacity(self, mentor_id: UUID, capacity: int, actor: Actor) -> None:
        self._mentor_command(mentor_id, "change_capacity", actor, capacity=capacity)

    def pause_mentor(self, mentor_id: UUID, actor: Actor) -> None:
        self._mentor_command(mentor_id, "pause", actor)

    def resume_mentor(self, mentor_id: UUID, actor: Actor) -> None:
        self._mentor_command(mentor_id, "resume", actor)

    def leave_pool(self, mentor_id: UUID, actor: Actor) -> None:
        self._mentor_command(mentor_id, "leave_pool", actor)

    def _mentor_command(self, mentor_id: UUID, command: str, actor: Actor, **kwargs: Any) -> None:
        mentor = self.load(Mentor, mentor_id)
        getattr(mentor, command)(actor=actor, **kwargs)
        self.commit(mentor)

    # -- cases up to a confirmed match ------------------------------------------------------
    def submit_eoi(
        self, programme_id: UUID, mentee_id: str, details: PersonDetails, statement: str,
        actor: Actor, line_manager_id: str | None = None,
    ) -> UUID:
        programme = self.load(Programme, programme_id)
        case = Case.submit_eoi(
            programme_id, programme.settings, mentee_id, details, statement, actor, line_manager_id
        )
        if case.is_waiting_for_match:
            programme.queue_case(case.id, actor)
        self.commit(case, programme)
        return case.id

    def approve_eoi(self, case_id: UUID, actor: Actor, priority: bool = False) -> None:
        self._case_command(case_id, "approve", actor, priority=priority)

    def decline_eoi(self, case_id: UUID, actor: Actor, reason: str = "") -> None:
        self._case_command(case_id, "decline", actor, reason=reason)

    def submit_matching_request(
        self, case_id: UUID, preferences: list[UUID], goals: str, actor: Actor,
        special: dict[str, str] | None = None, consent: bool = False,
    ) -> None:
        case = self.load(Case, case_id)
        for preferred in preferences:
            self._mentor_in(case, preferred)
        case.submit_matching_request(preferences, goals, actor, special=special, consent=consent)
        self.commit(case)

    def record_exploratory_conversation(self, case_id: UUID, mentor_id: UUID, held_on: date, actor: Actor) -> None:
        case = self.load(Case, case_id)
        self._mentor_in(case, mentor_id)
        case.hold_exploratory_conversation(mentor_id, held_on, actor)
        self.commit(case)

    def propose_match(self, case_id: UUID, mentor_id: UUID, reasons: str, actor: Actor) -> None:
        case = self.load(Case, case_id)
        mentor = self._mentor_in(case, mentor_id)
        with self._case_queue(case, actor) as programme:
            case.propose_match(mentor_id, reasons, actor)
            mentor.hold_slot(case.id, actor)
        self.commit(case, mentor, programme)

    def record_discovery_call(self, case_id: UUID, held_on: date, actor: Actor) -> None:
        self._case_command(case_id, "record_discovery_call", actor, held_on=held_on)

    def confirm_match(self, case_id: UUID, actor: Actor) -> UUID:
        case = self.load(Case, case_id)
        partnership_id = case.confirm_match(actor)  # first: a case with no proposal is refused
        mentor = self._mentor_in(case, case.proposed_mentor)
        settings = self.programme_settings(case.programme_id)
        mentor.confirm_slot(case.id, actor)
        partnership = Partnership(
            case_id=case.id, match_number=case.matches, programme_id=case.programme_id,
            mentee_id=case.mentee_id, mentor_id=mentor.id, mentor_person_id=mentor.person_id,
            planned_months=settings.default_duration_months, max_months=settings.max_duration_months,
            actor_id=actor.id, actor_role=actor.role,
        )
        assert partnership.id == partnership_id
        self.commit(case, mentor, partnership)
        return partnership_id

    def request_rematch(self, case_id: UUID, actor: Actor, reason: str = "") -> None:
        """No blame: the slot is released, any partnership ends as 'rematched', matching resumes."""
        case = self.load(Case, case_id)
        mentor, partnership = self._current_match(case)
        with self._case_queue(case, actor) as programme:
            case.request_rematch(actor, reason)
            if partnership is not None:
                partnership.end(EndReason.REMATCHED, actor)
            mentor.release_slot(case.id, actor)
        self.commit(case, mentor, partnership, programme)

    def withdraw_case(self, case_id: UUID, actor: Actor, reason: str = "") -> None:
        case = self.load(Case, case_id)
        mentor, partnership = self._current_match(case)
        with self._case_queue(case, actor) as programme:
            case.withdraw(actor, reason)
            if partnership is not None and partnership.status is not PartnershipStatus.ENDED:
                partnership.end(EndReason.WITHDRAWN, actor)
            if mentor is not None:
                mentor.release_slot(case.id, actor)
        self.commit(case, mentor, partnership, programme)

    def _case_command(self, case_id: UUID, command: str, actor: Actor, **kwargs: Any) -> None:
        case = self.load(Case, case_id)
        with self._case_queue(case, actor) as programme:
            getattr(case, command)(actor=actor, **kwargs)
        self.commit(case, programme)

    def _mentor_in(self, case: Case, mentor_id: UUID | None) -> Mentor:
        mentor = self.load(Mentor, mentor_id) if mentor_id is not None else None
        if mentor is None or mentor.programme_id != case.programme_id:
            raise NotFound(f"no mentor {mentor_id} in this case's programme")
        return mentor

    def _current_match(self, case: Case) -> tuple[Mentor | None, Partnership | None]:
        mentor = self.load(Mentor, case.proposed_mentor) if case.proposed_mentor else None
        partnership = self.load(Partnership, case.partnership_id) if case.partnership_id else None
        return mentor, partnership

    # -- partnerships ---------------------------------------------------------------------
    def sign_agreement(self, partnership_id: UUID, party: str, actor: Actor) -> None:
        self._partnership_command(partnership_id, "sign_agreement", actor, party=party)

    def record_session(
        self, partnership_id: UUID, held_on: date, minutes: int, medium: Medium | str,
        notes: str, actions: str, actor: Actor,
    ) -> None:
        self._partnership_command(
            partnership_id, "record_session", actor,
            held_on=held_on, minutes=minutes, medium=medium, notes=notes, actions=actions,
        )

    def review_progress(self, partnership_id: UUID, outcome: ReviewOutcome | str, notes: str, actor: Actor) -> None:
        self._partnership_command(partnership_id, "review_progress", actor, outcome=outcome, notes=notes)

    def request_extension(self, partnership_id: UUID, months: int, actor: Actor) -> None:
        self._partnership_command(partnership_id, "request_extension", actor, months=months)

    def grant_extension(self, partnership_id: UUID, actor: Actor) -> None:
        partnership = self.load(Partnership, partnership_id)
        mentor = self.load(Mentor, partnership.mentor_id)
        programme = self.load(Programme, partnership.programme_id)
        partnership.grant_extension(mentor.free, programme.others_waiting(), actor)
        self.commit(partnership)

    def decline_extension(self, partnership_id: UUID, actor: Actor) -> None:
        self._partnership_command(partnership_id, "decline_extension", actor)

    def end_partnership(self, partnership_id: UUID, reason: EndReason | str, actor: Actor) -> None:
        partnership = self.load(Partnership, partnership_id)
        case = self.load(Case, partnership.case_id)
        mentor = self.load(Mentor, partnership.mentor_id)
        partnership.end(reason, actor)
        case.close_after_partnership(actor)
        mentor.release_slot(case.id, actor)
        self.commit(partnership, case, mentor)

    def request_feedback(self, partnership_id: UUID, actor: Actor) -> None:
        self._partnership_command(partnership_id, "request_feedback", actor)

    def submit_feedback(self, partnership_id: UUID, rating: int, comments: str, actor: Actor) -> None:
        self._partnership_command(partnership_id, "submit_feedback", actor, rating=rating, comments=comments)

    def _partnership_command(self, partnership_id: UUID, command: str, actor: Actor, **kwargs: Any) -> None:
        partnership = self.load(Partnership, partnership_id)
        getattr(partnership, command)(actor=actor, **kwargs)
        self.commit(partnership)

    # -- what the pair alone may read -----------------------------------------------------------
    def session_records(self, partnership_id: UUID, actor: Actor) -> list[SessionRecord]:
        partnership = self.load(Partnership, partnership_id)
        if partnership.party_of(actor) is None:
            raise NotAllowed("only the mentee and mentor of this partnership may read its sessions")
        return [
            SessionRecord(
                held_on=e.held_on, minutes=e.minutes, medium=e.medium,
                notes=e.notes.value, actions=e.actions.value, recorded_by_role=e.actor_role,
            )
            for e in self.events.get(partnership_id)
            if isinstance(e, Partnership.SessionHeld)
        ]

