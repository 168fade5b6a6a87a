"""The data-protection policy every programme is held to: the floor of the statistics'
small-group threshold, set by the data-protection officer and never below 5."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import whole_number
from domain.recording import TrellisAggregate, actor

MINIMUM_FLOOR = 5
POLICY_ID = uuid5(NAMESPACE_URL, "trellis:data-protection-policy")


class DataProtectionPolicy(TrellisAggregate):
    @classmethod
    def set_up(cls) -> DataProtectionPolicy:
        actor().require(Role.DPO)
        return cls(floor=MINIMUM_FLOOR)

    @staticmethod
    def create_id(**_: object) -> UUID:
        return POLICY_ID

    @event("PolicySetUp")
    def __init__(self, floor: int) -> None:
        self.floor = floor

    def set_statistics_floor(self, floor: int) -> None:
        actor().require(Role.DPO)
        self._floor_set(floor=whole_number(floor, "floor", MINIMUM_FLOOR, 100))

    @event("StatisticsFloorSet")
    def _floor_set(self, floor: int) -> None:
        self.floor = floor
