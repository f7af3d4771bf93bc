"""RenderHandler: scrapy-playwright's download handler with one context per institution, a
bounded pool of reused pages, blocked resources and a time-out around the whole render.

A rendered request (`meta["playwright"]`) gets its institution's context and a page from
crawler.render_pool.RenderPool; the page waits until it has settled (crawler.render_page)
before scrapy-playwright reads its DOM, and goes back to the pool afterwards, so the spider
never holds a browser page. A render that fails or exceeds WEBSEARCH_RENDER_PAGE_TIMEOUT
closes its page and fails the request (RenderTimeout: counted as an error); on a graceful
stop (Ctrl-C) pending renders are dropped at once so crawl health is still recorded.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from scrapy import signals
from scrapy.http import TextResponse
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from crawler.downloadermiddlewares.render import render_directly
from crawler.render_page import MUTATION_CLOCK, RenderTimeout, ResourcePolicy, settle
from crawler.render_pool import RenderPool, RenderStopped

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)
CLOSE_SECONDS = 5.0
IDLE_CHECK_SECONDS = 0.5
STOP_CHECK_SECONDS = 0.2
#: Scrapy builds one download handler per scheme: the first one of a crawl renders for all,
#: so http and https share one Playwright driver, one browser and one RenderPool.
_RENDERERS: weakref.WeakKeyDictionary[Crawler, RenderHandler] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class RenderConfig:
    timeout_ms: int  # each wait: network idle, then a DOM that stops changing
    stable_ms: int
    page_timeout: float  # seconds for a whole render: navigation, waits, content read
    max_contexts: int
    max_pages_per_context: int
    context_idle_seconds: float
    same_site_only: bool

    @classmethod
    def from_settings(cls, settings: Any) -> RenderConfig:
        config = cls(
            timeout_ms=settings.getint("WEBSEARCH_RENDER_TIMEOUT_MS"),
            stable_ms=settings.getint("WEBSEARCH_RENDER_STABLE_MS"),
            page_timeout=settings.getfloat("WEBSEARCH_RENDER_PAGE_TIMEOUT"),
            max_contexts=settings.getint("PLAYWRIGHT_MAX_CONTEXTS"),
            max_pages_per_context=settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"),
            context_idle_seconds=settings.getfloat("WEBSEARCH_RENDER_CONTEXT_IDLE"),
            same_site_only=settings.getbool("WEBSEARCH_RENDER_SAME_SITE_ONLY"),
        )
        if config.max_contexts < 1 or config.max_pages_per_context < 1:
            raise ValueError("PLAYWRIGHT_MAX_CONTEXTS and ..._PAGES_PER_CONTEXT must be >= 1")
        if config.page_timeout * 1000 <= 2 * config.timeout_ms:
            raise ValueError(
                "WEBSEARCH_RENDER_PAGE_TIMEOUT must exceed both waits "
                "(2 x WEBSEARCH_RENDER_TIMEOUT_MS)"
            )
        return config


class RenderHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.renderer: RenderHandler = _RENDERERS.setdefault(crawler, self)
        self.render = RenderConfig.from_settings(crawler.settings)
        self.pool = RenderPool(
            self.render.max_contexts,
            self.render.max_pages_per_context,
            self.render.context_idle_seconds,
            self._close_context,
            self._stopping,
        )
        self.policies: dict[int, ResourcePolicy] = {}  # id(BrowserContext) -> policy
        self._idle_task: asyncio.Task[None] | None = None
        crawler.signals.connect(self._start_idle_check, signals.engine_started)
        crawler.signals.connect(self._record_counts, signals.spider_closed)

    # ----------------------------------------------------------------------------- download

    async def download_request(self, request: Request) -> Response:  # type: ignore[override]
        if not request.meta.get("playwright") and not render_directly(self._crawler, request):
            response: Response = await super().download_request(request)
            return response
        if self.renderer is not self:
            return await self.renderer.download_request(request)
        institution = request.meta.get("institution") or "default"
        lease = await self.pool.acquire(institution)
        request.meta["playwright_context"] = lease.context_name
        request.meta["playwright_include_page"] = True
        request.meta["playwright_page"] = lease.page
        loop = asyncio.get_running_loop()
        started, navigated = loop.time(), [0.0]

        async def settle_page(page: Any) -> None:
            navigated[0] = loop.time()
            await settle(page, self.render.timeout_ms, self.render.stable_ms)

        # set here, not when the request is made: a callable does not go to the disk queue
        request.meta["playwright_page_methods"] = [PageMethod(settle_page)]
        try:
            response = await self._bounded(super().download_request(request), request.url)
        except BaseException:
            page = request.meta.pop("playwright_page", None)
            await self._discard(page)
            self.pool.release(institution, page, reusable=False)
            self._count(institution, "render/failed")
            raise
        page = request.meta.pop("playwright_page", None)
        request.meta.pop("playwright_page_methods", None)
        self.pool.release(institution, page, reusable=True)
        # AutoThrottle adapts the site's delay to this: the server's latency is the navigation,
        # not our waiting for the page's scripts to settle
        if navigated[0]:
            request.meta["download_latency"] = navigated[0] - started
        return _as_utf8(response)

    async def _bounded(self, render: Any, url: str) -> Response:
        """The render's response, or RenderTimeout after WEBSEARCH_RENDER_PAGE_TIMEOUT, or
        RenderStopped as soon as the crawl is stopping (Ctrl-C must not wait for it)."""
        task = asyncio.ensure_future(render)
        deadline = asyncio.get_running_loop().time() + self.render.page_timeout
        try:
            while not task.done():
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    raise RenderTimeout(f"render took over {self.render.page_timeout:g} s: {url}")
                if self._stopping():
                    raise RenderStopped(f"crawl stopped while rendering {url}")
                await asyncio.wait([task], timeout=min(left, STOP_CHECK_SECONDS))
            rendered: Response = task.result()
            return rendered
        finally:
            if not task.done():
                task.cancel()

    async def _download_request_with_retry(  # type: ignore[override]
        self, request: Request, spider: Spider
    ) -> Response:
        """scrapy-playwright's, without its `page.unroute` and `page.route` around every
        request: our contexts route once, when created (`_route`), which saves the browser
        re-arming request interception and a round trip per sub-request for header overrides
        (rendered requests are plain GETs; the user agent is the context's)."""
        page = request.meta.get("playwright_page")
        if not isinstance(page, Page) or page.is_closed():
            page = await self._create_page(request=request, spider=spider)
        response: Response = await self._download_request_with_page(request, page, spider)
        return response

    async def _discard(self, page: Any) -> None:
        if page is None or page.is_closed():
            return
        try:
            await asyncio.wait_for(page.close(), timeout=CLOSE_SECONDS)
        except (PlaywrightError, TimeoutError) as exc:
            logger.warning("could not close a failed page: %s", exc)

    def _stopping(self) -> bool:
        engine = self._crawler.engine
        return engine is not None and not engine.running

    # ----------------------------------------------------------------------------- contexts

    async def _create_browser_context(  # type: ignore[override]
        self, name: str, context_kwargs: dict[str, Any] | None, spider: Spider | None = None
    ) -> Any:
        kwargs = {"user_agent": self._crawler.settings.get("USER_AGENT"), **(context_kwargs or {})}
        wrapper = await super()._create_browser_context(name, kwargs, spider)
        await wrapper.context.add_init_script(MUTATION_CLOCK)
        self.policies[id(wrapper.context)] = self._policy(name.rsplit("#", 1)[0])
        await wrapper.context.route("**", self._route)
        return wrapper

    async def _route(self, route: Any, request: Any) -> None:
        """Every request of a context's pages: aborted when its ResourcePolicy says so."""
        try:
            if await self._abort(request):
                self.stats.inc_value("playwright/request_count/aborted")
                await route.abort()
            else:
                await route.continue_()
        except PlaywrightError as exc:  # the page or context closed meanwhile
            logger.debug("request not routed: %s %s", request.url, exc)

    def _policy(self, institution: str) -> ResourcePolicy:
        scope = getattr(self._crawler.spider, "scopes", {}).get(institution)
        if scope is None:
            return ResourcePolicy(frozenset(), same_site_only=False)
        hosts = {h.removeprefix("www.") for h in (*scope.hosts, *scope.adopted_hosts)}
        return ResourcePolicy(frozenset(hosts), same_site_only=self.render.same_site_only)

    async def _abort(self, request: Any) -> bool:
        """True when the context's ResourcePolicy does not allow this request."""
        try:
            policy = self.policies.get(id(request.frame.page.context))
        except PlaywrightError:  # a service worker's request has no frame
            policy = None
        if policy is None:
            policy = ResourcePolicy(frozenset(), same_site_only=False)
        allowed = policy.allows(request.resource_type, request.url, request.is_navigation_request())
        if not allowed and request.resource_type not in ("image", "media", "font"):
            self.stats.inc_value("render/blocked_other_site")
        return not allowed

    async def _close_context(self, context_name: str, idle_pages: list[Any]) -> None:
        wrapper = self.context_wrappers.get(context_name)
        for page in idle_pages:
            await self._discard(page)
        if wrapper is None:
            return
        self.policies.pop(id(wrapper.context), None)
        try:
            await asyncio.wait_for(wrapper.context.close(), timeout=CLOSE_SECONDS)
        except (PlaywrightError, TimeoutError) as exc:
            logger.warning("could not close browser context %s: %s", context_name, exc)
        self._count(context_name.rsplit("#", 1)[0], "render/contexts_closed")

    async def _maybe_launch_in_thread(self) -> None:
        if self.renderer is self:  # the other schemes' handlers start no driver of their own
            await super()._maybe_launch_in_thread()

    def _start_idle_check(self) -> None:
        if self.renderer is not self:
            return
        self._idle_task = asyncio.ensure_future(self._idle_check())

    async def _idle_check(self) -> None:
        while True:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            await self.pool.close_idle()

    async def _close(self) -> None:
        if self._idle_task is not None:
            self._idle_task.cancel()
        await super()._close()

    # ----------------------------------------------------------------------------- stats

    def _count(self, institution: str, key: str) -> None:
        self.stats.inc_value(f"websearch/{institution}/{key}")

    def _record_counts(self) -> None:
        if self.renderer is not self:
            return
        for key, value in vars(self.pool.counts).items():
            self.stats.set_value(f"render/{key}", value)


def _as_utf8(response: Response) -> Response:
    """The DOM, serialised as UTF-8 whatever the page was served in, and saying so in its
    headers (a kept <meta charset> must not win over them when the page is read back)."""
    if not isinstance(response, TextResponse):
        return response
    headers = response.headers.copy()
    headers["Content-Type"] = "text/html; charset=utf-8"
    return response.replace(body=response.text.encode("utf-8"), encoding="utf-8", headers=headers)
