"""A mentor in one programme: interest, training, the pool, capacity and the slots held."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor, Role
from domain.errors import Invalid, NotAllowed
from domain.checks import past_or_today, text, whole_number
from domain.people import PersonDetails, special_category
from domain.protected import Personal, SpecialCategory
from domain.snapshots import EnumFields, EnumSnapshot


class MentorStatus(StrEnum):
    INTERESTED = "interested"
    TRAINED = "trained"
    IN_POOL = "in_pool"
    PAUSED = "paused"
    LEFT = "left"


MAX_CAPACITY = 20


def mentor_id(programme_id: UUID, person_id: str) -> UUID:
    """One mentor record per person per programme."""
    return uuid5(NAMESPACE_URL, f"trellis:mentor:{programme_id}:{person_id}")


class Mentor(Aggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"status": MentorStatus}  # noqa: RUF012

    @classmethod
    def express_interest(
        cls, programme_id: UUID, person_id: str, details: PersonDetails, actor: Actor
    ) -> Mentor:
        _require_self_or_admin(actor, person_id)
        return cls(
            programme_id=programme_id,
            person_id=person_id,
            details=details.protect(person_id),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @staticmethod
    def create_id(programme_id: UUID, person_id: str, **_: Any) -> UUID:
        return mentor_id(programme_id, person_id)

    @event("InterestExpressed")
    def __init__(
        self,
        programme_id: UUID,
        person_id: str,
        details: dict[str, Personal],
        actor_id: str,
        actor_role: str,
    ) -> None:
        self.programme_id = programme_id
        self.person_id = person_id
        self.details = details
        self.status = MentorStatus.INTERESTED
        self.profile: Personal | None = None
        self.special: SpecialCategory | None = None
        self.capacity = 0
        self.held: list[UUID] = []
        self.confirmed: list[UUID] = []

    # -- training and the pool ---------------------------------------------------------
    def complete_training(self, completed_on: date, actor: Actor) -> None:
        actor.require(Role.ADMINISTRATOR)
        self._require(MentorStatus.INTERESTED)
        past_or_today(completed_on, "completed_on")
        self._trained(completed_on=completed_on.isoformat(), actor_id=actor.id, actor_role=actor.role)

    @event("TrainingCompleted")
    def _trained(self, completed_on: str, actor_id: str, actor_role: str) -> None:
        self.status = MentorStatus.TRAINED

    def join_pool(
        self,
        capacity: int,
        profile: dict[str, Any],
        actor: Actor,
        special: dict[str, str] | None = None,
        consent: bool = False,
    ) -> None:
        _require_self_or_admin(actor, self.person_id)
        self._require(MentorStatus.TRAINED)
        _check_capacity(capacity)
        self._joined(
            capacity=capacity,
            profile=Personal(self.person_id, _directory_profile(profile)),
            special=special_category(self.person_id, special, consent),
            actor_id=actor.id,
            actor_role=actor.role,
        )

    @event("JoinedPool")
    def _joined(
        self,
        capacity: int,
        profile: Personal,
        special: SpecialCategory | None,
        actor_id: str,
        actor_role: str,
    ) -> None:
        self.capacity = capacity
        self.profile = profile
        self.special = special
        self.status = MentorStatus.IN_POOL

    def change_capacity(self, capacity: int, actor: Actor) -> None:
        _require_self_or_admin(actor, self.person_id)
        self._require(MentorStatus.IN_POOL, MentorStatus.PAUSED)
        _check_capacity(capacity)
        if capacity < self.used:
            raise NotAllowed(
                f"capacity {capacity} is below the {self.used} places already committed"
            )
        self._capacity_changed(capacity=capacity, actor_id=actor.id, actor_role=actor.role)

    @event("CapacityChanged")
    def _capacity_changed(self, capacity: int, actor_id: str, actor_role: str) -> None:
        self.capacity = capacity

    def pause(self, actor: Actor) -> None:
        _require_self_or_admin(actor, self.person_id)
        self._require(MentorStatus.IN_POOL)
        self._paused(actor_id=actor.id, actor_role=actor.role)

    @event("Paused")
    def _paused(self, actor_id: str, actor_role: str) -> None:
        self.status = MentorStatus.PAUSED

    def resume(self, actor: Actor) -> None:
        _require_self_or_admin(actor, self.person_id)
        self._require(MentorStatus.PAUSED)
        self._resumed(actor_id=actor.id, actor_role=actor.role)

    @event("Resumed")
    def _resumed(self, actor_id: str, actor_role: str) -> None:
        self.status = MentorStatus.IN_POOL

    def leave_pool(self, actor: Actor) -> None:
        _require_self_or_admin(actor, self.person_id)
        self._require(MentorStatus.IN_POOL, MentorStatus.PAUSED)
        if self.used:
            raise NotAllowed("a mentor with open proposals or partnerships cannot leave the pool")
        self._left(actor_id=actor.id, actor_role=actor.role)

    @event("LeftPool")
    def _left(self, actor_id: str, actor_role: str) -> None:
        self.status = MentorStatus.LEFT

    # -- slots: confirmed partnerships plus open proposals never exceed capacity --------
    @property
    def used(self) -> int:
        return len(self.held) + len(self.confirmed)

    @property
    def free(self) -> int:
        return self.capacity - self.used

    def hold_slot(self, case_id: UUID, actor: Actor) -> None:
        self._require(MentorStatus.IN_POOL)
        if self.free <= 0:
            raise NotAllowed(f"mentor {self.id} has no free capacity")
        self._slot_held(case_id=case_id, actor_id=actor.id, actor_role=actor.role)

    @event("SlotHeld")
    def _slot_held(self, case_id: UUID, actor_id: str, actor_role: str) -> None:
        self.held.append(case_id)

    def confirm_slot(self, case_id: UUID, actor: Actor) -> None:
        if case_id not in self.held:
            raise NotAllowed(f"mentor {self.id} holds no proposal for case {case_id}")
        self._slot_confirmed(case_id=case_id, actor_id=actor.id, actor_role=actor.role)

    @event("SlotConfirmed")
    def _slot_confirmed(self, case_id: UUID, actor_id: str, actor_role: str) -> None:
        self.held.remove(case_id)
        self.confirmed.append(case_id)

    def release_slot(self, case_id: UUID, actor: Actor) -> None:
        if case_id in self.held or case_id in self.confirmed:
            self._slot_released(case_id=case_id, actor_id=actor.id, actor_role=actor.role)

    @event("SlotReleased")
    def _slot_released(self, case_id: UUID, actor_id: str, actor_role: str) -> None:
        for slots in (self.held, self.confirmed):
            if case_id in slots:
                slots.remove(case_id)

    def _require(self, *statuses: MentorStatus) -> None:
        if self.status not in statuses:
            raise NotAllowed(f"mentor {self.id} is {self.status.value}")


def _require_self_or_admin(actor: Actor, person_id: str) -> None:
    if actor.role is Role.ADMINISTRATOR:
        return
    if actor.role is Role.MENTOR and actor.id == person_id:
        return
    raise NotAllowed("only the mentor or an administrator may do this")


def _check_capacity(capacity: int) -> None:
    whole_number(capacity, "capacity", 1, MAX_CAPACITY)


def _directory_profile(profile: dict[str, Any]) -> dict[str, Any]:
    expertise = profile.get("expertise", [])
    if not isinstance(expertise, list) or not all(isinstance(e, str) for e in expertise):
        raise Invalid("expertise must be a list of words")
    return {
        "headline": text(profile.get("headline", ""), "headline", 200),
        "bio": text(profile.get("bio", ""), "bio", 4000),
        "expertise": [text(e, "expertise", 60, required=True) for e in expertise[:20]],
        "sector": text(profile.get("sector", ""), "sector", 60),
        "region": text(profile.get("region", ""), "region", 60),
    }
