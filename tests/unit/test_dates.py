"""Dates are judged against the recording's day, never the day the code happens to run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from domain import Invalid, recording
from domain_support import ADMIN, mentor, refuses, scene, triggered

JUNE_1 = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
JUNE_1_LATE = datetime(2026, 6, 1, 23, 59, tzinfo=UTC)

# name -> (a builder, who acts on what it built, the command given what it built and a date)
DATED: dict[str, tuple[Callable, Callable[[object], object], Callable]] = {
    "training": (lambda: mentor("interested"), lambda m: ADMIN, lambda m, day: m.complete_training(day)),
    "exploratory conversation": (
        lambda: scene("approved", exploratory_conversations=1), lambda s: s.mentee,
        lambda s, day: s.case.hold_exploratory_conversation(s.mentor.id, day),
    ),
    "discovery call": (lambda: scene("proposed"), lambda s: ADMIN, lambda s, day: s.case.record_discovery_call(day)),
}


def target(built):
    return getattr(built, "case", built)


class TestTheFuture:
    @pytest.mark.parametrize("name", list(DATED))
    def test_the_next_day_is_refused_and_the_recordings_own_day_accepted(self, name):
        build, who, command = DATED[name]
        built = build()
        with recording(who(built), JUNE_1), refuses(target(built), Invalid, match="future"):
            command(built, date(2026, 6, 2))
        with recording(who(built), JUNE_1_LATE):
            command(built, date(2026, 6, 1))
        assert len(triggered(target(built))) == 1

    @pytest.mark.parametrize("name", list(DATED))
    def test_one_date_is_future_or_past_by_the_recording_alone(self, name):
        """Whatever today really is, the same date is refused by a recording the day before it
        and accepted by one on the day after: a real clock would answer both alike."""
        build, who, command = DATED[name]
        refused, accepted = build(), build()
        with recording(who(refused), datetime(2040, 1, 9, 12, 0, tzinfo=UTC)), refuses(target(refused), Invalid):
            command(refused, date(2040, 1, 10))
        with recording(who(accepted), datetime(2040, 1, 11, 12, 0, tzinfo=UTC)):
            command(accepted, date(2040, 1, 10))
        assert len(triggered(target(accepted))) == 1

    def test_a_session_on_the_recordings_day_is_accepted_and_the_next_refused(self):
        s = scene("active")
        with recording(s.mentee, JUNE_1), refuses(s.partnership, Invalid, match="future"):
            s.partnership.record_session(date(2026, 6, 2), 30, "video", "n", "a")
        with recording(s.mentee, JUNE_1):
            s.partnership.record_session(date(2026, 6, 1), 30, "video", "n", "a")
        assert [e.held_on for e in triggered(s.partnership)] == ["2026-06-01"]


class TestTheStartOfAPartnership:
    def test_is_the_day_of_the_recording_of_the_second_signature(self):
        s = scene("matched")
        with recording(ADMIN, datetime(2026, 6, 3, 10, 0, tzinfo=UTC)):
            s.partnership.sign_agreement("mentee")
        with recording(s.mentor_actor, datetime(2026, 6, 8, 16, 45, tzinfo=UTC)):
            s.partnership.sign_agreement("mentor")
        assert s.partnership.started_on == "2026-06-08"
        assert triggered(s.partnership)[-1].started_on == "2026-06-08"

    def test_a_session_before_the_start_is_invalid(self):
        s = scene("matched")
        with recording(ADMIN, datetime(2026, 6, 8, 10, 0, tzinfo=UTC)):
            s.partnership.sign_agreement("mentee")
            s.partnership.sign_agreement("mentor")
        triggered(s.partnership)
        with recording(s.mentee, datetime(2026, 6, 20, 10, 0, tzinfo=UTC)):
            with refuses(s.partnership, Invalid, match="before the partnership started"):
                s.partnership.record_session(date(2026, 6, 7), 30, "video", "n", "a")
            s.partnership.record_session(date(2026, 6, 8), 30, "video", "n", "a")
        assert len(triggered(s.partnership)) == 1
