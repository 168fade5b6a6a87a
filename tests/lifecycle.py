"""Builders that drive the lifecycle to a given point, shared by the tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from domain import Actor, PersonDetails, ProgrammeSettings, Role

ADMIN = Actor("admin-1", Role.ADMINISTRATOR)
# The tests' clock, pinned: every application the tests build records events at NOW, so no
# test depends on the day it runs (or fails at midnight).
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex[:12]}"


SUBJECTS: dict[str, str] = {}  # a person's opaque id → the identity (a token's sub) linked to it


def person(app, role: Role, prefix: str | None = None) -> Actor:
    """A new person: a new identity, linked in the app's registry to a new opaque id."""
    identity = unique(prefix or role.value)
    person_id = app.people.person_for(identity)
    SUBJECTS[person_id] = identity
    return Actor(person_id, role)


def identity_of(actor: Actor) -> str:
    """What a token or a request body names the person by (their id itself if never linked)."""
    return SUBJECTS.get(actor.id, actor.id)


@dataclass
class World:
    """One programme with ids unique to the test that made it."""

    app: object
    programme_id: UUID
    settings: ProgrammeSettings

    @classmethod
    def create(cls, app, **settings) -> World:
        config = ProgrammeSettings(name=settings.pop("name", unique("programme")), **settings)
        return cls(app, app.register_programme(config, ADMIN).id, config)

    def mentor(self, capacity: int = 2, person_id: str | None = None, name: str = "Mentor Name") -> tuple[UUID, Actor]:
        actor = Actor(person_id, Role.MENTOR) if person_id else person(self.app, Role.MENTOR)
        mid = self.app.express_mentor_interest(
            self.programme_id, actor.id, PersonDetails(name, f"{identity_of(actor)}@example.org"), actor
        ).id
        self.app.complete_mentor_training(mid, TODAY, ADMIN)
        self.app.join_pool(mid, capacity, {"headline": "Head of maths", "expertise": ["maths"]}, actor)
        return mid, actor

    def case(self, stage: str = "eoi", mentor_id: UUID | None = None, name: str = "Mentee Name"):
        """A case driven to `stage`: eoi, approved, requested, proposed, called, matched, active."""
        mentee = person(self.app, Role.MENTEE)
        manager = person(self.app, Role.LINE_MANAGER, "manager")
        case_id = self.app.submit_eoi(
            self.programme_id, mentee.id, PersonDetails(name, f"{identity_of(mentee)}@example.org"),
            "I want to grow as a leader", mentee,
            line_manager_id=manager.id if self.settings.line_manager_approval else None,
        ).id
        out = {"case_id": case_id, "mentee": mentee, "manager": manager, "partnership_id": None}
        order = ["eoi", "approved", "requested", "proposed", "called", "matched", "active"]
        target = order.index(stage)
        if target >= 1 and self.settings.line_manager_approval:
            self.app.approve_eoi(case_id, manager)
        if target >= 2 and self.settings.matching == "self_selected":
            self.app.submit_matching_request(case_id, [mentor_id], "Goals", mentee)
        if target >= 3:
            self.app.propose_match(case_id, mentor_id, "Shared phase", ADMIN)
        if target >= 4:
            self.app.record_discovery_call(case_id, TODAY, ADMIN)
        if target >= 5:
            out["partnership_id"] = self.app.confirm_match(case_id, ADMIN).id
        if target >= 6:
            self.app.sign_agreement(out["partnership_id"], "mentee", mentee)
            self.app.sign_agreement(out["partnership_id"], "mentor", ADMIN)
        return out
