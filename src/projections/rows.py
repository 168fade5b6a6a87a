"""What may enter a read model: plain scalars, and personal values only when revealed.

Every row a projection writes is built here. A `Confidential` or `SpecialCategory`
value is refused outright, and so is any other protected value that was not passed
through `reveal`, or any container that could smuggle one in. Privacy holds by
construction, not by filtering later.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.protected import ERASED, Confidential, Personal, Protected, SpecialCategory
from projections.decoding import Deferred

SCALARS = (str, int, float, bool, type(None))


class PrivacyViolation(TypeError):
    """A projection tried to store a value that must never enter a read model."""


def reveal(value: Personal | None) -> Any:
    """The plain value of a personal field (a name, a directory profile); None once erased.

    Only `Personal` values can be revealed: confidential and special-category ones never.
    """
    if value is None:
        return None
    if type(value) is not Personal:
        raise PrivacyViolation(f"{type(value).__name__} values never enter a read model")
    plain = value.value.resolve() if isinstance(value.value, Deferred) else value.value
    return None if plain is ERASED else plain


def cell(value: Any) -> Any:
    """One column's value, checked and converted to what both databases store."""
    if isinstance(value, (Confidential, SpecialCategory)):
        raise PrivacyViolation(f"{type(value).__name__} values never enter a read model")
    if isinstance(value, Protected):
        raise PrivacyViolation("a protected value must be revealed explicitly")
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
