"""Input checks shared by the aggregates: each raises `Invalid` with a message fit to show."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import TypeVar

from domain.errors import Invalid
from domain.recording import today

E = TypeVar("E", bound=StrEnum)

# Embeddings, overrides and isolates: text that shows in another order than it is stored in.
# (The plain left-to-right and right-to-left marks, which names in mixed scripts need, are allowed.)
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab and line breaks
# Categories that show nothing alone: format characters (zero-width spaces and joiners), controls,
# spaces, lone combining marks, surrogates, private-use and unassigned code points.
UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
BLANK_SIGNS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers, the blank Braille pattern


def text(value: object, field: str, limit: int, required: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be text")
    value = value.strip()
    if required and not value:
        raise Invalid(f"{field} is required")
    if len(value) > limit:
        raise Invalid(f"{field} is longer than {limit} characters")
    if DIRECTION_CONTROLS.search(value):
        raise Invalid(f"{field} contains a character that changes the direction of the text around it "
                      "(such as a right-to-left override)")
    if CONTROLS.search(value):
        raise Invalid(f"{field} contains a control character")
    if value and not visible(value):
        raise Invalid(f"{field} has no visible characters")
    return value


def visible(value: str) -> bool:
    """Whether any character of the text shows something (not only zero-width or blank ones)."""
    return any(unicodedata.category(c) not in UNSEEN and c not in BLANK_SIGNS for c in value)


def choice(enum: type[E], value: object, field: str) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise Invalid(f"{field} must be one of: {choices}") from None


def whole_number(value: object, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(f"{field} must be a whole number from {low} to {high}")
    return value


def past_or_today(day: object, field: str = "date") -> date:
    """A date no later than the command's own day (the service's clock, never the domain's)."""
    if not isinstance(day, date):
        raise Invalid(f"{field} must be a date")
    if day > today():
        raise Invalid(f"{field} is in the future")
    return day
