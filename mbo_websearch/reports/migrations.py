"""Tables owned by reports: issued certificates (DUO) and potential offer (DUO registrations)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("reports")


@migrations()
def create_issued_and_potential(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE issued (
            code TEXT NOT NULL,             -- certificate code, e.g. K0905
            year INTEGER NOT NULL,
            funded TEXT NOT NULL CHECK (funded IN ('bekostigd', 'niet-bekostigd')),
            count INTEGER NOT NULL CHECK (count >= 0),
            source TEXT NOT NULL,           -- file it was imported from
            imported_at TEXT NOT NULL,
            PRIMARY KEY (code, year, funded)
        );

        CREATE TABLE potential (
            institution TEXT NOT NULL,      -- institution name as in the institutions table
            code TEXT NOT NULL,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (institution, code)
        );
        """
    )
