"""A subject and a bystander, each with a unique marker in every field that is theirs."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain import Actor, PersonDetails, Role
from lifecycle import ADMIN, SUBJECTS, TODAY, World, person


@dataclass
class Planted:
    marker: str
    identity: str
    mentee: Actor
    manager: Actor
    case_id: UUID
    partnership_id: UUID
    other_case_id: UUID  # their second, still open case


def details(marker: str, label: str) -> PersonDetails:
    return PersonDetails(f"{label} {marker}", f"{label}.{marker}@example.org", f"Job {marker}", f"Org {marker}")


def special(marker: str) -> dict[str, str]:
    return {"ethnicity": f"eth {marker}", "disability": f"dis {marker}", "lived_experience": f"lived {marker}"}


def plant(app, world: World, mentor_id: UUID, mentor: Actor, label: str) -> Planted:
    """A mentee whose identity, details, statement, goals, answers, reasons, the pair's sessions
    and review, and feedback all carry their own marker; one case ended, one still open."""
    marker = uuid4().hex
    identity = f"{label}-{marker}@example.org"
    mentee = Actor(app.people.person_for(identity), Role.MENTEE)
    SUBJECTS[mentee.id] = identity
    manager = person(app, Role.LINE_MANAGER, "manager")
    cid = app.submit_eoi(world.programme_id, mentee.id, details(marker, label), f"statement {marker}", mentee,
                         manager.id).id
    app.approve_eoi(cid, manager)
    app.submit_matching_request(cid, [mentor_id], f"goals {marker}", mentee, special=special(marker), consent=True)
    app.propose_match(cid, mentor_id, f"reasons {marker}", ADMIN)
    app.record_discovery_call(cid, TODAY, mentee)
    pid = app.confirm_match(cid, ADMIN).id
    app.sign_agreement(pid, "mentee", mentee)
    app.sign_agreement(pid, "mentor", mentor)
    app.record_session(pid, TODAY, 60, "video", f"notes {marker}", f"actions {marker}", mentee)
    app.review_progress(pid, "extend", f"review {marker}", mentor)
    app.end_partnership(pid, "completed", mentee)
    app.request_feedback(pid, ADMIN)
    app.submit_feedback(pid, 5, f"feedback {marker}", mentee)
    other = app.submit_eoi(world.programme_id, mentee.id, details(marker, label), f"again {marker}", mentee,
                           manager.id).id
    return Planted(marker, identity, mentee, manager, cid, pid, other)
