"""Commands on mentors: interest, training, the pool and capacity."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from api.services.commanding import Commands, Recorded
from domain import Actor, Mentor, PersonDetails, Programme


class MentorCommands(Commands):
    def express_mentor_interest(
        self, programme_id: UUID, person_id: str, details: PersonDetails, actor: Actor
    ) -> Recorded:
        self.load(Programme, programme_id)  # NotFound for an unknown programme
        with self.acting(actor):
            mentor = Mentor.express_interest(programme_id, person_id, details)
        return self._answer(mentor.id, mentor, conflict=f"mentor {mentor.id} has already expressed interest")

    def complete_mentor_training(self, mentor_id: UUID, completed_on: date, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.complete_training(completed_on)
        return self._answer(mentor_id, mentor)

    def join_pool(
        self, mentor_id: UUID, capacity: int, profile: dict[str, Any], actor: Actor,
        special: dict[str, str] | None = None, consent: bool = False,
    ) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.join_pool(capacity, profile, special=special, consent=consent)
        return self._answer(mentor_id, mentor)

    def change_mentor_capacity(self, mentor_id: UUID, capacity: int, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.change_capacity(capacity)
        return self._answer(mentor_id, mentor)

    def pause_mentor(self, mentor_id: UUID, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.pause()
        return self._answer(mentor_id, mentor)

    def resume_mentor(self, mentor_id: UUID, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.resume()
        return self._answer(mentor_id, mentor)

    def leave_pool(self, mentor_id: UUID, actor: Actor) -> Recorded:
        mentor = self.load(Mentor, mentor_id)
        with self.acting(actor):
            mentor.leave_pool()
        return self._answer(mentor_id, mentor)
