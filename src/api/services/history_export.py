"""A filtered programme history exported as CSV or JSON Lines, with the signed checkpoint it
verifies against: the export runs through that checkpoint's position and no further, so every
row it holds is in the history the checkpoint vouches for (`trellis audit verify --checkpoint
FILE` checks the stored history against it). With no checkpoint signed yet, the export runs
through the last event the history index holds, and says that nothing vouches for it.

Rows are read a page at a time (by position, never by offset) and written out as they come.
Each row is what the auditor's history shows: the event's name, its object, the actor's
opaque id and role, for whom, and when — never personal data or content.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from api.persistence.checkpoints import CHECKPOINTS, Checkpoint
from api.services.timelines import recorded_by_administrator
from domain import NotAllowed, NotFound
from projections.audit_history import MAX_PAGE, HistoryFilter, indexed_up_to, stream
from projections.results import AuditEntry
from projections.sql import Store

FORMAT = "trellis-history-export/1"
COLUMNS = ["position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version", "actor_id",
           "actor_role", "on_behalf_of", "recorded_by_administrator"]
UNVOUCHED = ("no checkpoint has been signed yet, so nothing vouches for this export: sign one with "
             "`trellis audit checkpoint` (or on a schedule) and export again")


@dataclass(frozen=True)
class HistoryExport:
    wanted: HistoryFilter
    through: int  # the last position exported: the checkpoint's, or the index's head without one
    checkpoint: Checkpoint | None

    def header(self) -> dict[str, Any]:
        """The export's first JSON line: what it is, what it was filtered by, and its checkpoint."""
        filters = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(self.wanted).items()}
        return {"format": FORMAT, "through_position": self.through,
                "filters": {k: v for k, v in filters.items() if v is not None},
                "checkpoint": self.checkpoint.document() if self.checkpoint else None,
                "verify": ("trellis audit verify --checkpoint CHECKPOINT.json" if self.checkpoint else UNVOUCHED)}

    def filename(self, extension: str) -> str:
        return f"trellis-history-through-{self.through}.{extension}"


def plan_export(index: Store, checkpoints: Store, wanted: HistoryFilter, checkpoint: int | None,
                latest: list[Checkpoint]) -> HistoryExport:
    """Through the checkpoint at position `checkpoint` (NotFound if none was signed there), or by
    default the latest one; refused while the history index has not reached it."""
    chosen = _checkpoint_at(checkpoints, checkpoint) if checkpoint is not None else (latest[0] if latest else None)
    head = indexed_up_to(index)
    if chosen is None:
        return HistoryExport(wanted, head, None)
    if head < chosen.position:
        raise NotAllowed(f"the history index has reached position {head}, not yet the checkpoint's "
                         f"{chosen.position}: try again in a moment")
    return HistoryExport(wanted, chosen.position, chosen)


def csv_chunks(index: Store, export: HistoryExport) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, entry in enumerate(stream(index, export.wanted, export.through), start=1):
        writer.writerow(["true" if v is True else "false" if v is False else v for v in _row(entry)])
        if n % MAX_PAGE == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def jsonl_chunks(index: Store, export: HistoryExport) -> Iterator[str]:
    lines = [json.dumps(export.header(), separators=(",", ":"))]
    for entry in stream(index, export.wanted, export.through):
        lines.append(json.dumps(dict(zip(COLUMNS, _row(entry), strict=True)), separators=(",", ":")))
        if len(lines) >= MAX_PAGE:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _row(entry: AuditEntry) -> list[Any]:
    values = asdict(entry)
    return [*(values[c] for c in COLUMNS[:-1]), recorded_by_administrator(entry)]


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _checkpoint_at(store: Store, position: int) -> Checkpoint:
    rows = store.query(f"SELECT position, link, taken_at, key_id, public_key, signature FROM {CHECKPOINTS.name} "
                       "WHERE position = ? ORDER BY seq DESC LIMIT 1", (position,))
    if not rows:
        raise NotFound(f"no checkpoint was signed at position {position}")
    r = rows[0]
    return Checkpoint(int(r["position"]), r["link"], r["taken_at"], r["key_id"], r["public_key"], r["signature"])
