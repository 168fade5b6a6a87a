"""What every read model reads off an event besides its fields: its names and its moment.

Stages, statuses and reasons are never re-derived here: the domain's own functions
(`stage_after`, `closed_reason_after`, `partnership_status_after`, `mentor_status_after`,
`slot_after`) say what an event means, for the aggregates and the read models alike.
"""

from __future__ import annotations

from typing import Any

from domain import Case

CASE_EVENTS = tuple(cls for cls in vars(Case).values() if isinstance(cls, type) and issubclass(cls, Case.Event))


def event_name(event: Any) -> tuple[str, str]:
    """(aggregate type, event type), e.g. ("Case", "EOISubmitted")."""
    owner, _, name = type(event).__qualname__.rpartition(".")
    return owner, name


def when(event: Any) -> str:
    return event.timestamp.isoformat()


def recorded_by(event: Any) -> str | None:
    """Who recorded a step a party takes for themselves (an EOI, a matching request, a signature),
    when it was someone else (an administrator, on their behalf): their role; None when the
    party recorded it themselves."""
    return None if event is None or event.on_behalf_of is None else event.actor_role
