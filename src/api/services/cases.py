"""Commands on cases, from expression of interest to a confirmed match or a close.

A case command writes the case and, where a mentor's slot or a partnership follows from
it, those too, in one atomic save. No command writes the programme: which cases wait for a
match is a read model, so commands on different cases of one programme never collide.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from api.services.commanding import Commands, Recorded
from domain import Actor, Case, EndReason, Mentor, NotFound, Partnership, PartnershipStatus, PersonDetails, Programme


class CaseCommands(Commands):
    def submit_eoi(
        self, programme_id: UUID, mentee_id: str, details: PersonDetails, statement: str,
        actor: Actor, line_manager_id: str | None = None,
    ) -> Recorded:
        settings = self.load(Programme, programme_id).settings
        with self.acting(actor):
            case = Case.submit_eoi(programme_id, settings, mentee_id, details, statement, line_manager_id)
        return self._answer(case.id, case)

    def approve_eoi(self, case_id: UUID, actor: Actor, priority: bool = False) -> Recorded:
        case = self.load(Case, case_id)
        with self.acting(actor):
            case.approve(priority=priority)
        return self._answer(case_id, case)

    def decline_eoi(self, case_id: UUID, actor: Actor, reason: str = "") -> Recorded:
        case = self.load(Case, case_id)
        with self.acting(actor):
            case.decline(reason)
        return self._answer(case_id, case)

    def submit_matching_request(
        self, case_id: UUID, preferences: list[UUID], goals: str, actor: Actor,
        special: dict[str, str] | None = None, consent: bool = False,
    ) -> Recorded:
        case = self.load(Case, case_id)
        for preferred in preferences:
            self._mentor_of(case, preferred)
        with self.acting(actor):
            case.submit_matching_request(preferences, goals, special=special, consent=consent)
        return self._answer(case_id, case)

    def record_exploratory_conversation(self, case_id: UUID, mentor_id: UUID, held_on: date, actor: Actor) -> Recorded:
        case = self.load(Case, case_id)
        self._mentor_of(case, mentor_id)
        with self.acting(actor):
            case.hold_exploratory_conversation(mentor_id, held_on)
        return self._answer(case_id, case)

    def propose_match(self, case_id: UUID, mentor_id: UUID, reasons: str, actor: Actor) -> Recorded:
        case = self.load(Case, case_id)
        mentor = self._mentor_of(case, mentor_id)
        with self.acting(actor):
            case.propose_match(mentor_id, reasons)
            mentor.hold_slot(case.id)
        return self._answer(case_id, case, mentor)

    def record_discovery_call(self, case_id: UUID, held_on: date, actor: Actor) -> Recorded:
        case = self.load(Case, case_id)
        with self.acting(actor):
            case.record_discovery_call(held_on)
        return self._answer(case_id, case)

    def confirm_match(self, case_id: UUID, actor: Actor) -> Recorded:
        """Forms the partnership; the answer's `id` is the partnership's."""
        case = self.load(Case, case_id)
        settings = self.load(Programme, case.programme_id).settings
        with self.acting(actor):
            case.confirm_match()  # first: a case with no proposal is refused
            mentor = self._mentor_of(case, case.proposed_mentor)
            mentor.confirm_slot(case.id)
            partnership = case.form_partnership(mentor, settings)
        return self._answer(partnership.id, case, mentor, partnership)

    def request_rematch(self, case_id: UUID, actor: Actor, reason: str = "") -> Recorded:
        """No blame: the slot is released, any partnership ends as 'rematched', matching resumes."""
        case = self.load(Case, case_id)
        mentor, partnership = self._current_match(case)
        with self.acting(actor):
            case.request_rematch(reason)
            if partnership is not None:
                partnership.end(EndReason.REMATCHED)
            if mentor is not None:
                mentor.release_slot(case.id)
        return self._answer(case_id, case, mentor, partnership)

    def withdraw_case(self, case_id: UUID, actor: Actor, reason: str = "") -> Recorded:
        case = self.load(Case, case_id)
        mentor, partnership = self._current_match(case)
        with self.acting(actor):
            case.withdraw(reason)
            if partnership is not None and partnership.status is not PartnershipStatus.ENDED:
                partnership.end(EndReason.WITHDRAWN)
            if mentor is not None:
                mentor.release_slot(case.id)
        return self._answer(case_id, case, mentor, partnership)

    def _mentor_of(self, case: Case, mentor_id: UUID | None) -> Mentor:
        mentor = self.load(Mentor, mentor_id) if mentor_id is not None else None
        if mentor is None or mentor.programme_id != case.programme_id:
            raise NotFound(f"no mentor {mentor_id} in this case's programme")
        return mentor

    def _current_match(self, case: Case) -> tuple[Mentor | None, Partnership | None]:
        mentor = self.load(Mentor, case.proposed_mentor) if case.proposed_mentor else None
        partnership = self.load(Partnership, case.partnership_id) if case.partnership_id else None
        return mentor, partnership
