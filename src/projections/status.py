"""Where each read model stands: its tracked position, the head of the event log, the lag."""

from __future__ import annotations

from typing import Any

from projections import PROJECTIONS
from projections.results import Position
from projections.sql import Store


def positions(recorder: Any, store: Store | None = None) -> list[Position]:
    store = store or Store.of(recorder)
    head = recorder.max_notification_id() or 0
    result = []
    for cls in PROJECTIONS:
        projection = cls()
        with store.transaction(commit=False) as cursor:
            result.append(Position(projection.name, projection.position(cursor), head))
    return result
