"""The one workspace connection a crawl process shares between its components.

The archive pipeline, the resume middleware, the crawl-health extension and the spider all
read and write the same websearch.db: `shared_database(crawler)` opens it on first use (from
WEBSEARCH_WORKSPACE, migrations applied once) and closes it when the engine stops, which
Scrapy signals after the spider has closed and every `spider_closed` handler (crawl health
is recorded in one) has run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from scrapy import signals

from crawler.workspace import workspace_from_settings

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlite_utils import Database

    from snapshots.workspace import Workspace


class CrawlDatabase:
    """A lazily opened connection to the workspace database, closed once."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = self.workspace.open()
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


_shared: WeakKeyDictionary[Crawler, CrawlDatabase] = WeakKeyDictionary()


def shared_database(crawler: Crawler) -> CrawlDatabase:
    """The crawl's one database connection (created on the first call for this crawler)."""
    if crawler not in _shared:
        database = CrawlDatabase(workspace_from_settings(crawler.settings))
        _shared[crawler] = database
        crawler.signals.connect(database.close, signal=signals.engine_stopped)
    return _shared[crawler]
