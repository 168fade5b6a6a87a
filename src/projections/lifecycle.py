"""How a case's events move it through the stages, as the read models see it."""

from __future__ import annotations

from typing import Any

from domain import Case, Stage

AFTER_APPROVAL = {"self_selected": Stage.AWAITING_MATCHING_REQUEST, "allocated": Stage.AWAITING_MATCH}

FIXED: dict[type, Stage] = {
    Case.LineManagerDeclined: Stage.CLOSED,
    Case.MatchingRequestSubmitted: Stage.AWAITING_MATCH,
    Case.MatchProposed: Stage.MATCH_PROPOSED,
    Case.DiscoveryCallHeld: Stage.DISCOVERY_CALL_HELD,
    Case.MatchConfirmed: Stage.MATCHED,
    Case.RematchRequested: Stage.AWAITING_MATCH,
    Case.Withdrawn: Stage.CLOSED,
    Case.CaseClosed: Stage.CLOSED,
}

CLOSED_REASON: dict[type, str] = {
    Case.LineManagerDeclined: "declined",
    Case.Withdrawn: "withdrawn",
    Case.CaseClosed: "partnership_ended",
}

STAGE_EVENTS = (Case.EOISubmitted, Case.LineManagerApproved, *FIXED)


def first_stage(event: Any) -> Stage:
    if event.line_manager_id:
        return Stage.AWAITING_LINE_MANAGER
    return AFTER_APPROVAL[event.matching]


def stage_after(event: Any, matching: str | None) -> Stage:
    """The stage a case is at after `event`; `matching` is the case's matching style."""
    if isinstance(event, Case.EOISubmitted):
        return first_stage(event)
    if isinstance(event, Case.LineManagerApproved):
        return AFTER_APPROVAL[matching or "self_selected"]
    return FIXED[type(event)]


def event_name(event: Any) -> tuple[str, str]:
    """(aggregate type, event type), e.g. ("Case", "EOISubmitted")."""
    owner, _, name = type(event).__qualname__.rpartition(".")
    return owner, name


def when(event: Any) -> str:
    return event.timestamp.isoformat()
