"""What may enter a read model: plain scalars, and personal values only sealed.

Every row a projection writes is built here. A `Confidential` or `SpecialCategory`
value is refused outright, and so is any other protected value that was not passed
through `sealed` (which keeps it encrypted under its subject's key, as the event stored
it), or any container that could smuggle one in. Privacy holds by construction, not by
filtering later: no read-model table holds a name in clear.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.protected import ERASED, Confidential, Personal, Protected, SpecialCategory
from projections.decoding import Deferred

SCALARS = (str, int, float, bool, type(None))


class PrivacyViolation(TypeError):
    """A projection tried to store a value that must never enter a read model."""


def sealed(value: Personal | None) -> str | None:
    """A personal field (a name, a directory profile) as its event stored it: encrypted under
    its subject's key, opened only at the API edge. None for a missing or erased value.

    Only `Personal` values can enter sealed: confidential and special-category ones never.
    """
    if value is None:
        return None
    if type(value) is not Personal or not isinstance(value.value, Deferred):
        raise PrivacyViolation(f"{type(value).__name__} values never enter a read model")
    stored = value.value.stored
    return None if stored.get("erased") else json.dumps(stored, separators=(",", ":"))


def as_recorded(value: Personal | None) -> str | None:
    """A personal field that old events stored in clear, before it was protected (a feedback
    rating): sealed if its event sealed it; else kept as that event has it, in clear beside
    its owner, and opened only while the owner is not erased. For those fields alone."""
    if isinstance(value, Personal) and not isinstance(value.value, Deferred) and type(value) is Personal:
        return json.dumps({"o": value.owner, "clear": cell(value.value)}, separators=(",", ":"))
    return sealed(value)


def cell(value: Any) -> Any:
    """One column's value, checked and converted to what both databases store."""
    if isinstance(value, (Confidential, SpecialCategory)):
        raise PrivacyViolation(f"{type(value).__name__} values never enter a read model")
    if isinstance(value, Protected):
        raise PrivacyViolation("a protected value enters a read model only sealed")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return cell(value.value)
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise PrivacyViolation(f"a {type(value).__name__} cannot be stored in a read model")


def row(**columns: Any) -> dict[str, Any]:
    """A read-model row whose every value passed `cell`."""
    return {name: cell(value) for name, value in columns.items()}
