"""Purging an erased subject from every read model.

Erasure destroys the subject's key, so a rebuild already finds nothing to show; this
clears what the live read models hold now (names, the directory profile) without
waiting for one. Ids, stages and dates stay: history keeps its shape.
"""

from __future__ import annotations

from projections import dashboard, line_managers, mentors
from projections.sql import Store

PROFILE = ("name", "headline", "bio", "sector", "region", "expertise")


def purge_subject(store: Store, subject_id: str) -> None:
    """Removes the personal data of `subject_id` from every read model, in one transaction."""
    with store.transaction() as cursor:
        cursor.execute(f"UPDATE {dashboard.PEOPLE.name} SET name = NULL WHERE subject_id = ?", (subject_id,))
        mentor_ids = [r["mentor_id"] for r in cursor.execute(
            f"SELECT mentor_id FROM {mentors.MENTORS.name} WHERE person_id = ?", (subject_id,)).fetchall()]
        for mentor_id in mentor_ids:
            cleared = ", ".join(f"{c} = NULL" for c in PROFILE)
            cursor.execute(f"UPDATE {mentors.MENTORS.name} SET {cleared} WHERE mentor_id = ?", (mentor_id,))
            cursor.execute(f"DELETE FROM {mentors.EXPERTISE.name} WHERE mentor_id = ?", (mentor_id,))
            cursor.execute(f"UPDATE {line_managers.MENTORS.name} SET name = NULL WHERE mentor_id = ?", (mentor_id,))
