"""Decoding events for the read models, with protected content left sealed.

The runner decodes with a copy of the application's mapper in which `Confidential`
and `SpecialCategory` values are never decrypted: they decode as `WITHHELD`, whatever
key exists. So no projection can read session notes or special-category answers,
even by mistake — and rows refuse them anyway (`projections.rows`). `Personal` values
decode as `Deferred`: a read model keeps one (a name, a directory profile) as the event
stored it, still encrypted under its subject's key (`rows.sealed`), and the API opens it
for the roles allowed to see it (or, for a feedback rating, to count it). Destroying the
key erases the read models' copies too.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding

from domain.protected import Confidential, Personal, Protected, SpecialCategory

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


class Deferred:
    """A personal value still encrypted: `stored` is its sealed form."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @property
    def stored(self) -> dict[str, Any]:
        """The value as the event stores it: its owner and its ciphertext."""
        return self._data

    def __repr__(self) -> str:
        return "DEFERRED"


class DeferredTranscoding(Transcoding):
    name = "personal"
    type = Personal

    def encode(self, obj: Any) -> Any:
        raise TypeError("the read models never write events")

    def decode(self, data: dict[str, Any]) -> Personal:
        return Personal(data["o"], Deferred(data))


def sealed_mapper(mapper: Mapper[Any]) -> Mapper[Any]:
    """The application's mapper, except that confidential and special values stay sealed."""
    source = mapper.transcoder
    if not isinstance(source, JSONTranscoder) or not {*SEALED_NAMES, "personal"} <= set(source.names):
        raise TypeError("the application's transcoder does not register the protected types")
    transcoder = JSONTranscoder()
    for transcoding in source.names.values():
        transcoder.register(transcoding)
    for name, protected_type in SEALED_NAMES.items():
        transcoder.register(SealedTranscoding(protected_type, name))
    transcoder.register(DeferredTranscoding())
    return Mapper(transcoder=transcoder, compressor=mapper.compressor, cipher=mapper.cipher)
