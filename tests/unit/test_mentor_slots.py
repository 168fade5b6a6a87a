"""A mentor's slots: open proposals plus confirmed partnerships never exceed the capacity."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import NotAllowed, recording
from domain_support import ADMIN, AT, mentor, refuses, triggered


def holding(capacity: int, *case_ids):
    m = mentor(capacity=capacity)
    with recording(ADMIN, AT):
        for case_id in case_ids:
            m.hold_slot(case_id)
    triggered(m)
    return m


class TestHoldingASlot:
    def test_a_proposal_holds_one_place(self):
        case_id = uuid4()
        m = mentor(capacity=2)
        with recording(ADMIN, AT):
            m.hold_slot(case_id)
        (event,) = triggered(m)
        assert (type(event).__name__, event.case_id) == ("SlotHeld", case_id)
        assert (m.held, m.confirmed, m.used, m.free) == ([case_id], [], 1, 1)

    def test_open_proposals_count_against_capacity(self):
        m = holding(1, uuid4())
        with recording(ADMIN, AT), refuses(m, NotAllowed, match="no free capacity"):
            m.hold_slot(uuid4())

    def test_confirmed_partnerships_count_against_capacity(self):
        first = uuid4()
        m = holding(1, first)
        with recording(ADMIN, AT):
            m.confirm_slot(first)
        triggered(m)
        with recording(ADMIN, AT), refuses(m, NotAllowed, match="no free capacity"):
            m.hold_slot(uuid4())

    def test_every_place_may_be_held_up_to_the_capacity(self):
        m = holding(3, uuid4(), uuid4())
        with recording(ADMIN, AT):
            m.hold_slot(uuid4())
        assert (m.used, m.free) == (3, 0)

    @pytest.mark.parametrize("status", ["interested", "trained"])
    def test_a_mentor_outside_the_pool_holds_nothing(self, status):
        m = mentor(status)
        with recording(ADMIN, AT), refuses(m, NotAllowed, match=status):
            m.hold_slot(uuid4())


class TestConfirmingASlot:
    def test_turns_the_held_place_into_a_confirmed_one(self):
        case_id = uuid4()
        m = holding(2, case_id)
        with recording(ADMIN, AT):
            m.confirm_slot(case_id)
        assert [type(e).__name__ for e in triggered(m)] == ["SlotConfirmed"]
        assert (m.held, m.confirmed, m.free) == ([], [case_id], 1)

    def test_a_case_with_no_held_place_is_refused(self):
        m = holding(2, uuid4())
        with recording(ADMIN, AT), refuses(m, NotAllowed, match="holds no proposal"):
            m.confirm_slot(uuid4())


class TestReleasingASlot:
    @pytest.mark.parametrize("confirmed", [False, True])
    def test_frees_the_place(self, confirmed):
        case_id = uuid4()
        m = holding(1, case_id)
        with recording(ADMIN, AT):
            if confirmed:
                m.confirm_slot(case_id)
            m.release_slot(case_id)
        assert triggered(m)[-1].case_id == case_id
        assert (m.held, m.confirmed, m.free) == ([], [], 1)

    def test_releasing_what_is_not_held_records_nothing(self):
        m = holding(2, uuid4())
        with recording(ADMIN, AT):
            m.release_slot(uuid4())
        assert (triggered(m), m.used) == ([], 1)
