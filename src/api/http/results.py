"""What a command endpoint answers: the id it acted on and the event log's head after it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Depends

from api.application import Trellis
from api.http.idempotency import idempotency_key
from api.http.problems import responses
from api.http.schemas.common import Created, Done


def done(trellis: Trellis, object_id: UUID) -> Done:
    return Done(id=object_id, position=trellis.recorder.max_notification_id())


def created(trellis: Trellis, object_id: UUID) -> Created:
    return Created(id=object_id, position=trellis.recorder.max_notification_id())


def command(summary: str, description: str = "", *extra: int) -> dict[str, Any]:
    """The keyword arguments every command route shares: its docs, errors and idempotency."""
    return {
        "summary": summary,
        "description": description or summary + ".",
        "dependencies": [Depends(idempotency_key)],
        "responses": responses(404, 409, *extra),
    }
