"""Input checks shared by the aggregates: each raises `Invalid` with a message fit to show."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from domain.errors import Invalid
from domain.recording import today

E = TypeVar("E", bound=StrEnum)


def text(value: object, field: str, limit: int, required: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be text")
    value = value.strip()
    if required and not value:
        raise Invalid(f"{field} is required")
    if len(value) > limit:
        raise Invalid(f"{field} is longer than {limit} characters")
    return value


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
