"""Consent to special-category answers: withdrawn by the person alone.

Withdrawing takes the answers out of matching (the case or mentor record records it) and
destroys the person's special-category key, so every copy of their answers, in every
record, is erased; nothing else of theirs is touched.
"""

from __future__ import annotations

from uuid import UUID

from api.services.commanding import Commands, Recorded
from domain import Actor, Case, Mentor


class ConsentCommands(Commands):
    def withdraw_case_consent(self, case_id: UUID, actor: Actor) -> Recorded:
        case = self.load(Case, case_id)
        with self.acting(actor):
            case.withdraw_special_category_consent()
        answer = self._answer(case_id, case)
        self.keys.destroy_all([f"special:{case.mentee_id}"])
        return answer

    def withdraw_mentor_consent(self, mentor_id: UUID, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.withdraw_special_category_consent()
        answer = self._answer(mentor_id, mentor)
        self.keys.destroy_all([f"special:{mentor.person_id}"])
        return answer
