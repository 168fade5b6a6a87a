"""The tamper-evident history, for auditors: signed checkpoints of the hash chain, and its
verification, recorded with who ran it and when.

A checkpoint signs the chain's head (position, link) and the time with the audit signing
key, once the events since the last good checkpoint verify (a broken history is never
signed). Verifying recomputes every link (`api.persistence.chain_verify`) and holds the
history against the checkpoints given — which must be signed by this Trellis's key — and
the latest one stored here; the verdict is recorded whatever it says. Checkpoints a caller
gives are checked before anything is read or written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.persistence.chain import GENESIS
from api.persistence.chain_history import FIRST, History, events_table, snapshot
from api.persistence.chain_verify import Verdict, verify_chain
from api.persistence.checkpoints import AuditRecords, BadCheckpoint, Checkpoint, SigningKey
from api.persistence.event_store import EventStore
from domain import Actor, Invalid, NotAllowed
from projections.sql import Store

STORED_TO_TRY = 10


@dataclass(frozen=True)
class Verification:
    verified_at: str
    actor_id: str
    actor_role: str
    ok: bool
    verified: int
    head: int
    head_link: str
    position: int | None
    problem: str | None
    detail: str
    checkpoints: int


class ChainAudit(EventStore):
    signing_key: SigningKey | None = None  # from TRELLIS_AUDIT_SIGNING_KEY (api.bootstrap)
    verify_processes: int = 1  # from TRELLIS_AUDIT_VERIFY_PROCESSES (api.bootstrap)
    _audit_records: AuditRecords | None = None

    # -- checkpoints --------------------------------------------------------------------------
    def take_checkpoint(self) -> Checkpoint:
        """Signs the head, once the events since the last good checkpoint verify (all of them, held
        against the latest checkpoint of this Trellis's, if its link is no longer the one stored);
        `NotAllowed` (nothing signed) if they do not."""
        key = self._signing_key()
        with self._chain_snapshot() as history:
            start = self._trusted_start(history)
            latest = self._latest_of_ours()
            marks = [latest.mark()] if latest else []  # a history rewritten before it is not signed over
            verdict = verify_chain(history, after=start.position if start else FIRST,
                                   previous=start.mark().link if start else GENESIS, marks=marks,
                                   processes=self.verify_processes)
        if not verdict.ok:
            raise NotAllowed(f"the history is broken at position {verdict.position} ({verdict.problem}): "
                             "no checkpoint is signed over it; run a verification to see what is wrong")
        checkpoint = key.sign(verdict.head, bytes.fromhex(verdict.head_link), _utc(self.clock()))
        self.audit_records.add_checkpoint(checkpoint)
        return checkpoint

    def checkpoint_if_due(self, every_minutes: float) -> Checkpoint | None:
        """A checkpoint when the last is `every_minutes` old or more and events came since."""
        latest = self._latest_of_ours()
        if latest and self.clock() - datetime.fromisoformat(latest.taken_at) < timedelta(minutes=every_minutes):
            return None
        with self._chain_snapshot() as history:
            head = history.head()[0]
        if latest and latest.position == head:
            return None
        return self.take_checkpoint()

    def _latest_of_ours(self) -> Checkpoint | None:
        return next((c for c in self.latest_checkpoints(STORED_TO_TRY) if self._ours(c)), None)

    def latest_checkpoints(self, limit: int = 20) -> list[Checkpoint]:
        return self.audit_records.latest_checkpoints(limit)

    def _trusted_start(self, history: History) -> Checkpoint | None:
        """The latest checkpoint stored here whose signature holds and whose link is the one
        stored at its position: where verifying the newer events can start."""
        for checkpoint in self.audit_records.latest_checkpoints(STORED_TO_TRY):
            if self._ours(checkpoint) and history.link_at(checkpoint.position) == checkpoint.mark().link:
                return checkpoint
        return None

    def _ours(self, checkpoint: Checkpoint) -> bool:
        """Whether this Trellis's key signed the checkpoint as it stands (a row added to the table
        by anyone else, even with a good signature of their own key, vouches for nothing)."""
        try:
            self._signing_key().check(checkpoint)
        except BadCheckpoint:
            return False
        return True

    # -- verifying ----------------------------------------------------------------------------
    def verify_history(self, actor: Actor, checkpoints: Sequence[Checkpoint] = (),
                       progress: Callable[[int, int], None] | None = None) -> Verification:
        """Recomputes the whole chain, holds it against `checkpoints` (each must be signed by this
        Trellis's key: `BadCheckpoint` otherwise, and nothing is read or written) and the latest
        good checkpoint stored here, and records the verdict."""
        given = [self.check_checkpoint(c) for c in checkpoints]
        stored = self._latest_of_ours() if self.signing_key else None
        marks = list(dict.fromkeys(c.mark() for c in [*given, *([stored] if stored else [])]))  # each once
        with self._chain_snapshot() as history:
            last = history.last_position()
            verdict = verify_chain(history, marks=marks, progress=(lambda at: progress(at, last)) if progress else None,
                                   processes=self.verify_processes)
        return self._record_verdict(actor, verdict)

    def check_checkpoint(self, checkpoint: Checkpoint) -> Checkpoint:
        """The checkpoint, if this Trellis's key signed it as it stands; `BadCheckpoint` if not."""
        return self._signing_key().check(checkpoint)

    def last_verification(self) -> Verification | None:
        row = self.audit_records.last_verification()
        if row is None:
            return None
        return Verification(**{name: row[name] for name in Verification.__dataclass_fields__} | {
            "ok": bool(row["ok"]), "position": None if row["position"] is None else int(row["position"]),
            "verified": int(row["verified"]), "head": int(row["head"]), "checkpoints": int(row["checkpoints"]),
        })

    def _record_verdict(self, actor: Actor, verdict: Verdict) -> Verification:
        verification = Verification(
            verified_at=_utc(self.clock()), actor_id=actor.id, actor_role=actor.role.value, ok=verdict.ok,
            verified=verdict.verified, head=verdict.head, head_link=verdict.head_link, position=verdict.position,
            problem=verdict.problem, detail=verdict.detail, checkpoints=verdict.checkpoints,
        )
        self.audit_records.add_verification({**verification.__dict__, "ok": int(verification.ok)})
        return verification

    # -- where they are kept ----------------------------------------------------------------------
    @property
    def audit_records(self) -> AuditRecords:
        if self._audit_records is None:
            self._audit_records = AuditRecords(self._chain_store())
        return self._audit_records

    @contextmanager
    def _chain_snapshot(self) -> Iterator[History]:
        with snapshot(self._chain_store(), events_table(self.recorder)) as history:
            yield history

    def _chain_store(self) -> Store:
        store = Store.beside(self.recorder)
        if store is None:
            raise Invalid("the hash chain is kept in SQLite or PostgreSQL, not in memory")
        return store

    def _signing_key(self) -> SigningKey:
        if self.signing_key is None:
            raise Invalid("no audit signing key: set TRELLIS_AUDIT_SIGNING_KEY to sign and check checkpoints")
        return self.signing_key


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
