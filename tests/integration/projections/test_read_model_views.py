"""What each user sees: the dashboard's counts and queues, mentor capacity and the
directory, the audit timeline, erased names. SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from read_model_checks import assert_equals_fresh_rebuild
from lifecycle import ADMIN, NOW, TODAY, World

from api.cli.demo_data import load_demo
from domain import Actor, Case, PersonDetails, Role, Stage
from projections.dashboard import Dashboard
from projections.queries import ReadModels
from projections.rebuild import rebuild


def topic(cls) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


class TestAdminDashboard:
    def test_counts_per_stage_match_the_cases(self, app, runner, read_models):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=10)
        stages = ["eoi", "eoi", "approved", "requested", "proposed", "called", "matched", "active"]
        cases = [world.case(s, mentor_id=mentor) for s in stages]
        app.withdraw_case(cases[0]["case_id"], cases[0]["mentee"])
        runner.catch_up()
        expected = Counter(app.load(Case, c["case_id"]).stage.value for c in cases)
        counts = read_models.stage_counts(world.programme_id)
        assert counts == {s.value: expected.get(s.value, 0) for s in Stage}
        assert [c.stage for c in read_models.cases(world.programme_id, stage="closed")] == ["closed"]

    def test_counts_asked_again_follow_the_cases_that_moved_since(self, app, runner, read_models):
        world = World.create(app)
        waiting = world.case("eoi")
        runner.catch_up()
        before = read_models.stage_counts(world.programme_id)
        assert (before["awaiting_line_manager"], before["closed"]) == (1, 0)
        app.withdraw_case(waiting["case_id"], waiting["mentee"])
        world.case("eoi")
        world.case("eoi")
        runner.catch_up()
        after = read_models.stage_counts(world.programme_id)  # the same read models, asked again
        assert (after["awaiting_line_manager"], after["closed"]) == (2, 1)

    def test_the_board_asked_again_follows_new_events_and_the_passing_days(self, app, runner, clock):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)  # ages counted to the clock
        world = World.create(app)
        first = world.case("eoi")
        runner.catch_up()
        counts, queues, sizes = read_models.board(world.programme_id)
        assert counts["awaiting_line_manager"] == 1 and sizes["eois_awaiting_line_manager"] == 1
        assert [i.age_days for i in queues.eois_awaiting_line_manager] == [0]
        world.case("eoi")
        runner.catch_up()
        counts, queues, sizes = read_models.board(world.programme_id)  # at once: the read model moved
        assert counts["awaiting_line_manager"] == 2 and sizes["eois_awaiting_line_manager"] == 2
        clock.set(clock() + timedelta(days=3))  # no event, three days on
        _, queues, _ = read_models.board(world.programme_id)
        waiting = {i.case_id: i.age_days for i in queues.eois_awaiting_line_manager}
        assert waiting[str(first["case_id"])] == 3

    def test_the_board_asked_again_at_the_same_position_is_not_read_again(self, app, runner, clock):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)
        world = World.create(app)
        world.case("eoi")
        runner.catch_up()
        first = read_models.board(world.programme_id, limit=50)
        asked = []
        query = runner.store.query
        read_models.store.query = lambda sql, params=(): asked.append(sql) or query(sql, params)
        clock.set(clock() + timedelta(hours=3))  # later the same day: no age has ticked over
        again = read_models.board(world.programme_id, limit=50)
        assert again is first
        assert len(asked) == 1 and "tracking" in asked[0]  # only the read model's position was read

    def test_an_age_ticks_over_on_the_board_a_day_after_the_item_began_waiting(self, app, runner, clock):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)
        world = World.create(app)
        submitted = clock()
        world.case("eoi")
        runner.catch_up()
        clock.set(submitted + timedelta(days=1, seconds=-1))
        _, queues, _ = read_models.board(world.programme_id, limit=50)
        assert [i.age_days for i in queues.eois_awaiting_line_manager] == [0]
        clock.set(submitted + timedelta(days=1, seconds=1))  # no event: only the clock moved
        _, queues, _ = read_models.board(world.programme_id, limit=50)
        assert [i.age_days for i in queues.eois_awaiting_line_manager] == [1]

    def test_a_partnership_turns_stale_on_the_board_with_no_event(self, app, runner, clock):
        read_models = ReadModels(runner.store, clock=clock, opener=app.open_sealed)
        world = World.create(app)
        mentor, _ = world.mentor(capacity=2)
        active = world.case("active", mentor_id=mentor)  # no session since it started, on TODAY
        runner.catch_up()
        clock.set(NOW + timedelta(days=29))
        _, queues, sizes = read_models.board(world.programme_id, stale_after_days=30, limit=50)
        assert queues.stale_partnerships == () and sizes["stale_partnerships"] == 0
        clock.set(NOW + timedelta(days=31))
        _, queues, sizes = read_models.board(world.programme_id, stale_after_days=30, limit=50)
        assert [i.partnership_id for i in queues.stale_partnerships] == [str(active["partnership_id"])]
        assert sizes["stale_partnerships"] == 1

    def test_the_demo_dashboard_counts_match_the_stages_of_its_cases(self, app, runner, read_models, clock):
        demo = load_demo(app, clock)
        runner.catch_up()
        eois = app.recorder.select_notifications(start=0, limit=10**6, topics=[topic(Case.EOISubmitted)])
        case_ids = [n.originator_id for n in eois
                    if app.mapper.to_domain_event(n).programme_id == demo.programme_id]
        expected = Counter(app.load(Case, cid).stage.value for cid in case_ids)
        counts = read_models.stage_counts(demo.programme_id)
        assert all(counts[s.value] > 0 for s in Stage), "the demo has cases in every stage"
        assert counts == {s.value: expected.get(s.value, 0) for s in Stage}

    def test_action_queues_hold_each_waiting_item_with_its_age(self, app, runner):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=10)
        eoi = world.case("eoi")
        proposed = world.case("proposed", mentor_id=mentor)
        unsigned = world.case("matched", mentor_id=mentor)
        active = world.case("active", mentor_id=mentor)
        app.request_extension(active["partnership_id"], 2, active["mentee"])
        runner.catch_up()
        later = ReadModels(runner.store, clock=lambda: NOW + timedelta(days=40), opener=app.open_sealed)
        queues = later.action_queues(world.programme_id, stale_after_days=30)
        assert [i.case_id for i in queues.eois_awaiting_line_manager] == [str(eoi["case_id"])]
        assert [i.case_id for i in queues.proposals_awaiting_outcome] == [str(proposed["case_id"])]
        assert [i.partnership_id for i in queues.agreements_awaiting_signature] == [str(unsigned["partnership_id"])]
        assert [i.partnership_id for i in queues.extensions_pending] == [str(active["partnership_id"])]
        assert [i.partnership_id for i in queues.stale_partnerships] == [str(active["partnership_id"])]
        assert all(i.age_days == 40 for i in queues.eois_awaiting_line_manager + queues.extensions_pending)
        now = ReadModels(runner.store, clock=lambda: NOW, opener=app.open_sealed)
        assert now.action_queues(world.programme_id).stale_partnerships == ()

    def test_ended_partnerships_wait_for_feedback_until_both_have_answered(self, app, runner, read_models):
        world = World.create(app)
        mentor, mentor_actor = world.mentor()
        case = world.case("active", mentor_id=mentor)
        pid = case["partnership_id"]
        app.record_session(pid, TODAY, 45, "phone", "notes", "actions", case["mentee"])
        app.end_partnership(pid, "completed", case["mentee"])
        app.request_feedback(pid, ADMIN)
        app.submit_feedback(pid, 5, "", case["mentee"])
        runner.catch_up()
        assert [i.partnership_id for i in read_models.action_queues(world.programme_id).awaiting_feedback] == [str(pid)]
        summary = read_models.partnership_summary(pid)
        assert (summary.sessions, summary.last_session_on, summary.feedback_received) == (1, TODAY.isoformat(), 1)
        app.submit_feedback(pid, 4, "", mentor_actor)
        runner.catch_up()
        assert read_models.action_queues(world.programme_id).awaiting_feedback == ()


class TestMentorCapacityAndDirectory:
    def test_capacity_counts_confirmed_and_held_slots_and_a_rematch_frees_one(self, app, runner, read_models):
        world = World.create(app)
        mentor, _ = world.mentor(capacity=4)
        world.case("proposed", mentor_id=mentor)
        matched = world.case("matched", mentor_id=mentor)
        world.case("active", mentor_id=mentor)
        runner.catch_up()
        [capacity] = read_models.mentor_capacity(world.programme_id)
        assert (capacity.capacity, capacity.confirmed, capacity.held, capacity.free) == (4, 2, 1, 1)
        app.request_rematch(matched["case_id"], matched["mentee"])
        runner.catch_up()
        [capacity] = read_models.mentor_capacity(world.programme_id)
        assert (capacity.confirmed, capacity.held, capacity.free) == (1, 1, 2)

    def test_the_directory_filters_by_sector_region_and_expertise(self, app, runner, read_models):
        world = World.create(app)
        for person, sector, region, expertise in [
            ("a", "primary", "East", ["Maths", "curriculum"]), ("b", "secondary", "East", ["maths"]),
            ("c", "primary", "West", ["inclusion"]),
        ]:
            actor = Actor(f"{person}-{world.programme_id.hex[:8]}", Role.MENTOR)
            mid = app.express_mentor_interest(world.programme_id, actor.id, PersonDetails(f"Mentor {person}", "m@example.org"), actor).id
            app.complete_mentor_training(mid, TODAY, ADMIN)
            app.join_pool(mid, 2, {"headline": "h", "sector": sector, "region": region, "expertise": expertise}, actor)
        runner.catch_up()
        names = lambda entries: sorted(e.name for e in entries)  # noqa: E731
        assert names(read_models.directory(world.programme_id, sector="primary")) == ["Mentor a", "Mentor c"]
        assert names(read_models.directory(world.programme_id, region="east", expertise="maths")) == ["Mentor a", "Mentor b"]
        assert names(read_models.directory(world.programme_id, sector="primary", region="West")) == ["Mentor c"]


class TestAuditTimeline:
    def test_every_event_of_a_case_is_listed_with_its_actor_and_role(self, app, runner, read_models):
        world = World.create(app)
        case = world.case("approved")
        runner.catch_up()
        timeline = read_models.audit_timeline(case["case_id"])
        assert [(e.event_type, e.actor_role) for e in timeline] == [
            ("EOISubmitted", "mentee"), ("LineManagerApproved", "line_manager")]
        assert timeline[1].actor_id == case["manager"].id
        assert read_models.audit_timeline(case["case_id"], after=timeline[0].position) == timeline[1:]


class TestErasure:
    """Names and profiles are kept sealed under their subject's key: destroying it erases the
    read models' copies at once, with no purge and no rebuild."""

    def test_a_mentees_name_is_gone_the_moment_their_key_is_destroyed(self, app, runner, read_models):
        world = World.create(app)
        case = world.case("eoi", name="Erasable Person")
        runner.catch_up()
        assert read_models.case_summary(case["case_id"]).mentee_name == "Erasable Person"
        app.keys.destroy(f"subject:{case['mentee'].id}")
        summary = read_models.case_summary(case["case_id"])
        assert summary.mentee_name is None and summary.stage == "awaiting_line_manager"
        rebuild(app.recorder, app.mapper, Dashboard())
        assert read_models.case_summary(case["case_id"]).mentee_name is None

    def test_a_mentors_name_and_profile_are_gone_everywhere_at_once(self, app, runner, read_models):
        world = World.create(app)
        mentor, actor = world.mentor(name="Erasable Mentor")
        case = world.case("matched", mentor_id=mentor)
        runner.catch_up()
        [before] = read_models.directory(world.programme_id, expertise="maths")
        assert (before.name, before.headline) == ("Erasable Mentor", "Head of maths")
        app.keys.destroy(f"subject:{actor.id}")
        [entry] = read_models.directory(world.programme_id)
        assert (entry.name, entry.headline, entry.expertise) == (None, None, ())
        assert read_models.case_summary(case["case_id"]).mentor_name is None
        assert [r.mentor_name for r in read_models.line_manager_reports(case["manager"].id)] == [None]
        assert read_models.directory(world.programme_id, expertise="maths") == []
        assert_equals_fresh_rebuild(app, runner.store)  # what a rebuild after erasure would hold
