"""Keys per data subject and per partnership, each wrapped by the master key.

A key is looked up by a reference such as ``subject:<person id>`` or
``partnership:<id>``. Destroying a key keeps a tombstone row (the reference and the
time), so nothing can quietly create a fresh key for an erased subject. Where the rows
live is a subclass's business: in memory here, in the database beside the events in
`api.persistence.keys`.
"""

from __future__ import annotations

import os
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import NotAllowed

KEY_BYTES = 32
NONCE_BYTES = 12


class SubjectErased(NotAllowed):
    """New protected data for a subject whose key was destroyed cannot be recorded."""


class KeyStore(ABC):
    """Creates, unwraps, caches and destroys data keys."""

    def __init__(self, master_key: bytes, cache_seconds: float = 60.0) -> None:
        if len(master_key) != KEY_BYTES:
            raise ValueError("the master key must be 32 bytes")
        self._master = AESGCM(master_key)
        self._cache: dict[str, tuple[bytes, float]] = {}
        self._destroyed: set[str] = set()
        self._cache_seconds = cache_seconds
        self._lock = threading.Lock()

    # -- the public face ------------------------------------------------------------------
    def key_for(self, ref: str, create: bool) -> bytes | None:
        """The data key for `ref`; None once destroyed (or never made, when not creating)."""
        cached = self._cached(ref)
        if cached is not None:
            return cached
        row = (b"", True) if ref in self._destroyed else self._select(ref)
        if row is None and create:
            self._insert(ref, self._wrap(ref, AESGCM.generate_key(KEY_BYTES * 8)))
            row = self._select(ref)
        if row is None:
            return None
        wrapped, destroyed = row
        if destroyed:
            with self._lock:
                self._destroyed.add(ref)
            if create:
                raise SubjectErased(f"the data of {ref.split(':')[0]} has been erased")
            return None
        key = self._unwrap(ref, wrapped)
        with self._lock:
            self._cache[ref] = (key, time.monotonic() + self._cache_seconds)
        return key

    def destroy(self, ref: str) -> bool:
        """Destroys the key for good. Returns False if there was no live key."""
        changed = self._tombstone(ref)
        with self._lock:
            self._cache.pop(ref, None)
            self._destroyed.add(ref)
        return changed

    def is_destroyed(self, ref: str) -> bool:
        row = self._select(ref)
        return row is not None and row[1]

    def _cached(self, ref: str) -> bytes | None:
        with self._lock:
            entry = self._cache.get(ref)
            if entry is None:
                return None
            key, expires = entry
            if expires < time.monotonic():
                del self._cache[ref]
                return None
            return key

    def _wrap(self, ref: str, key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._master.encrypt(nonce, key, ref.encode())

    def _unwrap(self, ref: str, wrapped: bytes) -> bytes:
        return self._master.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], ref.encode())

    # -- storage ------------------------------------------------------------------------------
    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def _select(self, ref: str) -> tuple[bytes, bool] | None:
        """(wrapped key, destroyed) for `ref`, or None."""

    @abstractmethod
    def _insert(self, ref: str, wrapped: bytes) -> None:
        """Inserts unless a row exists (a concurrent creator wins; both then read it)."""

    @abstractmethod
    def _tombstone(self, ref: str) -> bool: ...


class InMemoryKeyStore(KeyStore):
    def __init__(self, master_key: bytes, cache_seconds: float = 60.0) -> None:
        super().__init__(master_key, cache_seconds)
        self._rows: dict[str, tuple[bytes, bool]] = {}

    def create_table(self) -> None:
        pass

    def _select(self, ref: str) -> tuple[bytes, bool] | None:
        return self._rows.get(ref)

    def _insert(self, ref: str, wrapped: bytes) -> None:
        with self._lock:
            self._rows.setdefault(ref, (wrapped, False))

    def _tombstone(self, ref: str) -> bool:
        with self._lock:
            live = ref in self._rows and not self._rows[ref][1]
            self._rows[ref] = (b"", True)
            return live
