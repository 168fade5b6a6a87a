"""Consent to special-category answers: withdrawn by the person alone.

Withdrawing, from any record of theirs, takes their answers out of matching in every record
that holds them (each records the withdrawal, so the consent ledger shows it everywhere)
and destroys the person's special-category key, so every copy of their answers is erased;
nothing else of theirs is touched.
"""

from __future__ import annotations

from uuid import UUID

from api.services.commanding import Recorded
from api.services.erasure import ErasureCommands
from domain import Actor, Case, Mentor, NotAllowed


class ConsentCommands(ErasureCommands):
    def withdraw_case_consent(self, case_id: UUID, actor: Actor) -> Recorded:
        case = self.load(Case, case_id)
        return self._withdraw(case, case.mentee_id, actor)

    def withdraw_mentor_consent(self, mentor_id: UUID, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        return self._withdraw(mentor, mentor.person_id, actor)

    def _withdraw(self, named: Case | Mentor, person_id: str, actor: Actor) -> Recorded:
        with self.acting(actor):
            named.withdraw_special_category_consent()  # refused for anyone but the person, or with nothing kept
        others = self._other_records(named, person_id)
        with self.acting(actor):
            for record in others:
                record.withdraw_special_category_consent()
        answer = self._answer(named.id, named, *others)
        self.keys.destroy_all([f"special:{person_id}"])
        return answer

    def _other_records(self, named: Case | Mentor, person_id: str) -> list[Case | Mentor]:
        """The person's other records that still keep answers."""
        if self.read_models is None:
            return []
        records = self.current_read_models().records_of(person_id)
        found = [self.load(Case, UUID(c)) for c in records.cases] + [
            self.load(Mentor, UUID(m)) for m in records.mentor_records]
        return [r for r in found if r.id != named.id and r.special and r.special.value]
