"""QuickStop: on a graceful stop (Ctrl-C), drop the requests waiting in the downloader.

Scrapy's graceful stop finishes every request already handed to the downloader, and those
wait there for the per-site delay: at a polite 1 s that kept a Ctrl-C'd crawl going for half a
minute. The dropped requests fail with IgnoreRequest (counted as `ignored`, not as errors);
`--resume` schedules them again from the archived pages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.internet import task
from twisted.python.failure import Failure

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)
CHECK_SECONDS = 0.2


class QuickStop:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._started = False
        self._loop = task.LoopingCall(self.check)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuickStop:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self._loop.start(CHECK_SECONDS, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self._loop.running:
            self._loop.stop()

    def check(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.running:
            self._started = self._started or bool(engine and engine.running)
            return
        if not self._started:  # not running yet: nothing to stop
            return
        dropped = 0
        for slot in list(engine.downloader.slots.values()):
            while slot.queue:
                _request, waiting = slot.queue.popleft()
                waiting.errback(Failure(IgnoreRequest("crawl stopped before this request")))
                dropped += 1
        if dropped:
            logger.info("stopping: dropped %d request(s) waiting for their turn", dropped)
