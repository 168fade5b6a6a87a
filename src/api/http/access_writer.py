"""The access log's entries, written together: reads served at the same moment share one
INSERT and one commit (group commit), and each is answered only once its own entry is stored.

A request hands its entry over and waits. One writer task at a time takes every entry
waiting, writes them in one statement (in the thread pool: the database call blocks), and
then wakes their requests: each answers, or — if the write failed — answers 500 and not the
data, as a single read whose entry cannot be written would. Entries that came while a batch
was being written are the next batch. Under one reader at a time this is one INSERT a read,
as before; under many, one per batch, so the commits no longer queue behind each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool

from api.persistence.access_log import AccessEntry


class AccessWriter:
    def __init__(self, write: Callable[[Sequence[AccessEntry]], None]) -> None:
        self._write = write
        self._waiting: list[tuple[AccessEntry, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, entry: AccessEntry) -> None:
        """Returns once `entry` is stored; raises what storing it raised."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((entry, done))
        if self._writer is None:
            self._writer = asyncio.ensure_future(self._write_waiting())
        await done

    async def _write_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await run_in_threadpool(self._write, [entry for entry, _ in batch])
                except Exception as error:  # noqa: BLE001 - each reader of the batch fails with it
                    _settle(batch, error)
                else:
                    _settle(batch, None)
        finally:
            self._writer = None


def _settle(batch: list[tuple[AccessEntry, asyncio.Future[None]]], error: Any) -> None:
    for _, done in batch:
        if done.done():  # its request was cancelled (the client went away)
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
