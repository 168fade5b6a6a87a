"""The board as of a past moment is replayed apart from the live read models: it changes no
live row, tracked position or table, on SQLite and PostgreSQL, while the runner follows the
log; and an as-of position is answered only once the history index has reached it."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest

from domain import NotAllowed
from lifecycle import ADMIN, NOW, World
from projections import PROJECTIONS
from projections.queries import ReadModels
from read_model_checks import rows_of, tables_beside_the_events


def live_state(store) -> dict:
    """Every live read model's rows and tracked position, and the database's tables."""
    rows = {t.name: rows_of(store, t.name, t.key) for cls in PROJECTIONS for t in cls().all_tables}
    return {"tables": tables_beside_the_events(store), "rows": rows}


class TestTheBoardAsOfAMoment:
    def test_leaves_the_live_read_models_alone_and_matches_the_live_board_of_the_time(self, app, runner, clock):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)  # ages counted to the clock
        world = World.create(app)
        mentor_id, _ = world.mentor(capacity=3)
        active = world.case("active", mentor_id)
        approved = world.case("approved", mentor_id)
        other = World.create(app)  # another programme's events, among this one's
        other.case("active", other.mentor()[0])
        runner.catch_up()
        then = app.recorder.max_notification_id()
        own = [active["case_id"], active["partnership_id"], approved["case_id"]]
        own_events = 1 + sum(len(read_models.event_positions(i)) for i in own)  # and the programme's registration
        live_then = (read_models.stage_counts(world.programme_id), read_models.action_queues(world.programme_id))

        clock.set(NOW + timedelta(days=10))
        world.case("proposed", mentor_id)
        runner.catch_up()
        before = live_state(runner.store)

        past = app.board_as_of(world.programme_id, app.moment(position=then))
        assert (past.stage_counts, past.queues) == live_then
        assert past.position <= then and past.at == NOW.isoformat()
        assert past.events_replayed == own_events  # no other programme's case or partnership taken in
        assert live_state(runner.store) == before  # no live row, position or table changed; none left behind

        now = app.board_as_of(world.programme_id, app.moment(at=clock()))
        assert (now.stage_counts, now.queues) == (read_models.stage_counts(world.programme_id),
                                                  read_models.action_queues(world.programme_id))
        assert now.stage_counts != past.stage_counts

    def test_by_time_reads_the_log_no_further_than_the_last_event_recorded_by_then(self, app, runner, clock,
                                                                                      monkeypatch):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)
        world = World.create(app)
        mentor_id, _ = world.mentor(capacity=3)
        world.case("active", mentor_id)
        runner.catch_up()
        then, moment_time = app.recorder.max_notification_id(), clock()
        live_then = (read_models.stage_counts(world.programme_id), read_models.action_queues(world.programme_id))

        clock.set(NOW + timedelta(days=10))
        for _ in range(3):
            world.case("approved", mentor_id)
        runner.catch_up()
        read: list[int] = []
        select = app.recorder.select_notifications

        def spied(*args, **kwargs):
            found = select(*args, **kwargs)
            read.extend(n.id for n in found)
            return found

        monkeypatch.setattr(app.recorder, "select_notifications", spied)
        head = app.recorder.max_notification_id()
        assert read_models.last_recorded_by(moment_time.astimezone(timezone(timedelta(hours=-5))), head) == then
        assert read_models.last_recorded_by(moment_time, head + 1) is None  # the index has not taken it all in
        for zone in (UTC, timezone(timedelta(hours=-5))):  # the same moment, told in another zone
            read.clear()
            past = app.board_as_of(world.programme_id, app.moment(at=moment_time.astimezone(zone)))
            assert (past.stage_counts, past.queues) == live_then
            assert read and max(read) <= then < app.recorder.max_notification_id()

    def test_can_be_asked_while_the_runner_follows_the_log(self, app, runner, read_models):
        runner.start_in_thread()
        world = World.create(app)
        mentor_id, _ = world.mentor()
        case = world.case("requested", mentor_id)
        position = app.recorder.max_notification_id()
        runner.wait(position)
        past = app.board_as_of(world.programme_id, app.moment(position=position))
        app.propose_match(case["case_id"], mentor_id, "Fit", ADMIN)
        runner.wait()
        assert past.stage_counts["awaiting_match"] == 1
        assert read_models.stage_counts(world.programme_id)["match_proposed"] == 1


class TestAnAsOfPosition:
    def test_is_answered_only_once_the_history_index_has_reached_it(self, app, runner):
        world = World.create(app)
        case = world.case("eoi")
        position = app.recorder.max_notification_id()
        with pytest.raises(NotAllowed, match="has not yet reached position"):
            app.case_as_of(case["case_id"], app.moment(position=position))
        runner.catch_up()
        assert app.case_as_of(case["case_id"], app.moment(position=position)).state.stage == "awaiting_line_manager"

    def test_between_the_events_of_one_command_is_answered_as_the_log_stood_there(self, app, runner, read_models):
        """Confirming a match records the case's event, then the mentor's, then the partnership's:
        at the case's own position the case names its partnership, which is not yet formed."""
        world = World.create(app)
        mentor_id, _ = world.mentor()
        case = world.case("matched", mentor_id)
        runner.catch_up()
        confirmed = max(position for _, position in read_models.event_positions(case["case_id"]))
        formed = min(position for _, position in read_models.event_positions(case["partnership_id"]))
        assert confirmed < formed

        then = app.case_as_of(case["case_id"], app.moment(position=confirmed)).state
        assert (then.stage, then.partnership_id, then.partnership_status) == (
            "matched", str(case["partnership_id"]), None)
        after = app.case_as_of(case["case_id"], app.moment(position=formed)).state
        assert after.partnership_status == "awaiting_signatures"
