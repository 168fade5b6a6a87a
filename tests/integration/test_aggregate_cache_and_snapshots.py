"""The aggregate cache hands each command a private copy; snapshots are taken from the saved aggregate.

`Trellis.load` copies the cached aggregate with `api.persistence.copies.copy_aggregate` (immutable values
shared, every container fresh) instead of `deepcopy`; `Trellis._take_snapshots` snapshots the
aggregate just saved instead of re-reading its events. Both must be indistinguishable from
the library's way, on both backends.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import project_aggregate

from api.services import Trellis
from api.persistence.copies import copy_aggregate
from api.settings import eventsourcing_env
from domain import Case, Mentor, NotAllowed, Partnership, Personal, Programme, Stage
from domain.protected import Erased, Protected
from lifecycle import ADMIN, TODAY, World


def unchangeable(obj) -> bool:
    """Told independently of `api.persistence.copies`: values nothing can change in place."""
    if isinstance(obj, str | int | float | bytes | UUID | date | Enum | Erased) or obj is None:
        return True
    if isinstance(obj, tuple | frozenset):
        return all(unchangeable(v) for v in obj)
    return isinstance(obj, Protected) and unchangeable(obj.owner) and unchangeable(obj.value)


def mutable_ids(obj, seen=None) -> set[int]:
    """The ids of every object reachable from `obj` that could be changed in place."""
    seen = set() if seen is None else seen
    if unchangeable(obj) or id(obj) in seen:
        return seen
    seen.add(id(obj))
    if isinstance(obj, dict):
        for k, v in obj.items():
            mutable_ids(k, seen)
            mutable_ids(v, seen)
    elif isinstance(obj, list | set | tuple | frozenset):
        for v in obj:
            mutable_ids(v, seen)
    elif hasattr(obj, "__dict__"):
        mutable_ids(vars(obj), seen)
    return seen


class TestCopyingFromTheCache:
    def test_a_loaded_aggregate_equals_the_cached_one_and_shares_nothing_mutable_with_it(self, app):
        world = World.create(app)
        mentor_id, _ = world.mentor()
        world.case("proposed", mentor_id=mentor_id)
        for cls, aggregate_id in ((Mentor, mentor_id), (Programme, world.programme_id)):
            loaded = app.load(cls, aggregate_id)
            cached = app.repository.cache.get(aggregate_id)
            assert loaded is not cached
            assert vars(loaded) == vars(cached)
            assert not (mutable_ids(loaded) & mutable_ids(cached))
            assert not (mutable_ids(loaded) & mutable_ids(app.load(cls, aggregate_id)))

    def test_a_command_refused_on_its_second_aggregate_leaves_the_first_as_it_was(self, app):
        world = World.create(app)
        mentor_id, _ = world.mentor(capacity=1)
        world.case("proposed", mentor_id=mentor_id)
        other = world.case("requested", mentor_id=mentor_id)
        # The case is changed first; the mentor, at capacity, then refuses the slot.
        with pytest.raises(NotAllowed):
            app.propose_match(other["case_id"], mentor_id, "Shared phase", ADMIN)
        case = app.load(Case, other["case_id"])
        assert case.proposed_mentor is None and case.stage is Stage.AWAITING_MATCH
        second_mentor, _ = world.mentor()
        app.propose_match(other["case_id"], second_mentor, "Shared phase", ADMIN)
        assert app.load(Case, other["case_id"]).proposed_mentor == second_mentor

    def test_changes_to_a_loaded_aggregate_that_is_not_saved_are_not_seen_by_the_next_load(self, app):
        world = World.create(app)
        mentor_id, _ = world.mentor()
        mentor = app.load(Mentor, mentor_id)
        mentor.confirmed.append(uuid4())
        mentor.details["name"] = Personal(mentor.person_id, "Someone Else")
        again = app.load(Mentor, mentor_id)
        assert again.confirmed == [] and again.details["name"].value == "Mentor Name"


class TestCopyAggregate:
    def test_shared_containers_stay_shared_and_mutable_protected_values_are_copied(self):
        class Thing:
            pass

        thing = Thing()
        thing.items = [1, 2]
        thing.same_items = thing.items
        thing.fixed = Personal("p-1", "a name")
        thing.answers = Personal("p-1", {"needs": ["quiet room"]})
        thing.nested = {"k": {(1, "a"): [uuid4()]}}
        copy = copy_aggregate(thing)
        assert vars(copy) == vars(thing)
        assert copy.same_items is copy.items and copy.items is not thing.items
        assert copy.fixed is thing.fixed
        assert copy.answers is not thing.answers and copy.answers.value["needs"] is not thing.answers.value["needs"]
        assert not (mutable_ids(copy) & mutable_ids(thing))


class SnapEveryOther(Trellis):
    """Trellis with a snapshot every other version of every aggregate, to meet every kind of save."""

    name = "trellis"
    snapshotting_intervals = {Partnership: 2, Mentor: 2, Programme: 2, Case: 2}  # noqa: RUF012


@pytest.fixture
def snapping_app(settings, clock):
    application = SnapEveryOther(eventsourcing_env(settings), master_key=settings.master_key_bytes,
                                 server_key=settings.server_key_bytes, clock=clock)
    yield application
    application.close()


def assert_snapshots_match_events(app, aggregate_id) -> int:
    """Each stored snapshot holds what projecting the events up to its version gives."""
    snapshots = list(app.snapshots.get(aggregate_id))
    for snapshot in snapshots:
        from_events = project_aggregate(None, app.events.get(aggregate_id, lte=snapshot.originator_version))
        expected = app.mapper.to_domain_event(app.mapper.to_stored_event(type(snapshot).take(from_events)))
        assert (snapshot.originator_version, snapshot.topic) == (expected.originator_version, expected.topic)
        assert snapshot.state == expected.state, (type(from_events).__name__, snapshot.originator_version)
    return len(snapshots)


class TestSnapshotsFromTheSavedAggregate:
    def test_every_snapshot_equals_one_projected_from_the_events(self, snapping_app):
        app = snapping_app
        world = World.create(app)
        mentor_id, _ = world.mentor()
        case = world.case("active", mentor_id=mentor_id)
        pid = case["partnership_id"]
        for day in range(3):
            app.record_session(pid, TODAY, 45 + day, "video", f"Notes {day}", "Actions", case["mentee"])
        # Several events of one aggregate in one save: the interval falls inside the batch
        # (the library's way is used) or on its last event (the saved aggregate is used).
        for _ in range(2):
            partnership = app.load(Partnership, pid)
            with app.acting(case["mentee"]):
                for _ in range(3):
                    partnership.record_session(TODAY, 30, "phone", "More notes", "More actions")
            app.commit(partnership)
        app.review_progress(pid, "continue", "Going well", ADMIN)
        app.reconfigure_programme(world.programme_id, world.settings, ADMIN)  # its second version
        taken = {
            name: assert_snapshots_match_events(app, aggregate_id)
            for name, aggregate_id in (
                ("partnership", pid), ("case", case["case_id"]), ("mentor", mentor_id),
                ("programme", world.programme_id),
            )
        }
        assert all(taken.values()), taken
        assert taken["partnership"] == app.load(Partnership, pid).version // 2

    def test_an_aggregate_loads_from_its_snapshot_as_from_its_events(self, snapping_app, settings):
        world = World.create(snapping_app)
        mentor_id, _ = world.mentor()
        case = world.case("active", mentor_id=mentor_id)
        pid = case["partnership_id"]
        snapping_app.record_session(pid, TODAY, 60, "video", "Notes", "Actions", case["mentee"])
        fresh = Trellis(eventsourcing_env(settings), master_key=settings.master_key_bytes,
                        server_key=settings.server_key_bytes)
        try:
            from_snapshot = fresh.repository.get(pid)
            from_events = project_aggregate(None, fresh.events.get(pid))
            assert vars(from_snapshot) == vars(from_events)
            assert from_snapshot.status is from_events.status
        finally:
            fresh.close()
