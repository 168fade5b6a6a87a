"""The tamper-evident history over HTTP: checkpoints as documents, verifications as verdicts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.http.schemas.common import Body

HEX64 = r"^[0-9a-f]{64}$"


class CheckpointDocument(Body):
    """A signed checkpoint of the hash chain, to keep outside Trellis: Ed25519 over `signed`."""

    format: Literal["trellis-checkpoint/1"]
    position: int = Field(ge=0, le=2**63 - 1, description="The event log position it vouches for.", examples=[1234])
    link: str = Field(pattern=HEX64, description="The chain's link at that position, hex.")
    taken_at: str = Field(max_length=40, examples=["2026-11-25T13:40:00.000000+00:00"])
    algorithm: Literal["Ed25519"] = "Ed25519"
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="The first 16 hex digits of SHA-256(public key).")
    public_key: str = Field(max_length=64, description="The signing key's public half: 32 bytes, base64.")
    signed: str | None = Field(default=None, max_length=200, description="The exact text signed.")
    signature: str = Field(max_length=128, description="64 bytes, base64.")


class VerificationRequest(Body):
    checkpoints: list[CheckpointDocument] = Field(
        default_factory=list, max_length=100,
        description="Checkpoints kept outside Trellis to hold the history against; each must be signed by "
                    "this Trellis's key.")


class VerificationPublic(BaseModel):
    """A verification of the history: who ran it, when, and what it found."""

    verified_at: str
    verified_by: str = Field(description="The opaque id of who ran it.")
    role: str
    ok: bool
    verified: int = Field(description="Events whose links were recomputed and matched.")
    head: int = Field(description="The last position verified.")
    head_link: str
    position: int | None = Field(description="The first broken position; null when the history verifies.")
    problem: Literal["changed", "missing", "reordered", "inserted", "truncated"] | None
    detail: str
    checkpoints: int = Field(description="Checkpoints the history was held against.")
