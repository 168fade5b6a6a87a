"""The programme's history, for auditors (and, for timelines, administrators).

Composed of small modules, each holding one thing:

- `event_history`: an object's stored events, read sealed (no confidential or special-category
  value is ever decrypted), and personal values opened one by one;
- `timelines`: every event of a case (with every partnership it ever had), a partnership, a
  mentor record or a programme; `timeline_details`: the allow-list of what each event type shows;
- `moments`: the moment an as-of question names (`on` a day, `at` a date-time, or a `position`
  in the event log) and the checks that refuse a moment in the future or before an object existed;
- `past_states` and `as_of`: a case, partnership, mentor record or programme as it stood then;
- `past_board`: the pipeline board as it stood then, replayed into a database of its own.
"""

from __future__ import annotations

from api.services.past_board import PastBoards
from api.services.timelines import TimelineQueries


class HistoryQueries(PastBoards, TimelineQueries):
    """Timelines, as-of states and the board as of a moment."""
