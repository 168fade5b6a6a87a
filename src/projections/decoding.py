"""Decoding events for the read models, with confidential content left sealed.

The runner decodes with a copy of the application's mapper in which `Confidential`
and `SpecialCategory` values are never decrypted: they decode as `WITHHELD`, whatever
key exists. So no projection can read session notes or special-category answers,
even by mistake — and rows refuse them anyway (`projections.rows`).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding

from domain.protected import Confidential, Protected, SpecialCategory

SEALED_NAMES = {"confidential": Confidential, "special": SpecialCategory}


class Withheld:
    """What a sealed value holds in the projection process."""

    def __repr__(self) -> str:
        return "WITHHELD"

    def __bool__(self) -> bool:
        return False


WITHHELD = Withheld()


class SealedTranscoding(Transcoding):
    def __init__(self, protected_type: type[Protected], name: str) -> None:
        self.type = protected_type
        self.name = name

    def encode(self, obj: Any) -> Any:
        raise TypeError("the read models never write events")

    def decode(self, data: dict[str, Any]) -> Protected:
        return self.type(data["o"], WITHHELD)


def sealed_mapper(mapper: Mapper[Any]) -> Mapper[Any]:
    """The application's mapper, except that confidential and special values stay sealed."""
    source = mapper.transcoder
    if not isinstance(source, JSONTranscoder) or not set(SEALED_NAMES) <= set(source.names):
        raise TypeError("the application's transcoder does not register the protected types")
    transcoder = JSONTranscoder()
    for transcoding in source.names.values():
        transcoder.register(transcoding)
    for name, protected_type in SEALED_NAMES.items():
        transcoder.register(SealedTranscoding(protected_type, name))
    return Mapper(transcoder=transcoder, compressor=mapper.compressor, cipher=mapper.cipher)
