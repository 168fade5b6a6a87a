"""Unit fixtures: the domain and its services on in-memory persistence."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from domain import NotAllowed
from lifecycle import World


@pytest.fixture
def world(memory_app) -> World:
    """A self-selected programme with line-manager approval and two exploratory conversations."""
    return World.create(memory_app, exploratory_conversations=2)


@pytest.fixture
def refused(memory_app):
    """`with refused(Error):` — the command raises that error and writes nothing at all."""

    @contextmanager
    def check(error: type[Exception] = NotAllowed, match: str | None = None) -> Iterator[None]:
        before = memory_app.recorder.max_notification_id()
        with pytest.raises(error, match=match):
            yield
        assert memory_app.recorder.max_notification_id() == before, "a refused command wrote events"

    return check
