"""The data-protection officer's queries: requests, holds, the consent ledger, the floor, and
where a person's records are (for erasure and retention, once the read models are current)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain import Slot, Stage
from domain.policy import MINIMUM_FLOOR
from projections import dashboard, data_protection, mentors
from projections.results import ConsentEntry, HoldSummary, RequestSummary
from projections.sql import Store


@dataclass(frozen=True)
class Records:
    """Where one person appears, by id: as mentee, as mentor, and the partnerships of either."""

    open_cases: tuple[str, ...]  # their own cases, not closed
    cases: tuple[str, ...]  # their own cases, any stage
    mentor_records: tuple[str, ...]
    slot_cases: tuple[str, ...]  # cases holding a slot of one of their mentor records
    partnerships: tuple[str, ...]  # every partnership they were in, either side
    programmes: tuple[str, ...]


class DataProtectionQueries:
    store: Store
    _open: Any

    def requests(self, kind: str | None = None) -> list[RequestSummary]:
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        rows = self.store.query(
            f"SELECT * FROM {data_protection.REQUESTS.name} {where} ORDER BY due_on, request_id", params)
        return [_request(r) for r in rows]

    def holds(self, active_only: bool = False) -> list[HoldSummary]:
        where = "WHERE lifted_at IS NULL" if active_only else ""
        rows = self.store.query(f"SELECT * FROM {data_protection.HOLDS.name} {where} ORDER BY placed_at, hold_id")
        return [self._hold(r) for r in rows]

    def holds_on(self, ids: Iterable[str]) -> list[HoldSummary]:
        """The holds standing on any of these people, cases, partnerships or programmes."""
        ids = sorted(set(ids))
        if not ids:
            return []
        rows = self.store.query(
            f"SELECT * FROM {data_protection.HOLDS.name} WHERE lifted_at IS NULL AND target_id IN "
            f"({', '.join('?' for _ in ids)}) ORDER BY placed_at", ids)
        return [self._hold(r) for r in rows]

    def consent_ledger(self, person_id: str | None = None) -> list[ConsentEntry]:
        where, params = ("WHERE person_id = ?", [person_id]) if person_id else ("", [])
        rows = self.store.query(
            f"SELECT * FROM {data_protection.CONSENTS.name} {where} ORDER BY recorded_at, record_id, version", params)
        entries = []
        for r in rows:
            consent = self._open(r["consent"]) or {}
            entries.append(ConsentEntry(r["person_id"], r["record_id"], r["recorded_at"], r["recorded_by"],
                                        consent.get("special_category"), consent.get("purpose")))
        return entries

    def statistics_floor(self) -> int:
        rows = self.store.query(f"SELECT floor FROM {data_protection.POLICY.name} WHERE id = 1")
        return int(rows[0]["floor"]) if rows and rows[0]["floor"] else MINIMUM_FLOOR

    def records_of(self, person_id: str) -> Records:
        cases = self.store.query(
            f"SELECT case_id, stage, programme_id FROM {dashboard.CASES.name} WHERE mentee_id = ?", (person_id,))
        mentor_rows = self.store.query(
            f"SELECT mentor_id, programme_id FROM {mentors.MENTORS.name} WHERE person_id = ?", (person_id,))
        mentor_ids = [r["mentor_id"] for r in mentor_rows]
        slot_cases, partnerships = [], []
        if mentor_ids:
            marks = ", ".join("?" for _ in mentor_ids)
            slot_cases = [r["case_id"] for r in self.store.query(
                f"SELECT case_id FROM {mentors.SLOTS.name} WHERE mentor_id IN ({marks}) AND state IN (?, ?)",
                [*mentor_ids, Slot.HELD.value, Slot.CONFIRMED.value])]
            partnerships = [r["partnership_id"] for r in self.store.query(
                f"SELECT partnership_id FROM {dashboard.PARTNERSHIPS.name} WHERE mentor_id IN ({marks})", mentor_ids)]
        partnerships += [r["partnership_id"] for r in self.store.query(
            f"SELECT partnership_id FROM {dashboard.PARTNERSHIPS.name} WHERE mentee_id = ?", (person_id,))]
        return Records(
            open_cases=tuple(sorted(r["case_id"] for r in cases if r["stage"] != Stage.CLOSED.value)),
            cases=tuple(sorted(r["case_id"] for r in cases)),
            mentor_records=tuple(sorted(mentor_ids)),
            slot_cases=tuple(sorted(slot_cases)),
            partnerships=tuple(sorted(set(partnerships))),
            programmes=tuple(sorted({r["programme_id"] for r in [*cases, *mentor_rows]})),
        )

    def every_records(self) -> dict[str, Records]:
        """`records_of` for everyone at once, in four reads (a retention run's view)."""
        cases = self.store.query(f"SELECT case_id, mentee_id, stage, programme_id FROM {dashboard.CASES.name}")
        mentor_rows = self.store.query(f"SELECT mentor_id, person_id, programme_id FROM {mentors.MENTORS.name}")
        slots = self.store.query(
            f"SELECT mentor_id, case_id FROM {mentors.SLOTS.name} WHERE state IN (?, ?)",
            (Slot.HELD.value, Slot.CONFIRMED.value))
        partnerships = self.store.query(
            f"SELECT partnership_id, mentee_id, mentor_id FROM {dashboard.PARTNERSHIPS.name}")
        owner = {r["mentor_id"]: r["person_id"] for r in mentor_rows}
        found: dict[str, dict[str, set]] = {}

        def of(person: str) -> dict[str, set]:
            return found.setdefault(person, {k: set() for k in (
                "open_cases", "cases", "mentor_records", "slot_cases", "partnerships", "programmes")})

        for r in cases:
            entry = of(r["mentee_id"])
            entry["cases"].add(r["case_id"])
            entry["programmes"].add(r["programme_id"])
            if r["stage"] != Stage.CLOSED.value:
                entry["open_cases"].add(r["case_id"])
        for r in mentor_rows:
            of(r["person_id"])["mentor_records"].add(r["mentor_id"])
            of(r["person_id"])["programmes"].add(r["programme_id"])
        for r in slots:
            if r["mentor_id"] in owner:
                of(owner[r["mentor_id"]])["slot_cases"].add(r["case_id"])
        for r in partnerships:
            of(r["mentee_id"])["partnerships"].add(r["partnership_id"])
            if r["mentor_id"] in owner:
                of(owner[r["mentor_id"]])["partnerships"].add(r["partnership_id"])
        return {person: Records(**{k: tuple(sorted(v)) for k, v in entry.items()}) for person, entry in found.items()}

    def _hold(self, r: dict[str, Any]) -> HoldSummary:
        return HoldSummary(r["hold_id"], r["target"], r["target_id"], self._open(r["reason"]), r["placed_by"],
                           r["placed_at"], r["lifted_by"], r["lifted_at"])


def _request(r: dict[str, Any]) -> RequestSummary:
    return RequestSummary(r["request_id"], r["kind"], r["subject_id"], r["received_on"], r["due_on"], r["state"],
                          json.loads(r["outcome"]) if r["outcome"] else {}, r["received_by"], r["closed_by"],
                          r["closed_at"])
