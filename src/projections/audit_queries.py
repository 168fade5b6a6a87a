"""The auditor's index of the event log: which events belong to an object (or a programme),
and at which positions, read from the audit read model.

The audit read model holds every event's position, aggregate and version, so a position in
the log can be turned into an object's version ("what had happened to this case by position
1234") and an object's history can be paged by position. It follows the log within moments:
an object's events it does not hold yet are its newest, which a caller checks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections import audit, dashboard, mentors
from projections.audit_history import indexed_up_to
from projections.results import AuditEntry
from projections.sql import Store

MAX_PAGE = 1000


class AuditQueries:
    store: Store

    def audit_entries(self, aggregate_ids: Sequence[UUID | str], limit: int = 200, after: int = 0) -> list[AuditEntry]:
        """The events of these objects after position `after`, in log order."""
        ids = [str(i) for i in aggregate_ids]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        return self._entries(f"aggregate_id IN ({marks})", ids, limit, after)

    def programme_audit_entries(self, programme_id: UUID | str, limit: int = 200, after: int = 0) -> list[AuditEntry]:
        """The events of a programme and of every case, partnership and mentor record in it."""
        pid = str(programme_id)
        members = (
            f"aggregate_id = ? OR aggregate_id IN ("
            f"SELECT case_id FROM {dashboard.CASES.name} WHERE programme_id = ? "
            f"UNION ALL SELECT partnership_id FROM {dashboard.PARTNERSHIPS.name} WHERE programme_id = ? "
            f"UNION ALL SELECT mentor_id FROM {mentors.MENTORS.name} WHERE programme_id = ?)"
        )
        return self._entries(f"({members})", [pid, pid, pid, pid], limit, after)

    def event_positions(self, aggregate_id: UUID | str) -> list[tuple[int, int]]:
        """(version, position) of each of the object's events the index holds, oldest first."""
        rows = self.store.query(
            f"SELECT version, position FROM {audit.EVENTS.name} WHERE aggregate_id = ? ORDER BY version",
            (str(aggregate_id),),
        )
        return [(int(r["version"]), int(r["position"])) for r in rows]

    def last_recorded_by(self, at: datetime, head: int) -> int | None:
        """The last position of an event recorded at or before `at` (0 if none was): every event
        after it was recorded later. None when the index does not yet hold every event up to
        `head` (the log's last position), so cannot say."""
        if indexed_up_to(self.store) < head:
            return None
        rows = self.store.query(
            f"SELECT position FROM {audit.EVENTS.name} WHERE recorded_at <= ? ORDER BY position DESC LIMIT 1",
            (at.astimezone(UTC).isoformat(),),  # times are stored as ISO 8601 in UTC: text order is time order
        )
        return int(rows[0]["position"]) if rows else 0

    def _entries(self, where: str, params: list[Any], limit: int, after: int) -> list[AuditEntry]:
        rows = self.store.query(
            f"SELECT * FROM {audit.EVENTS.name} WHERE position > ? AND {where} ORDER BY position LIMIT ?",
            [int(after), *params, max(1, min(int(limit), MAX_PAGE))],
        )
        return [AuditEntry(**{k: r[k] for k in AuditEntry.__dataclass_fields__}) for r in rows]
