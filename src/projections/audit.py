"""The audit timeline: every event's time, type, aggregate, actor id and role.

No personal data and no content: details are read from the event store by authorised
callers. The handler never looks at an event's other attributes.
"""

from __future__ import annotations

from typing import Any

from projections.lifecycle import event_name, when
from projections.projection import Projection, Writer
from projections.rows import row
from projections.store import Table

EVENTS = Table("rm_audit_events", {
    "position": "BIGINT NOT NULL", "recorded_at": "TEXT", "event_type": "TEXT", "aggregate_type": "TEXT",
    "aggregate_id": "TEXT", "version": "BIGINT", "actor_id": "TEXT", "actor_role": "TEXT",
}, ("position",), indexes=(("aggregate_id", "position"),))


def _record(e: Any, w: Writer) -> None:
    aggregate_type, event_type = event_name(e)
    role = getattr(e, "actor_role", None)
    w.upsert(EVENTS, row(
        position=w.position, recorded_at=when(e), event_type=event_type, aggregate_type=aggregate_type,
        aggregate_id=e.originator_id, version=e.originator_version,
        actor_id=getattr(e, "actor_id", None), actor_role=getattr(role, "value", role),
    ))


class Audit(Projection):
    name = "audit"
    tables = (EVENTS,)
    catch_all = staticmethod(_record)
