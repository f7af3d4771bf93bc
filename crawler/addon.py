"""WebsearchAddon: enables the crawler's Scrapy components as one unit (ADDONS setting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.extensions.spiderstate import SpiderState
from scrapy.extensions.telnet import TelnetConsole

from crawler.downloadermiddlewares.crawldelay import CrawlDelayMiddleware
from crawler.downloadermiddlewares.offsite_redirect import OffsiteRedirectMiddleware
from crawler.downloadermiddlewares.render import RenderSwitchMiddleware
from crawler.downloadermiddlewares.resume import ResumeMiddleware
from crawler.downloadermiddlewares.retry import BackoffRetryMiddleware
from crawler.downloadermiddlewares.robots import ArchivedRobotsTxtMiddleware
from crawler.extensions import CrawlHealth
from crawler.pipelines import ArchivePipeline
from crawler.quickstop import QuickStop
from crawler.workspacelock import WorkspaceLockGuard

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

#: (component, priority); None switches a built-in off.
DOWNLOADER_MIDDLEWARES: list[tuple[type, int | None]] = [
    (OffsiteRedirectMiddleware, 40),  # a redirect to another site is not followed
    (RenderSwitchMiddleware, 45),  # render=auto: render a script-built site's pages directly
    (ResumeMiddleware, 50),  # answer stored URLs from the archive
    (RobotsTxtMiddleware, None),
    (ArchivedRobotsTxtMiddleware, 100),  # robots.txt from the spider's archived copy
    (CrawlDelayMiddleware, 110),  # robots.txt Crawl-delay as the slot's floor
    (RetryMiddleware, None),
    (BackoffRetryMiddleware, 550),  # back-off, Retry-After
]
ITEM_PIPELINES: list[tuple[type, int | None]] = [(ArchivePipeline, 300)]
#: SpiderState off: the spider removes its per-run JOBDIR when it closes (resume replays the
#: archive), so saving spider.state there failed with a traceback in every crawl log.
EXTENSIONS: list[tuple[type, int | None]] = [
    (TelnetConsole, None),
    (SpiderState, None),
    (WorkspaceLockGuard, 100),  # one crawl per workspace (snapshots.lock)
    (CrawlHealth, 500),
    (QuickStop, 510),
]


class WebsearchAddon:
    """Installs our middlewares, the archive pipeline and the crawl-health extension in
    place of Scrapy's robots.txt and retry middlewares: `ADDONS = {WebsearchAddon: 0}`."""

    def update_settings(self, settings: BaseSettings) -> None:
        for name, components in (
            ("DOWNLOADER_MIDDLEWARES", DOWNLOADER_MIDDLEWARES),
            ("ITEM_PIPELINES", ITEM_PIPELINES),
            ("EXTENSIONS", EXTENSIONS),
        ):
            for component, priority in components:
                settings.set_in_component_priority_dict(name, component, priority)
