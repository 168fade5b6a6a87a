"""Sessions: only in an active partnership, recorded by the pair, with confidential content."""

from __future__ import annotations

from datetime import date

import pytest

from domain import Confidential, Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, DAY, person, refuses, scene, triggered


class TestRecordingASession:
    def test_either_party_records_a_session_with_confidential_content(self):
        s = scene("active")
        with recording(s.mentor_actor, AT):
            s.partnership.record_session(DAY, 50, "video", "Talked budgets", "Draft plan")
        with recording(s.mentee, AT):
            s.partnership.record_session(DAY, 30, "phone", "Follow-up", "")
        first, second = triggered(s.partnership)
        assert (first.held_on, first.minutes, first.medium) == ("2026-06-01", 50, "video")
        assert (second.actor_id, second.minutes, second.medium) == (s.mentee.id, 30, "phone")
        assert isinstance(first.notes, Confidential) and isinstance(first.actions, Confidential)
        assert (first.notes.owner, first.notes.value, first.actions.value) == (
            str(s.partnership.id), "Talked budgets", "Draft plan",
        )
        assert s.partnership.sessions == 2

    def test_only_the_pair_records_sessions(self):
        s = scene("active")
        for actor in (ADMIN, s.manager, person(Role.MENTOR), person(Role.MENTEE)):
            with recording(actor, AT), refuses(s.partnership, NotAllowed, match="mentee and mentor"):
                s.partnership.record_session(DAY, 50, "video", "n", "a")

    def test_not_before_both_have_signed(self):
        s = scene("matched")
        with recording(s.mentee, AT):
            s.partnership.sign_agreement("mentee")
            with refuses(s.partnership, NotAllowed, match="awaiting_signatures"):
                s.partnership.record_session(DAY, 50, "video", "n", "a")

    def test_not_after_the_partnership_ended(self):
        s = scene("active")
        with recording(ADMIN, AT):
            s.partnership.end("completed")
        with recording(s.mentee, AT), refuses(s.partnership, NotAllowed, match="ended"):
            s.partnership.record_session(DAY, 50, "video", "n", "a")

    @pytest.mark.parametrize(
        ("held_on", "minutes", "medium", "notes", "message"),
        [
            (date(2026, 6, 2), 50, "video", "n", "future"),
            (date(2026, 5, 31), 50, "video", "n", "before the partnership started"),
            ("2024-01-01", 50, "video", "n", "date"),
            (DAY, 0, "video", "n", "minutes"),
            (DAY, 481, "video", "n", "minutes"),
            (DAY, 50, "carrier pigeon", "n", "medium"),
            (DAY, 50, "video", "x" * 20001, "notes"),
            (DAY, 50, "video", None, "notes"),
        ],
        ids=[
            "future", "before-start", "not-a-date", "zero-minutes", "too-long", "medium", "overlong-notes", "no-notes",
        ],
    )
    def test_bad_input_is_invalid(self, held_on, minutes, medium, notes, message):
        s = scene("active")
        with recording(s.mentee, AT), refuses(s.partnership, Invalid, match=message):
            s.partnership.record_session(held_on, minutes, medium, notes, "")

    @pytest.mark.parametrize("minutes", [1, 480])
    def test_a_session_lasts_from_a_minute_to_eight_hours(self, minutes):
        s = scene("active")
        with recording(s.mentee, AT):
            s.partnership.record_session(DAY, minutes, "in_person", "n", "a")
        assert triggered(s.partnership)[0].minutes == minutes

    def test_an_invalid_session_names_none_of_its_content(self):
        s = scene("active")
        with recording(s.mentee, AT), pytest.raises(Invalid) as refusal:
            s.partnership.record_session(DAY, 0, "video", "Very private", "x")
        assert "Very private" not in str(refusal.value)
