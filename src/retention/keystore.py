"""Keys per data subject, per subject's special-category answers and per partnership, each
wrapped by the master key.

A key is looked up by a reference such as ``subject:<person id>``, ``special:<person id>``
or ``partnership:<id>``. Destroying a key keeps a tombstone row (the reference and the
time), so nothing can quietly create a fresh key for an erased subject. Where the rows
live is a subclass's business: in memory here, in the database beside the events in
`api.persistence.keys`.

A process keeps an unwrapped key for `cache_seconds`, but re-reads its row before using
a cached key older than `recheck_seconds`, so a key destroyed by another process stops
being used within that time even if the notification of its destruction is lost.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import NotAllowed

KEY_BYTES = 32
NONCE_BYTES = 12
WRAP_FORMAT = b"W2"
KID_BYTES = 8


class SubjectErased(NotAllowed):
    """New protected data for a subject whose key was destroyed cannot be recorded."""


ERASED_MESSAGES = {
    "subject": "this person's data has been erased; nothing more can be recorded about them",
    "special": "this person withdrew consent to special-category answers; they can no longer be kept",
    "partnership": "this partnership's records have been erased",
}


class MasterKeys:
    """The master keys a process knows: the current one wraps every new key; any of them
    unwraps (so a rotation can proceed while keys wrapped by the previous one remain)."""

    def __init__(self, current: bytes, previous: Sequence[bytes] = ()) -> None:
        for key in (current, *previous):
            if len(key) != KEY_BYTES:
                raise ValueError("a master key is 32 bytes")
        self.current_id = key_id(current)
        self._current = AESGCM(current)
        self.previous = [k for k in previous if key_id(k) != self.current_id]
        self._by_id = {key_id(k): AESGCM(k) for k in (*previous, current)}

    def wrap(self, ref: str, key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return WRAP_FORMAT + self.current_id + nonce + self._current.encrypt(nonce, key, ref.encode())

    def unwrap(self, ref: str, wrapped: bytes) -> bytes:
        if wrapped.startswith(WRAP_FORMAT):
            kid, sealed = wrapped[2 : 2 + KID_BYTES], wrapped[2 + KID_BYTES :]
            master = self._by_id.get(kid)
            if master is None:
                raise LookupError("this key was wrapped by a master key this process does not hold")
            return master.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ref.encode())
        # wrapped before master keys were named: by whichever master key was current then
        for master in self._by_id.values():
            try:
                return master.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], ref.encode())
            except Exception:  # noqa: BLE001 - the next key may be the one
                continue
        raise LookupError("no master key this process holds unwraps this key")

    def wrapped_by_current(self, wrapped: bytes) -> bool:
        return wrapped.startswith(WRAP_FORMAT) and wrapped[2 : 2 + KID_BYTES] == self.current_id


def key_id(master: bytes) -> bytes:
    """Names a master key without revealing it."""
    return hashlib.sha256(b"trellis-master-key:" + master).digest()[:KID_BYTES]


class KeyStore(ABC):
    """Creates, unwraps, caches and destroys data keys."""

    def __init__(
        self, master: MasterKeys | bytes, cache_seconds: float = 60.0, recheck_seconds: float = 1.0,
    ) -> None:
        self.master = master if isinstance(master, MasterKeys) else MasterKeys(master)
        self._cache: dict[str, tuple[bytes, float, float]] = {}  # ref → (key, expires, checked)
        self._destroyed: set[str] = set()
        self._cache_seconds = cache_seconds
        self._recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self.on_forget: list[Callable[[Sequence[str]], None]] = []  # told of every key gone

    # -- the public face ------------------------------------------------------------------
    def key_for(self, ref: str, create: bool) -> bytes | None:
        """The data key for `ref`; None once destroyed (or never made, when not creating)."""
        cached = self._cached(ref)
        if cached is not None:
            return cached
        row = (b"", True) if ref in self._destroyed else self._select(ref)
        if row is None and create:
            self._insert(ref, self.master.wrap(ref, AESGCM.generate_key(KEY_BYTES * 8)))
            row = self._select(ref)
        if row is None:
            return None
        wrapped, destroyed = row
        if destroyed:
            self.forget([ref], destroyed=True)
            if create:
                raise SubjectErased(ERASED_MESSAGES.get(ref.split(":")[0], "that data has been erased"))
            return None
        key = self.master.unwrap(ref, wrapped)
        now = time.monotonic()
        with self._lock:
            self._cache[ref] = (key, now + self._cache_seconds, now)
        return key

    def destroy(self, ref: str) -> bool:
        """Destroys the key for good. Returns False if there was no live key."""
        return self.destroy_all([ref]) == 1

    def destroy_all(self, refs: Sequence[str], scrub: bool = True) -> int:
        """Destroys every key named, at once; returns how many were live. `scrub`: remove every
        old copy of the rows from the storage now (a batch of erasures may scrub once at its end)."""
        changed = self._tombstone_all(list(refs), scrub)
        self.forget(refs, destroyed=True)
        return changed

    def forget(self, refs: Iterable[str], destroyed: bool = False) -> None:
        """Drops keys from this process's cache (another process destroyed them, or this one did)."""
        refs = list(refs)
        with self._lock:
            for ref in refs:
                self._cache.pop(ref, None)
            if destroyed:
                self._destroyed.update(refs)
        for listener in self.on_forget:
            listener(refs)

    def live(self, refs: Sequence[str]) -> set[str]:
        """Which of these keys exist and are not destroyed."""
        return self._live(sorted(set(refs)), destroyed=False) if refs else set()

    def destroyed(self, refs: Sequence[str]) -> set[str]:
        """Which of these keys were destroyed."""
        return self._live(sorted(set(refs)), destroyed=True) if refs else set()

    def is_destroyed(self, ref: str) -> bool:
        row = self._select(ref)
        return row is not None and row[1]

    def cached_refs(self) -> int:
        with self._lock:
            return len(self._cache)

    def rewrap(self, new: MasterKeys) -> int:
        """Re-wraps every live key under `new`'s current master key; returns how many. Keys
        already wrapped by it are left as they are, so a rotation stopped half-way resumes."""
        done = 0
        for ref, wrapped in self._live_rows():
            if new.wrapped_by_current(wrapped):
                continue
            self._rewrite(ref, new.wrap(ref, self.master.unwrap(ref, wrapped)))
            done += 1
        self.master = new
        with self._lock:
            self._cache.clear()
        return done

    def _cached(self, ref: str) -> bytes | None:
        now = time.monotonic()
        with self._lock:
            entry = self._cache.get(ref)
            if entry is None:
                return None
            key, expires, checked = entry
            if expires < now:
                del self._cache[ref]
                return None
            if now - checked <= self._recheck_seconds:
                return key
        row = self._select(ref)  # older than the recheck window: is it still live?
        if row is None or row[1]:
            self.forget([ref], destroyed=row is not None)
            return None
        with self._lock:
            if ref in self._cache:
                self._cache[ref] = (key, expires, now)
        return key

    # -- storage ------------------------------------------------------------------------------
    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def _select(self, ref: str) -> tuple[bytes, bool] | None:
        """(wrapped key, destroyed) for `ref`, or None."""

    @abstractmethod
    def _insert(self, ref: str, wrapped: bytes) -> None:
        """Inserts unless a row exists (a concurrent creator wins; both then read it)."""

    def scrub(self) -> None:
        """Removes old copies of destroyed keys' rows from the storage (see `destroy_all`)."""

    @abstractmethod
    def _tombstone_all(self, refs: list[str], scrub: bool) -> int:
        """Destroys the keys (a tombstone stays, new refs included) so that nothing of the key
        material stays readable in the storage; returns how many were live."""

    @abstractmethod
    def _live_rows(self) -> Iterator[tuple[str, bytes]]: ...

    @abstractmethod
    def _live(self, refs: list[str], destroyed: bool) -> set[str]:
        """The refs among these whose rows are live (or, `destroyed`, tombstones)."""

    @abstractmethod
    def _rewrite(self, ref: str, wrapped: bytes) -> None: ...


class InMemoryKeyStore(KeyStore):
    def __init__(self, master: MasterKeys | bytes, cache_seconds: float = 60.0, recheck_seconds: float = 1.0) -> None:
        super().__init__(master, cache_seconds, recheck_seconds)
        self._rows: dict[str, tuple[bytes, bool]] = {}

    def create_table(self) -> None:
        pass

    def _select(self, ref: str) -> tuple[bytes, bool] | None:
        return self._rows.get(ref)

    def _insert(self, ref: str, wrapped: bytes) -> None:
        with self._lock:
            self._rows.setdefault(ref, (wrapped, False))

    def _tombstone_all(self, refs: list[str], scrub: bool) -> int:
        with self._lock:
            live = sum(1 for ref in refs if ref in self._rows and not self._rows[ref][1])
            self._rows.update({ref: (b"", True) for ref in refs})
            return live

    def _live_rows(self) -> Iterator[tuple[str, bytes]]:
        with self._lock:
            rows = [(ref, wrapped) for ref, (wrapped, destroyed) in self._rows.items() if not destroyed]
        yield from rows

    def _live(self, refs: list[str], destroyed: bool) -> set[str]:
        return {ref for ref in refs if ref in self._rows and self._rows[ref][1] is destroyed}

    def _rewrite(self, ref: str, wrapped: bytes) -> None:
        with self._lock:
            if ref in self._rows and not self._rows[ref][1]:
                self._rows[ref] = (wrapped, False)


def subkey(server_key: bytes, purpose: str) -> bytes:
    """A key for one purpose (registry lookups, idempotency fingerprints) from the server key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=f"trellis:{purpose}".encode()).derive(
        server_key
    )
