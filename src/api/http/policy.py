"""Who may call which route: the one policy table, enforced for every route by `admit`.

A rule maps each permitted role to a scope: `ANY` object, `OWN` (the case, partnership
or mentor named in the path is the actor's own) or `SELF` (the body names the actor as
its subject). A role not in the rule is refused (403). A route with no rule is refused
at start-up (`unruled_routes`) and, should one slip through, at request time.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.concurrency import run_in_threadpool

from api.http.deps import get_actor
from api.http.problems import Forbidden
from api.http.rules import POLICY, Rule, Scope
from api.services import Trellis
from domain import Actor, Invalid

__all__ = ["POLICY", "Rule", "admit", "api_routes", "route_keys", "unruled_routes"]


async def json_body(request: Request) -> Any:
    """The request's JSON body (for a `SELF` rule); None when absent or malformed: the route
    itself then refuses it as it would."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def api_routes(app: FastAPI) -> dict[int, tuple[APIRoute, str]]:
    """Every API route of the app (by identity) and its full path, with included prefixes."""
    return {
        id(ctx.original_route): (ctx.original_route, ctx.path_format or ctx.original_route.path_format)
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute)
    }


def route_keys(app: FastAPI) -> list[str]:
    """'METHOD /path' for every API route: the policy table's keys."""
    return sorted(f"{method} {path}" for route, path in api_routes(app).values() for method in route.methods)


async def admit(request: Request, rule: Rule | None) -> Actor | None:
    """The signed-in actor, if the rule lets them call the route (None on a public route); 401
    or 403 otherwise. On the event loop; only the ownership and self checks, which may read the
    database, run in the thread pool."""
    if rule is None:
        raise Forbidden("this route has no authorisation rule")
    if rule.public:
        return None
    actor = await get_actor(request)
    scope = rule.grants.get(actor.role)
    if scope is None:
        raise Forbidden(f"the {actor.role.value} role may not do this")
    trellis = request.app.state.trellis
    if scope is Scope.OWN and not trellis.owned_already(actor, request.path_params) \
            and not await run_in_threadpool(trellis.owns_named, actor, request.path_params):
        raise Forbidden(f"this is not the {actor.role.value}'s own")
    if scope is Scope.SELF and not await run_in_threadpool(
            subject_named, trellis, actor, await json_body(request), rule.subject_field):
        raise Forbidden(f"a {actor.role.value} may do this only for themselves")
    return actor


def subject_named(trellis: Trellis, actor: Actor, body: Any, subject_field: str | None) -> bool:
    """Whether the body names the actor (by the identity their token carries) as its subject."""
    if subject_field is None or not isinstance(body, dict) or not isinstance(body.get(subject_field), str):
        return False
    try:
        return trellis.people.person_for(body[subject_field], create=False) == actor.id
    except Invalid:
        return False


def unruled_routes(app: FastAPI) -> list[str]:
    """Routes with no rule in the policy table (must be none)."""
    return [key for key in route_keys(app) if key not in POLICY]
