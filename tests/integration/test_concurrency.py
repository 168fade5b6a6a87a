"""Concurrent changes: to the same aggregate, the second writer gets a Conflict, not a lost
update; to different cases of one programme, both succeed (no aggregate is shared).

Two application instances (as two API workers would be) load the same aggregate; the
other writer's change is let in just after the first load, so the interleaving is exact.
"""

from __future__ import annotations

import threading


import pytest
from eventsourcing.persistence import IntegrityError

from api.bootstrap import build_app
from domain import Case, Conflict, Mentor, Partnership, Stage
from lifecycle import ADMIN, TODAY, World


@pytest.fixture
def second_app(settings, clock):
    application = build_app(settings, clock=clock)
    yield application
    application.close()


def interleave(app, other_writer, after: type = object):
    """Once `app` has loaded an aggregate of type `after`, `other_writer` runs before `app` goes on."""
    original = app.load
    pending = [other_writer]

    def load(cls, aggregate_id):
        aggregate = original(cls, aggregate_id)
        if isinstance(aggregate, after):
            while pending:
                pending.pop()()
        return aggregate

    app.load = load


def conflict_from(command) -> Conflict:
    with pytest.raises(Conflict) as raised:
        command()
    error = raised.value
    assert type(error) is Conflict and not isinstance(error, IntegrityError)
    assert error.__suppress_context__, "the library's error is not chained into what users see"
    return error


class TestConcurrentChangesToACase:
    def test_the_second_writer_gets_a_conflict_and_writes_nothing(self, app, second_app, settings):
        world = World.create(app)
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        written = []

        def first_writer():
            app.record_discovery_call(case["case_id"], TODAY, ADMIN)
            written.append(app.recorder.max_notification_id())

        interleave(second_app, first_writer)
        conflict_from(lambda: second_app.withdraw_case(case["case_id"], case["mentee"], reason="changed my mind"))
        assert app.recorder.max_notification_id() == written[0]
        reloaded = build_app(settings)
        try:
            loaded = reloaded.load(Case, case["case_id"])
            assert loaded.stage is Stage.DISCOVERY_CALL_HELD
            assert [type(e).__name__ for e in reloaded.events.get(case["case_id"])][-1] == "DiscoveryCallHeld"
            assert reloaded.load(Mentor, mid).held == [case["case_id"]]
        finally:
            reloaded.close()

    def test_a_conflict_on_one_aggregate_writes_none_of_the_others(self, app, second_app):
        world = World.create(app)
        mid, mentor = world.mentor(capacity=2)
        case = world.case("requested", mentor_id=mid)
        case_version = app.load(Case, case["case_id"]).version
        interleave(second_app, lambda: app.change_mentor_capacity(mid, 3, mentor), after=Mentor)
        conflict_from(lambda: second_app.propose_match(case["case_id"], mid, "r", ADMIN))
        assert app.load(Case, case["case_id"]).stage is Stage.AWAITING_MATCH
        assert app.load(Case, case["case_id"]).version == case_version
        mentor_now = app.load(Mentor, mid)
        assert (mentor_now.capacity, mentor_now.held) == (3, [])

    def test_after_a_conflict_a_retry_succeeds_on_the_fresh_state(self, app, second_app):
        world = World.create(app)
        mid, _ = world.mentor()
        case = world.case("proposed", mentor_id=mid)
        interleave(second_app, lambda: app.record_discovery_call(case["case_id"], TODAY, ADMIN))
        conflict_from(lambda: second_app.record_discovery_call(case["case_id"], TODAY, ADMIN))
        second_app.confirm_match(case["case_id"], ADMIN)
        assert app.load(Case, case["case_id"]).stage is Stage.MATCHED


class TestConcurrentChangesToAPartnership:
    def test_two_sessions_recorded_at_once_do_not_lose_an_update(self, app, second_app):
        world = World.create(app)
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        pid = case["partnership_id"]
        interleave(second_app, lambda: app.record_session(pid, TODAY, 30, "video", "first", "", mentor))
        conflict_from(lambda: second_app.record_session(pid, TODAY, 45, "phone", "second", "", case["mentee"]))
        records = app.session_records(pid, mentor)
        assert [(r.minutes, r.notes) for r in records] == [(30, "first")]
        assert app.load(Partnership, pid).sessions == 1

    def test_threads_in_separate_instances_never_lose_a_session(self, app, settings, clock):
        world = World.create(app)
        mid, mentor = world.mentor()
        case = world.case("active", mentor_id=mid)
        pid = case["partnership_id"]
        workers = [build_app(settings, clock=clock) for _ in range(4)]
        start = threading.Barrier(len(workers))
        accepted, conflicts, errors = [], [], []

        def work(worker):
            start.wait()
            for _ in range(5):
                try:
                    worker.record_session(pid, TODAY, 20, "video", "n", "a", mentor)
                    accepted.append(1)
                except Conflict:
                    conflicts.append(1)
                except Exception as error:  # anything else is a failure of the test
                    errors.append(error)

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for worker in workers:
            worker.close()
        assert errors == []
        assert len(accepted) + len(conflicts) == 20 and accepted
        assert app.load(Partnership, pid).sessions == len(accepted)
        assert len(app.session_records(pid, mentor)) == len(accepted)


class TestTwoAdministratorsOnTwoCasesOfOneProgramme:
    """Approvals, proposals, rematches and withdrawals on different cases share no aggregate."""

    def test_proposals_of_different_mentors_interleaved_both_succeed(self, app, second_app):
        world = World.create(app)
        (first_mentor, _), (second_mentor, _) = world.mentor(), world.mentor()
        first, second = world.case("requested", first_mentor), world.case("requested", second_mentor)
        written = []
        interleave(second_app, lambda: written.append(
            app.propose_match(first["case_id"], first_mentor, "r", ADMIN)), after=Case)
        answer = second_app.propose_match(second["case_id"], second_mentor, "r", ADMIN)
        assert written and answer.position > written[0].position
        for case, mentor in ((first, first_mentor), (second, second_mentor)):
            assert app.load(Case, case["case_id"]).stage is Stage.MATCH_PROPOSED
            assert app.load(Mentor, mentor).held == [case["case_id"]]

    @pytest.mark.parametrize("step", ["approve", "propose", "rematch", "withdraw"])
    def test_the_same_moment_on_two_threads_gives_no_conflict(self, app, settings, clock, step):
        world = World.create(app)
        admins = [build_app(settings, clock=clock) for _ in range(2)]
        trials, outcomes, errors = 10, [], []
        try:
            for _ in range(trials):
                pairs = []
                for _ in admins:
                    mentor, _ = world.mentor()
                    stage = {"approve": "eoi", "propose": "requested", "rematch": "proposed", "withdraw": "approved"}
                    pairs.append((world.case(stage[step], mentor), mentor))
                start = threading.Barrier(len(admins))

                def act(admin, case, mentor):
                    start.wait()
                    try:
                        {
                            "approve": lambda: admin.approve_eoi(case["case_id"], case["manager"]),
                            "propose": lambda: admin.propose_match(case["case_id"], mentor, "r", ADMIN),
                            "rematch": lambda: admin.request_rematch(case["case_id"], ADMIN),
                            "withdraw": lambda: admin.withdraw_case(case["case_id"], ADMIN),
                        }[step]()
                        outcomes.append("ok")
                    except Exception as error:  # a Conflict here is the failure this test is for
                        errors.append(error)

                threads = [threading.Thread(target=act, args=(a, *pair)) for a, pair in zip(admins, pairs)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=30)
        finally:
            for admin in admins:
                admin.close()
        assert errors == []
        assert outcomes == ["ok"] * (trials * len(admins))
