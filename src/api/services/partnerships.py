"""Commands on partnerships: agreement, confidential sessions, review, extension, end, feedback."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from api.services.commanding import Commands, Recorded
from api.services.matching_queue import MatchingQueue
from domain import Actor, Case, EndReason, Medium, Mentor, Partnership, Party, ReviewOutcome


class PartnershipCommands(MatchingQueue, Commands):
    def sign_agreement(self, partnership_id: UUID, party: Party | str, actor: Actor) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.sign_agreement(party)
        return self._answer(partnership_id, partnership)

    def record_session(
        self, partnership_id: UUID, held_on: date, minutes: int, medium: Medium | str,
        notes: str, actions: str, actor: Actor,
    ) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.record_session(held_on, minutes, medium, notes, actions)
        return self._answer(partnership_id, partnership)

    def review_progress(
        self, partnership_id: UUID, outcome: ReviewOutcome | str, notes: str, actor: Actor
    ) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.review_progress(outcome, notes)
        return self._answer(partnership_id, partnership)

    def request_extension(self, partnership_id: UUID, months: int, actor: Actor) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.request_extension(months)
        return self._answer(partnership_id, partnership)

    def grant_extension(self, partnership_id: UUID, actor: Actor) -> Recorded:
        """Weighed by the partnership against its mentor and the programme's matching queue."""
        partnership = self.load(Partnership, partnership_id)
        mentor = self.load(Mentor, partnership.mentor_id)
        waiting = self.cases_waiting(partnership.programme_id)
        with self.acting(actor):
            partnership.grant_extension(mentor, waiting)
        return self._answer(partnership_id, partnership)

    def decline_extension(self, partnership_id: UUID, actor: Actor) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.decline_extension()
        return self._answer(partnership_id, partnership)

    def end_partnership(self, partnership_id: UUID, reason: EndReason | str, actor: Actor) -> Recorded:
        """Ends the partnership, closes its case and frees the mentor's slot."""
        partnership = self.load(Partnership, partnership_id)
        case = self.load(Case, partnership.case_id)
        mentor = self.load(Mentor, partnership.mentor_id)
        with self.acting(actor):
            partnership.end(reason)
            case.close_after_partnership()
            mentor.release_slot(case.id)
        return self._answer(partnership_id, partnership, case, mentor)

    def request_feedback(self, partnership_id: UUID, actor: Actor) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.request_feedback()
        return self._answer(partnership_id, partnership)

    def submit_feedback(self, partnership_id: UUID, rating: int, comments: str, actor: Actor) -> Recorded:
        partnership = self.load(Partnership, partnership_id)
        with self.acting(actor):
            partnership.submit_feedback(rating, comments)
        return self._answer(partnership_id, partnership)
