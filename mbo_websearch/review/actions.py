"""Analysts' actions on a queue item: each appends decision rows, never updates one.

Every action carries the id of the latest decision the analyst saw (`expected_latest`). When
another analyst decided on the same name in the meantime, the action raises `Conflict`
instead of overwriting: the second analyst sees both and chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeGuard

from matcher import store
from matcher.decisions import WITHDRAWN, DecisionRecord, record_decision
from mbo_websearch.review.queue import (
    NONE_CODE,
    Key,
    QueueItem,
    RoundQueue,
    decision_by_id,
    latest_entry,
    load_queue,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from matcher.register import Register


class Action(StrEnum):
    accept = "accept"  # accept a code (a ranked one or one chosen from the register)
    none = "none"  # geen certificaattraject
    b2b = "b2b"  # toggle b2b-only on the current decision
    note = "note"  # replace the note on the current decision
    undo = "undo"  # back to the decision the latest one replaced, or to no decision


@dataclass(frozen=True)
class Choice:
    action: Action
    code: str | None = None
    b2b_only: bool | None = False  # None: the page cues decide
    note: str | None = None


class ActionError(ValueError):
    """The action cannot be done (unknown code, nothing to undo, ...); message in Dutch."""


class Conflict(Exception):
    """Someone else decided on this name after the analyst loaded it."""

    def __init__(
        self, item: QueueItem, seen: DecisionRecord | None, current: DecisionRecord | None
    ) -> None:
        super().__init__(f"conflict on {item.institution} / {item.name}")
        self.item = item
        self.seen = seen
        self.current = current


@dataclass(frozen=True)
class Outcome:
    decision_id: int
    applied_to_identical: int = 0
    skipped_identical: int = 0


Clock = Callable[[], datetime]


write_transaction = store.write_transaction


def decide(
    db: Database,
    register: Register,
    item: QueueItem,
    choice: Choice,
    *,
    reviewer: str,
    expected_latest: int | None,
    apply_to_identical: bool = False,
    clock: Clock | None = None,
    queue: RoundQueue | None = None,
) -> Outcome:
    """Append the decision for `item` (and, if asked, for identical names in the round).

    Runs in one write transaction taken before reading the latest decision, so two analysts
    deciding at the same moment are serialised: the second one gets `Conflict`.
    """
    with write_transaction(db):
        return decide_locked(
            db,
            register,
            item,
            choice,
            reviewer=reviewer,
            expected_latest=expected_latest,
            apply_to_identical=apply_to_identical,
            clock=clock,
            queue=queue,
        )


def decide_locked(
    db: Database,
    register: Register,
    item: QueueItem,
    choice: Choice,
    *,
    reviewer: str,
    expected_latest: int | None,
    apply_to_identical: bool = False,
    clock: Clock | None = None,
    queue: RoundQueue | None = None,
) -> Outcome:
    """`decide` inside a write transaction the caller holds (Excel import: one for all rows)."""
    if not reviewer.strip():
        raise ActionError("Vul eerst uw naam in.")
    entry = latest_entry(db, item.round, item.key)
    current = None if entry is None or entry.withdrawn else entry
    if (current.id if current else None) != expected_latest:
        seen = decision_by_id(db, expected_latest) if expected_latest else None
        raise Conflict(item, seen, current)
    row = _next_row(db, register, choice, current)
    if (
        current is not None
        and _same(current, row)
        and choice.action in (Action.accept, Action.none)
    ):
        return Outcome(current.id)  # the same decision is already in force: nothing to add
    decision = _append(db, item, row, reviewer, entry, clock)
    applied = skipped = 0
    if apply_to_identical and choice.action in (Action.accept, Action.none):
        queue = queue or load_queue(db, item.round)
        applied, skipped = _apply_identical(db, queue, item, row, reviewer, clock)
    return Outcome(decision.id, applied, skipped)


def repeats_own_decision(
    current: DecisionRecord | None,
    db: Database,
    register: Register,
    choice: Choice,
    reviewer: str,
) -> TypeGuard[DecisionRecord]:
    """The decision in force is this reviewer's own and says what the choice says (the same
    workbook imported twice): no conflict with oneself, and nothing to add."""
    return (
        current is not None
        and current.reviewer == reviewer
        and choice.action in (Action.accept, Action.none)
        and _same(current, _next_row(db, register, choice, current))
    )


def _same(current: DecisionRecord, row: dict[str, Any]) -> bool:
    return (
        current.code == row["code"]
        and bool(current.b2b_only) == bool(row["b2b_only"])
        and (current.note or None) == (row["note"] or None)
    )


def _append(
    db: Database,
    item: QueueItem,
    row: dict[str, Any],
    reviewer: str,
    previous: DecisionRecord | None,
    clock: Clock | None,
) -> DecisionRecord:
    """Append `row`; it supersedes the latest log row (a withdrawal too), if any."""
    return record_decision(
        db,
        round=item.round,
        institution_id=item.institution_id,
        normalised_name=item.normalised_name,
        code=row["code"],
        b2b_only=row["b2b_only"],
        note=row["note"],
        reviewer=reviewer,
        supersedes=previous.id if previous else None,
        candidate_id=item.candidate_id,
        clock=clock,
    )


def _next_row(
    db: Database, register: Register, choice: Choice, current: DecisionRecord | None
) -> dict[str, Any]:
    """The code, b2b flag and note of the new decision row."""
    note = (choice.note or "").strip() or None
    if choice.action == Action.accept:
        certificate = register.get(choice.code or "")
        if certificate is None:
            raise ActionError(f"Onbekende code: {choice.code!r} staat niet in het register.")
        return {"code": certificate.code, "b2b_only": choice.b2b_only, "note": note}
    if choice.action == Action.none:
        return {"code": NONE_CODE, "b2b_only": False, "note": note}
    if current is None:
        raise ActionError("Er is nog geen beslissing om te wijzigen of ongedaan te maken.")
    if choice.action == Action.b2b:
        return {"code": current.code, "b2b_only": not current.b2b_only, "note": current.note}
    if choice.action == Action.note:
        return {"code": current.code, "b2b_only": current.b2b_only, "note": note}
    return _undone(db, current)


def _undone(db: Database, current: DecisionRecord) -> dict[str, Any]:
    """Undo appends a copy of the decision the latest one replaced.

    A first decision (or one taken after a withdrawal) had no decision before it: undo then
    appends a withdrawal, and the name is back in the queue awaiting review.
    """
    previous = decision_by_id(db, current.supersedes) if current.supersedes else None
    note = f"ongedaan: beslissing {current.id}"
    if previous is None or previous.withdrawn:
        return {"code": WITHDRAWN, "b2b_only": None, "note": note}
    if previous.note:
        note += f"; {previous.note}"
    return {"code": previous.code, "b2b_only": previous.b2b_only, "note": note}


def _apply_identical(
    db: Database,
    queue: RoundQueue,
    item: QueueItem,
    row: dict[str, Any],
    reviewer: str,
    clock: Clock | None,
) -> tuple[int, int]:
    """Decide the same for identical names at other institutions that nobody decided yet."""
    applied = skipped = 0
    for other in queue.identical(item):
        entry = latest_entry(db, item.round, other.key)  # read under the lock, not the cache
        if entry is not None and not entry.withdrawn:
            skipped += 1
            continue
        note = f"toegepast vanuit {item.institution}" + (f": {row['note']}" if row["note"] else "")
        # b2b-only is about the other institution's own page: leave it to that page's cues.
        _append(db, other, {**row, "b2b_only": None, "note": note}, reviewer, entry, clock)
        applied += 1
    return applied, skipped


def item_for(
    db: Database, round_label: str, key: Key, queue: RoundQueue | None = None
) -> QueueItem:
    item = (queue or load_queue(db, round_label)).find(key)
    if item is None:
        raise ActionError(f"Deze naam staat niet (meer) in de reviewlijst van ronde {round_label}.")
    return item
