"""Every event records the actor, the actor's role and the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import Role
from domain_support import ADMIN, TODAY, World


class TestEveryEventIsStamped:
    def test_with_actor_role_and_time_across_the_whole_lifecycle(self, memory_app):
        world = World.create(memory_app, exploratory_conversations=1)
        mid, mentor = world.mentor(capacity=2)
        case = world.case("active", mentor_id=mid)
        pid = case["partnership_id"]
        memory_app.record_session(pid, TODAY, 30, "video", "n", "a", mentor)
        memory_app.review_progress(pid, "extend", "r", case["mentee"])
        memory_app.request_extension(pid, 1, case["mentee"])
        memory_app.grant_extension(pid, ADMIN)
        memory_app.end_partnership(pid, "completed", case["mentee"])
        memory_app.request_feedback(pid, ADMIN)
        memory_app.submit_feedback(pid, 5, "", mentor)
        declined = world.case("eoi")
        memory_app.decline_eoi(declined["case_id"], declined["manager"])
        rematched = world.case("matched", mentor_id=mid)
        memory_app.request_rematch(rematched["case_id"], rematched["mentee"])
        memory_app.withdraw_case(rematched["case_id"], ADMIN)
        memory_app.pause_mentor(mid, mentor)

        notifications = memory_app.recorder.select_notifications(start=1, limit=1000)
        events = [memory_app.mapper.to_domain_event(n) for n in notifications]
        assert len(events) > 40
        now = datetime.now(UTC)
        roles = {role.value for role in Role}
        for event in events:
            assert event.actor_id, type(event).__name__
            assert event.actor_role in roles, type(event).__name__
            assert now - timedelta(minutes=1) < event.timestamp <= now
        assert {e.actor_role for e in events} >= {"administrator", "mentee", "mentor", "line_manager"}
