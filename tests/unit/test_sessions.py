"""Sessions: only in an active partnership, recorded by the pair, readable by the pair alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import Confidential, EndReason, Invalid, NotAllowed, Partnership, Role
from domain_support import ADMIN, TODAY, assert_recorded, stranger


@pytest.fixture
def pair(memory_app, world):
    mid, mentor = world.mentor()
    return world.case("active", mentor_id=mid) | {"mentor": mentor}


class TestRecordingASession:
    def test_either_party_records_a_session_with_confidential_content(self, memory_app, pair):
        memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "Talked budgets", "Draft plan", pair["mentor"])
        memory_app.record_session(pair["partnership_id"], TODAY, 30, "phone", "Follow-up", "", pair["mentee"])
        event = assert_recorded(memory_app, pair["partnership_id"], "SessionHeld", pair["mentee"])
        assert (event.held_on, event.minutes, event.medium) == (TODAY.isoformat(), 30, "phone")
        assert isinstance(event.notes, Confidential) and event.notes.owner == str(pair["partnership_id"])
        assert memory_app.load(Partnership, pair["partnership_id"]).sessions == 2

    def test_the_pair_reads_their_session_records(self, memory_app, pair):
        memory_app.record_session(pair["partnership_id"], TODAY, 50, "in_person", "Notes", "Actions", pair["mentee"])
        for actor in (pair["mentee"], pair["mentor"]):
            (record,) = memory_app.session_records(pair["partnership_id"], actor)
            assert (record.notes, record.actions, record.minutes, record.recorded_by_role) == (
                "Notes", "Actions", 50, "mentee",
            )

    def test_nobody_else_reads_them(self, memory_app, pair):
        memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "Secret", "", pair["mentee"])
        for actor in (ADMIN, pair["manager"], stranger(Role.AUDITOR), stranger(Role.DPO), stranger(Role.MENTOR)):
            with pytest.raises(NotAllowed) as refusal:
                memory_app.session_records(pair["partnership_id"], actor)
            assert "Secret" not in str(refusal.value)

    def test_only_the_pair_records_sessions(self, memory_app, pair, refused):
        for actor in (ADMIN, pair["manager"], stranger(Role.MENTOR), stranger(Role.MENTEE)):
            with refused(NotAllowed):
                memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "n", "a", actor)

    def test_not_before_both_have_signed(self, memory_app, world, refused):
        mid, mentor = world.mentor()
        case = world.case("matched", mentor_id=mid)
        memory_app.sign_agreement(case["partnership_id"], "mentee", case["mentee"])
        with refused(NotAllowed, match="awaiting_signatures"):
            memory_app.record_session(case["partnership_id"], TODAY, 50, "video", "n", "a", mentor)

    def test_not_after_the_partnership_ended(self, memory_app, pair, refused):
        memory_app.end_partnership(pair["partnership_id"], EndReason.COMPLETED, ADMIN)
        with refused(NotAllowed, match="ended"):
            memory_app.record_session(pair["partnership_id"], TODAY, 50, "video", "n", "a", pair["mentee"])

    @pytest.mark.parametrize(
        ("held_on", "minutes", "medium", "notes", "message"),
        [
            (TODAY + timedelta(days=1), 50, "video", "n", "future"),
            (TODAY - timedelta(days=1), 50, "video", "n", "before the partnership started"),
            ("2024-01-01", 50, "video", "n", "date"),
            (TODAY, 0, "video", "n", "minutes"),
            (TODAY, 481, "video", "n", "minutes"),
            (TODAY, 50, "carrier pigeon", "n", "medium"),
            (TODAY, 50, "video", "x" * 20001, "notes"),
            (TODAY, 50, "video", None, "notes"),
        ],
        ids=["future", "before-start", "not-a-date", "zero-minutes", "too-long", "medium", "overlong-notes", "no-notes"],
    )
    def test_bad_input_is_invalid(self, memory_app, pair, refused, held_on, minutes, medium, notes, message):
        with refused(Invalid, match=message):
            memory_app.record_session(pair["partnership_id"], held_on, minutes, medium, notes, "", pair["mentee"])

    def test_an_invalid_session_names_none_of_its_content(self, memory_app, pair):
        with pytest.raises(Invalid) as refusal:
            memory_app.record_session(pair["partnership_id"], TODAY, 0, "video", "Very private", "x", pair["mentee"])
        assert "Very private" not in str(refusal.value)
