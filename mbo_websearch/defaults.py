"""Embedded defaults: the Dutch mbo institutions, used when a workspace has none imported."""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from snapshots.institutions import import_institutions
from snapshots.store import institution_count

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_INSTITUTIONS = "institutions_default.csv"


def ensure_institutions(db: Database) -> int:
    """Load the embedded institutions when the workspace has none; return how many were loaded.

    The list (funded ROCs, AOCs and vakinstellingen, and the main non-funded providers, with
    their website domains and known separate adult-education domains) is described in the
    README under "Embedded default institutions".
    """
    if institution_count(db):
        return 0
    resource = files("mbo_websearch.data").joinpath(DEFAULT_INSTITUTIONS)
    with as_file(resource) as path:
        return import_institutions(db, path)
