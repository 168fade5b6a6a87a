"""Small-group suppression with complementary suppression.

A group is a set of cells that add up to a published total (approved + declined +
awaiting = EOIs needing approval). Every cell counting from 1 to threshold - 1 people is
suppressed; a zero describes no one and is published. If the suppressed cells of a group
add up to less than the threshold (a single suppressed cell is then recoverable as the
total minus the others), the smallest visible non-zero cells are suppressed too, until
the suppressed cells add up to at least the threshold. A total below the threshold
hides itself and its whole group.
"""

from __future__ import annotations

from collections.abc import Mapping


def suppressed_cells(counts: Mapping[str, int], threshold: int, total_shown: bool = True) -> set[str]:
    if not total_shown or sum(counts.values()) < threshold:
        return set(counts)
    hidden = {name for name, count in counts.items() if 0 < count < threshold}
    while hidden and sum(counts[n] for n in hidden) < threshold:
        visible = sorted((count, name) for name, count in counts.items() if name not in hidden and count)
        hidden.add(visible[0][1])  # never empty: the total is at least the threshold
    return hidden
