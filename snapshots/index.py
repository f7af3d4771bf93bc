"""The page index: what was archived where, and reading an archived page back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from snapshots import store
from snapshots.errors import NotFound
from snapshots.store import PageRecord as PageRecord
from snapshots.store import pages_for_round as pages_for_round
from snapshots.warc import read_record

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


def get_page(db: Database, page_id: int) -> PageRecord:
    page = store.get_page(db, page_id)
    if page is None:
        raise NotFound(f"no archived page with id {page_id}")
    return page


@dataclass(frozen=True)
class Archived:
    payload: bytes
    content_type: str | None  # the archived Content-Type header, charset included


def read_archived(workspace: Workspace, db: Database, page: PageRecord) -> Archived:
    """The archived payload of `page` and its full Content-Type header (the index keeps only
    the media type); a revisit record resolves to its original."""
    source = page
    if page.record_type == "revisit" and page.revisit_of is not None:
        source = get_page(db, page.revisit_of)
    if source.warc_file is None or source.warc_offset is None:
        return Archived(b"", page.content_type)
    record = read_record(workspace.path / source.warc_file, source.warc_offset)
    header = next((v for k, v in record.headers if k.lower() == "content-type"), None)
    return Archived(record.payload, header or page.content_type)


def read_payload(workspace: Workspace, db: Database, page: PageRecord) -> bytes:
    """The archived payload of `page`; a revisit record resolves to its original."""
    return read_archived(workspace, db, page).payload
