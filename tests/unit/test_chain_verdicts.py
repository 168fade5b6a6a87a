"""The chain's verdicts, on a history held in memory: what each kind of tampering is called and
where, whatever page it falls in. The links are computed here from the formula as the design
states it (never by the code under test); pages are cut here, each covering a range of
positions completely, as the verifier's contract says."""

from __future__ import annotations

import hashlib
import struct
from uuid import UUID, uuid4

import pytest

from api.persistence.chain_history import Page
from api.persistence.chain_verify import Mark, verify

TOPIC = "domain.partnership:Partnership.SessionHeld"


def formula(previous: bytes, originator: UUID, version: int, topic: str, state: bytes) -> bytes:
    t = topic.encode("utf-8")
    return hashlib.sha256(previous + originator.bytes + struct.pack(">q", version) + struct.pack(">I", len(t)) + t
                          + struct.pack(">I", len(state)) + state).digest()


def row_bytes(originator: UUID, version: int, topic: str, state: bytes) -> bytes:
    t = topic.encode("utf-8")
    return originator.bytes + struct.pack(">qI", version, len(t)) + t + struct.pack(">I", len(state)) + state


class History:
    """Positions → event fields and stored links, as a database would hold them."""

    def __init__(self, size: int = 30, start: int = 1) -> None:
        self.events: dict[int, tuple[UUID, int, str, bytes]] = {}
        self.links: dict[int, bytes] = {}
        previous = bytes(32)
        for position in range(start, start + size):
            event = (uuid4(), position, TOPIC, f"ciphertext {position}".encode())
            previous = formula(previous, *event)
            self.events[position], self.links[position] = event, previous

    def relink_from(self, position: int) -> None:
        """What a tamperer who knows the formula does: every link from `position` recomputed."""
        ordered = sorted(self.events)
        previous = self.links.get(max((p for p in ordered if p < position), default=None), bytes(32)) \
            if any(p < position for p in ordered) else bytes(32)
        for p in ordered:
            if p >= position:
                previous = formula(previous, *self.events[p])
                self.links[p] = previous

    def pages(self, size: int, after: int = -(2**62)) -> list[Page]:
        positions = sorted(p for p in self.events.keys() | self.links.keys() if p > after)
        cut = [positions[i:i + size] for i in range(0, len(positions), size)]
        pages, start = [], after
        for chunk in cut:
            events = [p for p in chunk if p in self.events]
            linked = [p for p in chunk if p in self.links]
            pages.append(Page(start, chunk[-1], events, [row_bytes(*self.events[p]) for p in events], linked,
                              b"".join(self.links[p] for p in linked)))
            start = chunk[-1]
        return pages


def verdict(history: History, page: int, **options):
    found = verify(history.pages(page, options.get("after", -(2**62))), **options)
    return found.ok, found.problem, found.position


PAGES = [1, 4, 7, 100]


@pytest.mark.parametrize("page", PAGES)
class TestAnUntouchedHistory:
    def test_verifies_every_event_up_to_its_head(self, page):
        history = History()
        found = verify(history.pages(page))
        assert (found.ok, found.verified, found.head, found.head_link) == (True, 30, 30, history.links[30].hex())

    def test_verifies_from_a_trusted_position_alone(self, page):
        history = History()
        found = verify(history.pages(page, after=12), after=12, previous=history.links[12])
        assert (found.ok, found.verified, found.head) == (True, 18, 30)

    def test_is_wrong_from_an_untrusted_start(self, page):
        history = History()
        assert verdict(history, page, after=12, previous=history.links[11]) == (False, "changed", 13)

    def test_holds_against_its_checkpoints(self, page):
        history = History()
        found = verify(history.pages(page), marks=[Mark(10, history.links[10]), Mark(30, history.links[30])])
        assert (found.ok, found.checkpoints) == (True, 2)


@pytest.mark.parametrize("page", PAGES)
class TestEachTamperingIsNamedWhereItIs:
    def test_a_changed_state(self, page):
        history = History()
        originator, version, topic, state = history.events[17]
        history.events[17] = (originator, version, topic, bytes([state[0] ^ 1]) + state[1:])
        assert verdict(history, page) == (False, "changed", 17)

    def test_a_changed_topic(self, page):
        history = History()
        originator, version, _, state = history.events[5]
        history.events[5] = (originator, version, "domain.case:Case.Withdrawn", state)
        assert verdict(history, page) == (False, "changed", 5)

    def test_an_altered_link(self, page):
        history = History()
        history.links[9] = bytes(32)
        found = verify(history.pages(page))
        assert (found.problem, found.position) == ("changed", 9) and "link" in found.detail

    def test_a_deleted_event(self, page):
        history = History()
        del history.events[21]
        assert verdict(history, page) == (False, "missing", 21)

    def test_a_deleted_link(self, page):
        history = History()
        del history.links[21]
        assert verdict(history, page) == (False, "missing", 21)

    def test_a_deleted_last_event(self, page):
        """(Its link left at the tail: as a link added there with no event would be.)"""
        history = History()
        del history.events[30]
        assert verdict(history, page) == (False, "missing", 30)

    @pytest.mark.parametrize(("first", "second"), [(4, 5), (4, 26), (1, 30)])
    def test_two_events_swapped(self, page, first, second):
        history = History()
        history.events[first], history.events[second] = history.events[second], history.events[first]
        found = verify(history.pages(page))
        assert (found.problem, found.position) == ("reordered", first)
        assert f"position {second}" in found.detail

    def test_a_forged_event_without_a_link(self, page):
        history = History(start=10)
        history.events[5] = (uuid4(), 1, TOPIC, b"forged")  # below the first event
        history.events[100] = (uuid4(), 1, TOPIC, b"forged")
        assert verdict(history, page) == (False, "inserted", 5)
        del history.events[5]
        assert verdict(history, page) == (False, "inserted", 100)

    def test_a_forged_event_with_a_link_forged_to_fit(self, page):
        history = History(start=10)
        forged = (uuid4(), 1, TOPIC, b"forged")
        history.events[0], history.links[0] = forged, formula(bytes(32), *forged)  # before the first
        found = verify(history.pages(page))
        assert (found.ok, found.problem, found.position, found.verified, found.head) == (False, "inserted", 0, 0, 0)

    def test_a_link_with_no_event_between_two_events(self, page):
        history = History()
        history.events = {(p if p < 15 else p + 1): e for p, e in history.events.items()}
        history.links = {(p if p < 15 else p + 1): link for p, link in history.links.items()}
        history.links[15] = bytes(32)
        assert verdict(history, page) == (False, "inserted", 15)

    def test_a_forged_event_in_a_gap_with_a_link_forged_to_fit(self, page):
        history = History()
        history.events = {(p if p < 15 else p + 1): e for p, e in history.events.items()}
        history.links = {(p if p < 15 else p + 1): link for p, link in history.links.items()}
        forged = (uuid4(), 1, TOPIC, b"forged")
        history.events[15], history.links[15] = forged, formula(history.links[14], *forged)
        found = verify(history.pages(page))
        assert (found.problem, found.position, found.head, found.verified) == ("inserted", 15, 14, 14)


@pytest.mark.parametrize("page", PAGES)
class TestCheckpoints:
    def test_a_rewritten_history_verifies_alone_but_not_against_a_checkpoint(self, page):
        history = History()
        signed = Mark(25, history.links[25], "yesterday")
        originator, version, topic, _ = history.events[12]
        history.events[12] = (originator, version, topic, b"rewritten")
        history.relink_from(12)
        assert verdict(history, page) == (True, None, None)
        found = verify(history.pages(page), marks=[signed])
        assert (found.problem, found.position) == ("changed", 25) and "yesterday" in found.detail

    def test_a_truncated_tail_behind_a_checkpoint(self, page):
        history = History()
        signed = Mark(30, history.links[30])
        for position in range(24, 31):
            del history.events[position], history.links[position]
        assert verdict(history, page) == (True, None, None)
        found = verify(history.pages(page), marks=[signed])
        assert (found.problem, found.position, found.head) == ("truncated", 24, 23)

    def test_a_checkpoint_where_the_history_has_no_event(self, page):
        history = History()
        signed = Mark(20, history.links[20])
        del history.events[20], history.links[20]
        history.relink_from(21)
        assert verdict(history, page, marks=[signed]) == (False, "missing", 20)

    def test_a_checkpoint_before_a_trusted_start_is_not_held(self, page):
        history = History()
        found = verify(history.pages(page, after=12), after=12, previous=history.links[12],
                       marks=[Mark(5, bytes(32)), Mark(20, history.links[20])])
        assert (found.ok, found.checkpoints) == (True, 1)


@pytest.mark.parametrize("page", PAGES)
class TestAnEventDeletedWithItsLink:
    def test_is_found_at_the_next_event_and_the_gap_named(self, page):
        history = History()
        del history.events[12], history.links[12]
        found = verify(history.pages(page))
        assert (found.problem, found.position, found.head) == ("changed", 13, 11)
        assert "between positions 11 and 13" in found.detail

    def test_a_changed_event_after_no_gap_names_none(self, page):
        history = History()
        originator, version, topic, state = history.events[13]
        history.events[13] = (originator, version, topic, b"changed")
        found = verify(history.pages(page))
        assert (found.problem, found.position) == ("changed", 13) and "between" not in found.detail
