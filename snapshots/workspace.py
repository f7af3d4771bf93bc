"""A websearch workspace: one folder with websearch.db and warc/<round>/<institution>.warc.gz."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from snapshots.errors import InputError
from snapshots.migrations import migrations as snapshot_migrations
from snapshots.store import connect

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

DB_NAME = "websearch.db"


def slugify(name: str) -> str:
    """File-system safe, stable slug of an institution name (used for WARC file names)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "institution"


@dataclass(frozen=True)
class Workspace:
    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def warc_dir(self) -> Path:
        return self.path / "warc"

    def warc_path(self, round_label: str, institution: str) -> Path:
        return self.warc_dir / round_label / f"{slugify(institution)}.warc.gz"

    def open(self, *, extra_migrations: tuple[Migrations, ...] = ()) -> sqlite_utils.Database:
        """Open the database (WAL mode, foreign keys on) and apply pending migrations."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, no permission
            raise InputError.single(
                self.path, 0, "--workspace", f"cannot create the workspace folder: {exc.strerror}"
            ) from exc
        db = connect(self.db_path)
        snapshot_migrations.apply(db)
        for migration_set in extra_migrations:
            migration_set.apply(db)
        return db
