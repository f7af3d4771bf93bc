"""Analysts' decisions: an append-only log; the latest per (institution, name) wins.

A decision is withdrawn (undo of a first decision) by appending a row with the code
`withdrawn` that supersedes it: while that row is the latest, the name has no decision and
the matcher's own routing applies again (it is back in the review queue).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from matcher import store
from matcher.normalise import normalise_title
from matcher.store import WITHDRAWN, DecisionRecord, decision_log
from snapshots import store as snapshots_store
from snapshots.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "NO_CERTIFICATE",
    "WITHDRAWN",
    "DecisionRecord",
    "decision_key",
    "decision_log",
    "decisions_for_round",
    "record_decision",
]

NO_CERTIFICATE = "none"
_SENTINELS = (NO_CERTIFICATE, WITHDRAWN)
_CODE = re.compile(r"^[KC]\d{4}$")


def decision_key(name: str) -> str:
    """The key decisions are stored under: the normalised course name."""
    return normalise_title(name)


def record_decision(
    db: Database,
    *,
    round: str,
    institution_id: int,
    normalised_name: str,
    code: str,
    b2b_only: bool | None,
    reviewer: str,
    note: str | None = None,
    supersedes: int | None = None,
    candidate_id: int | None = None,
    clock: Callable[[], datetime] | None = None,
) -> DecisionRecord:
    """Append a decision (never updates one); it applies to `round` and later rounds.

    `code` is a certificate code, "none" (geen certificaattraject) or "withdrawn", which takes
    back the decision `supersedes` (required then; same institution and name).
    """
    code = _clean_code(code)
    problems = []
    if code not in _SENTINELS and not _CODE.match(code):
        problems.append(("code", f"{code!r} is not a certificate code; use e.g. K0905 or none"))
    if code == WITHDRAWN and supersedes is None:
        problems.append(("supersedes", "withdrawn needs the id of the decision it takes back"))
    if not reviewer.strip():
        problems.append(("reviewer", "a decision needs the reviewer's name"))
    if not normalised_name.strip():
        problems.append(("normalised_name", "empty course name"))
    if problems:
        column, problem = problems[0]
        raise InputError.single("decision", 0, column, problem)
    if snapshots_store.get_round(db, round) is None:
        raise NotFound(f"unknown round {round!r}")
    if supersedes is not None:
        _check_supersedes(db, supersedes, code, (institution_id, normalised_name))
    if code == WITHDRAWN:
        b2b_only = None  # nothing is decided, so nothing about b2b either
    now = (clock or (lambda: datetime.now(UTC)))()
    return store.insert_decision(
        db,
        round=round,
        institution_id=institution_id,
        normalised_name=normalised_name,
        code=code,
        b2b_only=b2b_only,
        note=note,
        reviewer=reviewer.strip(),
        decided_at=now.isoformat(timespec="seconds"),
        supersedes=supersedes,
        candidate_id=candidate_id,
    )


def _clean_code(code: str) -> str:
    lowered = code.strip().lower()
    return lowered if lowered in _SENTINELS else code.strip().upper()


def _check_supersedes(db: Database, supersedes: int, code: str, key: tuple[int, str]) -> None:
    previous = store.decision_by_id(db, supersedes)
    if previous is None:
        raise NotFound(f"no decision with id {supersedes} to supersede")
    if code != WITHDRAWN:
        return
    if (previous.institution_id, previous.normalised_name) != key:
        raise InputError.single(
            "decision",
            0,
            "supersedes",
            f"decision {supersedes} is about another name or institution",
        )
    if previous.withdrawn:
        raise InputError.single(
            "decision", 0, "supersedes", f"decision {supersedes} is itself a withdrawal"
        )


def decisions_for_round(
    db: Database,
    round_label: str,
    *,
    include_withdrawn: bool = False,
    key: tuple[int, str] | None = None,
) -> dict[tuple[int, str], DecisionRecord]:
    """The decision in force per (institution_id, normalised_name) for a round.

    A decision applies to its own round and to rounds started later; the latest one wins.
    A name whose latest row is a withdrawal has no decision (left out), unless
    `include_withdrawn` asks for the latest row as it is. `key` (institution_id,
    normalised_name) limits the query to one name.
    """
    records = store.latest_decisions(db, round_label, include_withdrawn=include_withdrawn, key=key)
    return {(r.institution_id, r.normalised_name): r for r in records}
