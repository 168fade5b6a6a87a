"""A legal hold: while it stands, what it covers is neither erased nor removed by retention.

It is placed by the data-protection officer on a person, a case, a partnership or a
programme, with a reason, and lifted by them. The reason is the DPO's own note, kept
encrypted under their key.
"""

from __future__ import annotations

from enum import StrEnum

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import choice, text
from domain.errors import Invalid, NotAllowed
from domain.protected import Personal
from domain.recording import TrellisAggregate, actor
from domain.snapshots import EnumFields, EnumSnapshot


class HoldTarget(StrEnum):
    PERSON = "person"
    CASE = "case"
    PARTNERSHIP = "partnership"
    PROGRAMME = "programme"


class LegalHold(TrellisAggregate):
    Snapshot = EnumSnapshot
    enum_fields: EnumFields = {"target": HoldTarget}  # noqa: RUF012

    @classmethod
    def place(cls, target: HoldTarget | str, target_id: str, reason: str) -> LegalHold:
        who = actor()
        who.require(Role.DPO)
        target = choice(HoldTarget, target, "target")
        if not target_id:
            raise Invalid("a hold names what it holds")
        return cls(target=target.value, target_id=str(target_id),
                   reason=Personal(who.id, text(reason, "reason", 500, required=True)))

    @event("Placed")
    def __init__(self, target: str, target_id: str, reason: Personal) -> None:
        self.target = HoldTarget(target)
        self.target_id = target_id
        self.reason = reason
        self.lifted = False

    def lift(self) -> None:
        actor().require(Role.DPO)
        if self.lifted:
            raise NotAllowed(f"hold {self.id} was already lifted")
        self._lifted()

    @event("Lifted")
    def _lifted(self) -> None:
        self.lifted = True
