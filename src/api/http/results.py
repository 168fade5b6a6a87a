"""What a command endpoint answers: the id it acted on and the position of its last event."""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from api.http.idempotency import idempotency_key
from api.http.problems import responses
from api.http.schemas.common import Created, Done
from api.services import Recorded


def done(recorded: Recorded) -> Done:
    return Done(id=recorded.id, position=recorded.position)


def created(recorded: Recorded) -> Created:
    return Created(id=recorded.id, position=recorded.position)


def command(summary: str, description: str = "", *extra: int) -> dict[str, Any]:
    """The keyword arguments every command route shares: its docs, errors and idempotency."""
    return {
        "summary": summary,
        "description": description or summary + ".",
        "dependencies": [Depends(idempotency_key)],
        "responses": responses(404, 409, *extra),
    }
