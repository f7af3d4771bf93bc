"""Analysts' decisions: an append-only log; the latest per (institution, name) wins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from matcher.normalise import normalise_title
from snapshots.errors import InputError, NotFound

if TYPE_CHECKING:
    from sqlite_utils import Database

NO_CERTIFICATE = "none"
_CODE = re.compile(r"^[KC]\d{4}$")


@dataclass(frozen=True)
class DecisionRecord:
    """One analyst's decision: this name at this institution is certificate `code` (or none)."""

    id: int
    round: str
    institution_id: int
    normalised_name: str
    code: str                    # a certificate code or "none"
    b2b_only: bool | None        # None: the page cues decide
    note: str | None
    reviewer: str
    decided_at: str
    supersedes: int | None = None
    candidate_id: int | None = None

    @classmethod
    def from_row(cls, row: dict) -> DecisionRecord:
        b2b = row["b2b_only"]
        return cls(
            id=row["id"], round=row["round"], institution_id=row["institution_id"],
            normalised_name=row["normalised_name"], code=row["code"],
            b2b_only=None if b2b is None else bool(b2b), note=row["note"],
            reviewer=row["reviewer"], decided_at=row["decided_at"],
            supersedes=row["supersedes"], candidate_id=row["candidate_id"],
        )


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
    """Append a decision (never updates one); it applies to `round` and later rounds."""
    code = code.strip().upper() if code.strip().lower() != NO_CERTIFICATE else NO_CERTIFICATE
    problems = []
    if code != NO_CERTIFICATE and not _CODE.match(code):
        problems.append(("code", f"{code!r} is not a certificate code; use e.g. K0905 or none"))
    if not reviewer.strip():
        problems.append(("reviewer", "a decision needs the reviewer's name"))
    if not normalised_name.strip():
        problems.append(("normalised_name", "empty course name"))
    if problems:
        column, problem = problems[0]
        raise InputError.single("decision", 0, column, problem)
    if not list(db["rounds"].rows_where("label = ?", [round])):
        raise NotFound(f"unknown round {round!r}")
    if supersedes is not None and not list(db["decisions"].rows_where("id = ?", [supersedes])):
        raise NotFound(f"no decision with id {supersedes} to supersede")
    now = (clock or (lambda: datetime.now(UTC)))()
    row = {
        "round": round, "institution_id": institution_id, "normalised_name": normalised_name,
        "code": code, "b2b_only": None if b2b_only is None else int(b2b_only), "note": note,
        "reviewer": reviewer.strip(), "decided_at": now.isoformat(timespec="seconds"),
        "supersedes": supersedes, "candidate_id": candidate_id,
    }
    with db.atomic():
        decision_id = int(db.table("decisions").insert(row).last_pk or 0)
    return DecisionRecord.from_row({**row, "id": decision_id})


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


def decisions_for_round(db: Database, round_label: str) -> dict[tuple[int, str], DecisionRecord]:
    """The decision in force per (institution_id, normalised_name) for a round.

    A decision applies to its own round and to rounds started later; the latest one wins.
    """
    rows = db.query(
        """
        SELECT d.* FROM decisions d
        JOIN rounds rd ON rd.label = d.round
        JOIN rounds rc ON rc.label = ?
        WHERE d.round = rc.label OR rd.started_at < rc.started_at
        ORDER BY d.id
        """,
        [round_label],
    )
    latest: dict[tuple[int, str], DecisionRecord] = {}
    for row in rows:
        record = DecisionRecord.from_row(row)
        latest[(record.institution_id, record.normalised_name)] = record
    return latest
