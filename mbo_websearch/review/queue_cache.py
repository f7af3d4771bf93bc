"""The review queues of a workspace, computed once and then kept up to date by what changed.

A queue is computed in full only when the round's candidates change (a new match run). New
decisions (from this app, another analyst's app, the workbook import or the terminal) are
caught up by reading only the decision rows appended since, and refreshing the items they
are about: a decision updates what it changes and nothing else, in the same stable order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher import store
from mbo_websearch.review.queue import RoundQueue, load_queue, refreshed_items

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class _Entry:
    mark: store.QueueMark
    queue: RoundQueue


class QueueCache:
    """Round label -> its queue, for one workspace (one per app)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def get(self, db: Database, round_label: str) -> RoundQueue:
        mark = store.queue_mark(db, round_label)
        with self._lock:
            entry = self._entries.get(round_label)
            if entry is None or (entry.mark.last_candidate_id, entry.mark.candidates) != (
                mark.last_candidate_id,
                mark.candidates,
            ):
                queue = load_queue(db, round_label)
            elif entry.mark.last_decision_id == mark.last_decision_id:
                return entry.queue
            else:
                new = store.decisions_after(db, entry.mark.last_decision_id)
                keys = {(d.institution_id, d.normalised_name) for d in new}
                queue = entry.queue.replaced(refreshed_items(db, entry.queue, keys))
            self._entries[round_label] = _Entry(mark, queue)
            return queue
