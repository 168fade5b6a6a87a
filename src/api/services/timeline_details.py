"""What a timeline shows of each event: the allow-list, one function per event type.

Each function names the fields a timeline shows of its event type, and under `withheld` the
fields the event has but a timeline never shows, with the reason. The events come decoded
as the read models decode them (`event_history`): confidential and special-category values
are sealed and never decrypted here, and a personal value is opened only where a function
below opens it — a mentor's name, the preferences a proposal is ranked against, a review's
outcome. An event type not listed shows nothing but its entry; a test requires every event
type of the domain to be listed, so a new one is decided, not shown by default.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any
from uuid import UUID

from api.services.event_history import EventHistory
from domain import Case, Confidential, Mentor, Partnership, Programme
from domain.protected import Protected

FREE_TEXT = "free text"
PAIR = "confidential to the pair"
SPECIAL = "special-category data"
PERSONAL = "personal details"
QA = "kept for anonymous QA statistics only"
ERASED = "erased"
Shown = tuple[dict[str, Any], dict[str, str]]


class Reading:
    """What the allow-list may ask while one timeline is read: names (for the roles that may
    see them) and the case's matching request in force (for a proposal's preference rank)."""

    def __init__(self, history: EventHistory, names: bool) -> None:
        self._history = history
        self._names = names
        self._mentor_names: dict[str, str | None] = {}
        self.preferences: dict[str, Any] = {}  # case id → its latest matching request's preferences

    def observe(self, event: Any) -> None:
        if isinstance(event, Case.MatchingRequestSubmitted):
            self.preferences[str(event.originator_id)] = event.preferences

    def mentor(self, mentor_id: UUID | None) -> dict[str, Any]:
        """A mentor record named by an event: its id, and its mentor's name where names are shown."""
        if mentor_id is None:
            return {"mentor_id": None}
        found = {"mentor_id": str(mentor_id)}
        if self._names:
            key = str(mentor_id)
            if key not in self._mentor_names:
                first = self._history.stored_history(mentor_id, Mentor, upto_version=1)[0]
                self._mentor_names[key] = self._history.open_personal(first.details.get("name"))
            found["mentor_name"] = self._mentor_names[key]
        return found

    def preferred(self, case_id: UUID) -> list[str] | None:
        """The mentor ids the case's matching request in force names, best first (None: none, or erased)."""
        opened = self._history.open_personal(self.preferences.get(str(case_id)))
        return [str(p) for p in opened] if isinstance(opened, list) else None

    def opened(self, value: Any) -> Any:
        return self._history.open_personal(value)


Show = Callable[[Any, Reading], Shown]
SHOWN: dict[type, Show] = {}  # event class → what a timeline shows of it


def shows(*event_classes: type) -> Callable[[Show], Show]:
    def register(function: Show) -> Show:
        for cls in event_classes:
            SHOWN[cls] = function
        return function

    return register


@shows(Case.CaseClosed, Case.ClosedOnErasure, Case.MentorErased, Mentor.Paused, Mentor.Resumed,
       Mentor.LeftPool, Mentor.LeftOnErasure, Partnership.ExtensionDeclined, Partnership.FeedbackRequested)
def nothing(_: Any, __: Reading) -> Shown:
    """Its entry says all there is: the event, when, by whom and for whom."""
    return {}, {}


@shows(Case.ConsentChanged, Mentor.ConsentChanged)
def _consent(e: Any, r: Reading) -> Shown:
    return {}, {"consent": SPECIAL}


# -- cases -------------------------------------------------------------------------------------
@shows(Case.EOISubmitted)
def _eoi(e: Any, r: Reading) -> Shown:
    return ({"mentee_id": e.mentee_id, "line_manager_id": e.line_manager_id, "matching": e.matching},
            {"details": PERSONAL, "statement": FREE_TEXT})


@shows(Case.LineManagerApproved)
def _approved(e: Any, r: Reading) -> Shown:
    return {"priority": e.priority}, {}


@shows(Case.LineManagerDeclined, Case.RematchRequested, Case.Withdrawn)
def _with_reason(e: Any, r: Reading) -> Shown:
    return {}, {"reason": FREE_TEXT}


@shows(Case.MatchingRequestSubmitted)
def _matching_request(e: Any, r: Reading) -> Shown:
    preferred = r.preferred(e.originator_id)
    return ({"preferences": None if preferred is None else len(preferred)},
            {"goals": FREE_TEXT, "special": SPECIAL, "consent": SPECIAL})


@shows(Case.ExploratoryConversationHeld)
def _exploratory(e: Any, r: Reading) -> Shown:
    return r.mentor(e.mentor_id) | {"held_on": e.held_on}, {}


@shows(Case.MatchProposed)
def _proposed(e: Any, r: Reading) -> Shown:
    preferred = r.preferred(e.originator_id) or []
    rank = preferred.index(str(e.mentor_id)) + 1 if str(e.mentor_id) in preferred else None
    return (r.mentor(e.mentor_id) | {"from_preferences": e.from_preferences, "preference_rank": rank},
            {"reasons": FREE_TEXT})


@shows(Case.DiscoveryCallHeld)
def _discovery_call(e: Any, r: Reading) -> Shown:
    return {"held_on": e.held_on}, {}


@shows(Case.MatchConfirmed)
def _confirmed(e: Any, r: Reading) -> Shown:
    return r.mentor(e.mentor_id) | {"partnership_id": e.partnership_id}, {}


# -- partnerships -------------------------------------------------------------------------------
@shows(Partnership.PartnershipFormed)
def _formed(e: Any, r: Reading) -> Shown:
    return (r.mentor(e.mentor_id) | {"case_id": e.case_id, "match_number": e.match_number, "mentee_id": e.mentee_id,
                                     "planned_months": e.planned_months, "max_months": e.max_months}), {}


@shows(Partnership.AgreementSigned)
def _signed(e: Any, r: Reading) -> Shown:
    return {"party": e.party}, {}


@shows(Partnership.PartnershipStarted)
def _started(e: Any, r: Reading) -> Shown:
    return {"started_on": e.started_on}, {}


@shows(Partnership.SessionHeld)
def _session(e: Any, r: Reading) -> Shown:
    return {"held_on": e.held_on, "minutes": e.minutes, "medium": e.medium}, {"notes": PAIR, "actions": PAIR}


@shows(Partnership.ProgressReviewed)
def _reviewed(e: Any, r: Reading) -> Shown:
    """The outcome is the mentee's personal data (a decision the programme acts on); reviews
    recorded before it was (v3 and earlier) keep it confidential to the pair."""
    if isinstance(e.outcome, Confidential):
        return {"outcome": None}, {"outcome": PAIR, "notes": PAIR}
    outcome = r.opened(e.outcome)
    return {"outcome": outcome}, {"notes": PAIR} | ({"outcome": ERASED} if outcome is None else {})


@shows(Partnership.ExtensionRequested, Partnership.ExtensionGranted)
def _extension(e: Any, r: Reading) -> Shown:
    return {"months": e.months}, {}


@shows(Partnership.PartnershipEnded)
def _ended(e: Any, r: Reading) -> Shown:
    return {"reason": e.reason}, {}


@shows(Partnership.FeedbackSubmitted)
def _feedback(e: Any, r: Reading) -> Shown:
    return {"party": e.party}, {"rating": QA, "comments": QA}


# -- mentor records ----------------------------------------------------------------------------------
@shows(Mentor.InterestExpressed)
def _interest(e: Any, r: Reading) -> Shown:
    return r.mentor(e.originator_id) | {"person_id": e.person_id}, {"details": PERSONAL}


@shows(Mentor.TrainingCompleted)
def _trained(e: Any, r: Reading) -> Shown:
    return {"completed_on": e.completed_on}, {}


@shows(Mentor.JoinedPool)
def _joined(e: Any, r: Reading) -> Shown:
    return {"capacity": e.capacity}, {"profile": "the directory profile", "special": SPECIAL, "consent": SPECIAL}


@shows(Mentor.CapacityChanged)
def _capacity(e: Any, r: Reading) -> Shown:
    return {"capacity": e.capacity}, {}


@shows(Mentor.SlotHeld, Mentor.SlotConfirmed, Mentor.SlotReleased,
       Programme.CaseQueuedForMatch, Programme.CaseLeftMatchQueue)
def _slot(e: Any, r: Reading) -> Shown:
    return {"case_id": e.case_id}, {}


# -- programmes ------------------------------------------------------------------------------------
@shows(Programme.Registered, Programme.Reconfigured)
def _settings(e: Any, r: Reading) -> Shown:
    return dict(e.settings), {}


def plain(value: Any) -> Any:
    """A detail's value as a timeline shows it: never a protected value, never a container."""
    if isinstance(value, Protected):
        raise TypeError("a protected value is shown only once opened, where the allow-list says so")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a {type(value).__name__} is not shown in a timeline")


def details_of(event: Any, reading: Reading) -> Shown:
    """What a timeline shows of `event` (its allow-listed details, each a plain value) and withholds."""
    reading.observe(event)
    details, withheld = SHOWN.get(type(event), nothing)(event, reading)
    return {name: plain(value) for name, value in details.items()}, dict(withheld)
