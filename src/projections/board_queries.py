"""The pipeline board's action queues, each read with its own query, oldest first.

With `limit`, a queue holds its `limit` oldest items (what waits longest comes first) and
`queue_sizes` says how many wait in all, so a board over a programme of 100,000 cases reads
a few pages of rows, not every case and partnership. Without `limit` a queue holds every item
(the board as it was on a past day is built from small temporary tables that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain import EndReason, PartnershipStatus, Stage
from domain.case import OPEN_PROPOSAL, WAITING_FOR_MATCH
from projections import dashboard
from projections.results import ActionQueues, QueueItem

DEFAULT_STALE_DAYS = 30
BOARDS_KEPT = 64
NEVER = datetime.max.replace(tzinfo=UTC)
CASES, PARTNERSHIPS, SESSIONS = dashboard.CASES.name, dashboard.PARTNERSHIPS.name, dashboard.SESSIONS.name
PEOPLE = dashboard.PEOPLE.name
CASE_QUEUES = {
    "eois_awaiting_line_manager": (Stage.AWAITING_LINE_MANAGER,),
    "awaiting_match": tuple(WAITING_FOR_MATCH),
    "proposals_awaiting_outcome": tuple(OPEN_PROPOSAL),
}
# The last contact with an active pair: their last session, else the start, else the forming.
LAST_CONTACT = (f"COALESCE((SELECT MAX(s.held_on) FROM {SESSIONS} s WHERE s.partnership_id = p.partnership_id), "
                "p.started_on, p.formed_at)")
# Each partnership queue: (what its items wait since, which partnerships are in it); `?` in order:
# the statuses and reasons in PARTNERSHIP_PARAMS, and the stale cut-off last.
PARTNERSHIP_QUEUES = {
    "agreements_awaiting_signature": ("p.formed_at", "p.status = ?"),
    "extensions_pending": ("p.extension_requested_at", "p.extension_requested_at IS NOT NULL"),
    "awaiting_feedback": ("p.ended_at", "p.status = ? AND (p.end_reason IS NULL OR p.end_reason <> ?) "
                                        "AND COALESCE(p.mentee_feedback, 0) + COALESCE(p.mentor_feedback, 0) < 2"),
    "stale_partnerships": (LAST_CONTACT, f"p.status = ? AND {LAST_CONTACT} <= ?"),
}
PARTNERSHIP_PARAMS = {
    "agreements_awaiting_signature": (PartnershipStatus.AWAITING_SIGNATURES.value,),
    "extensions_pending": (),
    "awaiting_feedback": (PartnershipStatus.ENDED.value, EndReason.REMATCHED.value),
    "stale_partnerships": (PartnershipStatus.ACTIVE.value,),
}


@dataclass(frozen=True)
class KeptBoard:
    position: int  # the dashboard read model's, when read
    until: datetime  # the first moment the clock changes it: an age ticks over, a partnership turns stale
    board: tuple


class BoardQueries:
    store: Any
    _now: Any
    _open: Any  # opens a sealed name for the board's reader
    _boards: dict  # (programme, stale days, limit) → KeptBoard
    _board_read: Any  # a lock: one board read afresh at a time
    stage_counts: Any  # the stage counts (at a position already read)

    def board(self, programme_id: UUID | str, stale_after_days: int = DEFAULT_STALE_DAYS,
              limit: int | None = None, at_least: int | None = None) -> tuple[dict[str, int], ActionQueues, dict[str, int]]:
        """The stage counts, the action queues and their sizes. The board changes only when the
        dashboard read model moves (its rows change with its position, in one transaction) or
        when the clock reaches a moment that changes it: an item's age in days ticks over, an
        active partnership turns stale. So it is read once and the same answer (the same object)
        given again until one of those happens; many administrators watching a board of 100,000
        cases cost one reading of it, not one each. Once the clock has moved it on at the same
        position, one request reads it afresh while the others are given the previous answer.

        `at_least`: a position the answer must reflect (the read position the caller announces,
        known without a query): a board kept from that position or later is answered without
        asking the database where the dashboard is."""
        key = (str(programme_id), stale_after_days, limit)
        if at_least is not None and (found := self.kept_board(key, at_least)) is not None:
            return found
        position = self._dashboard_position()

        def kept() -> tuple[tuple, bool] | None:
            """The board last read, if read at this position; with whether the clock has left it unchanged."""
            found = self._boards.get(key)
            if found is None or found.position != position:
                return None
            return found.board, self._now() < found.until

        found = kept()
        if found is not None:
            if found[1] or not self._board_read.acquire(blocking=False):
                return found[0]  # unchanged; or another request is reading it afresh, its ages a moment old
        else:
            self._board_read.acquire()  # one reading at a time: those waiting then find it read
        try:
            found = kept()
            if found is not None and found[1]:
                return found[0]
            return self._read_board(key, position)
        finally:
            self._board_read.release()

    def kept_board(self, key: tuple, at_least: int) -> tuple | None:
        """From memory alone: the board kept for `key` if it was read at `at_least` or later and the
        clock has not changed it since; else None."""
        found = self._boards.get(key)
        if found is None or found.position is None or found.position < at_least or self._now() >= found.until:
            return None
        return found.board

    def _read_board(self, key: tuple, position: int | None) -> tuple:
        programme_id, stale_after_days, limit = key
        moment = self._now()
        counts = self.stage_counts(programme_id, position)
        queues = self.action_queues(programme_id, stale_after_days=stale_after_days, limit=limit)
        board = (counts, queues, self.queue_sizes(programme_id, counts, stale_after_days=stale_after_days))
        if position is not None:
            until = min(_next_tick(queues), self._next_stale(programme_id, stale_after_days, moment))
            if len(self._boards) >= BOARDS_KEPT:
                self._boards.clear()
            self._boards[key] = KeptBoard(position, until, board)
        return board

    def _next_stale(self, programme_id: str, stale_after_days: int, moment: datetime) -> datetime:
        """When the next active partnership turns stale (its last contact passes the cut-off), if none
        changes before; `NEVER` when none is due to."""
        since, where = PARTNERSHIP_QUEUES["stale_partnerships"]
        cutoff = _iso(moment - timedelta(days=stale_after_days))
        rows = self.store.query(
            f"SELECT MIN({since}) AS since FROM {PARTNERSHIPS} p "
            f"WHERE p.programme_id = ? AND p.status = ? AND {since} > ?",
            [programme_id, PartnershipStatus.ACTIVE.value, cutoff],
        )
        first = rows[0]["since"] if rows else None
        return NEVER if not first else _moment(first) + timedelta(days=stale_after_days)

    def action_queues(
        self, programme_id: UUID | str, stale_after_days: int = DEFAULT_STALE_DAYS, limit: int | None = None,
    ) -> ActionQueues:
        pid, now = str(programme_id), self._now()
        cutoff = _iso(now - timedelta(days=stale_after_days))
        queues = {name: self._case_queue(pid, stages, now, limit) for name, stages in CASE_QUEUES.items()}
        for name, (since, where) in PARTNERSHIP_QUEUES.items():
            params = [pid, *PARTNERSHIP_PARAMS[name], *([cutoff] if name == "stale_partnerships" else [])]
            queues[name] = self._partnership_queue(since, where, params, now, limit)
        return ActionQueues(programme_id=pid, stale_after_days=stale_after_days, **queues)

    def queue_sizes(self, programme_id: UUID | str, stage_counts: dict[str, int],
                    stale_after_days: int = DEFAULT_STALE_DAYS) -> dict[str, int]:
        """How many items wait in each queue: the case queues from the stage counts, the
        partnership queues counted in one query."""
        sizes = {name: sum(stage_counts.get(s.value, 0) for s in stages) for name, stages in CASE_QUEUES.items()}
        cutoff = _iso(self._now() - timedelta(days=stale_after_days))
        counts, params = [], []
        for name, (_, where) in PARTNERSHIP_QUEUES.items():
            counts.append(f"SUM(CASE WHEN {where} THEN 1 ELSE 0 END) AS {name}")
            params += [*PARTNERSHIP_PARAMS[name], *([cutoff] if name == "stale_partnerships" else [])]
        row = self.store.query(f"SELECT {', '.join(counts)} FROM {PARTNERSHIPS} p WHERE p.programme_id = ?",
                               [*params, str(programme_id)])[0]
        return sizes | {name: int(row[name] or 0) for name in PARTNERSHIP_QUEUES}

    def _case_queue(self, pid: str, stages: tuple[Stage, ...], now: datetime, limit: int | None) -> tuple:
        # One ordered read per stage, each walking the (programme, stage, since) index for its
        # oldest `limit`, merged: a queue of 85,000 waiting cases is not sorted to show 50.
        oldest = " UNION ALL ".join(
            f"SELECT * FROM (SELECT case_id, stage_since, priority, mentee_id FROM {CASES} "
            f"WHERE programme_id = ? AND stage = ? ORDER BY stage_since, case_id{_limit(limit)}) s{n}"
            for n, _ in enumerate(stages))
        rows = self.store.query(
            f"SELECT c.case_id, c.stage_since, c.priority, mp.name AS mentee_name FROM ({oldest}) c "
            f"LEFT JOIN {PEOPLE} mp ON mp.subject_id = c.mentee_id "
            f"ORDER BY c.stage_since, c.case_id{_limit(limit)}", [v for s in stages for v in (pid, s.value)],
        )
        return tuple(QueueItem(r["case_id"], None, r["stage_since"], _age(r["stage_since"], now), bool(r["priority"]),
                               self._open(r["mentee_name"])) for r in rows)

    def _partnership_queue(self, since: str, where: str, params: list, now: datetime, limit: int | None) -> tuple:
        rows = self.store.query(
            f"SELECT p.case_id, p.partnership_id, {since} AS since, mp.name AS mentee_name FROM {PARTNERSHIPS} p "
            f"LEFT JOIN {PEOPLE} mp ON mp.subject_id = p.mentee_id "
            f"WHERE p.programme_id = ? AND {where} ORDER BY since, p.partnership_id{_limit(limit)}", params,
        )
        return tuple(QueueItem(r["case_id"], r["partnership_id"], r["since"], _age(r["since"], now),
                               mentee_name=self._open(r["mentee_name"])) for r in rows)


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


def _iso(moment: datetime) -> str:
    """As the read models write a moment (ISO 8601, UTC), so text compares in time order; a
    day ('2026-05-01') compares as its midnight."""
    return moment.isoformat()


def _moment(since: str) -> datetime:
    """A moment as the read models write it; a date as its midnight (UTC)."""
    moment = datetime.fromisoformat(since)
    if moment.tzinfo is None:  # a date
        moment = datetime.combine(moment.date(), datetime.min.time(), UTC)
    return moment


def _age(since: str | None, now: datetime) -> int:
    return max((now - _moment(since)).days, 0) if since else 0


def _next_tick(queues: ActionQueues) -> datetime:
    """The first moment an item's age in days ticks over (`NEVER` for no item)."""
    ticks = [_moment(item.since) + timedelta(days=item.age_days + 1)
             for name in (*CASE_QUEUES, *PARTNERSHIP_QUEUES) for item in getattr(queues, name) if item.since]
    return min(ticks, default=NEVER)
