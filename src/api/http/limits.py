"""Limits before work: a request's address and body are checked before anything reads them.

Applied by the app's edge (`api.http.middleware.Edge`), outside the app. An address (path and
query string) longer than 8 KiB is refused (414), as is one carrying a NUL (400: no database
stores one in text). A body whose
Content-Length is over the limit is refused (413) before a byte of it is read. A request
whose head announces no body (over HTTP/1, neither a length nor chunks) goes straight
through, at no cost. Otherwise the body is read only if the app asks for it — a route that
takes no body never reads one — and then whole, counting the streamed bytes (413 as soon as
they pass the limit), and refused before it is parsed if it carries a NUL, raw or escaped,
or nests deeper than the depth limit (400). Every refusal is problem+json.
"""

from __future__ import annotations

import re
from typing import Any

from api.http.problems import HTTP_TITLES, InputRefused, problem_at

Message = dict[str, Any]
# The largest integer either database compares (a signed 64-bit integer): the bound of every
# integer query parameter that reaches SQL, such as the event-log position `after`.
MAX_SQL_INT = 2**63 - 1
# The longest path and query string together (no route needs more than a few hundred characters).
MAX_ADDRESS = 8192

# Both in linear time, whatever the body (possessive, so a failed match never backtracks): a
# string left open runs to the end of the body, as a parser would read it.
ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*+\\u0000")  # \u0000 not itself escaped
STRING = re.compile(rb'"(?>[^"\\]*+(?:\\.[^"\\]*+)*+)(?:"|\\?\Z)', re.S)
NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
OPENING = frozenset(b"[{")


async def refuse(scope: dict, receive: Any, send: Any, refusal: InputRefused) -> None:
    title = HTTP_TITLES.get(refusal.status_code, "Request refused")
    await problem_at(scope["path"], refusal.status_code, refusal.slug, title, str(refusal.detail))(
        scope, receive, send)


def refuse_declared_length(scope: dict, limit: int) -> bool:
    """Refuses a declared length over the limit; answers whether a body may follow the head.
    Over HTTP/1, a request with neither Content-Length nor Transfer-Encoding has no body."""
    framed = not scope.get("http_version", "1.1").startswith("1")
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            if not value.isdigit():
                raise InputRefused(400, "malformed", "the Content-Length header is not a number")
            if int(value) > limit:
                raise InputRefused(413, "too-large", too_large(limit))
            framed = framed or int(value) > 0
        elif name == b"transfer-encoding":
            framed = True
    return framed


def too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


class Body:
    """The request body as the app receives it: read on first request, whole, and checked."""

    def __init__(self, receive: Any, limit: int, depth: int) -> None:
        self._receive = receive
        self.limit = limit
        self.depth = depth
        self.read = False

    async def receive(self) -> Message:
        if self.read:  # the body was handed over: what follows is the client disconnecting
            return await self._receive()
        chunks, size = [], 0
        while True:
            message = await self._receive()
            if message["type"] != "http.request":
                return message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                self.read = True
                raise InputRefused(413, "too-large", too_large(self.limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        self.read = True
        body = b"".join(chunks)
        refuse_content(body, self.depth)
        return {"type": "http.request", "body": body, "more_body": False}


def refuse_address(scope: dict) -> None:
    path, query = scope.get("path", ""), scope.get("query_string", b"")
    if len(path) + len(query) > MAX_ADDRESS:
        raise InputRefused(414, "too-long", f"the request's address is longer than {MAX_ADDRESS} characters")
    if "\x00" in path or b"%00" in query or b"\x00" in query:
        raise InputRefused(400, "nul-character", "the request's address contains a NUL character")


def refuse_content(body: bytes, max_depth: int) -> None:
    if b"\x00" in body or ESCAPED_NUL.search(body):
        raise InputRefused(400, "nul-character", "the request body contains a NUL character")
    if nesting_exceeds(body, max_depth):
        raise InputRefused(400, "too-deep", f"the request body nests deeper than {max_depth} levels")


def nesting_exceeds(body: bytes, max_depth: int) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `max_depth` (strings skipped)."""
    brackets = STRING.sub(b"", body).translate(None, NOT_A_BRACKET)
    if brackets.count(b"[") + brackets.count(b"{") <= max_depth:
        return False
    level = 0
    for bracket in brackets:
        level += 1 if bracket in OPENING else -1
        if level > max_depth:
            return True
    return False
