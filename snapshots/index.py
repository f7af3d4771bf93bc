"""The page index: what was archived where, digest lookup for revisits, resume lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from snapshots.errors import NotFound
from snapshots.warc import read_record

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


@dataclass(frozen=True)
class PageRecord:
    id: int
    round: str
    institution_id: int
    url: str
    final_url: str
    status: int | None
    content_type: str | None
    kind: str
    gone: bool
    rendered: bool
    payload_digest: str | None
    warc_file: str | None
    warc_offset: int | None
    record_type: str | None
    revisit_of: int | None
    canonical_url: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PageRecord:
        return cls(
            id=row["id"],
            round=row["round"],
            institution_id=row["institution_id"],
            url=row["url"],
            final_url=row["final_url"],
            status=row["status"],
            content_type=row["content_type"],
            kind=row["kind"],
            gone=bool(row["gone"]),
            rendered=bool(row["rendered"]),
            payload_digest=row["payload_digest"],
            warc_file=row["warc_file"],
            warc_offset=row["warc_offset"],
            record_type=row["record_type"],
            revisit_of=row["revisit_of"],
            canonical_url=row["canonical_url"],
        )


def pages_for_round(
    db: Database, round_label: str, *, institution_id: int | None = None
) -> list[PageRecord]:
    """Every indexed page of a round (optionally one institution), in fetch order."""
    where = "round = ?"
    params: list[str | int] = [round_label]
    if institution_id is not None:
        where += " AND institution_id = ?"
        params.append(institution_id)
    return [PageRecord.from_row(r) for r in db["pages"].rows_where(where, params, order_by="id")]


def get_page(db: Database, page_id: int) -> PageRecord:
    rows = list(db["pages"].rows_where("id = ?", [page_id]))
    if not rows:
        raise NotFound(f"no archived page with id {page_id}")
    return PageRecord.from_row(rows[0])


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


def find_original(db: Database, digest: str) -> dict[str, Any] | None:
    """The first full `response` record with this payload digest, in any round."""
    rows = list(
        db.query(
            "SELECT id, final_url, fetched_at, warc_date FROM pages "
            "WHERE payload_digest = ? AND record_type = 'response' ORDER BY id LIMIT 1",
            [digest],
        )
    )
    return rows[0] if rows else None


def indexed_length(db: Database, warc_file: str) -> int:
    """End offset of the last indexed record of a WARC file (0 when none)."""
    row = next(
        db.query(
            "SELECT COALESCE(MAX(warc_offset + warc_length), 0) AS end_ FROM pages "
            "WHERE warc_file = ?",
            [warc_file],
        )
    )
    return int(row["end_"])
