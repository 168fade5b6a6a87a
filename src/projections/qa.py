"""Anonymised QA statistics per programme and period, with small groups suppressed.

The cohort is the programme's cases whose EOI fell in the period. Every published count
belongs to a group that adds up to a published total; `suppressed_cells` hides small
cells and their complements, and a rate or an average is hidden whenever a count it is
derived from is hidden. No identifier or free text leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from statistics import mean, median
from typing import Any

from domain import EndReason
from domain.errors import Invalid
from projections import statistics as facts
from projections.sql import Store
from projections.suppression import suppressed_cells

DEFAULT_THRESHOLD = 5
PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")
END_REASONS = tuple(reason.value for reason in EndReason)


@dataclass(frozen=True)
class Cell:
    name: str
    value: float | int | None  # None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class QAStatistics:
    programme_id: str
    period: str | None
    threshold: int
    cells: tuple[Cell, ...]

    def __getitem__(self, name: str) -> Cell:
        for c in self.cells:
            if c.name == name:
                return c
        raise KeyError(name)

    def as_dict(self) -> dict[str, float | int | None]:
        return {c.name: c.value for c in self.cells}


def period_bounds(period: str | None) -> tuple[str, str]:
    """[start, end) as ISO dates; the whole of time for None."""
    if period is None:
        return "0000", "9999"
    match = PERIOD.match(period.strip())
    if not match:
        raise Invalid("a period is a year (2026), a quarter (2026-Q3) or a month (2026-07)")
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat()
    first, months = (3 * int(part[1]) - 2, 3) if part.startswith("Q") else (int(part), 1)
    if not 1 <= first <= 12:
        raise Invalid("a month is 01 to 12")
    end_month = first + months
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return date(year, first, 1).isoformat(), end.isoformat()


class Table:
    """Cells under construction: counts grouped with their totals, then derived values."""

    def __init__(self, threshold: int) -> None:
        self.k = threshold
        self.values: dict[str, float | int | None] = {}
        self.hidden: set[str] = set()

    def total(self, name: str, count: int) -> None:
        self.values[name] = count
        if count < self.k:
            self.hidden.add(name)

    def group(self, total: str, counts: dict[str, int]) -> None:
        self.values.update(counts)
        self.hidden |= suppressed_cells(counts, self.k, total_shown=total not in self.hidden)

    def derived(self, name: str, value: float | None, *sources: str) -> None:
        self.values[name] = value
        if value is None or any(s in self.hidden for s in sources):
            self.hidden.add(name)

    def cells(self) -> tuple[Cell, ...]:
        return tuple(
            Cell(n, None if n in self.hidden else v, n in self.hidden) for n, v in self.values.items()
        )


def statistics_for(store: Store, programme_id: str, period: str | None) -> QAStatistics:
    start, end = period_bounds(period)
    found = store.query(f"SELECT threshold FROM {facts.PROGRAMMES.name} WHERE programme_id = ?", (programme_id,))
    k = int(found[0]["threshold"]) if found and found[0]["threshold"] else DEFAULT_THRESHOLD
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
        f"ON p.partnership_id = f.partnership_id JOIN {facts.CASES.name} c ON c.case_id = p.case_id WHERE {cohort}",
        window,
    )
    t = Table(k)
    _cases(t, cases, first_matches, partnerships)
    _partnerships(t, partnerships)
    _feedback(t, [int(r["rating"]) for r in ratings])
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
    t.total("eois_needing_approval", len(needing))
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
    t.derived("completion_rate", _rate(by_reason[f"ended_{EndReason.COMPLETED.value}"], len(ended)),
              f"ended_{EndReason.COMPLETED.value}", "partnerships_ended")


def _feedback(t: Table, ratings: list[int]) -> None:
    t.total("feedback_responses", len(ratings))
    cells = {f"rating_{n}": ratings.count(n) for n in range(1, 6)}
    t.group("feedback_responses", cells)
    t.derived("mean_rating", round(mean(ratings), 2) if ratings else None, "feedback_responses", *cells)
