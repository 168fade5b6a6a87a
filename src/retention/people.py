"""The person registry: the one erasable link between an identity and a person's opaque id.

Inside Trellis a person is an opaque id (``p-`` and 32 hex digits): events, read models,
the audit trail and idempotency records hold that and nothing else. Only here is it linked
to an identity — an identity provider's `sub`, an e-mail address — and only pseudonymously:
a row holds an HMAC of the identity under the server key (the lookup) and the identity
itself encrypted under the person's own key. Erasing a person deletes the row: the link
is gone for good, and a later sign-in with the same identity starts a new person.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable

from domain.errors import Invalid
from domain.protected import Personal
from retention.keystore import KeyStore
from retention.protection import open_sealed, seal

MAX_IDENTITY = 320
CACHE = 10_000


def new_person_id() -> str:
    return f"p-{uuid.uuid4().hex}"


class PersonRegistry(ABC):
    def __init__(self, keys: KeyStore, lookup_key: bytes) -> None:
        self.keys = keys
        self._lookup_key = lookup_key
        self._cache: OrderedDict[str, str] = OrderedDict()  # lookup → person id
        self._lock = threading.Lock()

    def person_for(self, identity: str, create: bool = True) -> str | None:
        """The opaque id of the person with this identity; made on first sight when `create`."""
        lookup = self._lookup(identity)
        with self._lock:
            if lookup in self._cache:
                self._cache.move_to_end(lookup)
                return self._cache[lookup]
        person = self._select(lookup)
        if person is None and create:
            self.link(identity, new_person_id())
            person = self._select(lookup)
        if person is not None:
            self._remember(lookup, person)
        return person

    def cached(self, identity: str) -> str | None:
        """The person id this process holds for the identity, without touching storage; None
        when it holds none (then `person_for` looks it up)."""
        lookup = self._lookup(identity)
        with self._lock:
            person = self._cache.get(lookup)
            if person is not None:
                self._cache.move_to_end(lookup)
            return person

    def link(self, identity: str, person_id: str) -> str:
        """Links an identity to a given person id (a new person, or — when upgrading a store
        whose history names people by their identity — that id itself). A link that exists wins."""
        lookup = self._lookup(identity)
        self._insert(lookup, person_id, seal(self.keys, Personal(person_id, identity)))
        return self._select(lookup) or person_id

    def identity_of(self, person_id: str) -> str | None:
        """The identity linked to a person (for their subject-access export); None once erased."""
        return open_sealed(self.keys, self._select_identity(person_id))

    def is_linked(self, person_id: str) -> bool:
        return self._select_identity(person_id) is not None

    def unlink(self, person_id: str, scrub: bool = True) -> int:
        """Erasure: the person's link is deleted (`scrub`: and no old copy of it left in the
        storage); returns how many rows went."""
        return self.unlink_all([person_id], scrub).get(person_id, 0)

    def unlink_all(self, person_ids: list[str], scrub: bool = True) -> dict[str, int]:
        """`unlink` for many people in one statement; returns the rows removed per person."""
        removed = self._delete(sorted(set(person_ids)), scrub) if person_ids else {}
        self.evict(person_ids)
        return removed

    def evict(self, person_ids: Iterable[str]) -> None:
        """Drops cached links to these people (another process erased them)."""
        gone = set(person_ids)
        with self._lock:
            for lookup in [k for k, v in self._cache.items() if v in gone]:
                del self._cache[lookup]

    def _lookup(self, identity: str) -> str:
        if not isinstance(identity, str) or not identity.strip() or len(identity) > MAX_IDENTITY:
            raise Invalid(f"an identity has 1 to {MAX_IDENTITY} characters")
        return hmac.new(self._lookup_key, identity.strip().encode(), hashlib.sha256).hexdigest()

    def _remember(self, lookup: str, person: str) -> None:
        with self._lock:
            self._cache[lookup] = person
            while len(self._cache) > CACHE:
                self._cache.popitem(last=False)

    # -- storage ------------------------------------------------------------------------------
    def scrub(self) -> None:
        """Removes old copies of unlinked rows from the storage (see `unlink`)."""

    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def _select(self, lookup: str) -> str | None: ...

    @abstractmethod
    def _select_identity(self, person_id: str) -> str | None: ...

    @abstractmethod
    def _insert(self, lookup: str, person_id: str, sealed_identity: str) -> None:
        """Inserts unless the lookup exists (a concurrent first sight wins; both then read it)."""

    @abstractmethod
    def _delete(self, person_ids: list[str], scrub: bool) -> dict[str, int]: ...


class InMemoryPersonRegistry(PersonRegistry):
    def __init__(self, keys: KeyStore, lookup_key: bytes) -> None:
        super().__init__(keys, lookup_key)
        self._rows: dict[str, tuple[str, str]] = {}  # lookup → (person id, sealed identity)

    def create_table(self) -> None:
        pass

    def _select(self, lookup: str) -> str | None:
        row = self._rows.get(lookup)
        return None if row is None else row[0]

    def _select_identity(self, person_id: str) -> str | None:
        return next((sealed for person, sealed in self._rows.values() if person == person_id), None)

    def _insert(self, lookup: str, person_id: str, sealed_identity: str) -> None:
        with self._lock:
            self._rows.setdefault(lookup, (person_id, sealed_identity))

    def _delete(self, person_ids: list[str], scrub: bool) -> dict[str, int]:
        wanted, removed = set(person_ids), {}
        with self._lock:
            for lookup, (person, _) in list(self._rows.items()):
                if person in wanted:
                    del self._rows[lookup]
                    removed[person] = removed.get(person, 0) + 1
        return removed
