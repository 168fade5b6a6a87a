"""Verifying the hash chain: every link recomputed from the stored events, in notification
order, a page at a time, and compared with the stored one; checkpoints held against it.

The first broken position is reported with what is wrong there:
- changed: the event (or its stored link) is not what was recorded at that position;
- missing: the event recorded there was deleted (its link remains), or its link was, or a
  checkpoint vouches for an event the history no longer has;
- reordered: the event there was recorded at another position (found further on);
- inserted: an event (or a link) that was never recorded — added behind the recorders' back,
  with or without a link forged to fit;
- truncated: a checkpoint vouches for a longer history than the one stored.
A history rewritten with every link recomputed verifies on its own; a checkpoint (a signed
position and link kept elsewhere) tells it apart. A whole page that verifies is checked in
one comparison; only a page with something wrong is walked row by row to say what.
`verify_chain` can start from a trusted position and link instead of the first event: the
same walk, shorter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain as chained

from api.persistence.chain import GENESIS
from api.persistence.chain_history import FIRST, History, Page, ahead
from api.persistence.chain_scan import PARALLEL_FROM, Mark, Resume, Verdict, streamed

Row = tuple[int, bytes | None, bytes | None]  # position, payload (None: no event), stored link (None: no link)
sha256 = hashlib.sha256


@dataclass
class _Walk:
    previous: bytes  # the link at `head`
    head: int
    marks: list[Mark]
    progress: Callable[[int], None] | None
    trail: tuple[int, bytes] | None = None  # the position and link before `head`
    verified: int = 0
    checked: int = 0
    broken: Verdict | None = field(default=None)

    def page(self, page: Page, rest: Iterator[Page]) -> None:
        if page.positions and page.positions == page.linked:
            links, previous = [], self.previous
            append = links.append
            for row in page.payloads:
                previous = sha256(previous + row).digest()
                append(previous)
            if b"".join(links) == page.links and self._marks_hold(page.positions, links):
                before = (page.positions[-2], links[-2]) if len(links) > 1 else (self.head, self.previous)
                self.trail, self.previous, self.head = before, previous, page.positions[-1]
                self.verified += len(links)
                self._progress()
                return
        rows = _rows(page)
        for position, row, stored in rows:
            following = _Following(rows, rest)
            self.broken = self._mark_before(position) or self._step(position, row, stored, following)
            if self.broken or self._mark_at(position):
                return
        self._progress()

    def _marks_hold(self, positions: list[int], links: list[bytes]) -> bool:
        """Whether every checkpoint within the page holds; if so they are checked off."""
        within = [m for m in self.marks if m.position <= positions[-1]]
        if within:
            index = dict(zip(positions, links, strict=True))
            if any(index.get(m.position) != m.link for m in within):
                return False
            del self.marks[:len(within)]
            self.checked += len(within)
        return True

    def _step(self, position: int, row: bytes | None, stored: bytes | None, following: _Following) -> Verdict | None:
        if row is None:
            if following.fits(self.previous):
                return self._fail(position, "inserted", "a link with no event: added behind the recorders' back")
            return self._fail(position, "missing", "the event recorded here was deleted (its link remains)")
        expected = sha256(self.previous + row).digest()
        if stored is None:
            if following.fits(expected):
                return self._fail(position, "missing", "the link recorded for this event was deleted")
            return self._fail(position, "inserted", "an event that was never linked into the history: added "
                                                    "behind the recorders' back")
        if expected != stored:
            return self._mismatch(position, row, stored, expected, following)
        self.trail, self.previous, self.head = (self.head, self.previous), expected, position
        self.verified += 1
        return None

    def _mismatch(self, position: int, row: bytes, stored: bytes, expected: bytes, following: _Following) -> Verdict:
        if self.trail is not None and sha256(self.trail[1] + row).digest() == stored:
            forged, (self.head, self.previous) = self.head, self.trail
            self.verified -= 1
            return self._fail(forged, "inserted", "an event that was never recorded, with a link forged to fit")
        if following.fits(expected):
            return self._fail(position, "changed", "the link stored here was altered (the event is as recorded)")
        if (moved := following.place_of(row, stored)) is not None:
            return self._fail(position, "reordered", f"the event stored here was recorded at position {moved}")
        detail = "the event stored here is not the one that was recorded"
        if self.head and position > self.head + 1 and following.fits(stored):  # its own link is as recorded
            detail += (f" — or the events recorded between positions {self.head} and {position} (none is stored "
                       "now) were deleted together with their links")
        return self._fail(position, "changed", detail)

    def _mark_before(self, position: int) -> Verdict | None:
        """A checkpoint at a position the walk passed without finding an event there."""
        if self.marks and self.marks[0].position < position:
            mark = self.marks[0]
            return self._fail(mark.position, "missing", f"the checkpoint taken {mark.taken_at} vouches for an event "
                                                        "here that the history no longer has")
        return None

    def _mark_at(self, position: int) -> bool:
        """Checks off a checkpoint at `position`; whether it broke the walk."""
        if self.marks and self.marks[0].position == position:
            mark = self.marks.pop(0)
            self.checked += 1
            if mark.link != self.previous:
                self.broken = self._fail(position, "changed", f"the history up to here is not the one the checkpoint "
                                                              f"taken {mark.taken_at} vouches for (rewritten at or "
                                                              "before this position)")
        return self.broken is not None

    def finish(self) -> Verdict:
        if self.marks:
            mark = self.marks[-1]
            return self._fail(self.head + 1, "truncated", f"the history ends at position {self.head}, but the "
                                                          f"checkpoint taken {mark.taken_at} vouches for position "
                                                          f"{mark.position}: the events after it were removed")
        return Verdict(True, self.verified, self.head, self.previous.hex(), checkpoints=self.checked)

    def _fail(self, position: int, problem: str, detail: str) -> Verdict:
        return Verdict(False, self.verified, self.head, self.previous.hex(), position, problem, detail, self.checked)

    def _progress(self) -> None:
        if self.progress is not None:
            self.progress(self.head)


class _Following:
    """The rows after the one in hand (the rest of its page, then later pages), read only
    when something is wrong, to say what."""

    def __init__(self, rows: Iterator[Row], rest: Iterator[Page]) -> None:
        self._rows = chained(rows, (row for page in rest for row in _rows(page)))
        self._first: list[Row | None] = []

    def first(self) -> Row | None:
        if not self._first:
            self._first.append(next(self._rows, None))
        return self._first[0]

    def __iter__(self) -> Iterator[Row]:
        if (first := self.first()) is not None:
            yield first
            yield from self._rows

    def fits(self, link: bytes) -> bool:
        """Whether the next row's stored link follows from `link` (the row in hand left out, or
        its stored link altered)."""
        first = self.first()
        return first is not None and first[1] is not None and first[2] == sha256(link + first[1]).digest()

    def place_of(self, row: bytes, stored: bytes) -> int | None:
        """The later position whose stored link this event's row fits: where it was recorded."""
        before: bytes | None = stored
        for position, later_row, later_link in self:
            if later_row is not None and later_link is not None and before is not None \
                    and sha256(before + row).digest() == later_link:
                return position
            before = later_link
        return None


def _rows(page: Page) -> Iterator[Row]:
    """The page's positions in order, each with its event's payload and its stored link."""
    events = dict(zip(page.positions, page.payloads, strict=True))
    links = {p: page.links[32 * i:32 * i + 32] for i, p in enumerate(page.linked)}
    for position in sorted(events.keys() | links.keys()):
        yield position, events.get(position), links.get(position)


def verify(pages: Iterable[Page], *, after: int = FIRST, previous: bytes = GENESIS, marks: Iterable[Mark] = (),
           progress: Callable[[int], None] | None = None, verified: int = 0, checked: int = 0) -> Verdict:
    """Recomputes every link after `after` (whose link, trusted, is `previous`) and compares it
    with the stored one; each mark past `after` must match the link recomputed at its
    position. `progress` is told the last position verified, page by page. (`verified` and
    `checked`: events and checkpoints already verified before `after`, counted in.)"""
    walk = _Walk(previous, max(after, 0), sorted((m for m in marks if m.position > after), key=lambda m: m.position),
                 progress, verified=verified, checked=checked)
    pages = iter(pages)
    for page in pages:
        walk.page(page, pages)
        if walk.broken:
            return walk.broken
    return walk.finish()


def verify_chain(history: History, *, after: int = FIRST, previous: bytes = GENESIS, marks: Iterable[Mark] = (),
                 progress: Callable[[int], None] | None = None, processes: int = 1,
                 parallel_from: int = PARALLEL_FROM) -> Verdict:
    """`verify` over the history. On PostgreSQL the history is first streamed (`chain_stream`,
    in up to `processes` parts at once when it is large and a snapshot others can share): a
    history that verifies is answered from the stream alone; otherwise the page walk starts
    just before the first thing found wrong, and says what it is. On SQLite the walk reads
    the next pages while this one is hashed."""
    marks = sorted((m for m in marks if m.position > after), key=lambda m: m.position)
    start = Resume(after, previous, marks)
    if history.postgres:
        found = streamed(history, after, previous, marks, progress, processes, parallel_from)
        if isinstance(found, Verdict):
            return found
        start = found
    with ahead(history.pages(start.after)) as pages:
        return verify(pages, after=start.after, previous=start.previous, marks=start.marks, progress=progress,
                      verified=start.verified, checked=start.checked)
