"""ArchivePipeline: every FetchedPage becomes WARC evidence plus a row in the page index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.database import CrawlDatabase, shared_database
from crawler.items import FetchedPage
from crawler.workspace import workspace_from_settings
from snapshots.evidence import EvidenceStore, Response, start_round
from snapshots.store import institution_ids
from snapshots.workspace import Workspace

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ArchivePipeline:
    """Writes each FetchedPage to warc/<round>/<institution>.warc.gz and indexes it."""

    def __init__(
        self, workspace: Workspace, round_label: str, crawler: Crawler, database: CrawlDatabase
    ) -> None:
        self.workspace = workspace
        self.round = round_label
        self.crawler = crawler
        self.database = database
        self.store: EvidenceStore | None = None
        self._institution_ids: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        round_label = crawler.settings.get("WEBSEARCH_ROUND")
        if not round_label:
            raise NotConfigured("WEBSEARCH_ROUND is not set")
        workspace = workspace_from_settings(crawler.settings)
        return cls(workspace, round_label, crawler, shared_database(crawler))

    def open_spider(self) -> None:
        db = self.database.db
        start_round(db, self.round)
        self.store = EvidenceStore(self.workspace, db, self.round)
        self._institution_ids = institution_ids(db)

    def close_spider(self) -> None:
        if self.store is not None:  # the shared connection is closed when the engine stops
            self.store.close()

    def process_item(self, item: FetchedPage) -> FetchedPage:
        if not isinstance(item, FetchedPage):
            return item
        assert self.store is not None, "open_spider was not called"
        page_id = self.store.store(
            Response(
                institution_id=self._institution_ids[item.institution],
                institution=item.institution,
                url=item.url,
                final_url=item.final_url,
                status=item.status,
                headers=item.headers,
                body=item.body,
                kind=item.kind,
                rendered=item.rendered,
                canonical_url=item.canonical_url,
                gone=item.gone,
                text_length=len(item.text) if item.text is not None else None,
            )
        )
        stats = self.crawler.stats
        if stats is not None:
            key = "archived" if page_id is not None else "already_stored"
            stats.inc_value(f"websearch/{item.institution}/{key}")
            stats.inc_value(f"websearch/{key}")
        return item
