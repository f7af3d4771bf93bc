"""WorkspaceLockGuard: a crawl writes a workspace's WARC files only while it holds its lock."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.workspace import workspace_from_settings
from snapshots.lock import WorkspaceBusy, WorkspaceLock, holds_lock

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class WorkspaceLockGuard:
    """Started by crawler.runner, the crawl inherits the lock its parent took
    (WEBSEARCH_LOCK_FD); started on its own (`scrapy crawl offers`), it takes the lock itself
    and refuses to start while another crawl holds it."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        workspace = workspace_from_settings(settings)
        inherited = settings.getint("WEBSEARCH_LOCK_FD", -1)
        self.lock: WorkspaceLock | None = None
        if inherited >= 0 and holds_lock(inherited, workspace.path):
            return
        command = f"scrapy crawl offers (round {settings.get('WEBSEARCH_ROUND') or '?'})"
        self.lock = WorkspaceLock(workspace.path, f"{command}, pid {os.getpid()}")
        try:
            self.lock.acquire()
        except WorkspaceBusy as exc:
            logger.error("%s", exc)
            raise
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkspaceLockGuard:
        return cls(crawler)

    def engine_stopped(self) -> None:
        if self.lock is not None:
            self.lock.release()
