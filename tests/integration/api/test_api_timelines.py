"""Timelines tell the whole story — every partnership a case ever had, each event with what may
be shown of it — and never confidential content, special-category data or free text; what an
administrator recorded for someone says so on the timeline, the case, the partnership and the
pair's own view."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain import Actor, Confidential, Partnership, Role
from history_story import BIO, DAYS, NEVER_SHOWN, Story, tell
from lifecycle import World, person

PAIR = "confidential to the pair"
FREE_TEXT = "free text"


@pytest.fixture
def story(api, clock) -> Story:
    told = tell(api.trellis, clock, lambda s, day: None)
    api.settle()
    return told


def timeline(api, path: str, reader: Actor, **params: Any) -> list[dict[str, Any]]:
    answer = api.get(path, reader, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def of(entries: list[dict[str, Any]], aggregate_id: Any, event_type: str | None = None) -> list[dict[str, Any]]:
    return [e for e in entries if e["aggregate_id"] == str(aggregate_id)
            and (event_type is None or e["event_type"] == event_type)]


class TestACasesTimeline:
    def test_keeps_the_first_partnership_after_a_rematch(self, api, story):
        s = story
        entries = timeline(api, f"/cases/{s.ids['case 1']}/timeline", s.people["auditor"])
        assert {e["aggregate_id"] for e in entries} == {
            str(s.ids["case 1"]), str(s.ids["partnership 1"]), str(s.ids["partnership 2"])}
        assert [e["event_type"] for e in of(entries, s.ids["partnership 1"])] == [
            "PartnershipFormed", "AgreementSigned", "AgreementSigned", "PartnershipStarted", "SessionHeld",
            "PartnershipEnded"]
        assert of(entries, s.ids["partnership 1"], "PartnershipEnded")[0]["details"] == {"reason": "rematched"}
        assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)

    def test_shows_who_was_proposed_their_rank_and_the_pairs_non_confidential_facts(self, api, story):
        s = story
        entries = timeline(api, f"/cases/{s.ids['case 1']}/timeline", s.people["admin"])
        first, second = (e["details"] for e in of(entries, s.ids["case 1"], "MatchProposed"))
        assert first == {"mentor_id": str(s.ids["mentor A"]), "mentor_name": "Avery Okafor",
                         "from_preferences": True, "preference_rank": 2}
        assert second == {"mentor_id": str(s.ids["mentor C"]), "mentor_name": "Cal Moreno",
                          "from_preferences": False, "preference_rank": None}
        assert of(entries, s.ids["case 1"], "MatchProposed")[0]["withheld"] == {"reasons": FREE_TEXT}
        assert of(entries, s.ids["case 1"], "LineManagerApproved")[0]["details"] == {"priority": True}
        assert of(entries, s.ids["case 1"], "MatchingRequestSubmitted")[0]["details"] == {"preferences": 2}
        assert of(entries, s.ids["case 1"], "RematchRequested")[0]["withheld"] == {"reason": FREE_TEXT}
        other = timeline(api, f"/cases/{s.ids['case 2']}/timeline", s.people["auditor"])
        assert of(other, s.ids["case 2"], "ExploratoryConversationHeld")[0]["details"] == {
            "mentor_id": str(s.ids["mentor B"]), "mentor_name": "Bea Lindqvist", "held_on": "2026-03-20"}
        assert of(other, s.ids["case 2"], "Withdrawn")[0]["withheld"] == {"reason": FREE_TEXT}

        p1, p2 = s.ids["partnership 1"], s.ids["partnership 2"]
        assert [e["details"] for e in of(entries, p1, "SessionHeld") + of(entries, p2, "SessionHeld")] == [
            {"held_on": "2026-03-20", "minutes": 50, "medium": "video"},
            {"held_on": "2026-04-10", "minutes": 40, "medium": "in_person"}]
        assert of(entries, p1, "SessionHeld")[0]["withheld"] == {"notes": PAIR, "actions": PAIR}
        review = of(entries, p2, "ProgressReviewed")[0]
        assert review["details"] == {"outcome": "extend"} and review["withheld"] == {"notes": PAIR}
        assert [e["details"] for e in of(entries, p2, "ExtensionRequested") + of(entries, p2, "ExtensionGranted")] == [
            {"months": 3}, {"months": 3}]
        assert of(entries, p2, "PartnershipEnded")[0]["details"] == {"reason": "completed"}
        assert of(entries, p2, "FeedbackSubmitted")[0]["withheld"] == {
            "rating": "kept for anonymous QA statistics only", "comments": "kept for anonymous QA statistics only"}

    def test_pages_in_log_order(self, api, story):
        s = story
        path, reader = f"/cases/{s.ids['case 1']}/timeline", s.people["auditor"]
        whole = timeline(api, path, reader)
        first = timeline(api, path, reader, limit=7)
        rest = timeline(api, path, reader, after=first[-1]["position"])
        assert first + rest == whole and len(first) == 7 and len(rest) == len(whole) - 7

    def test_a_review_recorded_when_outcomes_were_the_pairs_says_so(self, api, story):
        s = story
        t = api.trellis
        case = World(t, s.ids["programme"], s.ids["settings"]).case("active", s.ids["mentor A"])
        partnership = t.load(Partnership, case["partnership_id"])
        with t.acting(case["mentee"]):  # as a review was recorded before v4: its outcome with the pair's content
            partnership._reviewed(outcome=Confidential(str(partnership.id), "end"),
                                  notes=Confidential(str(partnership.id), "n"))
        t.commit(partnership)
        api.settle()
        entries = timeline(api, f"/partnerships/{partnership.id}/timeline", s.people["auditor"])
        review = of(entries, partnership.id, "ProgressReviewed")[0]
        assert review["details"] == {"outcome": None}
        assert review["withheld"] == {"outcome": PAIR, "notes": PAIR}


class TestOtherTimelines:
    def test_a_mentor_records_pauses_capacity_and_places_and_who_recorded_them(self, api, story):
        s = story
        b = timeline(api, f"/mentors/{s.ids['mentor B']}/timeline", s.people["auditor"])
        assert [e["event_type"] for e in b] == [
            "InterestExpressed", "TrainingCompleted", "JoinedPool", "Paused", "Resumed"]
        assert b[0]["details"] == {"mentor_id": str(s.ids["mentor B"]), "mentor_name": "Bea Lindqvist",
                                   "person_id": s.people["mentor B"].id}
        paused, resumed = b[3], b[4]
        assert paused["recorded_by_administrator"] and paused["on_behalf_of"] == s.people["mentor B"].id
        assert not resumed["recorded_by_administrator"] and resumed["on_behalf_of"] is None
        assert b[2]["details"] == {"capacity": 1}
        assert b[2]["withheld"] == {"profile": "the directory profile", "special": "special-category data",
                                    "consent": "special-category data"}

        a = timeline(api, f"/mentors/{s.ids['mentor A']}/timeline", s.people["admin"])
        assert a[0]["recorded_by_administrator"]  # interest expressed for them by an administrator
        assert [(e["event_type"], e["details"]) for e in a[3:]] == [
            ("SlotHeld", {"case_id": str(s.ids["case 1"])}), ("SlotConfirmed", {"case_id": str(s.ids["case 1"])}),
            ("SlotReleased", {"case_id": str(s.ids["case 1"])}), ("CapacityChanged", {"capacity": 3})]

    def test_a_partnership_shows_its_signatures_and_who_recorded_them(self, api, story):
        s = story
        entries = timeline(api, f"/partnerships/{s.ids['partnership 1']}/timeline", s.people["admin"])
        signed = [(e["details"]["party"], e["recorded_by_administrator"], e["on_behalf_of"])
                  for e in entries if e["event_type"] == "AgreementSigned"]
        assert signed == [("mentee", True, s.people["case 1"].id), ("mentor", False, None)]
        assert entries[0]["details"]["mentor_name"] == "Avery Okafor"
        assert entries[0]["details"]["planned_months"] == 6

    def test_a_programme_holds_its_configuration_and_everything_in_it_and_nothing_else(self, api, story):
        s = story
        other = World.create(api.trellis)
        other_mentor, _ = other.mentor()
        api.settle()
        entries, after = [], 0
        while page := timeline(api, f"/programmes/{s.ids['programme']}/timeline", s.people["auditor"],
                               after=after, limit=50):
            entries, after = entries + page, page[-1]["position"]
        own = {str(s.ids[key]) for key in s.ids if key not in ("settings",)}
        assert {e["aggregate_id"] for e in entries} == own
        configured = [e["details"]["typical_sessions"] for e in of(entries, s.ids["programme"])]
        assert configured == [6, 8]
        assert str(other.programme_id) not in str(entries) and str(other_mentor) not in str(entries)


class TestWhatATimelineNeverShows:
    def test_no_marker_of_confidential_special_or_free_text_content_reaches_any_timeline(self, api, story):
        s = story
        paths = [f"/cases/{s.ids[c]}/timeline" for c in ("case 1", "case 2", "case 3")]
        paths += [f"/partnerships/{s.ids[p]}/timeline" for p in ("partnership 1", "partnership 2")]
        paths += [f"/mentors/{s.ids[m]}/timeline" for m in ("mentor A", "mentor B", "mentor C")]
        paths += [f"/programmes/{s.ids['programme']}/timeline", "/audit/events"]
        for path in paths:
            for reader in (s.people["admin"], s.people["auditor"]):
                answer = api.get(path, reader, params={"limit": 1000})
                if path == "/audit/events" and reader is s.people["admin"]:
                    assert answer.status_code == 403
                    continue
                assert answer.status_code == 200, (path, answer.text)
                assert not [m for m in (*NEVER_SHOWN, BIO) if m in answer.text], path

    def test_names_are_shown_only_where_the_reader_may_see_them(self, api, story):
        s = story
        named = api.trellis.case_timeline(s.ids["case 1"], names=True)
        unnamed = api.trellis.case_timeline(s.ids["case 1"], names=False)
        assert "Avery Okafor" in str(named) and "mentor_name" in str(named)
        assert "mentor_name" not in str(unnamed)
        assert [e.entry.position for e in named] == [e.entry.position for e in unnamed]

    def test_the_other_roles_are_refused_every_timeline(self, api, story):
        s = story
        for role in (Role.LINE_MANAGER, Role.MENTOR, Role.MENTEE, Role.DPO):
            stranger = person(api.trellis, role)
            for path in (f"/cases/{s.ids['case 1']}/timeline", f"/mentors/{s.ids['mentor A']}/timeline",
                         f"/partnerships/{s.ids['partnership 1']}/timeline",
                         f"/programmes/{s.ids['programme']}/timeline"):
                assert api.get(path, stranger).status_code == 403, (role, path)

    def test_an_unknown_object_has_no_timeline(self, api, story):
        for kind in ("cases", "partnerships", "mentors", "programmes"):
            answer = api.get(f"/{kind}/{uuid4()}/timeline", story.people["auditor"])
            assert answer.status_code == 404, kind


class TestAfterAnErasure:
    def test_the_history_keeps_its_shape_and_the_erased_persons_values_read_as_erased(self, api, story):
        s = story
        path, auditor = f"/cases/{s.ids['case 1']}/timeline", s.people["auditor"]
        before = timeline(api, path, auditor)
        dpo = person(api.trellis, Role.DPO)
        request = api.trellis.receive_request("erasure", dpo, s.today, person_id=s.people["case 1"].id).id
        api.trellis.execute_erasure(request, dpo)
        api.settle()

        after = timeline(api, path, auditor)
        assert [(e["position"], e["event_type"]) for e in after] == [(e["position"], e["event_type"]) for e in before]
        review = of(after, s.ids["partnership 2"], "ProgressReviewed")[0]
        assert review["details"] == {"outcome": None}
        assert review["withheld"] == {"outcome": "erased", "notes": PAIR}
        assert of(after, s.ids["case 1"], "MatchingRequestSubmitted")[0]["details"] == {"preferences": None}
        proposed = of(after, s.ids["case 1"], "MatchProposed")[0]["details"]
        assert proposed["mentor_name"] == "Avery Okafor" and proposed["preference_rank"] is None
        past = api.get(f"/audit/cases/{s.ids['case 1']}/as-of", auditor, params={"at": s.clock().isoformat()}).json()
        assert past["mentee_name"] is None and past["stage"] == "closed" and past["mentor_name"] == "Cal Moreno"


class TestRecordedByAnAdministrator:
    def test_the_case_page_says_which_steps_an_administrator_recorded_for_the_mentee(self, api, story):
        s = story
        for reader in (s.people["admin"], s.people["auditor"], s.people["case 1"]):
            case = api.get(f"/cases/{s.ids['case 1']}", reader).json()
            assert (case["eoi_recorded_by"], case["matching_request_recorded_by"]) == ("administrator", "administrator")
        own = api.get(f"/cases/{s.ids['case 2']}", s.people["case 2"]).json()
        assert (own["eoi_recorded_by"], own["matching_request_recorded_by"]) == (None, None)

    def test_the_case_page_says_an_administrator_recorded_the_withdrawal(self, api, story):
        s = story
        case = World(api.trellis, s.ids["programme"], s.ids["settings"]).case("approved")
        api.trellis.withdraw_case(case["case_id"], s.people["admin"], reason="moved school")
        api.settle()
        for reader in (s.people["admin"], s.people["auditor"]):
            assert api.get(f"/cases/{case['case_id']}", reader).json()["withdrawal_recorded_by"] == "administrator"
            past = api.get(f"/audit/cases/{case['case_id']}/as-of", s.people["auditor"],
                           params={"at": s.clock().isoformat()}).json()
            assert past["withdrawal_recorded_by"] == "administrator"
        themselves = api.get(f"/cases/{s.ids['case 2']}", s.people["admin"]).json()  # withdrawn by the mentee
        assert (themselves["closed_reason"], themselves["withdrawal_recorded_by"]) == ("withdrawn", None)
        withdrawn = [e for e in timeline(api, f"/cases/{case['case_id']}/timeline", s.people["auditor"])
                     if e["event_type"] == "Withdrawn"]
        assert [(e["recorded_by_administrator"], e["on_behalf_of"]) for e in withdrawn] == [
            (True, case["mentee"].id)]

    def test_the_mentor_record_says_which_status_and_capacity_an_administrator_recorded(self, api, story):
        s = story
        api.trellis.change_mentor_capacity(s.ids["mentor C"], 3, s.people["admin"])
        api.settle()
        seen = {key: api.get(f"/mentors/{s.ids[key]}", s.people["admin"]).json() for key in ("mentor B", "mentor C")}
        assert (seen["mentor C"]["capacity"], seen["mentor C"]["capacity_recorded_by"]) == (3, "administrator")
        assert seen["mentor C"]["status_recorded_by"] is None  # joined the pool themselves
        assert (seen["mentor B"]["status"], seen["mentor B"]["status_recorded_by"]) == ("in_pool", None)  # resumed
        own = api.get(f"/mentors/{s.ids['mentor C']}", s.people["mentor C"]).json()
        assert own["capacity_recorded_by"] == "administrator"
        paused = api.get(f"/audit/mentors/{s.ids['mentor B']}/as-of", s.people["auditor"],
                         params={"at": DAYS["sessions"].isoformat()}).json()  # paused for them by an administrator
        assert (paused["status"], paused["status_recorded_by"]) == ("paused", "administrator")

    def test_the_partnership_and_the_pairs_own_view_say_whose_signature_an_administrator_recorded(self, api, story):
        s = story
        p1, p2 = str(s.ids["partnership 1"]), str(s.ids["partnership 2"])
        for reader in (s.people["admin"], s.people["case 1"], s.people["mentor A"]):
            seen = api.get(f"/partnerships/{p1}", reader).json()
            signed = (seen["mentee_signature_recorded_by"], seen["mentor_signature_recorded_by"])
            assert signed == ("administrator", None)
        programme = {"programme_id": str(s.ids["programme"])}
        mine = api.get("/partnerships/mine", s.people["case 1"], params=programme).json()
        signatures = {p["partnership_id"]: (p["mentee_signature_recorded_by"], p["mentor_signature_recorded_by"])
                      for p in mine}
        assert signatures == {p1: ("administrator", None), p2: (None, None)}
