"""The `eventsourcing` application Trellis is built on, with its storage adapted.

Per-owner encryption is wired into the transcoder; the person registry sits beside the
keys; the aggregate cache hands each command a private copy; an aggregate just saved
becomes the cached one; snapshots are taken from it rather than by re-reading its events;
several aggregates are saved in one atomic write, and a concurrent change is a `Conflict`.
A long-running process follows erasures made by others (`follow_erasures`): a destroyed
key or an unlinked person is dropped from its caches, and its aggregate cache is emptied.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError, Application, LRUCache, ProcessingEvent, project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from api.persistence.access_log import AccessLog, access_log_for
from api.persistence.chain_history import create_chain, events_table
from api.persistence.checkpoints import CHECKPOINTS, VERIFICATIONS
from api.persistence.copies import copy_aggregate
from api.persistence.idempotency import IdempotencyStore, idempotency_store_for
from api.persistence.keys import KEYS_CHANNEL, key_store_for
from api.persistence.people import person_registry_for
from domain import Conflict, Mentor, NotFound, Partnership, Programme
from projections.listener import Listener
from projections.sql import Store
from retention.keystore import KeyStore, MasterKeys, subkey
from retention.people import PersonRegistry
from retention.protection import open_sealed, register_protection

A = TypeVar("A", bound=Aggregate)
CONFLICT = "someone else changed this at the same time; reload and try again"


class EventStore(Application[UUID]):
    name = "trellis"
    snapshotting_intervals = {Partnership: 50, Mentor: 50, Programme: 100}  # noqa: RUF012

    def __init__(
        self, env: dict[str, str] | None = None, *, master_key: bytes | MasterKeys, server_key: bytes,
        key_cache_seconds: float = 60.0, key_recheck_seconds: float = 1.0,
    ) -> None:
        self._master = master_key if isinstance(master_key, MasterKeys) else MasterKeys(master_key)
        self._key_cache = (key_cache_seconds, key_recheck_seconds)
        self.server_key = server_key
        self.keys: KeyStore
        self._erasure_listener: Listener | None = None
        super().__init__(env)
        self.people: PersonRegistry = person_registry_for(self.factory, self.keys, subkey(server_key, "lookup"))
        self.idempotency: IdempotencyStore = idempotency_store_for(self.factory)
        self.access_log: AccessLog = access_log_for(self.factory)
        self.fingerprint_key = subkey(server_key, "fingerprint")
        self.keys.on_forget.append(lambda _: self._empty_aggregate_cache())

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        self.keys = key_store_for(self.factory, self._master, *self._key_cache)
        register_protection(transcoder, self.keys)

    def open_sealed(self, sealed: str | None) -> Any:
        """A personal value a read model keeps sealed, opened; None once its subject is erased."""
        return open_sealed(self.keys, sealed)

    def follow_erasures(self) -> None:
        """PostgreSQL: drop keys and people from this process's caches as soon as any process
        erases them. (SQLite serves one process; keys are re-checked anyway after a second.)"""
        datastore = getattr(self.factory, "datastore", None)
        if self._erasure_listener is None and getattr(datastore, "pool", None) is not None \
                and type(datastore).__module__.endswith("postgres"):
            self._erasure_listener = Listener(datastore, KEYS_CHANNEL, self._erased_elsewhere)

    def _erased_elsewhere(self, payload: str | None) -> None:
        refs = (payload or "").split("\n") if payload else []
        people = [ref.split(":", 1)[1] for ref in refs if ref.startswith(("person:", "subject:"))]
        self.people.evict(people)
        self.keys.forget([ref for ref in refs if not ref.startswith("person:")], destroyed=True)
        self._empty_aggregate_cache()

    def _empty_aggregate_cache(self) -> None:
        """Cached aggregates hold decrypted values: after an erasure none of them is kept."""
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            self.repository.cache = LRUCache(cache.maxsize)

    def close(self) -> None:
        if self._erasure_listener is not None:
            self._erasure_listener.stop()
        super().close()

    def create_tables(self) -> None:
        """The one explicit step that creates the tables of events, snapshots, keys, people,
        idempotency records and the access log (`trellis db init`)."""
        recorders = [self.recorder] + ([self.snapshots.recorder] if self.snapshots else [])
        for recorder in recorders:
            if hasattr(recorder, "create_table"):
                recorder.create_table()
        self.keys.create_table()
        self.people.create_table()
        self.idempotency.create_table()
        self.access_log.create_table()
        store = Store.beside(self.recorder)
        if store is not None:
            create_chain(store, events_table(self.recorder))  # and links a history recorded before it
            store.create(CHECKPOINTS, VERIFICATIONS)

    def load(self, cls: type[A], aggregate_id: UUID) -> A:
        """A private copy for one command: the cached aggregate is never handed out, so a
        command refused half-way changes nothing that another command or thread will see."""
        try:
            if self.repository.cache is None:
                aggregate = self.repository.get(aggregate_id)
            else:
                aggregate = copy_aggregate(self.repository.get(aggregate_id, deepcopy_from_cache=False))
        except AggregateNotFoundError:
            raise NotFound(f"no {cls.__name__.lower()} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__.lower()} {aggregate_id}")
        return aggregate

    def commit(self, *aggregates: Aggregate | None, conflict: str = CONFLICT) -> int:
        """Saves atomically and returns the notification id of the last event written; a
        concurrent change (or a duplicate natural key) is a `Conflict`."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise Conflict(conflict) from None
        if not recordings:
            raise RuntimeError("a command that succeeds records at least one event")
        self._cache_saved(aggregates)
        return recordings[-1].notification.id

    def _cache_saved(self, aggregates: tuple[Aggregate | None, ...]) -> None:
        """The saved state becomes the cached one, so the next load need not decode (and decrypt)
        the events just written. Loads still fast-forward from it, so a change by another worker
        is never missed. A service must not change an aggregate after committing it."""
        if self.repository.cache is not None:
            for aggregate in aggregates:
                if aggregate is not None:
                    self.repository.cache.put(aggregate.id, aggregate)

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshots from the aggregate just saved, when it stands at the snapshot's version,
        rather than the library's way of re-reading (and decrypting) its events; otherwise
        (several events of one aggregate saved at once, past the interval) the library's way."""
        if not (self.snapshots and self.snapshotting_intervals):
            return
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if aggregate is None or interval is None or event.originator_version % interval:
                continue
            if aggregate.version == event.originator_version and type(aggregate) not in self.snapshotting_projectors:
                snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
                self.snapshots.put([snapshot_class.take(aggregate)])
            else:
                projector = self.snapshotting_projectors.get(type(aggregate), project_aggregate)
                self.take_snapshot(event.originator_id, event.originator_version, projector)
