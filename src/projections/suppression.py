"""Small-group suppression with complementary suppression.

A group is a set of cells that add up to a published total (approved + declined +
awaiting = EOIs needing approval). Every cell whose count is below the threshold is
suppressed (zero included: the rule is literal). If the suppressed cells of a group add
up to less than the threshold (one suppressed cell is then recoverable as the total
minus the others), the smallest visible cells are suppressed too, until they don't or
every cell is hidden. A total below the threshold hides itself and its whole group.
"""

from __future__ import annotations

from collections.abc import Mapping


def suppressed_cells(counts: Mapping[str, int], threshold: int, total_shown: bool = True) -> set[str]:
    if not total_shown or sum(counts.values()) < threshold:
        return set(counts)
    hidden = {name for name, count in counts.items() if count < threshold}
    while hidden and sum(counts[n] for n in hidden) < threshold and len(hidden) < len(counts):
        visible = sorted((count, name) for name, count in counts.items() if name not in hidden)
        hidden.add(visible[0][1])
    return hidden
