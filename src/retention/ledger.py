"""The erasure ledger: every erasure's opaque person id and destroyed key references, kept in
a file outside the database, so that after a backup is restored `trellis retention
reapply` destroys again what the backup brought back.

Append-only JSON lines, flushed to disk with each entry. It holds no personal data: opaque
ids and key references only. Keep it where the database's backups are not.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LedgerEntry:
    person_id: str
    keys: tuple[str, ...]
    erased_at: str


class ErasureLedger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, person_id: str, keys: Sequence[str], erased_at: str) -> None:
        self.append_all([(person_id, keys)], erased_at)

    def append_all(self, entries: Sequence[tuple[str, Sequence[str]]], erased_at: str) -> None:
        """Written and flushed to disk before the erasures it records are carried out."""
        lines = "".join(
            json.dumps({"person_id": person, "keys": list(keys), "erased_at": erased_at}, sort_keys=True) + "\n"
            for person, keys in entries
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as ledger:
                ledger.write(lines)
                ledger.flush()
                os.fsync(ledger.fileno())

    def entries(self) -> Iterator[LedgerEntry]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as ledger:
            for number, line in enumerate(ledger, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    yield LedgerEntry(str(entry["person_id"]), tuple(entry["keys"]), str(entry["erased_at"]))
                except (ValueError, KeyError, TypeError):
                    raise ValueError(f"{self.path}: line {number} is not a ledger entry") from None
