"""The auditor's programme history: filtered by actor, role, event type, object and days; paged
forward and back by position (a cursor, never an offset); exported as CSV and JSON Lines
through the signed checkpoint it verifies against, every export recorded in the access log;
bad input refused with problem+json and nothing recorded."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from access_log_support import last, rows
from api.persistence.checkpoints import Checkpoint
from api.services.history_export import plan_export
from domain import Actor, NotAllowed, Role
from lifecycle import ADMIN, NOW, TODAY, World, person
from projections.audit_history import HistoryFilter

DAY_1, DAY_2, DAY_3 = TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=2)
CASE_EVENTS = ["EOISubmitted", "LineManagerApproved", "MatchingRequestSubmitted", "MatchProposed"]
COLUMNS = ["position", "recorded_at", "event_type", "aggregate_type", "aggregate_id", "version", "actor_id",
           "actor_role", "on_behalf_of", "recorded_by_administrator"]
NAME = "CANARY Quinn Historic"


@dataclass
class Told:
    case_id: UUID
    mentor_id: UUID
    manager: Actor
    auditor: Actor


@pytest.fixture
def told(api, clock) -> Told:
    """A case's EOI and approval on DAY_1, its matching request and proposal on DAY_3."""
    world = World.create(api.trellis)
    mentor_id, _ = world.mentor(capacity=3)
    case = world.case("approved", mentor_id, name=NAME)
    clock.set(NOW + timedelta(days=2))
    api.trellis.submit_matching_request(case["case_id"], [mentor_id], "Goals", case["mentee"])
    api.trellis.propose_match(case["case_id"], mentor_id, "Shared phase", ADMIN)
    clock.set(NOW)
    api.settle()
    return Told(case["case_id"], mentor_id, case["manager"], person(api.trellis, Role.AUDITOR))


def history(api, auditor: Actor, **params: Any) -> dict[str, Any]:
    answer = api.get("/audit/history", auditor, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def types(page: dict[str, Any]) -> list[str]:
    return [e["event_type"] for e in page["events"]]


class TestFilters:
    def test_by_object(self, api, told):
        page = history(api, told.auditor, aggregate_id=str(told.case_id))
        assert types(page) == CASE_EVENTS
        assert {e["aggregate_id"] for e in page["events"]} == {str(told.case_id)}

    def test_by_actor_and_by_role(self, api, told):
        assert types(history(api, told.auditor, actor_id=told.manager.id)) == ["LineManagerApproved"]
        by_admin = history(api, told.auditor, aggregate_id=str(told.case_id), actor_role="administrator")
        assert types(by_admin) == ["MatchProposed"]
        assert [e["actor_id"] for e in by_admin["events"]] == [ADMIN.id]

    def test_by_event_type_and_object_kind(self, api, told):
        case = str(told.case_id)
        assert types(history(api, told.auditor, aggregate_id=case, event_type="MatchProposed")) == ["MatchProposed"]
        assert types(history(api, told.auditor, aggregate_id=case, aggregate_type="Case")) == CASE_EVENTS
        assert types(history(api, told.auditor, aggregate_id=case, aggregate_type="Mentor")) == []
        mentor = history(api, told.auditor, aggregate_id=str(told.mentor_id), aggregate_type="Mentor")
        assert types(mentor) == ["InterestExpressed", "TrainingCompleted", "JoinedPool", "SlotHeld"]  # by the proposal

    def test_by_days_inclusive(self, api, told):
        case = str(told.case_id)
        assert types(history(api, told.auditor, aggregate_id=case, until=DAY_1.isoformat())) == CASE_EVENTS[:2]
        assert types(history(api, told.auditor, aggregate_id=case, since=DAY_3.isoformat())) == CASE_EVENTS[2:]
        assert types(history(api, told.auditor, aggregate_id=case, since=DAY_2.isoformat(),
                             until=DAY_2.isoformat())) == []
        assert types(history(api, told.auditor, aggregate_id=case, since=DAY_1.isoformat(),
                             until=DAY_3.isoformat())) == CASE_EVENTS


@pytest.fixture
def busy_mentor(api, told) -> UUID:
    """A mentor record of 3 + 25 events: interest, training, the pool, 25 capacity changes."""
    world = World.create(api.trellis)
    mentor_id, _ = world.mentor(capacity=3)
    for n in range(25):
        api.trellis.change_mentor_capacity(mentor_id, 4 - n % 2, ADMIN)
    api.settle()
    return mentor_id


class TestPaging:
    def test_forward_by_cursor_covers_every_event_once_in_order(self, api, told, busy_mentor):
        everything = [e["position"] for e in history(api, told.auditor, aggregate_id=str(busy_mentor),
                                                      limit=1000)["events"]]
        assert len(everything) == 28
        pages, after = [], None
        while True:
            page = history(api, told.auditor, aggregate_id=str(busy_mentor), limit=10,
                           **({"after": after} if after is not None else {}))
            pages.append(page)
            after = page["next_after"]
            if after is None:
                break
        assert [len(p["events"]) for p in pages] == [10, 10, 8]
        assert [e["position"] for p in pages for e in p["events"]] == everything
        assert pages[0]["previous_before"] is None
        assert [p["previous_before"] for p in pages[1:]] == [p["events"][0]["position"] for p in pages[1:]]

    def test_back_by_cursor_gives_the_same_pages(self, api, told, busy_mentor):
        mentor = str(busy_mentor)
        forward = [history(api, told.auditor, aggregate_id=mentor, limit=10)]
        while forward[-1]["next_after"] is not None:
            forward.append(history(api, told.auditor, aggregate_id=mentor, limit=10, after=forward[-1]["next_after"]))
        back = [forward[-1]]
        while back[-1]["previous_before"] is not None:
            back.append(history(api, told.auditor, aggregate_id=mentor, limit=10, before=back[-1]["previous_before"]))
        assert [len(p["events"]) for p in back] == [8, 10, 10]
        assert [p["events"] for p in reversed(back)] == [p["events"] for p in forward]
        assert back[-1]["previous_before"] is None

    def test_before_the_end_is_the_last_page(self, api, told, busy_mentor):
        last_page = history(api, told.auditor, aggregate_id=str(busy_mentor), limit=10, before=2**63 - 1)
        everything = history(api, told.auditor, aggregate_id=str(busy_mentor), limit=1000)["events"]
        assert last_page["events"] == everything[-10:]
        assert last_page["next_after"] is None and last_page["previous_before"] == everything[-10]["position"]

    def test_a_cursor_holds_while_events_are_appended(self, api, told, busy_mentor):
        first = history(api, told.auditor, aggregate_id=str(busy_mentor), limit=10)
        api.trellis.change_mentor_capacity(busy_mentor, 5, ADMIN)
        api.settle()
        rest = history(api, told.auditor, aggregate_id=str(busy_mentor), limit=1000, after=first["next_after"])
        assert len(rest["events"]) == 19 and rest["events"][0]["position"] > first["events"][-1]["position"]
        assert rest["events"][-1]["event_type"] == "CapacityChanged"


BAD_FILTERS = [
    {"since": "2026-06-02", "until": "2026-06-01"},
    {"actor_role": "wizard"},
    {"event_type": "Match Proposed"},
    {"aggregate_type": "Case;DROP"},
    {"aggregate_id": "not-a-uuid"},
    {"since": "2026-13-01"},
    {"actor_id": "x" * 201},
]
BAD_PAGES = [{"after": 1, "before": 5}, {"limit": 1001}, {"limit": 0}, {"after": -1}, {"before": 2**63}]
BAD = [("/audit/history", p) for p in BAD_FILTERS + BAD_PAGES] + [("/audit/history/export", p) for p in BAD_FILTERS]


class TestBadInput:
    @pytest.mark.parametrize(("path", "params"), BAD, ids=[f"{p}?{','.join(q)}" for p, q in BAD])
    def test_is_refused_with_a_problem_and_nothing_recorded(self, api, told, path, params):
        before = last(api)
        answer = api.get(path, told.auditor, params=params)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert rows(api, before) == []

    def test_an_export_in_an_unknown_format_is_refused(self, api, told):
        answer = api.get("/audit/history/export", told.auditor, params={"format": "xml"})
        assert answer.status_code == 422 and answer.json()["status"] == 422

    def test_an_export_through_a_position_no_checkpoint_was_signed_at_is_not_found(self, api, told):
        before = last(api)
        answer = api.get("/audit/history/export", told.auditor, params={"checkpoint": 2**62})
        assert answer.status_code == 404, answer.text
        assert "no checkpoint was signed at position" in answer.json()["detail"]
        assert rows(api, before) == []


def exported(api, auditor: Actor, **params: Any) -> Any:
    answer = api.get("/audit/history/export", auditor, params=params)
    assert answer.status_code == 200, answer.text
    return answer


class TestExport:
    def test_runs_through_the_checkpoint_asked_for_as_csv(self, api, told):
        signed = api.trellis.take_checkpoint()
        api.trellis.record_discovery_call(told.case_id, TODAY, ADMIN)  # after the checkpoint
        api.settle()
        answer = exported(api, told.auditor, aggregate_id=str(told.case_id), checkpoint=signed.position)
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["x-trellis-checkpoint-position"] == str(signed.position)
        assert f'filename="trellis-history-through-{signed.position}.csv"' in answer.headers["content-disposition"]
        table = list(csv.reader(io.StringIO(answer.text)))
        assert table[0] == COLUMNS
        assert [r[2] for r in table[1:]] == CASE_EVENTS
        assert all(int(r[0]) <= signed.position for r in table[1:])
        assert [r[7] for r in table[1:]] == ["mentee", "line_manager", "mentee", "administrator"]
        assert {r[9] for r in table[1:]} == {"false"}

    def test_by_default_runs_through_the_latest_checkpoint(self, api, told):
        api.trellis.take_checkpoint()
        api.trellis.record_discovery_call(told.case_id, TODAY, ADMIN)
        api.settle()
        newest = api.trellis.take_checkpoint()
        answer = exported(api, told.auditor, aggregate_id=str(told.case_id))
        assert answer.headers["x-trellis-checkpoint-position"] == str(newest.position)
        assert [r[2] for r in list(csv.reader(io.StringIO(answer.text)))[1:]] == [*CASE_EVENTS, "DiscoveryCallHeld"]

    def test_as_json_lines_carries_the_checkpoint_which_verifies(self, api, told):
        signed = api.trellis.take_checkpoint()
        answer = exported(api, told.auditor, aggregate_id=str(told.case_id), since=DAY_3.isoformat(),
                          format="jsonl", checkpoint=signed.position)
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        head, *lines = [json.loads(line) for line in answer.text.splitlines()]
        assert head["format"] == "trellis-history-export/1" and head["through_position"] == signed.position
        assert head["filters"] == {"aggregate_id": str(told.case_id), "since": DAY_3.isoformat()}
        assert head["checkpoint"]["position"] == signed.position and head["checkpoint"]["signature"] == signed.signature
        assert [line["event_type"] for line in lines] == CASE_EVENTS[2:]
        assert list(lines[0]) == COLUMNS and lines[0]["recorded_by_administrator"] is False
        assert isinstance(lines[0]["position"], int)
        verdict = api.post("/audit/verification", told.auditor, json={"checkpoints": [head["checkpoint"]]},
                           **{"Idempotency-Key": uuid4().hex})
        assert verdict.status_code == 201 and verdict.json()["ok"] is True, verdict.text

    def test_holds_no_personal_data(self, api, told):
        api.trellis.take_checkpoint()
        for kind in ("csv", "jsonl"):
            text = exported(api, told.auditor, aggregate_id=str(told.case_id), format=kind).text
            assert str(told.case_id) in text
            assert "CANARY" not in text and "@example.org" not in text

    def test_is_recorded_in_the_access_log(self, api, told):
        api.trellis.take_checkpoint()
        before = last(api)
        exported(api, told.auditor, aggregate_id=str(told.case_id), format="jsonl")
        history(api, told.auditor, actor_role="mentee")
        assert [(r["reader_id"], r["reader_role"], r["route"], r["object_kind"], r["object_id"])
                for r in rows(api, before)] == [
            (told.auditor.id, "auditor", "GET /audit/history/export", "history", str(told.case_id)),
            (told.auditor.id, "auditor", "GET /audit/history", "history", None),
        ]


class TestThePlan:
    """What the export runs through when no checkpoint vouches for the history, or the index lags."""

    def test_without_any_checkpoint_it_runs_through_the_index_and_says_nothing_vouches_for_it(self, api, told):
        store = api.client.app.state.read_models.store
        plan = plan_export(store, store, HistoryFilter(aggregate_id=str(told.case_id)), None, latest=[])
        assert plan.checkpoint is None and plan.through == api.head()
        assert plan.header()["checkpoint"] is None and "no checkpoint has been signed" in plan.header()["verify"]

    def test_is_refused_while_the_index_has_not_reached_the_checkpoint(self, api, told):
        store = api.client.app.state.read_models.store
        ahead = Checkpoint(api.head() + 5, "0" * 64, "2026-06-01T09:30:00.000000+00:00", "0" * 16, "", "")
        with pytest.raises(NotAllowed, match="has not yet|not yet the checkpoint"):
            plan_export(store, store, HistoryFilter(), None, latest=[ahead])
