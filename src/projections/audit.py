"""The audit timeline: every event's time, type, aggregate, actor id and role, and for whom.

No personal data and no content: details are read from the event store by authorised
callers. The handler never looks at an event's other attributes.
"""

from __future__ import annotations

from typing import Any

from projections.events import event_name, when
from projections.projection import Projection, Writer
from projections.rows import row
from projections.sql import Table

EVENTS = Table("rm_audit_events", {
    "position": "BIGINT NOT NULL", "recorded_at": "TEXT", "event_type": "TEXT", "aggregate_type": "TEXT",
    "aggregate_id": "TEXT", "version": "BIGINT", "actor_id": "TEXT", "actor_role": "TEXT", "on_behalf_of": "TEXT",
}, ("position",), indexes=(("aggregate_id", "position"), ("actor_id", "position"), ("event_type", "position"),
                            ("recorded_at", "position")))  # the history's selective filters (audit_history)


def _record(e: Any, w: Writer) -> None:
    aggregate_type, event_type = event_name(e)
    w.upsert(EVENTS, row(
        position=w.position, recorded_at=when(e), event_type=event_type, aggregate_type=aggregate_type,
        aggregate_id=e.originator_id, version=e.originator_version,
        actor_id=e.actor_id, actor_role=e.actor_role, on_behalf_of=e.on_behalf_of,
    ))


class Audit(Projection):
    name = "audit"
    tables = (EVENTS,)
    catch_all = staticmethod(_record)
