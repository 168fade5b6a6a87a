"""The history's rules that need no database: which moments may be asked about, what a
timeline may show of each event type, and a case folded from its events at a past time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from api.services.as_of import version_at
from api.services.moments import moment
from api.services.timeline_details import SHOWN, plain
from domain import Case, Confidential, Invalid, Mentor, NotAllowed, Partnership, Personal, Programme, SpecialCategory
from lifecycle import ADMIN, NOW, TODAY, World

HEAD = 40


class TestWhichMomentsMayBeAskedAbout:
    def test_exactly_one_of_a_day_a_time_or_a_position(self):
        for asked in ((None, None, None), (TODAY, None, 3), (TODAY, NOW, None), (None, NOW, 3)):
            with pytest.raises(Invalid, match="name one moment"):
                moment(*asked, now=NOW, head=HEAD)

    def test_a_day_is_its_end_or_now_if_it_is_today(self):
        yesterday = TODAY - timedelta(days=1)
        assert moment(yesterday, None, None, now=NOW, head=HEAD).at == datetime(2026, 5, 31, 23, 59, 59, 999999, UTC)
        assert moment(TODAY, None, None, now=NOW, head=HEAD).at == NOW

    def test_a_time_keeps_its_instant_in_utc(self):
        asked = datetime(2026, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=1)))
        assert moment(None, asked, None, now=NOW, head=HEAD).at == datetime(2026, 5, 1, 13, 0, tzinfo=UTC)

    @pytest.mark.parametrize("asked", [
        (date(2026, 6, 2), None, None), (None, NOW + timedelta(microseconds=1), None), (None, None, HEAD + 1),
    ])
    def test_nothing_in_the_future(self, asked):
        with pytest.raises(Invalid, match="in the future"):
            moment(*asked, now=NOW, head=HEAD)

    def test_a_time_without_its_zone_and_position_zero_are_refused(self):
        with pytest.raises(Invalid, match="time zone"):
            moment(None, datetime(2026, 5, 1, 12, 0), None, now=NOW, head=HEAD)
        with pytest.raises(Invalid, match="start at 1"):
            moment(None, None, 0, now=NOW, head=HEAD)

    def test_a_time_before_the_calendar_in_utc_is_refused_not_a_crash(self):
        with pytest.raises(Invalid, match="first day"):
            moment(None, datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), None, now=NOW, head=HEAD)

    def test_the_last_position_and_now_itself_may_be_asked_about(self):
        assert moment(None, None, HEAD, now=NOW, head=HEAD).position == HEAD
        assert moment(None, NOW, None, now=NOW, head=HEAD).at == NOW


class TestTurningAPositionIntoAnObjectsVersion:
    """The history index follows the log in order: it may not hold an object's newest events yet."""

    POSITIONS = {1: 10, 2: 14, 3: 30}  # version → position, as the index holds them

    def test_is_the_last_version_at_or_before_the_position(self):
        assert [version_at(self.POSITIONS, 3, p, "case") for p in (10, 13, 14, 29, 30, 99)] == [1, 1, 2, 2, 3, 3]

    def test_before_the_first_event_there_is_no_version(self):
        assert version_at(self.POSITIONS, 3, 9, "case") is None

    def test_waits_for_the_index_only_where_an_event_it_lacks_could_lie(self):
        lacking_one = {1: 10, 2: 14}
        assert version_at(lacking_one, 3, 12, "case") == 1  # the index holds an event after 12: all before are in
        with pytest.raises(NotAllowed, match="not yet reached position 20"):
            version_at(lacking_one, 3, 20, "case")


def event_classes(owner: type) -> set[type]:
    return {cls for cls in vars(owner).values() if isinstance(cls, type) and issubclass(cls, owner.Event)
            and cls not in (owner.Event, owner.Created)}  # the library's bases, never recorded themselves


class TestTheTimelinesAllowList:
    @pytest.mark.parametrize("owner", [Case, Mentor, Partnership, Programme])
    def test_names_every_event_type_so_a_new_one_is_decided_not_shown_by_default(self, owner):
        assert event_classes(owner) - set(SHOWN) == set()

    @pytest.mark.parametrize("value", [
        Personal("p-1", "Pat"), Confidential("x", "notes"), SpecialCategory("p-1", {"ethnicity": "x"}),
        {"a": 1}, ["a"],
    ])
    def test_shows_no_protected_value_and_no_container(self, value):
        with pytest.raises(TypeError):
            plain(value)


class TestACaseAsItStoodAtATime:
    def test_is_folded_from_the_events_recorded_by_then(self, memory_app, clock):
        world = World.create(memory_app)
        mentor_id, _ = world.mentor()
        clock.set(NOW + timedelta(days=2))
        case = world.case("proposed", mentor_id)
        clock.set(NOW + timedelta(days=5))
        memory_app.withdraw_case(case["case_id"], ADMIN)

        def stage_at(at: datetime) -> str:
            return memory_app.case_as_of(case["case_id"], memory_app.moment(at=at)).state.stage

        assert stage_at(NOW + timedelta(days=2)) == "match_proposed"
        assert stage_at(NOW + timedelta(days=4)) == "match_proposed"
        assert stage_at(NOW + timedelta(days=5)) == "closed"
        with pytest.raises(Invalid, match="did not exist yet"):
            stage_at(NOW + timedelta(days=1))

    def test_by_position_needs_the_history_index_kept_beside_the_events(self, memory_app):
        world = World.create(memory_app)
        case = world.case("eoi")
        with pytest.raises(Invalid, match="read model"):
            memory_app.case_as_of(case["case_id"], memory_app.moment(position=1))
