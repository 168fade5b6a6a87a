"""Facts for the anonymised QA statistics: no names, no free text, no mentor ids.

Rows are keyed by case and partnership only so that a replay is idempotent; what
leaves the read model are suppressed aggregates per calendar quarter (see
`projections.qa` and `projections.suppression`). A rematch is recorded against the
case, never against a mentor. A feedback rating is its rater's personal data: it is kept
sealed under the rater's key like a name, and opened only to be counted (so once the rater
is erased it is no longer counted, and the row is what a rebuild would write).
"""

from __future__ import annotations

from typing import Any

from domain import Case, Partnership, Programme
from projections.events import when
from projections.projection import Handlers, Projection, Writer
from projections.rows import as_recorded, row
from projections.sql import Table

PROGRAMMES = Table("rm_statistics_programmes", {"programme_id": "TEXT NOT NULL", "threshold": "INTEGER"},
                   ("programme_id",))
CASES = Table("rm_statistics_cases", {
    "case_id": "TEXT NOT NULL", "programme_id": "TEXT", "submitted_at": "TEXT", "needs_approval": "INTEGER",
    "approved": "INTEGER", "declined": "INTEGER", "withdrawn": "INTEGER", "proposed": "INTEGER",
    "discovery_call": "INTEGER", "rematched": "INTEGER",
}, ("case_id",), indexes=(("programme_id", "submitted_at"),))
MATCHES = Table("rm_statistics_matches", {
    "case_id": "TEXT NOT NULL", "partnership_id": "TEXT NOT NULL", "confirmed_at": "TEXT",
}, ("case_id", "partnership_id"))
PARTNERSHIPS = Table("rm_statistics_partnerships", {
    "partnership_id": "TEXT NOT NULL", "case_id": "TEXT", "started": "INTEGER", "end_reason": "TEXT",
    "extension_requested": "INTEGER", "extension_granted": "INTEGER",
}, ("partnership_id",), indexes=(("case_id",),))
SESSIONS = Table("rm_statistics_sessions", {"partnership_id": "TEXT NOT NULL", "version": "BIGINT NOT NULL"},
                 ("partnership_id", "version"))
FEEDBACK = Table("rm_statistics_feedback", {
    "partnership_id": "TEXT NOT NULL", "party": "TEXT NOT NULL", "rating": "TEXT",
}, ("partnership_id", "party"))

CASE_FLAGS = {
    Case.LineManagerApproved: "approved", Case.LineManagerDeclined: "declined", Case.Withdrawn: "withdrawn",
    Case.MatchProposed: "proposed", Case.DiscoveryCallHeld: "discovery_call", Case.RematchRequested: "rematched",
}
PARTNERSHIP_FLAGS = {
    Partnership.PartnershipStarted: "started", Partnership.ExtensionRequested: "extension_requested",
    Partnership.ExtensionGranted: "extension_granted",
}

on = Handlers()


@on.on(Programme.Registered, Programme.Reconfigured)
def _programme(e: Any, w: Writer) -> None:
    w.upsert(PROGRAMMES, row(programme_id=e.originator_id, threshold=e.settings.get("small_group_threshold", 5)))


@on.on(Case.EOISubmitted)
def _eoi(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(
        case_id=e.originator_id, programme_id=e.programme_id, submitted_at=when(e),
        needs_approval=bool(e.line_manager_id), approved=False, declined=False, withdrawn=False,
        proposed=False, discovery_call=False, rematched=False,
    ))


@on.on(*CASE_FLAGS)
def _case_flag(e: Any, w: Writer) -> None:
    w.upsert(CASES, row(case_id=e.originator_id, **{CASE_FLAGS[type(e)]: True}))


@on.on(Case.MatchConfirmed)
def _match(e: Any, w: Writer) -> None:
    w.upsert(MATCHES, row(case_id=e.originator_id, partnership_id=e.partnership_id, confirmed_at=when(e)))


@on.on(Partnership.PartnershipFormed)
def _formed(e: Any, w: Writer) -> None:
    w.upsert(PARTNERSHIPS, row(
        partnership_id=e.originator_id, case_id=e.case_id, started=False,
        extension_requested=False, extension_granted=False,
    ))


@on.on(*PARTNERSHIP_FLAGS)
def _partnership_flag(e: Any, w: Writer) -> None:
    w.upsert(PARTNERSHIPS, row(partnership_id=e.originator_id, **{PARTNERSHIP_FLAGS[type(e)]: True}))


@on.on(Partnership.PartnershipEnded)
def _ended(e: Any, w: Writer) -> None:
    w.upsert(PARTNERSHIPS, row(partnership_id=e.originator_id, end_reason=e.reason))


@on.on(Partnership.SessionHeld)
def _session(e: Any, w: Writer) -> None:
    w.upsert(SESSIONS, row(partnership_id=e.originator_id, version=e.originator_version))


@on.on(Partnership.FeedbackSubmitted)
def _feedback(e: Any, w: Writer) -> None:
    # the rating is the rater's personal data: sealed under their key, opened only to count it
    # (a rating from before ratings were protected stays as its event has it, in clear)
    w.upsert(FEEDBACK, row(partnership_id=e.originator_id, party=e.party, rating=as_recorded(e.rating)))


class Statistics(Projection):
    name = "statistics"
    version = 2  # ratings sealed under their rater's key
    tables = (PROGRAMMES, CASES, MATCHES, PARTNERSHIPS, SESSIONS, FEEDBACK)
    handlers = on
