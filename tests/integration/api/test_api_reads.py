"""Reads: shaped per reader, scoped to what is theirs, and consistent with the commands."""

from __future__ import annotations

from datetime import timedelta

from api_support import cast
from domain import Actor, Role
from lifecycle import TODAY


class TestReadYourWrites:
    def test_a_read_at_or_past_a_commands_position_reflects_it(self, api):
        c = cast(api.trellis, stage="approved")
        answer = api.post(f"/cases/{c.case_id}/withdraw", c.people[Role.MENTEE], {"reason": ""}).json()
        api.client.app.state.runner.wait(answer["position"])
        response = api.get(f"/cases/{c.case_id}", c.people[Role.ADMINISTRATOR])
        assert int(response.headers["x-trellis-read-position"]) >= answer["position"]
        assert response.json()["stage"] == "closed" and response.json()["closed_reason"] == "withdrawn"


class TestShapedForTheReader:
    def test_the_line_manager_sees_status_dates_and_the_mentors_name_only(self, api):
        c = cast(api.trellis)
        api.settle()
        view = api.get(f"/cases/{c.case_id}", c.people[Role.LINE_MANAGER]).json()
        assert view["audience"] == "line_manager"
        assert view["mentor_name"] == "Mentor Name" and view["progress"] == "active"
        assert not {"mentor_id", "partnership_id", "line_manager_id", "mentee_name", "priority"} & set(view)

    def test_oversight_sees_the_case_in_full_and_the_pair_their_own(self, api):
        c = cast(api.trellis)
        api.settle()
        for role, audience in ((Role.ADMINISTRATOR, "oversight"), (Role.AUDITOR, "oversight"),
                               (Role.MENTEE, "party"), (Role.MENTOR, "party")):
            view = api.get(f"/cases/{c.case_id}", c.people[role]).json()
            assert view["audience"] == audience
            assert view["partnership_id"] == str(c.partnership_id)


class TestScopedToTheirOwn:
    def test_a_line_manager_lists_only_their_reports(self, api):
        mine, theirs = cast(api.trellis), cast(api.trellis)
        api.settle()
        reports = api.get("/line-manager/reports", mine.people[Role.LINE_MANAGER]).json()
        assert [r["case_id"] for r in reports] == [str(mine.case_id)]
        assert str(theirs.case_id) not in str(reports)

    def test_the_pair_lists_only_their_partnership(self, api):
        c = cast(api.trellis)
        c.world.case("active", c.mentor_id)  # another mentee, the same mentor
        api.settle()
        mentee_view = api.get("/partnerships/mine", c.people[Role.MENTEE], params={"programme_id": str(c.programme_id)})
        mentor_view = api.get("/partnerships/mine", c.people[Role.MENTOR], params={"programme_id": str(c.programme_id)})
        assert [p["partnership_id"] for p in mentee_view.json()] == [str(c.partnership_id)]
        assert len(mentor_view.json()) == 2


class TestHistory:
    def test_the_auditor_reads_a_cases_state_on_a_past_day(self, api):
        c = cast(api.trellis, stage="approved")
        auditor = Actor("auditor-history", Role.AUDITOR)
        yesterday = (TODAY - timedelta(days=1)).isoformat()
        before = api.get(f"/audit/cases/{c.case_id}/as-of", auditor, params={"on": yesterday})
        today = api.get(f"/audit/cases/{c.case_id}/as-of", auditor, params={"on": TODAY.isoformat()}).json()
        assert before.status_code == 422 and "did not exist yet" in before.json()["detail"]
        assert today["on"] == TODAY.isoformat() and today["stage"] == "awaiting_matching_request"

    def test_the_timeline_names_events_and_actors_in_order(self, api):
        c = cast(api.trellis, stage="matched")
        api.settle()
        timeline = api.get(f"/cases/{c.case_id}/timeline", c.people[Role.ADMINISTRATOR]).json()
        names = [e["event_type"] for e in timeline]
        assert names[0] == "EOISubmitted" and "MatchConfirmed" in names and "PartnershipFormed" in names
        assert [e["position"] for e in timeline] == sorted(e["position"] for e in timeline)
