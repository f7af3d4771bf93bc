"""Open a workspace with every package's migrations applied."""

from __future__ import annotations

from sqlite_utils import Database

from matcher.migrations import migrations as matcher_migrations
from mbo_websearch.reports.migrations import migrations as reports_migrations
from snapshots.errors import InputError
from snapshots.workspace import DB_NAME, Workspace


def open_db(workspace: Workspace) -> Database:
    """The workspace database, with snapshots' and matcher's tables up to date."""
    return workspace.open(extra_migrations=(matcher_migrations, reports_migrations))


def has_db(workspace: Workspace) -> bool:
    """True when the workspace exists; a missing folder is a mistyped --workspace (an error,
    never a new workspace). False for a folder without a database yet."""
    if not workspace.path.is_dir():
        raise InputError.single(
            "--workspace",
            0,
            "workspace",
            f"no workspace folder {workspace.path.resolve()}: check --workspace "
            "(or MBO_WEBSEARCH_WORKSPACE)",
        )
    return workspace.db_path.is_file()


def open_existing_db(workspace: Workspace) -> Database:
    """The database of a workspace that a read-only command reads: a mistyped --workspace is
    an error (exit 2), and no workspace or database is created."""
    if not has_db(workspace):
        raise InputError.single(
            "--workspace",
            0,
            "workspace",
            f"{workspace.path.resolve()} holds no {DB_NAME}: check --workspace (or "
            "MBO_WEBSEARCH_WORKSPACE); a workspace starts with institutions import or crawl",
        )
    return open_db(workspace)
