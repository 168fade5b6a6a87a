"""On whose behalf: what an administrator records for a party says whose action it was."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from domain import Actor, Case, Mentor, Role, recording
from domain_support import ADMIN, AT, DAY, PROFILE, as_mentor, details, mentor, person, scene, settings, triggered


def paused():
    m = mentor()
    with recording(ADMIN, AT):
        m.pause()
    triggered(m)
    return m


def _new_mentee():
    who = person(Role.MENTEE)
    return None, who, lambda: Case.submit_eoi(uuid4(), settings(), who.id, details(who.id), "s", "manager-1")


def _new_mentor():
    who = person(Role.MENTOR)
    return None, who, lambda: Mentor.express_interest(uuid4(), who.id, details(who.id))


# name -> () -> (aggregate or None for a creation, the party, the command)
PARTY_COMMANDS: dict[str, Callable[[], tuple]] = {
    "submit an EOI": _new_mentee,
    "submit a matching request": lambda: (
        (s := scene("approved")).case, s.mentee, lambda: s.case.submit_matching_request([s.mentor.id], "g"),
    ),
    "hold an exploratory conversation": lambda: (
        (s := scene("approved", exploratory_conversations=1)).case, s.mentee,
        lambda: s.case.hold_exploratory_conversation(s.mentor.id, DAY),
    ),
    "withdraw": lambda: ((s := scene("requested")).case, s.mentee, lambda: s.case.withdraw("moving")),
    "express interest": _new_mentor,
    "join the pool": lambda: ((m := mentor("trained")), as_mentor(m), lambda: m.join_pool(2, PROFILE)),
    "change capacity": lambda: ((m := mentor()), as_mentor(m), lambda: m.change_capacity(4)),
    "pause": lambda: ((m := mentor()), as_mentor(m), lambda: m.pause()),
    "resume": lambda: ((m := paused()), as_mentor(m), lambda: m.resume()),
    "leave the pool": lambda: ((m := mentor()), as_mentor(m), lambda: m.leave_pool()),
    "sign as the mentee": lambda: (
        (s := scene("matched")).partnership, s.mentee, lambda: s.partnership.sign_agreement("mentee"),
    ),
    "sign as the mentor": lambda: (
        (s := scene("matched")).partnership, s.mentor_actor, lambda: s.partnership.sign_agreement("mentor"),
    ),
}


def run(build, actor: Actor) -> tuple[Actor, list]:
    aggregate, party, command = build()
    with recording(actor if actor is not None else party, AT):
        made = command()
    events = triggered(aggregate if aggregate is not None else made)
    assert len(events) == 1
    return party, events


class TestAPartysOwnAction:
    @pytest.mark.parametrize("name", list(PARTY_COMMANDS))
    def test_recorded_by_an_administrator_names_the_party(self, name):
        party, (event,) = run(PARTY_COMMANDS[name], ADMIN)
        assert (event.actor_id, event.on_behalf_of) == (ADMIN.id, party.id)

    @pytest.mark.parametrize("name", list(PARTY_COMMANDS))
    def test_done_by_the_party_themselves_names_nobody_else(self, name):
        party, (event,) = run(PARTY_COMMANDS[name], None)
        assert (event.actor_id, event.on_behalf_of) == (party.id, None)

    def test_the_mentor_signature_names_the_mentors_person_not_the_mentor_record(self):
        s = scene("matched")
        with recording(ADMIN, AT):
            s.partnership.sign_agreement("mentor")
        (event,) = triggered(s.partnership)
        assert event.on_behalf_of == s.mentor.person_id
        assert event.on_behalf_of != str(s.mentor.id)


# Administrators' and line managers' own decisions: (stage, who, command)
OWN_DECISIONS: dict[str, tuple[str, str, Callable]] = {
    "approve": ("eoi", "manager", lambda s: s.case.approve(priority=True)),
    "decline": ("eoi", "manager", lambda s: s.case.decline("not now")),
    "propose": ("requested", "admin", lambda s: s.case.propose_match(s.mentor.id, "r")),
    "record the discovery call": ("proposed", "admin", lambda s: s.case.record_discovery_call(DAY)),
    "confirm": ("called", "admin", lambda s: s.case.confirm_match()),
    "rematch": ("proposed", "admin", lambda s: s.case.request_rematch("no blame")),
    "review": ("active", "admin", lambda s: s.partnership.review_progress("continue", "")),
    "end": ("active", "admin", lambda s: s.partnership.end("completed")),
    "session": ("active", "mentee", lambda s: s.partnership.record_session(DAY, 30, "phone", "n", "a")),
}


class TestAnActorsOwnDecision:
    @pytest.mark.parametrize("name", list(OWN_DECISIONS))
    def test_names_nobody_on_whose_behalf(self, name):
        stage, who, command = OWN_DECISIONS[name]
        s = scene(stage)
        actor = {"admin": ADMIN, "manager": s.manager, "mentee": s.mentee}[who]
        with recording(actor, AT):
            command(s)
        events = triggered(s.case, *([s.partnership] if s.partnership else []))
        assert len(events) == 1
        assert (events[0].actor_id, events[0].on_behalf_of) == (actor.id, None)

    def test_training_is_the_administrators_own_record(self):
        m = mentor("interested")
        with recording(ADMIN, AT):
            m.complete_training(DAY)
        (event,) = triggered(m)
        assert (type(event).__name__, event.actor_id, event.on_behalf_of) == ("TrainingCompleted", ADMIN.id, None)
