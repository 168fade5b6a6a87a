"""A programme: its configuration.

Which of its cases wait for a match is not kept here but in a read model, so that commands
on different cases never write the same aggregate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Role
from domain.checks import choice, text, whole_number
from domain.errors import Invalid
from domain.recording import TrellisAggregate, actor


class Kind(StrEnum):
    MENTORING = "mentoring"
    COACHING = "coaching"


class Matching(StrEnum):
    SELF_SELECTED = "self_selected"
    ALLOCATED = "allocated"


@dataclass(frozen=True)
class ProgrammeSettings:
    """Everything a programme configures. Validated once, stored as plain values."""

    name: str
    kind: Kind = Kind.MENTORING
    line_manager_approval: bool = True
    matching: Matching = Matching.SELF_SELECTED
    exploratory_conversations: int = 0
    default_duration_months: int = 12
    max_duration_months: int = 18
    typical_sessions: int = 6
    feedback_forms: bool = True
    small_group_threshold: int = 5
    retention_months: int = 72

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 200:
            raise Invalid("a programme name has 1 to 200 characters")
        object.__setattr__(self, "kind", choice(Kind, self.kind, "kind"))
        object.__setattr__(self, "matching", choice(Matching, self.matching, "matching"))
        whole_number(self.exploratory_conversations, "exploratory_conversations", 0, 10)
        whole_number(self.default_duration_months, "default_duration_months", 1, 60)
        whole_number(self.max_duration_months, "max_duration_months", 1, 60)
        whole_number(self.typical_sessions, "typical_sessions", 1, 100)
        whole_number(self.small_group_threshold, "small_group_threshold", 2, 100)
        whole_number(self.retention_months, "retention_months", 1, 1200)
        if self.default_duration_months > self.max_duration_months:
            raise Invalid("default duration exceeds the maximum duration")

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}


class Programme(TrellisAggregate):
    """A configured programme."""

    # v1 kept the matching queue (`waiting`); it is a read model now.
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.pop("waiting", None)

    @classmethod
    def register(cls, settings: ProgrammeSettings) -> Programme:
        actor().require(Role.ADMINISTRATOR)
        text(settings.name, "name", 200, required=True)
        return cls(settings=settings.as_dict())

    @staticmethod
    def create_id(settings: dict[str, Any], **_: Any) -> UUID:
        """A programme's name is its natural key."""
        return programme_id(settings["name"])

    @event("Registered")
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings_data = settings

    @property
    def settings(self) -> ProgrammeSettings:
        return ProgrammeSettings(**self.settings_data)

    def reconfigure(self, settings: ProgrammeSettings) -> None:
        actor().require(Role.ADMINISTRATOR)
        text(settings.name, "name", 200, required=True)
        self._reconfigured(settings=settings.as_dict())

    @event("Reconfigured")
    def _reconfigured(self, settings: dict[str, Any]) -> None:
        self.settings_data = settings

    # -- history only: events of v1's matching queue, still in stored histories -------------
    class CaseQueuedForMatch(TrellisAggregate.Event):
        """Recorded by earlier versions when a case began to wait for a match; changes nothing now."""

        case_id: UUID

    class CaseLeftMatchQueue(TrellisAggregate.Event):
        """Recorded by earlier versions when a case stopped waiting for a match; changes nothing now."""

        case_id: UUID


def programme_id(name: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"trellis:programme:{name.strip().casefold()}")
