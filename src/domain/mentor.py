"""A mentor in one programme: interest, training, the pool, capacity and the slots held.

`status_after` and `slot_after` are the mentor's vocabulary for the read models: the
aggregate moves by the same two functions.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import past_or_today, text, whole_number
from domain.errors import Invalid, NotAllowed
from domain.people import PersonDetails, consent_record, special_category
from domain.protected import Personal, SpecialCategory
from domain.recording import TrellisAggregate, actor, for_person
from domain.snapshots import EnumFields, EnumSnapshot


class MentorStatus(StrEnum):
    INTERESTED = "interested"
    TRAINED = "trained"
    IN_POOL = "in_pool"
    PAUSED = "paused"
    LEFT = "left"


class Slot(StrEnum):
    """A place of a mentor's capacity, as a case holds it."""

    HELD = "held"  # by an open proposal
    CONFIRMED = "confirmed"  # by a partnership
    RELEASED = "released"


MAX_CAPACITY = 20


def mentor_id(programme_id: UUID, person_id: str) -> UUID:
    """One mentor record per person per programme."""
    return uuid5(NAMESPACE_URL, f"trellis:mentor:{programme_id}:{person_id}")


class Mentor(TrellisAggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"status": MentorStatus}  # noqa: RUF012

    class Event(TrellisAggregate.Event):
        def apply(self, mentor: Mentor) -> None:
            mentor.status = status_after(self) or mentor.status

    @classmethod
    def express_interest(cls, programme_id: UUID, person_id: str, details: PersonDetails) -> Mentor:
        _require_self_or_admin(person_id)
        with for_person(person_id):
            return cls(programme_id=programme_id, person_id=person_id, details=details.protect(person_id))

    @staticmethod
    def create_id(programme_id: UUID, person_id: str, **_: Any) -> UUID:
        return mentor_id(programme_id, person_id)

    @event("InterestExpressed")
    def __init__(self, programme_id: UUID, person_id: str, details: dict[str, Personal]) -> None:
        self.programme_id = programme_id
        self.person_id = person_id
        self.details = details
        self.profile: Personal | None = None
        self.special: SpecialCategory | None = None
        self.capacity = 0
        self.held: list[UUID] = []
        self.confirmed: list[UUID] = []

    # -- training and the pool ---------------------------------------------------------
    def complete_training(self, completed_on: date) -> None:
        actor().require(Role.ADMINISTRATOR)
        self._require(MentorStatus.INTERESTED)
        past_or_today(completed_on, "completed_on")
        self._trained(completed_on=completed_on.isoformat())

    @event("TrainingCompleted")
    def _trained(self, completed_on: str) -> None:
        pass

    def join_pool(
        self, capacity: int, profile: dict[str, Any], special: dict[str, str] | None = None, consent: bool = False,
    ) -> None:
        _require_self_or_admin(self.person_id)
        self._require(MentorStatus.TRAINED)
        _check_capacity(capacity)
        answers, consent_given = special_category(self.person_id, special, consent)
        with for_person(self.person_id):
            self._joined(
                capacity=capacity, profile=Personal(self.person_id, _directory_profile(profile)),
                special=answers, consent=consent_given,
            )

    class JoinedPool(TrellisAggregate.Event):
        capacity: int
        profile: Personal
        special: SpecialCategory | None
        consent: Personal | None

        # v3 always carries the (padded) answers and the consent they are kept under
        class_version = 3

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("consent", None)

    @event(JoinedPool)
    def _joined(self, capacity: int, profile: Personal, special: SpecialCategory | None, consent: Personal | None) -> None:
        self.capacity = capacity
        self.profile = profile
        self.special = special

    def withdraw_special_category_consent(self) -> None:
        """The mentor alone withdraws it; the answers leave matching (and their key is destroyed)."""
        who = actor()
        if who.id != self.person_id:  # the person themselves, in whichever role they act
            raise NotAllowed("only the person who gave special-category answers withdraws their consent")
        if not self.special or not self.special.value:
            raise NotAllowed("no special-category answers are kept here to withdraw consent for")
        self._consent_changed(consent=consent_record(self.person_id, given=False))

    @event("ConsentChanged")
    def _consent_changed(self, consent: Personal) -> None:
        self.special = None

    def change_capacity(self, capacity: int) -> None:
        _require_self_or_admin(self.person_id)
        self._require(MentorStatus.IN_POOL, MentorStatus.PAUSED)
        _check_capacity(capacity)
        if capacity < self.used:
            raise NotAllowed(f"capacity {capacity} is below the {self.used} places already committed")
        with for_person(self.person_id):
            self._capacity_changed(capacity=capacity)

    @event("CapacityChanged")
    def _capacity_changed(self, capacity: int) -> None:
        self.capacity = capacity

    def pause(self) -> None:
        _require_self_or_admin(self.person_id)
        self._require(MentorStatus.IN_POOL)
        with for_person(self.person_id):
            self._paused()

    @event("Paused")
    def _paused(self) -> None:
        pass

    def resume(self) -> None:
        _require_self_or_admin(self.person_id)
        self._require(MentorStatus.PAUSED)
        with for_person(self.person_id):
            self._resumed()

    @event("Resumed")
    def _resumed(self) -> None:
        pass

    def leave_pool(self) -> None:
        _require_self_or_admin(self.person_id)
        self._require(MentorStatus.IN_POOL, MentorStatus.PAUSED)
        if self.used:
            raise NotAllowed("a mentor with open proposals or partnerships cannot leave the pool")
        with for_person(self.person_id):
            self._left()

    @event("LeftPool")
    def _left(self) -> None:
        pass

    def leave_on_erasure(self) -> None:
        """The mentor is erased: they leave, once the system has released every slot they held."""
        actor().require(Role.SYSTEM)
        if self.status is MentorStatus.LEFT:
            raise NotAllowed(f"mentor {self.id} has left")
        if self.used:
            raise NotAllowed("a mentor's slots are released before they leave on erasure")
        self._left_on_erasure()

    @event("LeftOnErasure")
    def _left_on_erasure(self) -> None:
        pass

    # -- slots: confirmed partnerships plus open proposals never exceed capacity --------
    @property
    def used(self) -> int:
        return len(self.held) + len(self.confirmed)

    @property
    def free(self) -> int:
        return self.capacity - self.used

    def hold_slot(self, case_id: UUID) -> None:
        self._require(MentorStatus.IN_POOL)
        if self.free <= 0:
            raise NotAllowed(f"mentor {self.id} has no free capacity")
        self._slot_held(case_id=case_id)

    @event("SlotHeld")
    def _slot_held(self, case_id: UUID) -> None:
        self.held.append(case_id)

    def confirm_slot(self, case_id: UUID) -> None:
        if case_id not in self.held:
            raise NotAllowed(f"mentor {self.id} holds no proposal for case {case_id}")
        self._slot_confirmed(case_id=case_id)

    @event("SlotConfirmed")
    def _slot_confirmed(self, case_id: UUID) -> None:
        self.held.remove(case_id)
        self.confirmed.append(case_id)

    def release_slot(self, case_id: UUID) -> None:
        if case_id in self.held or case_id in self.confirmed:
            self._slot_released(case_id=case_id)

    @event("SlotReleased")
    def _slot_released(self, case_id: UUID) -> None:
        for slots in (self.held, self.confirmed):
            if case_id in slots:
                slots.remove(case_id)

    def _require(self, *statuses: MentorStatus) -> None:
        if self.status not in statuses:
            raise NotAllowed(f"mentor {self.id} is {self.status.value}")


_STATUS_AFTER: dict[type, MentorStatus] = {
    Mentor.InterestExpressed: MentorStatus.INTERESTED,
    Mentor.TrainingCompleted: MentorStatus.TRAINED,
    Mentor.JoinedPool: MentorStatus.IN_POOL,
    Mentor.Paused: MentorStatus.PAUSED,
    Mentor.Resumed: MentorStatus.IN_POOL,
    Mentor.LeftPool: MentorStatus.LEFT,
    Mentor.LeftOnErasure: MentorStatus.LEFT,
}
_SLOT_AFTER: dict[type, Slot] = {
    Mentor.SlotHeld: Slot.HELD, Mentor.SlotConfirmed: Slot.CONFIRMED, Mentor.SlotReleased: Slot.RELEASED,
}


def status_after(event: object) -> MentorStatus | None:
    """The mentor's status after `event`, or None for an event that leaves it as it was."""
    return _STATUS_AFTER.get(type(event))


def slot_after(event: object) -> Slot | None:
    """The state of the slot `event.case_id` holds after `event`, or None."""
    return _SLOT_AFTER.get(type(event))


def _require_self_or_admin(person_id: str) -> None:
    who = actor()
    if who.role is Role.ADMINISTRATOR:
        return
    if who.role is Role.MENTOR and who.id == person_id:
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
