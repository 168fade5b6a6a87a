"""Lists come a page at a time: `limit` (at most 500), `after` from the page before, keyset order."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from api_support import cast
from domain import Role
from lifecycle import World, person

MAX_PAGE = 500  # the documented maximum page size (README, API section)


def admin(api):
    return person(api.trellis, Role.ADMINISTRATOR, "admin")


def cases_in_order(api, clock, world: World, count: int) -> list[str]:
    """`count` new cases, each submitted a minute after the one before."""
    ids = []
    for _ in range(count):
        clock.set(clock() + timedelta(minutes=1))
        ids.append(str(world.case("eoi")["case_id"]))
    return ids


def every_page(api, reader, path: str, **params) -> list[list[dict]]:
    """Follows the `Link: <…>; rel="next"` headers from the first page to the last."""
    pages, response = [], api.get(path, reader, params=params or None)
    while True:
        assert response.status_code == 200, response.text
        pages.append(response.json())
        link = response.headers.get("link")
        if link is None:
            assert "x-next-cursor" not in response.headers
            return pages
        assert link.endswith('>; rel="next"')
        response = api.get(link[1:link.index(">")], reader)


class TestCases:
    def test_pages_hold_limit_cases_in_submission_order_and_end_without_a_link(self, api, clock):
        world = World.create(api.trellis)
        submitted = cases_in_order(api, clock, world, 5)
        api.settle()
        pages = every_page(api, admin(api), "/cases", programme_id=str(world.programme_id), limit=2)
        assert [len(p) for p in pages] == [2, 2, 1]
        assert [c["case_id"] for p in pages for c in p] == submitted

    def test_a_page_exactly_full_has_no_next_page(self, api, clock):
        world = World.create(api.trellis)
        cases_in_order(api, clock, world, 3)
        api.settle()
        response = api.get("/cases", admin(api), params={"programme_id": str(world.programme_id), "limit": 3})
        assert len(response.json()) == 3 and "link" not in response.headers

    def test_cases_recorded_while_paging_neither_repeat_nor_hide_a_case(self, api, clock):
        world = World.create(api.trellis)
        first = cases_in_order(api, clock, world, 3)
        api.settle()
        reader = admin(api)
        page_one = api.get("/cases", reader, params={"programme_id": str(world.programme_id), "limit": 2})
        later = cases_in_order(api, clock, world, 2)
        api.settle()
        rest = every_page(api, reader, page_one.headers["link"][1:page_one.headers["link"].index(">")])
        seen = [c["case_id"] for c in page_one.json()] + [c["case_id"] for p in rest for c in p]
        assert seen == first + later

    def test_the_filter_holds_on_every_page(self, api, clock):
        world = World.create(api.trellis)
        mentor_id, _ = world.mentor(capacity=5)
        cases_in_order(api, clock, world, 2)
        proposed = [str(world.case("proposed", mentor_id)["case_id"]) for _ in range(3)]
        api.settle()
        pages = every_page(api, admin(api), "/cases", programme_id=str(world.programme_id),
                           stage="match_proposed", limit=2)
        assert sorted(c["case_id"] for p in pages for c in p) == sorted(proposed)


class TestLimits:
    @pytest.mark.parametrize("path", ["/cases", "/partnerships", "/mentors"])
    def test_a_page_larger_than_the_maximum_is_refused(self, api, path):
        world = World.create(api.trellis)
        params = {"programme_id": str(world.programme_id)}
        assert api.get(path, admin(api), params=params | {"limit": MAX_PAGE}).status_code == 200
        for too_many in (MAX_PAGE + 1, 0):
            refused = api.get(path, admin(api), params=params | {"limit": too_many})
            assert refused.status_code == 422
            assert refused.headers["content-type"].startswith("application/problem+json")

    @pytest.mark.parametrize("cursor", ["bm90LWpzb24", base64.urlsafe_b64encode(b'["only-one"]').decode().rstrip("="),
                                        base64.urlsafe_b64encode(b"[1,2]").decode().rstrip("="), "a+b/c="])
    def test_a_cursor_this_service_did_not_make_is_refused(self, api, cursor):
        world = World.create(api.trellis)
        refused = api.get("/cases", admin(api), params={"programme_id": str(world.programme_id), "after": cursor})
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("application/problem+json")

    def test_the_board_lists_at_most_limit_items_a_queue_and_counts_them_all(self, api, clock):
        world = World.create(api.trellis)
        waiting = cases_in_order(api, clock, world, 3)
        api.settle()
        path = f"/programmes/{world.programme_id}/pipeline"
        board = api.get(path, admin(api), params={"limit": 2}).json()
        assert [i["case_id"] for i in board["queues"]["eois_awaiting_line_manager"]] == waiting[:2]
        assert board["queue_sizes"]["eois_awaiting_line_manager"] == 3
        assert board["queue_limit"] == 2
        assert api.get(path, admin(api), params={"limit": MAX_PAGE + 1}).status_code == 422

    def test_the_board_names_who_waits_in_each_queue_as_their_case_page_does(self, api, clock):
        world = World.create(api.trellis)
        waiting = cases_in_order(api, clock, world, 2)
        api.settle()
        board = api.get(f"/programmes/{world.programme_id}/pipeline", admin(api)).json()
        named = {i["case_id"]: i["mentee_name"] for i in board["queues"]["eois_awaiting_line_manager"]}
        for case_id in waiting:
            page = api.get(f"/cases/{case_id}", admin(api)).json()
            assert page["mentee_name"]
            assert named[case_id] == page["mentee_name"]


class TestPartnerships:
    def test_pages_follow_the_order_the_partnerships_were_formed_in(self, api, clock):
        world = World.create(api.trellis)
        mentor_id, _ = world.mentor(capacity=5)
        formed = []
        for _ in range(3):
            clock.set(clock() + timedelta(minutes=1))
            formed.append(str(world.case("matched", mentor_id)["partnership_id"]))
        api.settle()
        pages = every_page(api, admin(api), "/partnerships", programme_id=str(world.programme_id), limit=2)
        assert [len(p) for p in pages] == [2, 1]
        assert [p["partnership_id"] for page in pages for p in page] == formed


class TestDirectory:
    def test_pages_follow_name_order_and_a_cursor_names_no_one(self, api):
        world = World.create(api.trellis)
        for name in ("Cara Bell", "abel Ash", "Bea Cole"):
            world.mentor(name=name)
        api.settle()
        reader = admin(api)
        first = api.get("/mentors", reader, params={"programme_id": str(world.programme_id), "limit": 2})
        assert [m["name"] for m in first.json()] == ["abel Ash", "Bea Cole"]
        cursor = base64.urlsafe_b64decode(first.headers["x-next-cursor"] + "==").decode()
        assert "Bea" not in cursor and "Cole" not in cursor
        world.mentor(name="Aaron Ames")  # sorts before the cursor: the next page does not show it
        api.settle()
        rest = api.get("/mentors", reader, params={"programme_id": str(world.programme_id), "limit": 2,
                                                   "after": first.headers["x-next-cursor"]})
        assert [m["name"] for m in rest.json()] == ["Cara Bell"] and "link" not in rest.headers


class TestTheCastStillReadsInOnePage:
    def test_a_small_programme_is_one_page_by_default(self, api):
        c = cast(api.trellis)
        api.settle()
        response = api.get("/cases", c.people[Role.ADMINISTRATOR], params={"programme_id": str(c.programme_id)})
        assert [x["case_id"] for x in response.json()] == [str(c.case_id)] and "link" not in response.headers

