"""Analysts' decisions: an append-only log; the latest per (institution, name) wins.

A decision is withdrawn (undo of a first decision) by appending a row with the code
`withdrawn` that supersedes it: while that row is the latest, the name has no decision and
the matcher's own routing applies again (it is back in the review queue).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matcher.normalise import normalise_title
from snapshots.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlite_utils import Database

NO_CERTIFICATE = "none"
WITHDRAWN = "withdrawn"  # sentinel code: the superseded decision is taken back, none in force
_SENTINELS = (NO_CERTIFICATE, WITHDRAWN)
_CODE = re.compile(r"^[KC]\d{4}$")


@dataclass(frozen=True)
class DecisionRecord:
    """One analyst's decision: this name at this institution is certificate `code` (or none)."""

    id: int
    round: str
    institution_id: int
    normalised_name: str
    code: str  # a certificate code, "none" or "withdrawn"
    b2b_only: bool | None  # None: the page cues decide
    note: str | None
    reviewer: str
    decided_at: str
    supersedes: int | None = None
    candidate_id: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DecisionRecord:
        b2b = row["b2b_only"]
        return cls(
            id=row["id"],
            round=row["round"],
            institution_id=row["institution_id"],
            normalised_name=row["normalised_name"],
            code=row["code"],
            b2b_only=None if b2b is None else bool(b2b),
            note=row["note"],
            reviewer=row["reviewer"],
            decided_at=row["decided_at"],
            supersedes=row["supersedes"],
            candidate_id=row["candidate_id"],
        )

    @property
    def withdrawn(self) -> bool:
        """This row takes back the decision it supersedes: no decision is in force."""
        return self.code == WITHDRAWN


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
    if not list(db["rounds"].rows_where("label = ?", [round])):
        raise NotFound(f"unknown round {round!r}")
    if supersedes is not None:
        _check_supersedes(db, supersedes, code, (institution_id, normalised_name))
    if code == WITHDRAWN:
        b2b_only = None  # nothing is decided, so nothing about b2b either
    now = (clock or (lambda: datetime.now(UTC)))()
    row = {
        "round": round,
        "institution_id": institution_id,
        "normalised_name": normalised_name,
        "code": code,
        "b2b_only": None if b2b_only is None else int(b2b_only),
        "note": note,
        "reviewer": reviewer.strip(),
        "decided_at": now.isoformat(timespec="seconds"),
        "supersedes": supersedes,
        "candidate_id": candidate_id,
    }
    with db.atomic():
        decision_id = int(db.table("decisions").insert(row).last_pk or 0)
    return DecisionRecord.from_row({**row, "id": decision_id})


def _clean_code(code: str) -> str:
    lowered = code.strip().lower()
    return lowered if lowered in _SENTINELS else code.strip().upper()


def _check_supersedes(db: Database, supersedes: int, code: str, key: tuple[int, str]) -> None:
    rows = list(db["decisions"].rows_where("id = ?", [supersedes]))
    if not rows:
        raise NotFound(f"no decision with id {supersedes} to supersede")
    if code != WITHDRAWN:
        return
    previous = DecisionRecord.from_row(rows[0])
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


def decision_log(
    db: Database, *, institution_id: int | None = None, normalised_name: str | None = None
) -> list[DecisionRecord]:
    """Every decision in the order it was made (optionally for one institution / name)."""
    clauses: list[str] = []
    params: list[str | int] = []
    if institution_id is not None:
        clauses.append("institution_id = ?")
        params.append(institution_id)
    if normalised_name is not None:
        clauses.append("normalised_name = ?")
        params.append(normalised_name)
    where = " AND ".join(clauses) or None
    rows = db["decisions"].rows_where(where, params, order_by="id")
    return [DecisionRecord.from_row(r) for r in rows]


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
    only_key = "AND d.institution_id = ? AND d.normalised_name = ?" if key else ""
    rows = db.query(
        f"""
        SELECT d.* FROM decisions d
        JOIN rounds rd ON rd.label = d.round
        JOIN rounds rc ON rc.label = ?
        WHERE (d.round = rc.label OR rd.started_at < rc.started_at) {only_key}
        ORDER BY d.id
        """,
        [round_label, *(key or ())],
    )
    latest: dict[tuple[int, str], DecisionRecord] = {}
    for row in rows:
        record = DecisionRecord.from_row(row)
        latest[(record.institution_id, record.normalised_name)] = record
    if include_withdrawn:
        return latest
    return {key: record for key, record in latest.items() if not record.withdrawn}
