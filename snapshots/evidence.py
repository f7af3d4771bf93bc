"""Archive one fetched response: WARC record first, then its index row (crash-safe order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from snapshots import store
from snapshots.warc import Original, WarcArchive, payload_digest

if TYPE_CHECKING:
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


@dataclass(frozen=True)
class Response:
    """A response as the evidence store needs it (no Scrapy types here)."""

    institution_id: int
    institution: str
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    kind: str = "page"
    rendered: bool = False
    canonical_url: str | None = None
    gone: bool = False
    text_length: int | None = None  # characters of text extracted (PDFs)


def start_round(db: Database, label: str, settings: dict[str, Any] | None = None) -> None:
    """Create the round if new (a resumed round keeps its start time)."""
    store.start_round(
        db, label, started_at=datetime.now(UTC).isoformat(timespec="seconds"), settings=settings
    )


def finish_round(db: Database, label: str) -> None:
    store.finish_round(db, label, finished_at=datetime.now(UTC).isoformat(timespec="seconds"))


class EvidenceStore:
    """Writes a round's responses into per-institution WARC files and the page index."""

    def __init__(
        self,
        workspace: Workspace,
        db: Database,
        round_label: str,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.workspace = workspace
        self.db = db
        self.round = round_label
        self._clock = clock or (lambda: datetime.now(UTC))
        self._archives: dict[int, WarcArchive] = {}

    def _archive(self, institution_id: int, institution: str) -> tuple[WarcArchive, str]:
        path = self.workspace.warc_path(self.round, institution)
        relative = str(path.relative_to(self.workspace.path))
        if institution_id not in self._archives:
            self._archives[institution_id] = WarcArchive(
                path, valid_length=store.indexed_length(self.db, relative), clock=self._clock
            )
        return self._archives[institution_id], relative

    def is_stored(self, institution_id: int, url: str, rendered: bool) -> bool:
        return store.page_is_stored(self.db, self.round, institution_id, url, rendered)

    def store(self, response: Response) -> int | None:
        """Archive `response` and index it; returns the page id (None if already stored)."""
        if self.is_stored(response.institution_id, response.url, response.rendered):
            return None
        archive, relative = self._archive(response.institution_id, response.institution)
        original = store.find_original(self.db, payload_digest(response.body))
        stored = archive.write_response(
            response.final_url,
            response.status,
            response.headers,
            response.body,
            rendered=response.rendered,
            original=Original(original.final_url, original.warc_date) if original else None,
        )
        page = store.NewPage(
            round=self.round,
            institution_id=response.institution_id,
            url=response.url,
            final_url=response.final_url,
            canonical_url=response.canonical_url,
            status=response.status,
            content_type=_content_type(response.headers),
            kind=response.kind,
            gone=response.gone,
            rendered=response.rendered,
            payload_digest=stored.digest,
            payload_length=len(response.body),
            warc_file=relative,
            warc_offset=stored.offset,
            warc_length=stored.length,
            record_type=stored.record_type,
            warc_date=stored.date,
            revisit_of=original.id if original else None,
            fetched_at=self._clock().isoformat(timespec="seconds"),
            text_length=response.text_length,
        )
        return store.insert_page(self.db, page)

    def close(self) -> None:
        for archive in self._archives.values():
            archive.close()
        self._archives.clear()


def _content_type(headers: list[tuple[str, str]]) -> str | None:
    for key, value in headers:
        if key.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return None
