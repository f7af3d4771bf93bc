"""Per-institution crawl counters (`websearch/<institution>/<key>` stats) that crawl health
is computed from (crawler.health_rules.CrawlCounts reads them back)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError

from crawler.downloadermiddlewares.offsite_redirect import OffsiteRedirect

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class Counters:
    """Increments one institution's counters."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler  # its stats exist only once the crawl starts

    def inc(self, institution: str, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"websearch/{institution}/{key}", count)

    def response(
        self, institution: str, response: Response, kind: str, *, gone: bool, replayed: bool
    ) -> None:
        """responses (or resumed), status/<n>, errors for 5xx, http_4xx, gone, pages, rendered.
        A page counts once: a page re-requested for rendering (ws_rerender) is not a new page."""
        self.inc(institution, "resumed" if replayed else "responses")
        self.inc(institution, f"status/{response.status}")
        if response.status >= 500:
            self.inc(institution, "errors")
            self.inc(institution, "errors/http_5xx")
        elif response.status >= 400:
            self.inc(institution, "http_4xx")
        elif gone:
            self.inc(institution, "gone")
        elif kind in ("page", "pdf") and not response.meta.get("ws_rerender"):
            self.inc(institution, "pages")
        if response.meta.get("ws_rendered"):
            self.inc(institution, "rendered")

    def failure(self, institution: str, request: Request, failure: Failure) -> None:
        """offsite_redirects / robots_denied / ignored, or errors + failures + errors/<kind>.
        A failed render counts as an error too (render_errors besides), even when the page's
        plain copy was fetched fine: what a visitor sees of it is missing."""
        if failure.check(OffsiteRedirect):
            self.inc(institution, "offsite_redirects")
            logger.info("%s", failure.value)
            return
        kind = _error_kind(failure)
        if failure.check(IgnoreRequest) and kind is None:
            denied = "robots.txt" in str(failure.value)
            self.inc(institution, "robots_denied" if denied else "ignored")
            return
        if request.meta.get("ws_rendered"):
            self.inc(institution, "render_errors")
            logger.warning("rendering failed for %s: %s", request.url, failure.value)
        self.inc(institution, "errors")
        self.inc(institution, "failures")
        self.inc(institution, f"errors/{kind or type(failure.value).__name__}")
        logger.info("failed %s: %s", request.url, failure.value)


def _error_kind(failure: Failure) -> str | None:
    """The named kind of a failed request; None for an IgnoreRequest that is no error (robots.txt,
    a request dropped at Ctrl-C) and for kinds without a name."""
    message = str(failure.value)
    if failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
        return "connection_refused"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(TimeoutError, DownloadTimeoutError):
        return "timeout"
    # Scrapy drops these as IgnoreRequest, but a loop or a bomb is the site's fault: an error
    if failure.check(IgnoreRequest) and "max redirections" in message:
        return "redirect_loop"
    if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in message:
        return "decompression_bomb"
    # the body outgrew DOWNLOAD_MAXSIZE (announced, or while streaming without a length)
    if failure.check(DownloadCancelledError, CancelledError):
        return "too_large"
    return None
