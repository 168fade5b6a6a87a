"""Errors as RFC 9457 problem details, mapped once from the domain's error hierarchy.

No stack trace and no submitted value ever reaches a response: validation problems
name the field and the rule, never the input (which may be personal or confidential).
"""

from __future__ import annotations

import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http.auth import Unauthenticated
from api.logging import get_logger
from domain.errors import Conflict, Invalid, NotAllowed, NotFound, TrellisError

MEDIA_TYPE = "application/problem+json"
log = get_logger("trellis.http")


class Problem(BaseModel):
    """What went wrong (RFC 9457)."""

    type: str = Field(examples=["/problems/not-allowed"])
    title: str = Field(examples=["The current state does not allow this"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["case 0b6f… is at stage awaiting_match"])
    instance: str = Field(examples=["/cases/0b6f…/confirm"])


class Forbidden(Exception):
    """The actor's role or relation to the object does not permit the route."""


class IdempotencyKeyReused(Exception):
    """The same Idempotency-Key was sent with a different request."""


class InputRefused(StarletteHTTPException):
    """A request over a size or shape limit (api.http.limits), refused before any work. Raised
    while the app reads the body, it is answered as any HTTP exception is, with its own slug."""

    def __init__(self, status: int, slug: str, detail: str) -> None:
        super().__init__(status_code=status, detail=detail)
        self.slug = slug


class NotReady(Exception):
    """This process cannot serve yet: the database cannot be read, or the read models are too far behind."""


# error class → (status, slug, title); the first match in order wins
MAPPING: list[tuple[type[Exception], int, str, str]] = [
    (Unauthenticated, 401, "unauthenticated", "Sign in to do this"),
    (Forbidden, 403, "forbidden", "You may not do this"),
    (NotFound, 404, "not-found", "Not found"),
    (Conflict, 409, "conflict", "Someone else changed this first"),
    (NotAllowed, 409, "not-allowed", "The current state does not allow this"),
    (IdempotencyKeyReused, 422, "idempotency-key-reused", "That Idempotency-Key was used for another request"),
    (NotReady, 503, "not-ready", "Not ready to serve"),
    (Invalid, 422, "invalid", "The request is not valid"),
    (TrellisError, 400, "bad-request", "The request cannot be handled"),
]
HTTP_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 413: "Too large",
               414: "Address too long"}


def problem(request: Request, status: int, slug: str, title: str, detail: str, **headers: str) -> JSONResponse:
    return problem_at(request.url.path, status, slug, title, detail, **headers)


def problem_at(path: str, status: int, slug: str, title: str, detail: str, **headers: str) -> JSONResponse:
    """A problem response for a path (ASGI middleware has no `Request`)."""
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": path}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers or None)


def from_error(request: Request, error: Exception) -> JSONResponse:
    for cls, status, slug, title in MAPPING:
        if isinstance(error, cls):
            _log_if_5xx(error, status)
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
            return problem(request, status, slug, title, str(error), **headers)
    return unexpected(request, error)


def from_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem(request, 400, "malformed", "Malformed request", "the body is not valid JSON")
    detail = "; ".join(f"{_where(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors[:10])
    return problem(request, 422, "invalid", "The request is not valid", detail)


def from_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    title = HTTP_TITLES.get(error.status_code, "Request refused")
    detail = error.detail if isinstance(error.detail, str) else title
    slug = getattr(error, "slug", f"http-{error.status_code}")
    _log_if_5xx(error, error.status_code)
    return problem(request, error.status_code, slug, title, detail, **(error.headers or {}))


def _log_if_5xx(error: Exception, status: int) -> None:
    """Every 5xx is logged: by the exception's type and the request id (bound), never its message."""
    if status >= 500:
        log.warning("server_unavailable", error_type=type(error).__name__, status=status)


def unexpected(request: Request, error: Exception) -> JSONResponse:
    log_unexpected(error)
    return internal(request.url.path)


def log_unexpected(error: BaseException) -> None:
    """The exception's type and where it was raised, on a line carrying the request id (bound by
    the middleware). Never its message or arguments, which might quote the request's data."""
    frames = traceback.format_tb(error.__traceback__)[-4:]
    log.error("unhandled_error", error_type=type(error).__name__, frames=frames)


def internal(path: str) -> JSONResponse:
    return problem_at(path, 500, "internal", "Something went wrong", "the error has been logged")


def _where(loc: Any) -> str:
    return ".".join(str(part) for part in loc) or "request"


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, from_validation)
    app.add_exception_handler(StarletteHTTPException, from_http)
    for cls, *_ in MAPPING:
        app.add_exception_handler(cls, from_error)
    app.add_exception_handler(Exception, unexpected)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the problems a route can answer with."""
    described = {s: (slug, title) for _, s, slug, title in MAPPING} | {
        400: ("malformed", "Malformed request"), 422: ("invalid", "The request is not valid"),
        500: ("internal", "Something went wrong"),
    }
    return {
        status: {
            "description": described[status][1],
            "content": {MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": {"type": f"/problems/{described[status][0]}", "title": described[status][1],
                            "status": status, "detail": "…", "instance": "/…"},
            }},
        }
        for status in statuses
    }


COMMON = responses(400, 401, 403, 422)
