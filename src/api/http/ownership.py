"""Whether the object a route names is the actor's own (the policy's `OWN` and `SELF`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from api.application import Trellis
from domain import Actor, Case, Mentor, NotFound, Partnership, Role
from domain.mentor import mentor_id


def owns(trellis: Trellis, actor: Actor, params: Mapping[str, Any]) -> bool:
    if "partnership_id" in params:
        partnership = trellis.load(Partnership, _uuid(params["partnership_id"], "partnership"))
        return partnership.party_of(actor) is not None
    if "case_id" in params:
        return _owns_case(trellis.load(Case, _uuid(params["case_id"], "case")), actor)
    if "mentor_id" in params:
        mentor = trellis.load(Mentor, _uuid(params["mentor_id"], "mentor"))
        return actor.role is Role.MENTOR and mentor.person_id == actor.id
    return False


def _owns_case(case: Case, actor: Actor) -> bool:
    if actor.role is Role.LINE_MANAGER:
        return case.line_manager_id == actor.id
    if actor.role is Role.MENTEE:
        return case.mentee_id == actor.id
    if actor.role is Role.MENTOR:
        return case.proposed_mentor is not None and case.proposed_mentor == mentor_id(case.programme_id, actor.id)
    return False


def subject_named(actor: Actor, body: Any, subject_field: str | None) -> bool:
    return subject_field is not None and isinstance(body, dict) and body.get(subject_field) == actor.id


def _uuid(value: Any, kind: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"no such {kind}") from None
