"""Honour a robots.txt Crawl-delay as the minimum delay of that host's download slot."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class CrawlDelayMiddleware:
    """Scrapy ignores Crawl-delay. This component reads it when a robots.txt is parsed
    (signal robots_parsed), caps it at WEBSEARCH_CRAWL_DELAY_MAX, and keeps the host's slot
    delay at or above it: before each request and after each download, because AutoThrottle
    lowers slot delays after responses."""

    def __init__(self, crawler: Crawler, max_delay: float, useragent: str) -> None:
        self.crawler = crawler
        self.max_delay = max_delay
        self.useragent = useragent
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        useragent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        return cls(crawler, settings.getfloat("WEBSEARCH_CRAWL_DELAY_MAX"), useragent)

    def _robots_parsed(self, robotparser: object, request: Request) -> None:
        crawl_delay = getattr(robotparser, "crawl_delay", None)
        delay = crawl_delay(self.useragent) if callable(crawl_delay) else None
        if not delay:
            return
        host = urlparse_cached(request).hostname or ""
        self.floors[host] = min(float(delay), self.max_delay)
        self.crawler.stats.set_value(f"crawl_delay/{host}", self.floors[host])
        logger.info("Crawl-delay %.1f s for %s", self.floors[host], host)
        downloader = self.crawler.engine.downloader
        downloader.per_slot_settings.setdefault(host, {}).update(
            delay=self.floors[host], jitter=0.0
        )
        self._apply(host)

    def _apply(self, host: str) -> None:
        floor = self.floors.get(host)
        if floor is None:
            return
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is not None and (slot.delay < floor or slot.jitter):
            slot.delay = max(slot.delay, floor)
            slot.jitter = 0.0  # a random variation could go below the floor

    def _response_downloaded(self, response: Response, request: Request, spider: object) -> None:
        self._apply(urlparse_cached(request).hostname or "")

    def process_request(self, request: Request) -> None:
        self._apply(urlparse_cached(request).hostname or "")
