"""Values that name whose data they are.

The domain wraps every personal or confidential field in one of these before it
reaches an `@event` method, so the stored event only ever holds the protected form.
`retention` encrypts each with the key of the subject (or partnership) it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Erased:
    """What a protected field reads as once its key has been destroyed."""

    _instance: Erased | None = None

    def __new__(cls) -> Erased:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ERASED"

    def __bool__(self) -> bool:
        return False


ERASED = Erased()


@dataclass(frozen=True)
class Protected:
    """A value together with the id of the key that protects it."""

    owner: str
    value: Any

    @property
    def is_erased(self) -> bool:
        return self.value is ERASED

    def __repr__(self) -> str:  # never print the value, not even in a traceback
        return f"{type(self).__name__}(owner={self.owner!r}, value=<hidden>)"


@dataclass(frozen=True, repr=False)
class Personal(Protected):
    """Personal data of one data subject (a person's id)."""


@dataclass(frozen=True, repr=False)
class SpecialCategory(Protected):
    """Special-category data (ethnicity, disability, lived experience), held with consent."""


@dataclass(frozen=True, repr=False)
class Confidential(Protected):
    """What a mentoring pair writes: readable by the pair alone, keyed by the partnership."""
