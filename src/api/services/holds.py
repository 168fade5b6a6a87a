"""Legal holds, placed and lifted by the data-protection officer.

A hold names a person (by opaque id), a case, a partnership or a programme that exists.
While it stands, erasure refuses what it covers and retention skips it.
"""

from __future__ import annotations

from uuid import UUID

from api.services.commanding import Recorded
from api.services.erasure import ErasureCommands
from domain import Actor, Case, HoldTarget, LegalHold, NotFound, Partnership, Programme
from domain.checks import choice


class HoldCommands(ErasureCommands):
    def place_hold(self, target: HoldTarget | str, target_id: str, reason: str, actor: Actor) -> Recorded:
        target = choice(HoldTarget, target, "target")
        self._require_exists(target, target_id)
        with self.acting(actor):
            hold = LegalHold.place(target, target_id, reason)
        return self._answer(hold.id, hold)

    def lift_hold(self, hold_id: UUID, actor: Actor) -> Recorded:
        hold = self.load(LegalHold, hold_id)
        with self.acting(actor):
            hold.lift()
        return self._answer(hold_id, hold)

    def _require_exists(self, target: HoldTarget, target_id: str) -> None:
        if target is HoldTarget.PERSON:
            if not (self.people.is_linked(target_id) or self._appears(target_id)):
                raise NotFound(f"no person {target_id}")
            return
        kind = {HoldTarget.CASE: Case, HoldTarget.PARTNERSHIP: Partnership, HoldTarget.PROGRAMME: Programme}[target]
        try:
            self.load(kind, UUID(target_id))
        except ValueError:
            raise NotFound(f"no {target.value} {target_id}") from None
