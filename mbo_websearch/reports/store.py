"""Where the reports' own data is read and written: DUO's issued counts and potential offer.

The only module of `mbo_websearch.reports` (besides its migrations) that holds SQL; tables in
`mbo_websearch/reports/migrations.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mbo_websearch.reports.model import IssuedRow, PotentialRow

if TYPE_CHECKING:
    from sqlite_utils import Database


def upsert_issued(
    db: Database, rows: Sequence[IssuedRow], *, source: str, imported_at: str
) -> None:
    """Insert or replace issued counts per (code, year, funded), in one transaction."""
    with db.atomic():
        db.table("issued").upsert_all(
            [
                {
                    "code": r.code,
                    "year": r.year,
                    "funded": r.funded,
                    "count": r.count,
                    "source": source,
                    "imported_at": imported_at,
                }
                for r in rows
            ],
            pk=("code", "year", "funded"),
        )


def replace_potential(
    db: Database, rows: Sequence[PotentialRow], *, source: str, imported_at: str
) -> None:
    """The potential offer becomes exactly `rows`, in one transaction."""
    with db.atomic():
        db.execute("DELETE FROM potential")
        db.table("potential").insert_all(
            [
                {
                    "institution": r.institution,
                    "code": r.code,
                    "source": source,
                    "imported_at": imported_at,
                }
                for r in rows
            ],
        )


def load_issued(db: Database) -> list[IssuedRow]:
    return [
        IssuedRow(r["code"], r["year"], r["funded"], r["count"])
        for r in db.query("SELECT code, year, funded, count FROM issued ORDER BY code, year")
    ]


def load_potential(db: Database) -> list[PotentialRow]:
    return [
        PotentialRow(r["institution"], r["code"])
        for r in db.query("SELECT institution, code FROM potential ORDER BY institution, code")
    ]
