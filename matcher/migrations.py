"""Tables owned by matcher: register versions, candidates, matches, decisions."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("matcher")
