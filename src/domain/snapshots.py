"""Snapshots that give an aggregate back its enum values.

JSON stores a `StrEnum` as a plain string, so a plain snapshot would restore
`status` as ``"active"`` rather than `PartnershipStatus.ACTIVE`, and every `is` check
or `.value` on it would break. Each aggregate names its enum fields in `enum_fields`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from eventsourcing.domain import Snapshot


class EnumSnapshot(Snapshot):
    def mutate(self, _: None) -> Any:
        aggregate = super().mutate(_)
        fields: dict[str, type[StrEnum]] = getattr(type(aggregate), "enum_fields", {})
        for name, enum in fields.items():
            value = aggregate.__dict__.get(name)
            if isinstance(value, list):
                aggregate.__dict__[name] = [enum(v) for v in value]
            elif value is not None:
                aggregate.__dict__[name] = enum(value)
        return aggregate


EnumFields = ClassVar[dict[str, type[StrEnum]]]
