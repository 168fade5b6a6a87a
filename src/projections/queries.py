"""The query side: plain methods returning frozen data, read from the read models only.

`ReadModels(store, opener=...)` is what the API and the CLI use. Nothing here returns
session content, special-category data or anything outside each read model's allow-list.
Names and directory profiles are kept sealed under their subject's key; `opener` (given by
the API, which holds the keys) opens them as they are read, and an erased subject's read
as None.
"""

from __future__ import annotations

import threading

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain import MentorStatus, Slot, Stage
from domain.case import WAITING_FOR_MATCH
from domain.errors import NotFound
from projections import audit, dashboard, line_managers, mentors
from projections.audit_queries import AuditQueries
from projections.board_queries import DEFAULT_STALE_DAYS, BoardQueries
from projections.data_protection_queries import DataProtectionQueries
from projections.qa import QAStatistics, statistics_for
from projections.results import (
    ActionQueues, AuditEntry, CaseSummary, DirectoryEntry, LineManagerCase, MentorCapacity, PartnershipSummary,
    Position, QueueItem,
)
from projections.sql import Store

__all__ = [
    "ActionQueues", "AuditEntry", "CaseSummary", "DirectoryEntry", "LineManagerCase", "MentorCapacity",
    "PartnershipSummary", "Position", "QAStatistics", "QueueItem", "ReadModels",
]


# -- the queries ----------------------------------------------------------------------------------
CASE_SELECT = f"""
    SELECT c.*, mp.name AS mentee_name, m.name AS mentor_name, p.status AS partnership_status
    FROM {dashboard.CASES.name} c
    LEFT JOIN {dashboard.PEOPLE.name} mp ON mp.subject_id = c.mentee_id
    LEFT JOIN {dashboard.MENTORS.name} dm ON dm.mentor_id = c.mentor_id
    LEFT JOIN {dashboard.PEOPLE.name} m ON m.subject_id = dm.person_id
    LEFT JOIN {dashboard.PARTNERSHIPS.name} p ON p.partnership_id = c.partnership_id
"""
PARTNERSHIP_SELECT = f"""
    SELECT p.*, mp.name AS mentee_name, m.name AS mentor_name,
           (SELECT COUNT(*) FROM {dashboard.SESSIONS.name} s WHERE s.partnership_id = p.partnership_id) AS sessions,
           (SELECT MAX(held_on) FROM {dashboard.SESSIONS.name} s WHERE s.partnership_id = p.partnership_id) AS last_session_on
    FROM {dashboard.PARTNERSHIPS.name} p
    LEFT JOIN {dashboard.PEOPLE.name} mp ON mp.subject_id = p.mentee_id
    LEFT JOIN {dashboard.MENTORS.name} dm ON dm.mentor_id = p.mentor_id
    LEFT JOIN {dashboard.PEOPLE.name} m ON m.subject_id = dm.person_id
"""


Opener = Callable[[str | None], Any]
DASHBOARD_TRACKING = f"rm_{dashboard.Dashboard.name}_tracking"
COUNTED_PROGRAMMES = 64
UNREAD = object()  # the dashboard's position, not yet read  # the programmes whose stage counts are kept at once


def cannot_open(sealed: str | None) -> Any:
    if sealed is None:
        return None
    raise RuntimeError("these read models were given no way to open sealed personal values")


class ReadModels(BoardQueries, AuditQueries, DataProtectionQueries):
    """Every query the API and the CLI need, each returning frozen dataclasses."""

    def __init__(self, store: Store, clock: Any = None, opener: Opener = cannot_open) -> None:
        self.store = store
        self._now = clock or (lambda: datetime.now(UTC))
        self._open = opener
        self._counted: dict[str, tuple[int, dict[str, int]]] = {}  # programme → (dashboard position, counts)
        self._boards: dict = {}
        self._board_read = threading.Lock()

    # -- admin dashboard ----------------------------------------------------------------------
    def stage_counts(self, programme_id: UUID | str, position: Any = UNREAD) -> dict[str, int]:
        """The number of cases at every stage of the programme (zeros included).

        Counting a programme of 100,000 cases reads every one of them, so the counts are kept
        per programme for as long as the dashboard read model stays at the position they were
        counted at: its rows change only with its position, in the same transaction. A caller
        that has just read that position passes it."""
        if position is UNREAD:
            position = self._dashboard_position()
        cached = self._counted.get(str(programme_id))
        if cached is not None and cached[0] == position:
            return dict(cached[1])
        counts = {stage.value: 0 for stage in Stage}
        rows = self.store.query(
            f"SELECT stage, COUNT(*) AS n FROM {dashboard.CASES.name} WHERE programme_id = ? GROUP BY stage",
            (str(programme_id),),
        )
        counts.update({r["stage"]: int(r["n"]) for r in rows if r["stage"]})
        if position is not None:
            if len(self._counted) >= COUNTED_PROGRAMMES:
                self._counted.clear()
            self._counted[str(programme_id)] = (position, counts)
        return dict(counts)

    def _dashboard_position(self) -> int | None:
        rows = self.store.query(f"SELECT position FROM {DASHBOARD_TRACKING} WHERE id = 1", ())
        return int(rows[0]["position"]) if rows else None

    def cases(
        self, programme_id: UUID | str, stage: str | None = None, limit: int | None = None,
        after: tuple[str, str] | None = None,
    ) -> list[CaseSummary]:
        """In submission order; with `limit`, that many after the case whose (submitted_at,
        case_id) is `after` (keyset paging: a case recorded meanwhile shifts no page)."""
        sql, params = CASE_SELECT + " WHERE c.programme_id = ?", [str(programme_id)]
        if stage is not None:
            sql, params = sql + " AND c.stage = ?", [*params, stage]
        sql, params = _after(sql, params, "c.submitted_at", "c.case_id", after)
        return [self._case(r) for r in self.store.query(sql + " ORDER BY c.submitted_at, c.case_id" + _limit(limit), params)]

    def case_summary(self, case_id: UUID | str) -> CaseSummary:
        rows = self.store.query(CASE_SELECT + " WHERE c.case_id = ?", (str(case_id),))
        if not rows:
            raise NotFound(f"no case {case_id}")
        return self._case(rows[0])

    def partnership_summary(self, partnership_id: UUID | str) -> PartnershipSummary:
        rows = self.store.query(PARTNERSHIP_SELECT + " WHERE p.partnership_id = ?", (str(partnership_id),))
        if not rows:
            raise NotFound(f"no partnership {partnership_id}")
        return self._partnership(rows[0])

    def partnerships(
        self, programme_id: UUID | str, status: str | None = None, limit: int | None = None,
        after: tuple[str, str] | None = None,
    ) -> list[PartnershipSummary]:
        """In the order they were formed; paged by (formed_at, partnership_id) as `cases` is."""
        sql, params = PARTNERSHIP_SELECT + " WHERE p.programme_id = ?", [str(programme_id)]
        if status is not None:
            sql, params = sql + " AND p.status = ?", [*params, status]
        sql, params = _after(sql, params, "p.formed_at", "p.partnership_id", after)
        return [self._partnership(r) for r in
                self.store.query(sql + " ORDER BY p.formed_at, p.partnership_id" + _limit(limit), params)]

    def cases_waiting(self, programme_id: UUID | str) -> int:
        """How many of the programme's cases wait for a match (what extensions are weighed against)."""
        stages = [s.value for s in WAITING_FOR_MATCH]
        found = self.store.query(
            f"SELECT COUNT(*) AS n FROM {dashboard.CASES.name} WHERE programme_id = ? "
            f"AND stage IN ({', '.join('?' for _ in stages)})", [str(programme_id), *stages],
        )
        return int(found[0]["n"])

    # -- mentors ---------------------------------------------------------------------------------
    def mentor_capacity(self, programme_id: UUID | str) -> list[MentorCapacity]:
        return [self._capacity(r) for r in self._mentors("m.programme_id = ?", [str(programme_id)])]

    def mentor(self, mentor_id: UUID | str) -> MentorCapacity:
        rows = self._mentors("m.mentor_id = ?", [str(mentor_id)])
        if not rows:
            raise NotFound(f"no mentor {mentor_id}")
        return self._capacity(rows[0])

    def directory(
        self, programme_id: UUID | str, sector: str | None = None, region: str | None = None,
        expertise: str | None = None, available_only: bool = False, limit: int | None = None,
        after: str | None = None,
    ) -> list[DirectoryEntry]:
        """The programme's mentors in the pool, filtered after their sealed profiles are opened
        (the read model holds no profile in clear to filter on), in name order. With `limit`,
        that many after the mentor `after` (by id: a cursor never carries a name), wherever that
        mentor now sorts, even if they have left the pool."""
        rows = self._mentors("m.programme_id = ? AND m.status = ?", [str(programme_id), MentorStatus.IN_POOL.value])
        if after is not None:
            rows = [r for r in rows if _by_name(r) > self._name_key(after)]
        entries = []
        for r in rows:
            profile = self._open(r["profile"]) or {}
            entries.append(DirectoryEntry(
                r["mentor_id"], r["programme_id"], r["name"], profile.get("headline"), profile.get("bio"),
                tuple(profile.get("expertise", ())), profile.get("sector"), profile.get("region"), _free(r),
            ))
        wanted = {"sector": sector, "region": region}
        return [
            e for e in entries
            if all(not v or (getattr(e, k) or "").casefold() == v.casefold() for k, v in wanted.items())
            and (not expertise or expertise.casefold() in {t.casefold() for t in e.expertise})
            and (e.free > 0 or not available_only)
        ][:limit]

    def _name_key(self, mentor_id: str) -> tuple:
        """Where a mentor sorts in name order (the one whose id is given, in the pool or not)."""
        rows = self.store.query(f"SELECT mentor_id, name FROM {mentors.MENTORS.name} WHERE mentor_id = ?", [mentor_id])
        return _by_name({"mentor_id": mentor_id, "name": self._open(rows[0]["name"]) if rows else None})

    def _mentors(self, where: str, params: list[Any]) -> list[dict[str, Any]]:
        """Rows with their names opened, in name order (names are sealed, so sorted here)."""
        slots = mentors.SLOTS.name
        rows = self.store.query(
            f"SELECT m.*, "
            f"(SELECT COUNT(*) FROM {slots} s WHERE s.mentor_id = m.mentor_id AND s.state = ?) AS confirmed, "
            f"(SELECT COUNT(*) FROM {slots} s WHERE s.mentor_id = m.mentor_id AND s.state = ?) AS held "
            f"FROM {mentors.MENTORS.name} m WHERE {where}",
            [Slot.CONFIRMED.value, Slot.HELD.value, *params],
        )
        rows = [r | {"name": self._open(r["name"])} for r in rows]
        return sorted(rows, key=_by_name)

    # -- line managers -------------------------------------------------------------------------
    def line_manager_reports(self, line_manager_id: str) -> list[LineManagerCase]:
        rows = self.store.query(
            f"SELECT c.*, m.name AS mentor_name FROM {line_managers.CASES.name} c "
            f"LEFT JOIN {line_managers.MENTORS.name} m ON m.mentor_id = c.mentor_id "
            "WHERE c.line_manager_id = ? ORDER BY c.submitted_at, c.case_id", (line_manager_id,),
        )
        return [
            LineManagerCase(r["case_id"], r["mentee_id"], r["programme_id"], r["stage"], _progress(r),
                            r["submitted_at"], r["stage_since"], r["started_on"], r["ended_at"],
                            self._open(r["mentor_name"]))
            for r in rows
        ]

    # -- QA statistics -------------------------------------------------------------------------
    def statistics(self, programme_id: UUID | str, period: str) -> QAStatistics:
        """Anonymised, suppressed aggregates for the cases whose EOI fell in `period`, a calendar
        quarter ("2026-Q3"), under the programme's threshold or the DPO's floor, whichever is higher."""
        return statistics_for(self.store, str(programme_id), period, self._open, floor=self.statistics_floor())

    # -- audit ---------------------------------------------------------------------------------
    def audit_timeline(
        self, aggregate_id: UUID | str | None = None, limit: int = 100, after: int = 0
    ) -> list[AuditEntry]:
        where, params = "position > ?", [int(after)]
        if aggregate_id is not None:
            where, params = where + " AND aggregate_id = ?", [*params, str(aggregate_id)]
        rows = self.store.query(
            f"SELECT * FROM {audit.EVENTS.name} WHERE {where} ORDER BY position LIMIT ?",
            [*params, max(1, min(int(limit), 1000))],
        )
        return [AuditEntry(**{k: r[k] for k in AuditEntry.__dataclass_fields__}) for r in rows]


    # -- rows to results, sealed names opened ----------------------------------------------------
    def _case(self, r: dict[str, Any]) -> CaseSummary:
        return CaseSummary(
            r["case_id"], r["programme_id"], r["mentee_id"], self._open(r["mentee_name"]), r["line_manager_id"],
            r["stage"], r["stage_since"], r["submitted_at"], bool(r["priority"]), r["closed_reason"], r["mentor_id"],
            self._open(r["mentor_name"]), r["partnership_id"], r["partnership_status"],
            r["eoi_recorded_by"], r["matching_request_recorded_by"], r["withdrawal_recorded_by"],
        )

    def _partnership(self, r: dict[str, Any]) -> PartnershipSummary:
        return PartnershipSummary(
            r["partnership_id"], r["case_id"], r["programme_id"], r["mentee_id"], self._open(r["mentee_name"]),
            r["mentor_id"], self._open(r["mentor_name"]), r["status"], r["formed_at"], r["started_on"],
            bool(r["mentee_signed"]), bool(r["mentor_signed"]), int(r["sessions"]), r["last_session_on"],
            r["extension_requested_at"] is not None, r["extension_requested_at"], r["ended_at"], r["end_reason"],
            r["feedback_requested_at"] is not None, int(r["mentee_feedback"] or 0) + int(r["mentor_feedback"] or 0),
            r["mentee_signature_recorded_by"], r["mentor_signature_recorded_by"],
        )

    @staticmethod
    def _capacity(r: dict[str, Any]) -> MentorCapacity:
        """From a row of `_mentors`, whose name is already opened."""
        return MentorCapacity(r["mentor_id"], r["programme_id"], r["name"], r["status"], int(r["capacity"] or 0),
                              int(r["confirmed"]), int(r["held"]), _free(r),
                              r["status_recorded_by"], r["capacity_recorded_by"])


def _free(r: dict[str, Any]) -> int:
    return max(int(r["capacity"] or 0) - int(r["confirmed"]) - int(r["held"]), 0)


def _progress(r: dict[str, Any]) -> str:
    stage, reason = r["stage"], r["closed_reason"]
    if stage == Stage.AWAITING_LINE_MANAGER:
        return "awaiting_approval"
    if stage == Stage.CLOSED:
        return {"declined": "declined", "withdrawn": "withdrawn"}.get(reason or "", "finished")
    if stage == Stage.MATCHED:
        return "active" if r["started_on"] else "matched"  # LineManagerCase.progress: its own vocabulary
    return "matching"


def _by_name(r: dict[str, Any]) -> tuple:
    """Name order (names opened), the nameless (erased) last, ties by id."""
    return (r["name"] is None, (r["name"] or "").casefold(), r["mentor_id"])


def _after(sql: str, params: list[Any], order: str, tie: str, after: tuple[str, str] | None) -> tuple[str, list[Any]]:
    """Keyset paging: only rows after (`order`, `tie`) = `after` in that order."""
    if after is None:
        return sql, params
    return sql + f" AND ({order} > ? OR ({order} = ? AND {tie} > ?))", [*params, after[0], after[0], after[1]]


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"
