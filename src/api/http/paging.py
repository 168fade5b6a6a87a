"""Lists in pages: `limit` (at most `MAX_PAGE`) and an opaque `after` cursor.

A list answers its first `limit` items in its own order; when more follow, the answer
carries `X-Next-Cursor` and a `Link: <…>; rel="next"` header whose URL asks for the next
page. Paging is by key (the last item's sort key), not by offset, so an item recorded
while a client pages never repeats or shifts an item it has not yet seen. A `limit` above
`MAX_PAGE` is refused (422), as is a cursor this service did not make.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query, Request, Response

from domain import Invalid

MAX_PAGE = 500
DEFAULT_PAGE = 100
NEXT_CURSOR = "X-Next-Cursor"
T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Items per page (at most {MAX_PAGE}).")]
After = Annotated[str | None, Query(max_length=300, pattern=r"^[A-Za-z0-9_-]+$",
                                    description="The `X-Next-Cursor` of the page before.")]


def cursor_of(key: Sequence[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def key_of(cursor: str | None, parts: int) -> tuple[str, ...] | None:
    """The sort key a cursor holds (`parts` strings); `Invalid` (422) for one not of ours."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        key = None
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(k, str) for k in key):
        raise Invalid("after: not a cursor from this list (use the X-Next-Cursor of the page before)")
    return tuple(key)


def page(request: Request, response: Response, items: list[T], limit: int, key: Callable[[T], Sequence[str]],
         shape: Callable[[T], Any]) -> list[Any]:
    """`items` as fetched (up to `limit + 1`, to know whether more follow), cut to `limit` and
    shaped; the next page's cursor and link in the headers when there is one."""
    shown = items[:limit]
    if len(items) > limit:
        cursor = cursor_of(key(shown[-1]))
        response.headers[NEXT_CURSOR] = cursor
        following = request.url.include_query_params(after=cursor, limit=limit)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return [shape(item) for item in shown]
