"""Resume a round: answer requests for URLs already archived from the archive itself."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.database import CrawlDatabase, shared_database
from crawler.workspace import workspace_from_settings
from snapshots.index import PageRecord, pages_for_round, read_archived
from snapshots.store import institution_id
from snapshots.workspace import Workspace

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from sqlite_utils import Database

logger = logging.getLogger(__name__)


class ResumeMiddleware:
    """With WEBSEARCH_RESUME, a request whose (canonical URL, rendered) is already archived
    in this round is not sent: the archived payload comes back as a response flagged
    "replayed", so the spider still follows its links (and counts it) without yielding a
    second item. Everything else is fetched as usual."""

    def __init__(
        self, crawler: Crawler, workspace: Workspace, round_label: str, database: CrawlDatabase
    ) -> None:
        self.crawler = crawler
        self.workspace = workspace
        self.round = round_label
        self.database = database
        self._stored: dict[str, dict[tuple[str, bool], PageRecord]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeMiddleware:
        settings = crawler.settings
        if not settings.getbool("WEBSEARCH_RESUME"):
            raise NotConfigured
        workspace = workspace_from_settings(settings)
        return cls(crawler, workspace, settings.get("WEBSEARCH_ROUND"), shared_database(crawler))

    @property
    def db(self) -> Database:
        return self.database.db

    def _stored_for(self, institution: str) -> dict[tuple[str, bool], PageRecord]:
        if institution not in self._stored:
            found = institution_id(self.db, institution)
            pages = (
                pages_for_round(self.db, self.round, institution_id=found)
                if found is not None
                else []
            )
            self._stored[institution] = {(p.url, p.rendered): p for p in pages}
            logger.info("resume: %d archived responses for %s", len(pages), institution)
        return self._stored[institution]

    def process_request(self, request: Request) -> Response | None:
        institution = request.meta.get("institution")
        url = request.meta.get("ws_url")
        if not institution or not url:
            return None
        page = self._stored_for(institution).get((url, bool(request.meta.get("ws_rendered"))))
        if page is None:
            return None
        archived = read_archived(self.workspace, self.db, page)
        body = archived.payload
        # the archived header keeps its charset: a rendered DOM must not be re-read by its meta
        headers = Headers({"Content-Type": archived.content_type or "application/octet-stream"})
        request.meta["dont_retry"] = True
        request.meta.pop("playwright_include_page", None)
        if page.final_url != page.url:
            request.meta["redirect_urls"] = [page.url]
        self.crawler.stats.inc_value("resume/replayed")
        cls = responsetypes.from_args(headers=headers, url=page.final_url, body=body)
        return cls(
            url=page.final_url,
            status=page.status or 200,
            headers=headers,
            body=body,
            flags=["replayed"],
            request=request,
        )
