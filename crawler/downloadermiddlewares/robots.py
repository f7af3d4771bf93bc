"""robots.txt obeyed from the copy the spider fetched (and archived) itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

if TYPE_CHECKING:
    from scrapy.http import Request, Response
    from scrapy.robotstxt import RobotParser


class ArchivedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, but it first looks for the robots.txt body that
    OffersSpider fetched as an ordinary (archived) request, so each robots.txt is fetched
    once. A host whose robots.txt the spider has not seen yet falls back to Scrapy's own
    fetch, and that response is handed to the spider (`robots_fetched`) to be archived too.
    A robots.txt that failed or answered an error counts as allowing everything, as in
    Scrapy."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            bodies = getattr(self.crawler.spider, "robots_bodies", {})
            if netloc in bodies:
                parser = build_from_crawler(self._parserimpl, self.crawler, bodies[netloc])
                self._parsers[netloc] = parser
                self._stats.inc_value("robotstxt/from_spider_count")
                await self.crawler.signals.send_catch_log_async(
                    signal=signals.robots_parsed, robotparser=parser, request=request
                )
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        """A robots.txt fetched here (not by the spider) is handed to the spider to archive."""
        await super()._parse_robots(response, netloc, request)
        handler = getattr(self.crawler.spider, "robots_fetched", None)
        if handler is not None:
            handler(response, request)
