"""The data-protection policy: the floor of the statistics' small-group threshold."""

from __future__ import annotations

from api.services.commanding import Commands, Recorded
from domain import Actor, DataProtectionPolicy, NotFound
from domain.policy import POLICY_ID


class PolicyCommands(Commands):
    def set_statistics_floor(self, floor: int, actor: Actor) -> Recorded:
        try:
            policy = self.load(DataProtectionPolicy, POLICY_ID)
        except NotFound:
            with self.acting(actor):
                policy = DataProtectionPolicy.set_up()
        with self.acting(actor):
            policy.set_statistics_floor(floor)
        return self._answer(POLICY_ID, policy)
