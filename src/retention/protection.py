"""Transcodings that encrypt each protected value with its owner's key.

A `Personal` or `SpecialCategory` value is encrypted with the key of the subject it
names; a `Confidential` value with the key of its partnership. The owner id and the
kind are bound to the ciphertext as associated data. Once a key is destroyed the
value decodes as ``ERASED`` and the rest of the event is untouched.
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


def key_ref(value: Protected) -> str:
    """Which key protects a value: its subject's, or its partnership's."""
    if isinstance(value, Confidential):
        return f"partnership:{value.owner}"
    return f"subject:{value.owner}"


class ProtectedTranscoding(Transcoding):
    def __init__(self, protected_type: type[Protected], name: str, keys: KeyStore) -> None:
        self.type = protected_type
        self.name = name
        self.keys = keys

    def encode(self, obj: Protected) -> dict[str, Any]:
        if obj.is_erased:
            return {"o": obj.owner, "erased": True}
        key = self.keys.key_for(key_ref(obj), create=True)
        assert key is not None  # create=True either returns a key or raises SubjectErased
        nonce = os.urandom(NONCE_BYTES)
        plaintext = json.dumps(obj.value, separators=(",", ":")).encode()
        sealed = nonce + AESGCM(key).encrypt(nonce, plaintext, self._aad(obj.owner))
        return {"o": obj.owner, "c": base64.b64encode(sealed).decode()}

    def decode(self, data: dict[str, Any]) -> Protected:
        owner = data["o"]
        if data.get("erased"):
            return self.type(owner, ERASED)
        key = self.keys.key_for(key_ref(self.type(owner, None)), create=False)
        if key is None:
            return self.type(owner, ERASED)
        sealed = base64.b64decode(data["c"])
        plaintext = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self._aad(owner))
        return self.type(owner, json.loads(plaintext))

    def _aad(self, owner: str) -> bytes:
        return f"{self.name}:{owner}".encode()


def register_protection(transcoder: JSONTranscoder, keys: KeyStore) -> None:
    transcoder.register(ProtectedTranscoding(Personal, "personal", keys))
    transcoder.register(ProtectedTranscoding(SpecialCategory, "special", keys))
    transcoder.register(ProtectedTranscoding(Confidential, "confidential", keys))
