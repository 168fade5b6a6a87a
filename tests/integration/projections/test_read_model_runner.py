"""The runner: follows the events, survives a crash mid-batch, keeps up with concurrent
writers, and rebuilds one read model while the others serve. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time


import pytest
from read_model_checks import assert_equals_fresh_rebuild
from lifecycle import ADMIN, TODAY, World

from api.bootstrap import build_app
from api.cli import main as cli
from projections import PROJECTIONS
from projections.queries import ReadModels
from projections.rebuild import rebuild
from projections.runner import Runner


class Explosion(RuntimeError):
    pass


def exploding_on(k: int):
    """A catch-all handler that fails on the k-th event it sees, like a crash mid-batch."""
    seen = {"n": 0}

    def explode(event, writer) -> None:
        seen["n"] += 1
        if seen["n"] == k:
            raise Explosion("the process died here")

    return explode


class TestFollowing:
    def test_a_running_runner_shows_new_cases_once_their_position_is_tracked(self, app, runner, read_models):
        world = World.create(app)
        runner.start_in_thread()
        case = world.case("eoi")
        runner.wait(app.recorder.max_notification_id())
        assert read_models.case_summary(case["case_id"]).stage == "awaiting_line_manager"
        app.approve_eoi(case["case_id"], case["manager"])
        runner.wait(app.recorder.max_notification_id())
        assert read_models.case_summary(case["case_id"]).stage == "awaiting_matching_request"

    @pytest.mark.parametrize("backend", ["postgres"])  # SQLite has no LISTEN/NOTIFY: its runner polls
    def test_on_postgresql_a_notification_wakes_the_runner_between_polls(self, app, backend):
        listening = Runner.for_app(app, poll_seconds=3600).start_in_thread()
        try:
            listening.wait(timeout=30)  # the first step, before any wait for a poll
            case = World.create(app).case("eoi")
            listening.wait(app.recorder.max_notification_id(), timeout=30)  # an hour's poll away
            assert ReadModels(listening.store, opener=app.open_sealed).case_summary(case["case_id"]).stage == "awaiting_line_manager"
        finally:
            listening.stop()

    @pytest.mark.parametrize("backend", ["postgres"])  # SQLite's runner polls: its batches gather anyway
    def test_a_stream_of_writes_is_gathered_into_a_few_large_batches(self, app, backend):
        gathering = Runner.for_app(app, poll_seconds=3600, gather_seconds=1.0)
        batches: list[int] = []
        step = gathering.step
        gathering.step = lambda: (read := step()) and batches.append(read) or read
        gathering.start_in_thread()
        try:
            gathering.wait(timeout=30)
            world = World.create(app)
            first = app.recorder.max_notification_id()
            cases = [world.case("eoi") for _ in range(24)]
            written = app.recorder.max_notification_id() - first
            gathering.wait(app.recorder.max_notification_id(), timeout=30)
            read_models = ReadModels(gathering.store, opener=app.open_sealed)
            assert {read_models.case_summary(c["case_id"]).stage for c in cases} == {"awaiting_line_manager"}
        finally:
            gathering.stop()
        assert written >= 20
        assert sum(batches) >= written
        assert len(batches) <= written / 4, batches  # one batch per write would be `written` batches

    def test_without_notifications_the_poll_still_catches_up(self, app):
        polling = Runner.for_app(app, listen=False, poll_seconds=0.05).start_in_thread()
        try:
            polling.wait(timeout=30)
            case = World.create(app).case("approved")
            polling.wait(app.recorder.max_notification_id(), timeout=30)
            assert ReadModels(polling.store, opener=app.open_sealed).case_summary(case["case_id"]).stage == "awaiting_matching_request"
        finally:
            polling.stop()

    def test_processing_the_same_events_twice_changes_nothing(self, app, runner):
        world = World.create(app)
        mentor, _ = world.mentor()
        world.case("active", mentor_id=mentor)
        runner.catch_up()
        replay = Runner.for_app(app, projections=[cls() for cls in PROJECTIONS])
        with replay.store.transaction() as cursor:  # rewind every tracked position by 20 events
            for p in replay.projections:
                cursor.execute(f"UPDATE {p.tracking.name} SET position = position - 20 WHERE position >= 20")
        replay.catch_up()
        assert_equals_fresh_rebuild(app, runner.store)

    def test_status_reports_each_read_model_position_head_and_lag(self, app, runner, settings, capsys, monkeypatch):
        World.create(app).case("eoi")
        runner.catch_up()
        _use_settings(monkeypatch, settings)
        assert cli(["projections", "status"]) == 0
        out = capsys.readouterr().out
        head = app.recorder.max_notification_id()
        for cls in PROJECTIONS:
            assert f"{cls.name}" in out
        assert f"{head}" in out and out.count(" 0\n") >= len(PROJECTIONS)


class TestOneTransactionABatch:
    def test_every_read_model_writes_a_batch_and_its_position_in_one_commit(self, app, runner, monkeypatch):
        world = World.create(app)
        mentor, _ = world.mentor()
        runner.catch_up()
        world.case("active", mentor_id=mentor)  # events for every read model
        committed: list[bool] = []
        real = type(runner.store).transaction

        def counted(store, commit=True, **options):
            committed.append(commit)
            return real(store, commit=commit, **options)

        monkeypatch.setattr(type(runner.store), "transaction", counted)
        read = runner.step()
        monkeypatch.undo()
        positions = runner.positions()
        assert read > 0 and set(positions.values()) == {app.recorder.max_notification_id()}
        assert committed.count(True) == 1  # one write for all of them, not one a read model
        assert_equals_fresh_rebuild(app, runner.store)

    def test_when_the_shared_write_fails_each_read_model_is_written_on_its_own(self, app, runner, monkeypatch):
        world = World.create(app)
        mentor, _ = world.mentor()
        runner.catch_up()
        world.case("active", mentor_id=mentor)
        victim = next(p for p in runner.projections if p.name == "statistics")
        real = type(victim).write
        failed = []

        def failing_once(projection, cursor, writer, expected):
            if projection is victim and not failed:
                failed.append(True)
                raise Explosion("the shared transaction failed here")
            return real(projection, cursor, writer, expected)

        monkeypatch.setattr(type(victim), "write", failing_once)
        runner.catch_up()
        assert failed and runner.errors == {}
        assert set(runner.positions().values()) == {app.recorder.max_notification_id()}
        assert_equals_fresh_rebuild(app, runner.store)


class TestCrashSafety:
    def test_a_crash_in_the_middle_of_a_batch_loses_and_doubles_nothing(self, app, runner):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=10)
        for stage in ("eoi", "approved", "proposed", "matched", "active"):
            world.case(stage, mentor_id=mentor)
        runner.catch_up()
        before = app.recorder.max_notification_id()
        for stage in ("active", "called", "eoi", "active"):
            world.case(stage, mentor_id=mentor)
        crashing = Runner.for_app(app, batch_size=10)
        victim = next(p for p in crashing.projections if p.name == "dashboard")
        victim.catch_all = exploding_on(15)  # in the second batch of ten
        crashing.catch_up()
        assert isinstance(crashing.errors["dashboard"], Explosion)
        positions = crashing.positions()
        assert before < positions["dashboard"] < app.recorder.max_notification_id()
        assert positions["dashboard"] % 1 == 0 and positions["dashboard"] - before == 10

        restarted = Runner.for_app(app)
        restarted.catch_up()
        assert set(restarted.positions().values()) == {app.recorder.max_notification_id()}
        assert_equals_fresh_rebuild(app, runner.store)


    def test_a_runner_process_killed_mid_transaction_resumes_without_loss(self, app, runner, settings, monkeypatch):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=10)
        runner.catch_up()
        before = app.recorder.max_notification_id()
        for stage in ("active", "called", "eoi", "active"):
            world.case(stage, mentor_id=mentor)
        _use_settings(monkeypatch, settings)
        died = subprocess.run([sys.executable, "-c", KILLED_RUNNER], env=os.environ.copy(), timeout=120)
        assert died.returncode == -signal.SIGKILL
        assert runner.positions()["dashboard"] == before + 10  # its first batch committed, the second died

        restarted = Runner.for_app(app)
        restarted.catch_up()
        assert set(restarted.positions().values()) == {app.recorder.max_notification_id()}
        assert_equals_fresh_rebuild(app, runner.store)


KILLED_RUNNER = """
import os, signal
from api.bootstrap import build_app
from api.settings import Settings
from projections.projection import Writer
from projections.runner import Runner

flush, flushes = Writer.flush, []

def flush_then_die(writer, cursor):
    flush(writer, cursor)  # the rows are written inside the open transaction ...
    if writer.projection.name == "dashboard":
        flushes.append(writer)
        if len(flushes) == 2:  # ... of the dashboard's second batch, and never committed
            os.kill(os.getpid(), signal.SIGKILL)

Writer.flush = flush_then_die
Runner.for_app(build_app(Settings()), batch_size=10).catch_up()
"""


class TestConcurrentWriters:
    def test_no_event_is_skipped_while_several_writers_record_for_seconds(self, app, runner, settings, clock):
        runner.start_in_thread()
        stop, failures, sessions = threading.Event(), [], []

        def writer() -> None:
            """Each writer its own programme, so nothing it writes can conflict: any error fails the test."""
            own = build_app(settings, clock=clock)
            try:
                world = World.create(own)
                mentor, _ = world.mentor(capacity=20)
                used = 0
                while not stop.is_set():
                    if used >= 18:
                        mentor, _ = world.mentor(capacity=20)
                        used = 0
                    case = world.case("active", mentor_id=mentor)
                    used += 1
                    own.record_session(case["partnership_id"], TODAY, 30, "video", "n", "a", case["mentee"])
                    sessions.append(case["partnership_id"])
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                own.close()

        threads = [threading.Thread(target=writer) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not failures:
            threading.Event().wait(0.05)  # the writers' working time, not a wait for the projections
        stop.set()
        for t in threads:
            t.join()
        assert failures == []
        assert len(sessions) >= 4  # every writer wrote, and each write is counted below
        runner.wait(app.recorder.max_notification_id(), timeout=60)
        runner.stop()
        counted = runner.store.query(
            "SELECT COUNT(*) AS n FROM rm_statistics_sessions WHERE partnership_id IN "
            f"({', '.join('?' for _ in sessions)})", [str(p) for p in sessions])
        assert counted[0]["n"] == len(sessions)
        assert_equals_fresh_rebuild(app, runner.store)


class TestRebuild:
    def test_rebuilding_one_read_model_leaves_the_others_serving_and_equals_a_fresh_build(self, app, runner):
        world = World.create(app)
        mentor, _ = world.mentor()
        case = world.case("matched", mentor_id=mentor)
        runner.catch_up()
        read_models = ReadModels(runner.store, opener=app.open_sealed)
        capacity_before = read_models.mentor_capacity(world.programme_id)
        progress = []

        def during(position: int, head: int) -> None:
            progress.append((position, head))
            assert read_models.case_summary(case["case_id"]).stage == "matched"  # old rows still served
            assert read_models.mentor_capacity(world.programme_id) == capacity_before

        dashboard = next(p for p in runner.projections if p.name == "dashboard")
        rebuild(app.recorder, app.mapper, type(dashboard)(), progress=during, batch_size=50)
        assert progress and progress[-1][0] == app.recorder.max_notification_id()
        assert read_models.case_summary(case["case_id"]).mentor_id == str(mentor)
        assert_equals_fresh_rebuild(app, runner.store)

    def test_a_rebuild_swapped_in_under_a_running_runner_and_writers_loses_nothing(self, app, runner):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=20)
        runner.start_in_thread()

        def keep_writing(position: int, head: int) -> None:  # writes land while the shadow is built
            world.case("approved")

        for cls in PROJECTIONS:
            rebuild(app.recorder, app.mapper, cls(), progress=keep_writing, batch_size=500)
        world.case("active", mentor_id=mentor)
        runner.wait(app.recorder.max_notification_id(), timeout=60)
        runner.stop()
        assert not runner.errors
        assert_equals_fresh_rebuild(app, runner.store)

    def test_the_command_rebuilds_every_read_model_twice_in_a_row(self, app, runner, settings, monkeypatch, capsys):
        World.create(app).case("eoi")
        runner.catch_up()
        _use_settings(monkeypatch, settings)
        assert cli(["projections", "rebuild", "--all"]) == 0
        assert cli(["projections", "rebuild", "dashboard"]) == 0
        err = capsys.readouterr().err
        assert "100%" in err and "rebuilt audit" in err
        assert_equals_fresh_rebuild(app, runner.store)

    def test_rebuilding_an_unknown_read_model_is_refused_with_the_names(self, settings, monkeypatch, capsys):
        _use_settings(monkeypatch, settings)
        assert cli(["projections", "rebuild", "nonsense"]) == 2
        assert "dashboard" in capsys.readouterr().err


def _use_settings(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    for field, value in settings.model_dump().items():
        if value is None:
            continue
        raw = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        monkeypatch.setenv(f"TRELLIS_{field.upper()}", str(raw))
