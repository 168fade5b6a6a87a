"""As-of: during a scripted history the live answers are recorded at each moment with its
event-log position and time; afterwards the auditor's as-of routes, asked about each moment
by position and by time, answer what the live routes answered then.

The live answers come from the read models the runner keeps (as the dashboard shows them);
the as-of answers are folded from each object's own events (and, for the board, a replay of
the dashboard read model into a database of its own), so the two are computed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from api.persistence.access_log import AccessQuery
from domain import Role
from history_story import DAYS, NEVER_SHOWN, Story, tell
from lifecycle import World, person

# live route's field → the as-of route's field, for every field the two have in common
CASE_FIELDS = {
    "case_id": "case_id", "programme_id": "programme_id", "mentee_id": "mentee_id", "mentee_name": "mentee_name",
    "line_manager_id": "line_manager_id", "stage": "stage", "stage_since": "stage_since",
    "submitted_at": "submitted_at", "priority": "priority", "closed_reason": "closed_reason",
    "mentor_id": "mentor_id", "mentor_name": "mentor_name", "partnership_id": "partnership_id",
    "partnership_status": "partnership_status", "eoi_recorded_by": "eoi_recorded_by",
    "matching_request_recorded_by": "matching_request_recorded_by", "withdrawal_recorded_by": "withdrawal_recorded_by",
}
MENTOR_FIELDS = {
    "mentor_id": "mentor_id", "programme_id": "programme_id", "name": "name", "status": "status",
    "capacity": "capacity", "confirmed": "confirmed", "held": "held", "free": "free",
    "status_recorded_by": "status_recorded_by", "capacity_recorded_by": "capacity_recorded_by",
}
PARTNERSHIP_FIELDS = {
    "partnership_id": "partnership_id", "case_id": "case_id", "programme_id": "programme_id",
    "mentee_id": "mentee_id", "mentee_name": "mentee_name", "mentor_id": "mentor_id", "mentor_name": "mentor_name",
    "status": "status", "formed_at": "formed_at", "started_on": "started_on", "mentee_signed": "mentee_signed",
    "mentor_signed": "mentor_signed", "mentee_signature_recorded_by": "mentee_signature_recorded_by",
    "mentor_signature_recorded_by": "mentor_signature_recorded_by", "sessions": "sessions",
    "last_session_on": "last_session_on", "extension_pending": "extension_pending",
    "extension_requested_at": "extension_requested_at", "ended_at": "ended_at", "end_reason": "end_reason",
    "feedback_requested": "feedback_requested", "feedback_received": "feedback_received",
}
PROGRAMME_FIELDS = {
    name: name for name in (
        "programme_id", "name", "kind", "line_manager_approval", "matching", "exploratory_conversations",
        "default_duration_months", "max_duration_months", "typical_sessions", "feedback_forms",
        "small_group_threshold", "retention_months",
    )
}
BOARD_FIELDS = {"stage_counts": "stage_counts", "queues": "queues"}
# what each kind of object is read by, live and as of a moment
ROUTES = {
    "case": ("/cases/{id}", "/audit/cases/{id}/as-of", CASE_FIELDS),
    "mentor": ("/mentors/{id}", "/audit/mentors/{id}/as-of", MENTOR_FIELDS),
    "partnership": ("/partnerships/{id}", "/audit/partnerships/{id}/as-of", PARTNERSHIP_FIELDS),
    "programme": ("/programmes/{id}", "/audit/programmes/{id}/as-of", PROGRAMME_FIELDS),
    "board": ("/programmes/{id}/pipeline", "/audit/programmes/{id}/board/as-of", BOARD_FIELDS),
}


@dataclass
class Moment:
    day: str
    position: int
    at: datetime
    live: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (kind, id) → answer


def objects(s: Story) -> list[tuple[str, Any]]:
    """Every object the story has made so far."""
    kinds = {"case": ("case 1", "case 2", "case 3"), "mentor": ("mentor A", "mentor B", "mentor C"),
             "partnership": ("partnership 1", "partnership 2")}
    found = [(kind, s.ids[key]) for kind, keys in kinds.items() for key in keys if key in s.ids]
    return [*found, ("programme", s.ids["programme"]), ("board", s.ids["programme"])]


def mapped(answer: dict[str, Any], fields: dict[str, str], side: int) -> dict[str, Any]:
    """The answer's common fields under the live route's names (side 0: live, 1: as-of)."""
    return {live: answer[(live, as_of)[side]] for live, as_of in fields.items()}


@pytest.fixture
def history(api, clock):
    """The story, with the live answers recorded at the end of each of its days."""
    moments: list[Moment] = []
    admin = person(api.trellis, Role.ADMINISTRATOR, "admin")
    clock.set(DAYS["registered"] - timedelta(days=1))
    World.create(api.trellis)  # so that the story's programme is never the log's first event

    def record(s: Story, day: str) -> None:
        api.settle()
        m = Moment(day, api.head(), clock())
        for kind, object_id in objects(s):
            live = api.get(ROUTES[kind][0].format(id=object_id), admin)
            assert live.status_code == 200, (kind, live.text)
            m.live[(kind, str(object_id))] = live.json()
        moments.append(m)

    story = tell(api.trellis, clock, record)
    api.settle()
    return story, moments


def as_of(api, s: Story, kind: str, object_id: Any, **moment: Any):
    return api.get(ROUTES[kind][1].format(id=object_id), s.people["auditor"], params=moment)


def written(api, s: Story) -> tuple[int, list[Any]]:
    """What a read may write: the event log's head, and the auditor's entries in the access log."""
    return api.head(), api.trellis.access_entries(AccessQuery(reader_id=s.people["auditor"].id, limit=1000))


class TestAsOfEqualsTheLiveAnswersOfTheTime:
    def test_by_position_and_by_time_every_object_and_the_board(self, api, history):
        story, moments = history
        assert len(moments) == len(DAYS) and len({m.position for m in moments}) == len(DAYS)
        compared = 0
        for m in moments:
            for (kind, object_id), live in m.live.items():
                fields = ROUTES[kind][2]
                answers = []
                for moment in ({"position": m.position}, {"at": m.at.isoformat()}):
                    past = as_of(api, story, kind, object_id, **moment)
                    assert past.status_code == 200, (m.day, kind, moment, past.text)
                    assert mapped(past.json(), fields, 1) == mapped(live, fields, 0), (m.day, kind, moment)
                    answers.append(past.json())
                    compared += 1
                if kind != "board":  # where the object's last event then stands: at or before the moment
                    by_position, by_time = answers
                    assert by_position["last_event_position"] == by_time["last_event_position"] <= m.position
                    assert by_position["version"] == by_time["version"]
                else:
                    assert answers[0]["position"] == answers[1]["position"] <= m.position
        assert compared == 2 * sum(len(m.live) for m in moments)

    def test_the_moments_differ_so_each_answer_is_its_own(self, history):
        """A check on the check: the recorded live answers change from moment to moment."""
        story, moments = history
        board = [m.live[("board", str(story.ids["programme"]))]["stage_counts"] for m in moments]
        case_1 = [m.live[("case", str(story.ids["case 1"]))]["stage"] for m in moments]
        assert case_1 == ["awaiting_line_manager", "matched", "matched", "matched", "matched", "matched", "closed"]
        assert len({str(b) for b in board}) >= 5
        second = moments[3].live[("case", str(story.ids["case 1"]))]
        assert second["partnership_id"] == str(story.ids["partnership 2"])
        assert moments[2].live[("case", str(story.ids["case 1"]))]["partnership_id"] == str(story.ids["partnership 1"])

    def test_a_day_means_its_end(self, api, history):
        story, moments = history
        for m in moments:
            live = m.live[("case", str(story.ids["case 1"]))]
            past = as_of(api, story, "case", story.ids["case 1"], on=m.at.date().isoformat()).json()
            assert mapped(past, CASE_FIELDS, 1) == mapped(live, CASE_FIELDS, 0), m.day
            assert past["on"] == m.at.date().isoformat()

    def test_a_time_between_two_moments_is_the_earlier_one_with_the_board_aged_to_it(self, api, history):
        story, moments = history
        first, second = moments[1], moments[2]
        halfway = first.at + (second.at - first.at) / 2
        at = halfway.isoformat().replace("+00:00", "Z")
        partnership = str(story.ids["partnership 1"])
        past = as_of(api, story, "partnership", partnership, at=at).json()
        live = first.live[("partnership", partnership)]
        assert mapped(past, PARTNERSHIP_FIELDS, 1) == mapped(live, PARTNERSHIP_FIELDS, 0)

        board = as_of(api, story, "board", story.ids["programme"], at=at).json()
        live = first.live[("board", str(story.ids["programme"]))]  # the board then, its ages counted to then
        assert board["stage_counts"] == live["stage_counts"]
        waited = 0
        for queue, items in live["queues"].items():
            if isinstance(items, list):
                for then, now in zip(items, board["queues"][queue], strict=True):
                    since = datetime.fromisoformat(then["since"])
                    if since.tzinfo is None:  # a date: from its start
                        since = datetime.combine(since.date(), datetime.min.time(), halfway.tzinfo)
                    assert now == then | {"age_days": (halfway - since).days}, queue
                    waited += now["age_days"] > then["age_days"]
        assert waited >= 1  # the ages are counted to the time asked about, not to the moment before

    def test_nothing_confidential_special_or_free_text_is_answered(self, api, history):
        story, moments = history
        for m in moments:
            for kind, object_id in objects(story):
                if (kind, str(object_id)) in m.live:
                    text = as_of(api, story, kind, object_id, position=m.position).text
                    assert not [marker for marker in NEVER_SHOWN if marker in text], (m.day, kind)


class TestAsOfRefusesWhatItCannotAnswer:
    def test_unknown_objects_are_not_found(self, api, history):
        story, moments = history
        before = written(api, story)
        for kind in ROUTES:
            answer = as_of(api, story, kind, uuid4(), position=moments[-1].position)
            assert answer.status_code == 404, kind
            assert answer.headers["content-type"] == "application/problem+json"
        assert written(api, story) == before

    def test_moments_in_the_future_or_before_the_object_existed_are_refused_and_nothing_is_written(
        self, api, history, clock,
    ):
        story, moments = history
        head = api.head()
        later = story.ids["partnership 2"]  # formed on the rematch's day
        registered = api.get(f"/programmes/{story.ids['programme']}/timeline", story.people["auditor"],
                             params={"limit": 1}).json()[0]["position"]
        before = written(api, story)
        assert before[1][-1].route == "GET /programmes/{programme_id}/timeline"  # a read that answered is logged
        bad = [
            ("partnership", later, {"position": moments[2].position}, "did not exist yet at position"),
            ("partnership", later, {"at": moments[2].at.isoformat()}, "did not exist yet"),
            ("partnership", later, {"on": DAYS["sessions"].date().isoformat()}, "did not exist yet"),
            ("board", story.ids["programme"], {"at": (DAYS["registered"] - timedelta(days=1)).isoformat()},
             "did not exist yet"),
            ("board", story.ids["programme"], {"position": registered - 1}, "did not exist yet"),
            ("programme", story.ids["programme"], {"position": registered - 1}, "did not exist yet"),
            ("case", story.ids["case 1"], {"position": head + 1}, "in the future"),
            ("case", story.ids["case 1"], {"at": (clock() + timedelta(seconds=1)).isoformat()}, "in the future"),
            ("mentor", story.ids["mentor A"], {"on": (clock() + timedelta(days=1)).date().isoformat()},
             "in the future"),
            ("programme", story.ids["programme"], {}, "name one moment"),
            ("case", story.ids["case 1"], {"on": DAYS["ended"].date().isoformat(), "position": head},
             "name one moment"),
            ("mentor", story.ids["mentor A"], {"at": "2026-05-01T12:00:00"}, "time zone"),
        ]
        for kind, object_id, moment, reason in bad:
            answer = as_of(api, story, kind, object_id, **moment)
            assert answer.status_code == 422, (kind, moment, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert reason in answer.json()["detail"], (kind, moment, answer.json()["detail"])
        assert written(api, story) == before

    def test_position_zero_is_refused_by_the_request_check(self, api, history):
        story, _ = history
        answer = as_of(api, story, "case", story.ids["case 1"], position=0)
        assert answer.status_code == 422
