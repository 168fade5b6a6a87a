"""A mentor in the pool: changing capacity, pausing, resuming and leaving."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import Invalid, NotAllowed, Role, recording
from domain_support import ADMIN, AT, as_mentor, mentor, person, refuses, triggered


def committed(capacity: int, held: int, confirmed: int):
    """A mentor in the pool with `held` open proposals and `confirmed` partnerships."""
    m = mentor(capacity=capacity)
    with recording(ADMIN, AT):
        for _ in range(held + confirmed):
            m.hold_slot(uuid4())
        for case_id in list(m.held[:confirmed]):
            m.confirm_slot(case_id)
    triggered(m)
    return m


def paused(m=None):
    m = m or mentor()
    with recording(as_mentor(m), AT):
        m.pause()
    triggered(m)
    return m


class TestChangingCapacity:
    def test_capacity_can_rise_and_fall(self):
        m = mentor(capacity=2)
        with recording(as_mentor(m), AT):
            m.change_capacity(5)
        assert m.capacity == 5
        with recording(ADMIN, AT):
            m.change_capacity(1)
        assert [e.capacity for e in triggered(m)] == [5, 1]
        assert (m.capacity, m.free) == (1, 1)

    def test_capacity_cannot_drop_below_what_is_committed(self):
        m = committed(capacity=3, held=1, confirmed=1)
        with recording(as_mentor(m), AT), refuses(m, NotAllowed, match="below the 2 places"):
            m.change_capacity(1)
        with recording(as_mentor(m), AT):
            m.change_capacity(2)
        assert (m.capacity, m.used, m.free) == (2, 2, 0)

    @pytest.mark.parametrize("capacity", [0, 21, "3"])
    def test_a_new_capacity_is_a_whole_number_from_1_to_20(self, capacity):
        m = mentor()
        with recording(as_mentor(m), AT), refuses(m, Invalid, match="capacity"):
            m.change_capacity(capacity)

    def test_another_mentor_cannot_change_it(self):
        m = mentor()
        with recording(person(Role.MENTOR), AT), refuses(m):
            m.change_capacity(4)

    def test_a_mentor_not_yet_in_the_pool_has_no_capacity_to_change(self):
        m = mentor("trained")
        with recording(as_mentor(m), AT), refuses(m, match="trained"):
            m.change_capacity(2)

    def test_a_paused_mentor_keeps_their_partnerships_and_may_change_capacity(self):
        m = paused(committed(capacity=2, held=0, confirmed=1))
        with recording(as_mentor(m), AT):
            m.change_capacity(1)
        assert (len(m.confirmed), m.capacity, m.status) == (1, 1, "paused")


class TestPausingAndResuming:
    def test_a_paused_mentor_can_resume(self):
        m = mentor()
        with recording(as_mentor(m), AT):
            m.pause()
            assert m.status == "paused"
            m.resume()
        assert [type(e).__name__ for e in triggered(m)] == ["Paused", "Resumed"]
        assert m.status == "in_pool"

    def test_a_paused_mentor_takes_no_new_proposal(self):
        m = paused()
        with recording(ADMIN, AT), refuses(m, NotAllowed, match="paused"):
            m.hold_slot(uuid4())

    def test_cannot_pause_twice_or_resume_when_not_paused(self):
        m = mentor()
        with recording(as_mentor(m), AT), refuses(m, match="in_pool"):
            m.resume()
        paused(m)
        with recording(as_mentor(m), AT), refuses(m, match="paused"):
            m.pause()

    def test_another_mentor_cannot_pause_them(self):
        m = mentor()
        with recording(person(Role.MENTOR), AT), refuses(m):
            m.pause()


class TestLeavingThePool:
    def test_a_mentor_with_nothing_open_may_leave(self):
        m = mentor()
        with recording(as_mentor(m), AT):
            m.leave_pool()
        assert ([type(e).__name__ for e in triggered(m)], m.status) == (["LeftPool"], "left")

    def test_a_paused_mentor_may_leave(self):
        m = paused()
        with recording(ADMIN, AT):
            m.leave_pool()
        assert m.status == "left"

    @pytest.mark.parametrize(("held", "confirmed"), [(1, 0), (0, 1)])
    def test_a_mentor_with_an_open_proposal_or_partnership_cannot_leave(self, held, confirmed):
        m = committed(capacity=2, held=held, confirmed=confirmed)
        with recording(as_mentor(m), AT), refuses(m, NotAllowed, match="open proposals"):
            m.leave_pool()

    def test_after_leaving_nothing_more_happens(self):
        m = mentor()
        with recording(as_mentor(m), AT):
            m.leave_pool()
        triggered(m)
        for command in (m.pause, m.resume, m.leave_pool, lambda: m.change_capacity(3)):
            with recording(as_mentor(m), AT), refuses(m, match="left"):
                command()
