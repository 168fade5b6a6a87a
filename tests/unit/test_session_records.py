"""The pair alone read their session records, decrypted from the store."""

from __future__ import annotations

import pytest

from domain import NotAllowed, Role
from app_support import ADMIN, TODAY, assert_recorded, stranger


@pytest.fixture
def pair(memory_app, world):
    mid, mentor = world.mentor()
    return world.case("active", mentor_id=mid) | {"mentor": mentor}


class TestSessionRecords:
    def test_the_pair_reads_their_session_records(self, memory_app, pair):
        memory_app.record_session(pair["partnership_id"], TODAY, 50, "in_person", "Notes", "Actions", pair["mentee"])
        assert_recorded(memory_app, pair["partnership_id"], "SessionHeld", pair["mentee"])
        for actor in (pair["mentee"], pair["mentor"]):
            (record,) = memory_app.session_records(pair["partnership_id"], actor)
            assert (record.held_on, record.notes, record.actions, record.minutes, record.recorded_by_role) == (
                "2026-06-01", "Notes", "Actions", 50, "mentee",
            )

    def test_nobody_else_reads_them(self, memory_app, pair):
        memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "Secret", "", pair["mentee"])
        for actor in (ADMIN, pair["manager"], stranger(Role.AUDITOR), stranger(Role.DPO), stranger(Role.MENTOR)):
            with pytest.raises(NotAllowed) as refusal:
                memory_app.session_records(pair["partnership_id"], actor)
            assert "Secret" not in str(refusal.value)

    def test_a_refused_session_writes_nothing(self, memory_app, pair, refused):
        with refused(NotAllowed):
            memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "n", "a", ADMIN)
        assert memory_app.session_records(pair["partnership_id"], pair["mentee"]) == []
