"""Redirects stay within the institution: a redirect to another site is not followed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request


class OffsiteRedirect(IgnoreRequest):
    """A redirect led outside the institution's crawl."""


class OffsiteRedirectMiddleware:
    """Our requests carry dont_filter (the scope deduplicates), which also switches Scrapy's
    offsite filter off, so a redirect could lead anywhere, and the foreign page would be
    archived, and matched, as the institution's. This drops every redirected request that
    InstitutionScope.may_redirect_to refuses: nothing of the other site is fetched; the
    spider counts it (`offsite_redirects`). robots.txt may redirect anywhere (RFC 9309)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        redirects = request.meta.get("redirect_urls")
        if not redirects or request.meta.get("ws_kind") == "robots":
            return
        scopes = getattr(self.crawler.spider, "scopes", {})
        scope = scopes.get(request.meta.get("institution"))
        if scope is None or scope.may_redirect_to(request.url, request.meta.get("ws_depth", 0)):
            return
        raise OffsiteRedirect(
            f"redirect to another site not followed: {redirects[0]} -> {request.url}"
        )
