"""Small-group suppression with complementary suppression, over one table of figures.

A group is a set of cells that add up to a published total (approved + declined +
awaiting = EOIs needing approval). Every cell counting from 1 to threshold - 1 people is
suppressed; a zero (a total or a cell) describes no one and is published. If the
suppressed cells of a group add up to less than the threshold, or are a single cell
(recoverable as the total minus the others), the smallest visible cells are suppressed
too: non-zero ones first, smallest first. A total from 1 to threshold - 1 hides itself
and its whole group.

What a group hides is always the shortest run of its cells in that fixed order that
covers what must be hidden, so raising the threshold only ever hides more: two tables of
the same cases under two thresholds cannot be differenced either.

Two figures that count the same people by different routes (the partnerships started
and the cases that reached agreement after a call) are suppressed together when they are
equal and not zero, else publishing one would publish the other. `Table` applies all of this until
nothing more needs hiding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def suppressed_cells(
    counts: Mapping[str, int], threshold: int, total_shown: bool = True, forced: Iterable[str] = (),
) -> set[str]:
    """The cells of one group to suppress; `forced` are cells already hidden for another reason."""
    if not total_shown or 0 < sum(counts.values()) < threshold:
        return set(counts)
    order = sorted(counts, key=lambda name: (counts[name] == 0, counts[name], name))
    must = {name for name, count in counts.items() if 0 < count < threshold} | set(forced)
    if not must:
        return set()
    size = 1 + max(order.index(name) for name in must)
    while size < len(order) and (size < 2 or sum(counts[name] for name in order[:size]) < threshold):
        size += 1
    return set(order[:size])


@dataclass(frozen=True)
class Cell:
    name: str
    value: float | int | None  # None when suppressed
    suppressed: bool


class Table:
    """Figures under construction: totals, the groups that add up to them, figures that
    count the same people, and values derived from counts (hidden with any of their sources)."""

    def __init__(self, threshold: int) -> None:
        self.k = threshold
        self.values: dict[str, float | int | None] = {}
        self.totals: list[str] = []
        self.groups: list[tuple[str, tuple[str, ...]]] = []
        self.sources: dict[str, tuple[str, ...]] = {}
        self.same: list[tuple[str, str]] = []

    def total(self, name: str, count: int) -> None:
        self.values[name] = count
        self.totals.append(name)

    def group(self, total: str, counts: dict[str, int]) -> None:
        self.values.update(counts)
        self.groups.append((total, tuple(counts)))

    def derived(self, name: str, value: float | None, *sources: str) -> None:
        self.values[name] = value
        self.sources[name] = sources

    def same_people(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.same.extend(pairs)

    def hidden(self) -> set[str]:
        hidden = {name for name in self.totals if 0 < int(self.values[name] or 0) < self.k}
        while True:
            before = len(hidden)
            for total, names in self.groups:
                counts = {name: int(self.values[name] or 0) for name in names}
                hidden |= suppressed_cells(counts, self.k, total not in hidden, hidden.intersection(names))
            for a, b in self.same:
                if self.values[a] == self.values[b] != 0 and {a, b} & hidden:
                    hidden |= {a, b}
            if len(hidden) == before:
                break
        return hidden | {
            name for name, sources in self.sources.items()
            if self.values[name] is None or hidden.intersection(sources)
        }

    def cells(self) -> tuple[Cell, ...]:
        hidden = self.hidden()
        return tuple(Cell(n, None if n in hidden else v, n in hidden) for n, v in self.values.items())
