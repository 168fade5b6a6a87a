"""Signed checkpoints of the hash chain, and the record of every verification.

A checkpoint is the chain's head — its position and link — and the time, signed with the
audit signing key (Ed25519). As a document (JSON) it names its format, algorithm, key id
and public key, and carries the exact text that was signed, so an auditor can keep it
outside Trellis and check it with any Ed25519 tool:

    signed = "trellis-checkpoint/1 <position> <link, hex> <taken_at, ISO 8601 UTC>"
    key_id = the first 16 hex digits of SHA-256(public key, 32 raw bytes)

Checkpoints are kept in `trellis_checkpoints` (rows are only ever added); each verification
(who, when, the verdict) in `trellis_chain_verifications`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from api.persistence.chain_verify import Mark
from domain.errors import Invalid
from projections.sql import Store, Table

FORMAT = "trellis-checkpoint/1"
ALGORITHM = "Ed25519"
CHECKPOINTS = Table("trellis_checkpoints", {
    "checkpoint_id": "TEXT NOT NULL", "seq": "BIGINT NOT NULL", "position": "BIGINT NOT NULL", "link": "TEXT NOT NULL",
    "taken_at": "TEXT NOT NULL", "key_id": "TEXT NOT NULL", "public_key": "TEXT NOT NULL", "signature": "TEXT NOT NULL",
}, ("checkpoint_id",), indexes=(("seq",),))
VERIFICATIONS = Table("trellis_chain_verifications", {
    "verification_id": "TEXT NOT NULL", "seq": "BIGINT NOT NULL", "verified_at": "TEXT NOT NULL", "actor_id": "TEXT NOT NULL",
    "actor_role": "TEXT NOT NULL", "ok": "INTEGER NOT NULL", "verified": "BIGINT NOT NULL", "head": "BIGINT NOT NULL",
    "head_link": "TEXT NOT NULL", "position": "BIGINT", "problem": "TEXT", "detail": "TEXT NOT NULL",
    "checkpoints": "INTEGER NOT NULL",
}, ("verification_id",), indexes=(("seq",),))
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")


class BadCheckpoint(Invalid):
    """A checkpoint that is malformed, signed by another key, or whose signature fails."""


@dataclass(frozen=True)
class Checkpoint:
    position: int
    link: str  # hex
    taken_at: str  # ISO 8601, UTC
    key_id: str
    public_key: str  # base64 of the 32 raw bytes
    signature: str  # base64 of the 64 bytes

    @property
    def signed(self) -> str:
        return f"{FORMAT} {self.position} {self.link} {self.taken_at}"

    def document(self) -> dict[str, Any]:
        return {"format": FORMAT, "position": self.position, "link": self.link, "taken_at": self.taken_at,
                "algorithm": ALGORITHM, "key_id": self.key_id, "public_key": self.public_key,
                "signed": self.signed, "signature": self.signature}

    @classmethod
    def from_document(cls, doc: Any) -> Checkpoint:
        """Shape only (`SigningKey.check` checks the signature); `BadCheckpoint` says what is wrong."""
        if not isinstance(doc, dict):
            raise BadCheckpoint("a checkpoint is a JSON object")
        if doc.get("format") != FORMAT or doc.get("algorithm", ALGORITHM) != ALGORITHM:
            raise BadCheckpoint(f"not a checkpoint: its format must be {FORMAT!r}, signed with {ALGORITHM}")
        fields = {name: doc.get(name) for name in ("position", "link", "taken_at", "key_id", "public_key", "signature")}
        if not (isinstance(fields["position"], int) and not isinstance(fields["position"], bool)
                and fields["position"] >= 0 and all(isinstance(fields[n], str) for n in fields if n != "position")
                and _HEX64.fullmatch(fields["link"]) and _KEY_ID.fullmatch(fields["key_id"])
                and len(fields["taken_at"]) <= 40 and fields["taken_at"].isprintable()):
            raise BadCheckpoint("a malformed checkpoint: it needs a position (a whole number), a link (64 hex "
                                "digits), taken_at, a key_id (16 hex digits), a public_key and a signature")
        checkpoint = cls(**fields)
        if doc.get("signed") not in (None, checkpoint.signed):  # optional: it follows from the fields
            raise BadCheckpoint("a malformed checkpoint: the text it says was signed does not match its fields")
        return checkpoint

    def mark(self) -> Mark:
        return Mark(self.position, bytes.fromhex(self.link), self.taken_at)

    def holds(self) -> bool:
        """Whether the signature is good under the public key the checkpoint names."""
        try:
            public = Ed25519PublicKey.from_public_bytes(_b64(self.public_key, 32))
            public.verify(_b64(self.signature, 64), self.signed.encode())
        except (InvalidSignature, ValueError):
            return False
        return key_id(_b64(self.public_key, 32)) == self.key_id


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def _b64(value: str, length: int) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if len(raw) != length:
        raise ValueError(f"not {length} bytes")
    return raw


class SigningKey:
    """The audit signing key (an Ed25519 private key from its 32-byte seed)."""

    def __init__(self, seed: bytes) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key, self.key_id = base64.b64encode(raw).decode(), key_id(raw)

    def sign(self, position: int, link: bytes, taken_at: str) -> Checkpoint:
        unsigned = Checkpoint(position, link.hex(), taken_at, self.key_id, self.public_key, "")
        signature = self._private.sign(unsigned.signed.encode())
        return Checkpoint(position, link.hex(), taken_at, self.key_id, self.public_key,
                          base64.b64encode(signature).decode())

    def check(self, checkpoint: Checkpoint) -> Checkpoint:
        """The checkpoint, if this key signed it; otherwise `BadCheckpoint` says why not."""
        if checkpoint.key_id != self.key_id or checkpoint.public_key != self.public_key:
            raise BadCheckpoint(f"the checkpoint taken {checkpoint.taken_at} was signed by another key (key id "
                                f"{checkpoint.key_id}); this Trellis signs with key id {self.key_id}")
        if not checkpoint.holds():
            raise BadCheckpoint(f"the checkpoint taken {checkpoint.taken_at} does not match its signature: it was "
                                "altered after it was signed")
        return checkpoint


class AuditRecords:
    """The checkpoints and the verifications, in the same database as the events."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create_tables(self) -> None:
        self.store.create(CHECKPOINTS, VERIFICATIONS)

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._append(CHECKPOINTS, {
            "checkpoint_id": uuid4().hex, "position": checkpoint.position, "link": checkpoint.link,
            "taken_at": checkpoint.taken_at, "key_id": checkpoint.key_id, "public_key": checkpoint.public_key,
            "signature": checkpoint.signature,
        })

    def latest_checkpoints(self, limit: int) -> list[Checkpoint]:
        rows = self.store.query(f"SELECT position, link, taken_at, key_id, public_key, signature "
                                f"FROM {CHECKPOINTS.name} ORDER BY seq DESC LIMIT ?", (limit,))
        return [Checkpoint(int(r["position"]), r["link"], r["taken_at"], r["key_id"], r["public_key"], r["signature"])
                for r in rows]

    def add_verification(self, row: dict[str, Any]) -> None:
        self._append(VERIFICATIONS, {"verification_id": uuid4().hex, **row})

    def last_verification(self) -> dict[str, Any] | None:
        rows = self.store.query(f"SELECT * FROM {VERIFICATIONS.name} ORDER BY seq DESC LIMIT 1")
        return rows[0] if rows else None

    def _append(self, table: Table, row: dict[str, Any]) -> None:
        """One more row, numbered after the last (`seq`: the order they were added in)."""
        columns = list(row)
        self.store.execute(
            f"INSERT INTO {table.name} ({', '.join(columns)}, seq) SELECT {', '.join('?' for _ in columns)}, "
            f"COALESCE(MAX(seq), 0) + 1 FROM {table.name}", [row[c] for c in columns])
