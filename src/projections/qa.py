"""Anonymised QA statistics per programme and calendar quarter, with small groups suppressed.

The cohort is the programme's cases whose EOI fell in the quarter. Statistics are
published per quarter and for nothing else: quarters never overlap, so no published table
is the sum of others, and a figure suppressed in one quarter cannot be worked out by
subtracting the quarters from their year (or the months from their quarter).

Every published count belongs to a group that adds up to a published total; `Table`
hides small cells and their complements, figures that count the same people as a hidden
one, and any rate or average derived from a hidden count. No identifier or free text
leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from statistics import mean, median
from typing import Any, Callable

from domain import EndReason
from domain.errors import Invalid
from projections import statistics as facts
from projections.sql import Store
from projections.suppression import Cell, Table

__all__ = ["FLOOR", "Cell", "QAStatistics", "quarter_bounds", "statistics_for"]

FLOOR = 5  # the lowest threshold anyone may set: the DPO's floor never goes below it
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
PER_QUARTER = "statistics are published per calendar quarter only, such as 2026-Q3"
END_REASONS = tuple(reason.value for reason in EndReason)
COMPLETED = f"ended_{EndReason.COMPLETED.value}"

# Pairs of figures where one counts some of the other's people, and in the usual course of
# a programme all of them (the cases proposed were approved; the partnerships started had
# a discovery call). When the two are equal, publishing one would publish the other, so
# they are suppressed together (unless both are zero, which describes no one).
SAME_PEOPLE = (
    ("cases_proposed", "eois_approved"),
    ("discovery_calls", "cases_proposed"),
    ("matches_confirmed", "cases_proposed"),
    ("matches_confirmed", "discovery_calls"),
    ("calls_to_agreement", "matches_confirmed"),
    ("calls_to_agreement", "partnerships_started"),
    ("partnerships_started", "matches_confirmed"),
    ("partnerships_ended", "partnerships_started"),
    ("cases_withdrawn", "eois_awaiting_decision"),
    (f"ended_{EndReason.WITHDRAWN.value}", "cases_withdrawn"),
    (f"ended_{EndReason.REMATCHED.value}", "cases_rematched"),
    (f"ended_{EndReason.NOT_EXTENDED.value}", "extensions_requested"),
)


@dataclass(frozen=True)
class QAStatistics:
    programme_id: str
    period: str
    threshold: int
    cells: tuple[Cell, ...]

    def __getitem__(self, name: str) -> Cell:
        for c in self.cells:
            if c.name == name:
                return c
        raise KeyError(name)

    def as_dict(self) -> dict[str, float | int | None]:
        return {c.name: c.value for c in self.cells}


def quarter_bounds(period: str | None) -> tuple[str, str]:
    """[start, end) of a calendar quarter ("2026-Q3") as ISO dates; anything else is refused."""
    match = QUARTER.match(period) if isinstance(period, str) else None
    if not match:
        raise Invalid(f"{PER_QUARTER}: a year, a month or all time overlaps the quarters "
                      "and would let a suppressed figure be worked out by subtraction")
    year, quarter = int(match.group(1)), int(match.group(2))
    if not 1 <= year <= 9998:
        raise Invalid(f"{PER_QUARTER}, in the years 0001 to 9998")
    first = 3 * quarter - 2
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first + 3, 1)
    return date(year, first, 1).isoformat(), end.isoformat()


def statistics_for(store: Store, programme_id: str, period: str, opener: Callable[[str | None], Any],
                   floor: int = FLOOR) -> QAStatistics:
    """The programme's statistics for one calendar quarter (`period`, "2026-Q3").

    `floor` is the DPO's floor under the programme's own threshold: groups smaller than
    `max(programme threshold, floor)` are suppressed, so an administrator may raise the
    threshold but never take it below the floor. A floor below 5 is refused. `opener` opens
    the sealed feedback ratings to count them; an erased rater's opens as None, uncounted."""
    if not isinstance(floor, int) or isinstance(floor, bool) or floor < FLOOR:
        raise Invalid(f"the floor of the small-group threshold is a whole number of at least {FLOOR}")
    start, end = quarter_bounds(period)
    found = store.query(f"SELECT threshold FROM {facts.PROGRAMMES.name} WHERE programme_id = ?", (programme_id,))
    k = max(int(found[0]["threshold"] or 0) if found else 0, floor)
    window = (programme_id, start, end)
    cohort = "c.programme_id = ? AND c.submitted_at >= ? AND c.submitted_at < ?"
    cases = store.query(f"SELECT c.* FROM {facts.CASES.name} c WHERE {cohort}", window)
    first_matches = store.query(
        f"SELECT c.submitted_at, MIN(m.confirmed_at) AS confirmed_at FROM {facts.CASES.name} c "
        f"JOIN {facts.MATCHES.name} m ON m.case_id = c.case_id WHERE {cohort} GROUP BY c.case_id, c.submitted_at",
        window,
    )
    partnerships = store.query(
        f"SELECT p.*, (SELECT COUNT(*) FROM {facts.SESSIONS.name} s WHERE s.partnership_id = p.partnership_id) "
        f"AS sessions FROM {facts.PARTNERSHIPS.name} p JOIN {facts.CASES.name} c ON c.case_id = p.case_id "
        f"WHERE {cohort}", window,
    )
    ratings = store.query(
        f"SELECT f.rating FROM {facts.FEEDBACK.name} f JOIN {facts.PARTNERSHIPS.name} p "
        f"ON p.partnership_id = f.partnership_id JOIN {facts.CASES.name} c ON c.case_id = p.case_id "
        f"WHERE {cohort} AND f.rating IS NOT NULL", window,
    )
    opened = [opener(r["rating"]) for r in ratings]
    t = Table(k)
    _cases(t, cases, first_matches, partnerships)
    _partnerships(t, partnerships)
    _feedback(t, [int(rating) for rating in opened if isinstance(rating, int)])  # erased: None
    t.same_people(SAME_PEOPLE)
    return QAStatistics(programme_id, period, k, t.cells())


def _count(rows: list[dict[str, Any]], flag: str) -> int:
    return sum(1 for r in rows if r[flag])


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _cases(t: Table, cases: list[dict[str, Any]], matches: list[dict[str, Any]], partnerships: list[dict[str, Any]]) -> None:
    t.total("eois", len(cases))
    withdrawn = _count(cases, "withdrawn")
    t.group("eois", {"cases_withdrawn": withdrawn, "cases_not_withdrawn": len(cases) - withdrawn})
    t.derived("withdrawal_rate", _rate(withdrawn, len(cases)), "cases_withdrawn", "cases_not_withdrawn")

    needing = [r for r in cases if r["needs_approval"]]
    approved, declined = _count(needing, "approved"), _count(needing, "declined")
    # a group of its own, else EOIs minus those needing approval would publish the rest unsuppressed
    t.group("eois", {"eois_needing_approval": len(needing), "eois_not_needing_approval": len(cases) - len(needing)})
    t.group("eois_needing_approval", {
        "eois_approved": approved, "eois_declined": declined,
        "eois_awaiting_decision": len(needing) - approved - declined,
    })
    t.derived("approval_rate", _rate(approved, approved + declined), "eois_approved", "eois_declined")

    days = [(date.fromisoformat(m["confirmed_at"][:10]) - date.fromisoformat(m["submitted_at"][:10])).days
            for m in matches]
    t.total("matches_confirmed", len(days))
    t.derived("median_days_eoi_to_match", float(median(days)) if days else None, "matches_confirmed")

    started_cases = {p["case_id"] for p in partnerships if p["started"]}
    called = [r for r in cases if r["discovery_call"]]
    agreed = sum(1 for r in called if r["case_id"] in started_cases)
    t.total("discovery_calls", len(called))
    t.group("discovery_calls", {"calls_to_agreement": agreed, "calls_without_agreement": len(called) - agreed})
    t.derived("discovery_call_to_agreement_rate", _rate(agreed, len(called)),
              "calls_to_agreement", "calls_without_agreement")

    proposed = [r for r in cases if r["proposed"]]
    rematched = _count(proposed, "rematched")
    t.total("cases_proposed", len(proposed))
    t.group("cases_proposed", {"cases_rematched": rematched, "cases_not_rematched": len(proposed) - rematched})
    t.derived("rematch_rate", _rate(rematched, len(proposed)), "cases_rematched", "cases_not_rematched")


def _partnerships(t: Table, partnerships: list[dict[str, Any]]) -> None:
    started = [p for p in partnerships if p["started"]]
    t.total("partnerships_started", len(started))
    t.derived("sessions_per_partnership", round(mean(int(p["sessions"]) for p in started), 2) if started else None,
              "partnerships_started")
    requested = _count(started, "extension_requested")
    t.group("partnerships_started", {
        "extensions_requested": requested, "extensions_not_requested": len(started) - requested})
    t.derived("extension_rate", _rate(requested, len(started)), "extensions_requested", "extensions_not_requested")

    ended = [p for p in partnerships if p["end_reason"]]
    t.total("partnerships_ended", len(ended))
    by_reason = {f"ended_{r}": sum(1 for p in ended if p["end_reason"] == r) for r in END_REASONS}
    t.group("partnerships_ended", by_reason)
    t.derived("completion_rate", _rate(by_reason[COMPLETED], len(ended)), COMPLETED, "partnerships_ended")


def _feedback(t: Table, ratings: list[int]) -> None:
    t.total("feedback_responses", len(ratings))
    cells = {f"rating_{n}": ratings.count(n) for n in range(1, 6)}
    t.group("feedback_responses", cells)
    t.derived("mean_rating", round(mean(ratings), 2) if ratings else None, "feedback_responses", *cells)
