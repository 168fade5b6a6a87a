"""Transcodings that encrypt each protected value with its owner's key.

A `Personal` value is encrypted with the key of the subject it names (``subject:<id>``);
a `SpecialCategory` value with the subject's separate special-category key
(``special:<id>``), so withdrawing consent destroys those answers alone, and padded to a
fixed length first, so the ciphertext does not tell one answer from another; a
`Confidential` value with the key of its partnership. The owner id and the kind are bound
to the ciphertext as associated data. Once a key is destroyed the value decodes as
``ERASED`` and the rest of the event is untouched.

A read model keeps a personal value as the event stored it (`sealed`: JSON naming the
owner and the ciphertext), never decrypted; `open_sealed` opens it at the API edge, for the
roles allowed to see it. `seal` makes the same form for a value that is not in an event
(a person's identity in the registry). Destroying the owner's key erases every copy.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.protected import ERASED, Confidential, Personal, Protected, SpecialCategory
from retention.keystore import NONCE_BYTES, KeyStore

SPECIAL_PADDED_BYTES = 4096  # every special-category plaintext is padded to this length
PAD = b"\x00"  # JSON never holds a raw NUL, so the padding is stripped unambiguously


def key_ref(value: Protected) -> str:
    """Which key protects a value: its subject's, its subject's special-category key, or its partnership's."""
    if isinstance(value, Confidential):
        return f"partnership:{value.owner}"
    if isinstance(value, SpecialCategory):
        return f"special:{value.owner}"
    return f"subject:{value.owner}"


class ProtectedTranscoding(Transcoding):
    def __init__(self, protected_type: type[Protected], name: str, keys: KeyStore) -> None:
        self.type = protected_type
        self.name = name
        self.keys = keys

    def encode(self, obj: Protected) -> dict[str, Any]:
        if obj.is_erased:
            return {"o": obj.owner, "erased": True}
        encoded = {"o": obj.owner, "c": seal_bytes(self.keys, key_ref(obj), self._aad(obj.owner), self._plain(obj))}
        if self.type is SpecialCategory:
            encoded["k"] = "special"  # v2: its own key, padded; v1 values used the subject's key
        return encoded

    def decode(self, data: dict[str, Any]) -> Protected:
        owner = data["o"]
        if data.get("erased"):
            return self.type(owner, ERASED)
        if self.type is SpecialCategory and data.get("k") != "special":
            ref = f"subject:{owner}"  # v1 special-category values used the subject's key, unpadded
        else:
            ref = key_ref(self.type(owner, None))
        plain = open_bytes(self.keys, ref, self._aad(owner), data["c"])
        return self.type(owner, ERASED if plain is None else json.loads(plain.rstrip(PAD)))

    def _plain(self, obj: Protected) -> bytes:
        plain = json.dumps(obj.value, separators=(",", ":")).encode()
        if self.type is SpecialCategory:
            if len(plain) > SPECIAL_PADDED_BYTES:
                raise ValueError("special-category answers are longer than their padded length")
            plain += PAD * (SPECIAL_PADDED_BYTES - len(plain))
        return plain

    def _aad(self, owner: str) -> bytes:
        return f"{self.name}:{owner}".encode()


def seal_bytes(keys: KeyStore, ref: str, aad: bytes, plain: bytes) -> str:
    key = keys.key_for(ref, create=True)
    assert key is not None  # create=True either returns a key or raises SubjectErased
    nonce = os.urandom(NONCE_BYTES)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, aad)).decode()


def open_bytes(keys: KeyStore, ref: str, aad: bytes, sealed: str) -> bytes | None:
    """The plaintext, or None once the key is destroyed."""
    key = keys.key_for(ref, create=False)
    if key is None:
        return None
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)


def seal(keys: KeyStore, value: Personal) -> str:
    """A personal value sealed as an event stores it (JSON naming the owner and the ciphertext)."""
    data = json.dumps(value.value, separators=(",", ":")).encode()
    sealed = seal_bytes(keys, key_ref(value), f"personal:{value.owner}".encode(), data)
    return json.dumps({"o": value.owner, "c": sealed}, separators=(",", ":"))


def open_sealed(keys: KeyStore, sealed: str | None) -> Any:
    """A sealed personal value's plaintext; None for None, or once its owner's key is destroyed."""
    if sealed is None:
        return None
    data = json.loads(sealed)
    if data.get("erased"):
        return None
    if "clear" in data:  # recorded in clear before it was protected: no longer once its owner is erased
        return None if keys.is_destroyed(f"subject:{data['o']}") else data["clear"]
    plain = open_bytes(keys, f"subject:{data['o']}", f"personal:{data['o']}".encode(), data["c"])
    return None if plain is None else json.loads(plain)


def register_protection(transcoder: JSONTranscoder, keys: KeyStore) -> None:
    transcoder.register(ProtectedTranscoding(Personal, "personal", keys))
    transcoder.register(ProtectedTranscoding(SpecialCategory, "special", keys))
    transcoder.register(ProtectedTranscoding(Confidential, "confidential", keys))
