"""A large programme for the HTTP benchmark, written through the domain in bulk.

`large_programme(settings, cases)` makes (once; a later run tops it up) the programme
`bench-http` with `cases` cases: each an expression of interest made by the domain's own
`Case.submit_eoi`, most approved by their line manager (so the board's queues are long),
some withdrawn, saved `BATCH` aggregates to a transaction; the database is vacuumed and
analysed after them. The mentees are new opaque people (nobody signs in as them). Then
`pairs` partnerships whose mentees can sign in (linked in the person registry), for the
command, as `bench.world` makes them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from uuid import UUID

from api.bootstrap import build_app
from api.services import Trellis
from bench.common import settle
from bench.world import ADMIN
from domain import Actor, Case, Matching, NotFound, PersonDetails, Programme, ProgrammeSettings, Role
from domain.programme import programme_id
from projections.runner import Runner
from retention.people import new_person_id

NAME = "bench-http"
BATCH = 500
STATEMENT = "I lead a new team and want to grow as a leader."


class Filler(Trellis):
    """The app without snapshots, to write a large store in bulk."""

    name = "trellis"
    snapshotting_intervals = {}  # noqa: RUF012


@dataclass(frozen=True)
class Pair:
    partnership_id: UUID
    mentee_identity: str  # what the mentee's token names (`sub`)


@dataclass(frozen=True)
class LargeProgramme:
    programme_id: UUID
    case_id: UUID  # one case to read
    pairs: list[Pair]
    cases: int


def large_programme(settings, cases: int, pairs: int) -> LargeProgramme:
    app = build_app(settings)
    try:
        programme_id = _programme(app)
        have = _count_cases(app, programme_id)
        if have < cases:
            _fill(app, settings, programme_id, cases - have)
        made = [_pair(app, programme_id) for _ in range(pairs)]
        print("catching the read models up…", file=sys.stderr, flush=True)
        Runner.for_app(app, batch_size=5000).catch_up()
        if have < cases:
            settle(settings)  # as after any bulk load
        case_id = UUID(app.read_models.cases(programme_id, limit=1)[0].case_id)
        return LargeProgramme(programme_id, case_id, made, max(have, cases))
    finally:
        app.close()


def _programme(app: Trellis) -> UUID:
    """The programme `bench-http` (its id follows from its name), registered by the first run."""
    try:
        app.programme(programme_id(NAME))
    except NotFound:
        app.register_programme(ProgrammeSettings(name=NAME, line_manager_approval=True, matching=Matching.ALLOCATED),
                               ADMIN)
    return programme_id(NAME)


def _count_cases(app: Trellis, programme_id: UUID) -> int:
    Runner.for_app(app, batch_size=5000).catch_up()
    return sum(app.read_models.stage_counts(programme_id).values())


def _fill(app: Trellis, settings, programme_id: UUID, missing: int) -> None:
    from bench.erasure import _same_storage

    print(f"recording {missing:,} cases in bulk…", file=sys.stderr, flush=True)
    filler = Filler(**_same_storage(app, settings))
    programme = filler.load(Programme, programme_id).settings
    try:
        written = 0
        while written < missing:
            batch = []
            for n in range(min(BATCH, missing - written)):
                mentee, manager = new_person_id(), new_person_id()
                with filler.acting(Actor(mentee, Role.MENTEE)):
                    case = Case.submit_eoi(programme_id, programme, mentee,
                                           PersonDetails("Bench Mentee", f"{mentee}@example.org"), STATEMENT, manager)
                if n % 10:  # nine in ten approved: the matching queue is long
                    with filler.acting(Actor(manager, Role.LINE_MANAGER)):
                        case.approve(priority=n % 7 == 0)
                if n % 20 == 1:
                    with filler.acting(Actor(mentee, Role.MENTEE)):
                        case.withdraw("")
                batch.append(case)
            filler.commit(*batch)
            written += len(batch)
            print(f"\r  {written:,}/{missing:,}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    finally:
        filler.close()


def _pair(app: Trellis, programme_id: UUID) -> Pair:
    """A partnership, both signed, whose mentee signs in with a token naming `identity`."""
    from datetime import date
    from uuid import uuid4

    identity = f"bench-mentee-{uuid4().hex[:12]}"
    mentee = Actor(app.people.person_for(identity), Role.MENTEE)
    mentor = Actor(app.people.person_for(f"bench-mentor-{uuid4().hex[:12]}"), Role.MENTOR)
    manager = Actor(app.people.person_for(f"bench-manager-{uuid4().hex[:12]}"), Role.LINE_MANAGER)
    mentor_id = app.express_mentor_interest(programme_id, mentor.id, PersonDetails("Bench Mentor", "m@example.org"),
                                            mentor).id
    app.complete_mentor_training(mentor_id, date.today(), ADMIN)
    app.join_pool(mentor_id, 1, {"headline": "Bench mentor"}, mentor)
    case_id = app.submit_eoi(programme_id, mentee.id, PersonDetails("Bench Mentee", "s@example.org"), STATEMENT,
                             mentee, line_manager_id=manager.id).id
    app.approve_eoi(case_id, manager)
    app.propose_match(case_id, mentor_id, "Benchmark", ADMIN)
    app.record_discovery_call(case_id, date.today(), ADMIN)
    partnership_id = app.confirm_match(case_id, ADMIN).id
    app.sign_agreement(partnership_id, "mentee", mentee)
    app.sign_agreement(partnership_id, "mentor", mentor)
    return Pair(partnership_id, identity)
