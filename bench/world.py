"""Set-up through the app's own services: active partnerships ready for sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from api.services import Trellis
from domain import Actor, Matching, PersonDetails, ProgrammeSettings, Role

ADMIN = Actor("bench-admin", Role.ADMINISTRATOR)


@dataclass(frozen=True)
class ActivePartnership:
    id: UUID
    mentee: Actor


def active_partnerships(app: Trellis, count: int) -> list[ActivePartnership]:
    """`count` partnerships, each with its own mentor and mentee, signed by both."""
    programme_id = app.register_programme(
        ProgrammeSettings(name=f"bench-{uuid4().hex[:8]}", line_manager_approval=False, matching=Matching.ALLOCATED),
        ADMIN,
    ).id
    return [_one(app, programme_id) for _ in range(count)]


def _one(app: Trellis, programme_id: UUID) -> ActivePartnership:
    mentor = Actor(f"bench-mentor-{uuid4().hex[:12]}", Role.MENTOR)
    mentee = Actor(f"bench-mentee-{uuid4().hex[:12]}", Role.MENTEE)
    mentor_id = app.express_mentor_interest(
        programme_id, mentor.id, PersonDetails("Bench Mentor", f"{mentor.id}@example.org"), mentor
    ).id
    app.complete_mentor_training(mentor_id, date.today(), ADMIN)
    app.join_pool(mentor_id, 1, {"headline": "Bench mentor"}, mentor)
    case_id = app.submit_eoi(
        programme_id, mentee.id, PersonDetails("Bench Mentee", f"{mentee.id}@example.org"),
        "I want to grow as a leader", mentee,
    ).id
    app.propose_match(case_id, mentor_id, "Benchmark", ADMIN)
    app.record_discovery_call(case_id, date.today(), ADMIN)
    partnership_id = app.confirm_match(case_id, ADMIN).id
    app.sign_agreement(partnership_id, "mentee", mentee)
    app.sign_agreement(partnership_id, "mentor", mentor)
    return ActivePartnership(partnership_id, mentee)
