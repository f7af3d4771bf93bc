"""Open a workspace with every package's migrations applied."""

from __future__ import annotations

from sqlite_utils import Database

from matcher.migrations import migrations as matcher_migrations
from mbo_websearch.reports.migrations import migrations as reports_migrations
from snapshots.workspace import Workspace


def open_db(workspace: Workspace) -> Database:
    """The workspace database, with snapshots' and matcher's tables up to date."""
    return workspace.open(extra_migrations=(matcher_migrations, reports_migrations))
