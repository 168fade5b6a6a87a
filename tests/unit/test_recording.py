"""Commands run inside `recording(actor, at)`: outside it there is no actor and no time to record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain import Case, Mentor, NotRecording, Programme, Role, recording
from domain.recording import current
from domain_support import ADMIN, AT, DAY, PROFILE, as_mentor, details, mentor, person, scene, settings, triggered

# Each builds an aggregate in a state where the command would succeed, and says who may do it.
COMMANDS: dict[str, Callable[[], tuple]] = {
    "approve": lambda: ((s := scene("eoi")).case, s.manager, lambda: s.case.approve()),
    "matching request": lambda: (
        (s := scene("approved")).case, s.mentee, lambda: s.case.submit_matching_request([s.mentor.id], "goals"),
    ),
    "propose": lambda: ((s := scene("requested")).case, ADMIN, lambda: s.case.propose_match(s.mentor.id, "r")),
    "discovery call": lambda: ((s := scene("proposed")).case, s.mentee, lambda: s.case.record_discovery_call(DAY)),
    "confirm": lambda: ((s := scene("called")).case, ADMIN, lambda: s.case.confirm_match()),
    "withdraw": lambda: ((s := scene("proposed")).case, s.mentee, lambda: s.case.withdraw("moving")),
    "close": lambda: ((s := scene("matched")).case, ADMIN, lambda: s.case.close_after_partnership()),
    "training": lambda: ((m := mentor("interested")), ADMIN, lambda: m.complete_training(DAY)),
    "join pool": lambda: ((m := mentor("trained")), as_mentor(m), lambda: m.join_pool(2, PROFILE)),
    "pause": lambda: ((m := mentor()), as_mentor(m), lambda: m.pause()),
    "hold slot": lambda: ((s := scene("requested")).mentor, ADMIN, lambda: s.mentor.hold_slot(s.case.id)),
    "release slot": lambda: ((s := scene("proposed")).mentor, ADMIN, lambda: s.mentor.release_slot(s.case.id)),
    "sign": lambda: ((s := scene("matched")).partnership, s.mentee, lambda: s.partnership.sign_agreement("mentee")),
    "session": lambda: (
        (s := scene("active")).partnership, s.mentor_actor,
        lambda: s.partnership.record_session(DAY, 30, "video", "notes", "actions"),
    ),
    "end": lambda: ((s := scene("active")).partnership, ADMIN, lambda: s.partnership.end("completed")),
}


class TestOutsideARecording:
    @pytest.mark.parametrize("name", list(COMMANDS))
    def test_a_command_raises_not_recording_and_triggers_nothing(self, name):
        aggregate, _, command = COMMANDS[name]()
        version = aggregate.version
        with pytest.raises(NotRecording):
            command()
        assert (triggered(aggregate), aggregate.version) == ([], version)

    @pytest.mark.parametrize("name", list(COMMANDS))
    def test_the_same_command_inside_a_recording_succeeds(self, name):
        aggregate, actor, command = COMMANDS[name]()
        version = aggregate.version
        with recording(actor, AT):
            command()
        assert len(triggered(aggregate)) >= 1
        assert aggregate.version > version

    def test_creating_an_aggregate_raises_not_recording(self):
        mentee = person(Role.MENTEE)
        programme_id = mentor().programme_id
        with pytest.raises(NotRecording):
            Case.submit_eoi(programme_id, settings(), mentee.id, details(mentee.id), "statement", "manager-1")
        with pytest.raises(NotRecording):
            Mentor.express_interest(programme_id, "person-1", details("person-1"))
        with pytest.raises(NotRecording):
            Programme.register(settings())

    def test_nothing_is_recording_once_a_recording_closes(self):
        with recording(ADMIN, AT):
            assert current().actor == ADMIN
        with pytest.raises(NotRecording):
            current()


class TestTheRecording:
    def test_its_time_must_be_timezone_aware(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            with recording(ADMIN, datetime(2026, 6, 1, 9, 30)):
                pass

    def test_today_is_the_day_of_its_time_in_its_own_zone(self):
        evening_in_new_york = datetime(2026, 6, 1, 22, 0, tzinfo=timezone(timedelta(hours=-4)))  # 02:00 UTC on 2 June
        with recording(ADMIN, evening_in_new_york) as now:
            assert now.today == date(2026, 6, 1)
        with recording(ADMIN, datetime(2026, 6, 2, 0, 0, tzinfo=UTC)) as now:
            assert now.today == date(2026, 6, 2)

    def test_a_nested_recording_gives_way_to_the_outer_one_when_it_closes(self):
        later = datetime(2026, 6, 1, 10, 30, tzinfo=UTC)
        manager = person(Role.LINE_MANAGER)
        with recording(ADMIN, AT):
            with recording(manager, later) as inner:
                assert (inner.actor, inner.at) == (manager, later)
            assert (current().actor, current().at) == (ADMIN, AT)
