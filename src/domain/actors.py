"""Who does things: every event records the actor's id and role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Invalid, NotAllowed


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    LINE_MANAGER = "line_manager"
    MENTOR = "mentor"
    MENTEE = "mentee"
    AUDITOR = "auditor"
    DPO = "dpo"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    id: str
    role: Role

    def __post_init__(self) -> None:
        if not self.id or not self.id.strip():
            raise Invalid("an actor needs an id")
        if not isinstance(self.role, Role):
            raise Invalid(f"unknown role {self.role!r}")

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = ", ".join(sorted(r.value for r in roles))
            raise NotAllowed(f"role {self.role.value} may not do this (needs {allowed})")
