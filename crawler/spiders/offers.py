"""OffersSpider: crawl every institution of a round in parallel and yield every response.

    scrapy crawl offers -a round=2026-11 -a institution="ROC A,ROC B" [-a max_pages=500]
        [-a render=auto|always|never] [-a resume=1]

robots.txt is fetched by this spider as an ordinary request (so it is archived like any
response); ArchivedRobotsTxtMiddleware builds Scrapy's robots parser from that same response
instead of fetching it a second time.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, Request, Response

from crawler.browser import launch_options
from crawler.canonical import canonical_link, page_links
from crawler.counters import Counters
from crawler.database import shared_database
from crawler.items import FetchedPage
from crawler.links import is_document, score_link
from crawler.render import RenderPlan, rendering_reason
from crawler.scope import InstitutionScope, ScopeLimits, effective_render, reserve_archived
from crawler.sitemaps import parse_sitemap, robots_sitemaps
from crawler.soft404 import soft_404_reason
from crawler.workspace import workspace_from_settings
from snapshots.institutions import list_institutions
from snapshots.payload import decode_html, is_pdf, pdf_text

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

ERROR_STATUSES = list(range(400, 600))
RENDER_HANDLER = "crawler.render_handler.RenderHandler"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding"}


def _split(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        return [v.strip() for item in value for v in item.split(",") if v.strip()]
    return [v.strip() for v in value.split(",") if v.strip()]


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class OffersSpider(scrapy.Spider):
    name = "offers"
    counters: Counters

    def __init__(
        self,
        round: str | None = None,  # noqa: A002 - the spider argument's public name
        institution: str | list[str] | None = None,
        institution_ids: str | None = None,
        max_pages: str | int | None = None,
        render: str | None = None,
        resume: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.round_label = round
        self.institution_names = _split(institution)
        self.institution_ids = [int(i) for i in _split(institution_ids)]
        self.arg_max_pages = int(max_pages) if max_pages else None
        self.arg_render = render or None
        self.arg_resume = _truthy(resume) if resume is not None else None
        self.scopes: dict[str, InstitutionScope] = {}
        self.robots_bodies: dict[str, bytes] = {}
        self.queue_dir: str | None = None
        self.robots_pending: list[tuple[str, Response]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OffersSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.counters = Counters(crawler)
        spider._configure(crawler)
        return spider

    # ----------------------------------------------------------------------------- set-up

    def _configure(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.round_label = self.round_label or settings.get("WEBSEARCH_ROUND")
        if not self.round_label:
            raise ValueError("give the round: scrapy crawl offers -a round=LABEL")
        settings.set("WEBSEARCH_ROUND", self.round_label, priority="spider")
        if self.arg_resume is not None:
            settings.set("WEBSEARCH_RESUME", self.arg_resume, priority="spider")
        run_render = self.arg_render or settings.get("WEBSEARCH_RENDER") or None
        limits = ScopeLimits(
            max_pages=self.arg_max_pages or settings.getint("WEBSEARCH_MAX_PAGES"),
            max_depth=settings.getint("WEBSEARCH_MAX_DEPTH"),
            max_per_pattern=settings.getint("WEBSEARCH_MAX_PER_PATTERN"),
        )
        workspace = workspace_from_settings(settings)
        institutions = list_institutions(
            shared_database(crawler).db, self.institution_names or None
        )
        if self.institution_ids:
            institutions = [i for i in institutions if i.id in self.institution_ids]
        if not institutions:
            logger.warning(
                "no institutions to crawl in %s: import them first "
                "(mbo-websearch institutions import FILE.csv)",
                workspace.path,
            )
        for inst in institutions:
            render = effective_render(run_render, inst)
            self.scopes[inst.name] = InstitutionScope(inst, render, limits)
        if settings.getbool("WEBSEARCH_RESUME"):
            reserve_archived(workspace, self.round_label, self.scopes.values())
        # Offsite filtering by registrable host (www. stripped, so redirects between a host
        # and its www. twin pass); InstitutionScope.in_scope decides what each crawl follows.
        self.allowed_domains = sorted(
            {h.removeprefix("www.") for s in self.scopes.values() for h in s.hosts}
        )
        self.render_plan = RenderPlan(settings.getint("WEBSEARCH_RENDER_AUTO_SWITCH_AFTER"))
        if any(s.render != "never" for s in self.scopes.values()):
            self._enable_playwright(settings)
        if settings.getbool("WEBSEARCH_DISK_QUEUE") and not settings.get("JOBDIR"):
            # A fresh scheduler queue per run (a killed run's queue is not trusted: resume
            # replays the archive instead).
            queue = workspace.path / ".queue" / self.round_label
            shutil.rmtree(queue, ignore_errors=True)
            self.queue_dir = str(queue)
            settings.set("JOBDIR", self.queue_dir, priority="spider")

    def closed(self, reason: str) -> None:
        if self.queue_dir:
            shutil.rmtree(self.queue_dir, ignore_errors=True)

    def _enable_playwright(self, settings: Any) -> None:
        """Install scrapy-playwright only when some institution may be rendered."""
        handlers = {"http": RENDER_HANDLER, "https": RENDER_HANDLER}
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
        if not settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"):
            options = launch_options(
                settings.get("WEBSEARCH_CHROMIUM"), settings.getlist("CHROMIUM_ARGS")
            )
            settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="spider")

    def stat(self, institution: str, key: str, count: int = 1) -> None:
        self.counters.inc(institution, key, count)

    # ----------------------------------------------------------------------------- requests

    async def start(self) -> AsyncIterator[Request]:
        for scope in self.scopes.values():
            self.crawler.stats.set_value(
                f"websearch/{scope.name}/institution_id", scope.institution.id
            )
            self.crawler.stats.set_value(f"websearch/{scope.name}/render", scope.render)
            for base in scope.bases().values():
                yield self._robots_request(scope, base)

    def _robots_request(self, scope: InstitutionScope, base: str) -> Request:
        url = f"{base}/robots.txt"
        return Request(
            url,
            callback=self.parse_robots,
            errback=self.robots_failed,
            priority=100,
            dont_filter=True,
            meta=self._meta(scope, url, "robots", 0, dont_obey_robotstxt=True),
        )

    def _meta(
        self, scope: InstitutionScope, url: str, kind: str, depth: int, **extra: Any
    ) -> dict[str, Any]:
        return {
            "institution": scope.name,
            "ws_url": url,
            "ws_kind": kind,
            "ws_depth": depth,
            "handle_httpstatus_list": ERROR_STATUSES,
            **extra,
        }

    def follow(
        self,
        scope: InstitutionScope,
        url: str,
        *,
        kind: str = "page",
        depth: int = 0,
        text: str = "",
        priority: int | None = None,
    ) -> Request | None:
        """A request for `url` within the institution's scope and budget, or None."""
        canonical, reason = scope.admit(url, depth)
        if canonical is None:
            if reason and reason != "seen":
                self.stat(scope.name, "skipped/" + reason.split(":")[0])
                if reason == "budget":
                    self.crawler.stats.set_value(f"websearch/{scope.name}/budget_hit", 1)
            return None
        meta = self._meta(scope, canonical, kind, depth)
        if priority is None:
            priority = score_link(canonical, text) - depth
        if kind == "page" and scope.render == "always" and not is_document(canonical):
            return self._render_request(scope, canonical, depth, priority)
        self.stat(scope.name, "scheduled")
        # Our scope deduplicates; dont_filter lets a redirect reach a page fetched before
        # (a removed course redirected to the home page must come back to be seen as gone).
        return Request(
            canonical,
            callback=self.parse,
            errback=self.failed,
            priority=priority,
            meta=meta,
            dont_filter=True,
        )

    def _render_request(
        self,
        scope: InstitutionScope,
        url: str,
        depth: int,
        priority: int,
        *,
        rerender: bool = False,
    ) -> Request:
        self.stat(scope.name, "render_requests")
        meta = self._meta(
            scope,
            url,
            "page",
            depth,
            ws_rendered=True,
            ws_rerender=rerender,
            playwright=True,
        )
        return Request(
            url,
            callback=self.parse,
            errback=self.failed,
            priority=priority,
            meta=meta,
            dont_filter=True,
        )

    # ----------------------------------------------------------------------------- callbacks

    def parse_robots(self, response: Response) -> Iterator[Any]:
        scope = self.scopes[response.meta["institution"]]
        yield from self._item(scope, response, kind="robots")
        ok = response.status == 200
        request_url = response.meta["ws_url"]
        self.robots_bodies[_netloc(request_url)] = response.body if ok else b""
        base = request_url.rsplit("/robots.txt", 1)[0]
        text = response.body.decode("utf-8", "replace") if ok else ""
        sitemaps = robots_sitemaps(text, base)
        if not sitemaps and self.settings.getbool("WEBSEARCH_DEFAULT_SITEMAP"):
            sitemaps = [f"{base}/sitemap.xml"]
        yield from self._starts(scope, base, sitemaps)

    def robots_failed(self, failure: Failure) -> Iterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        scope = self.scopes[request.meta["institution"]]
        self.counters.failure(scope.name, request, failure)
        self.robots_bodies[_netloc(request.url)] = b""
        base = request.url.rsplit("/robots.txt", 1)[0]
        yield from self._starts(scope, base, [])

    def _starts(self, scope: InstitutionScope, base: str, sitemaps: list[str]) -> Iterator[Any]:
        for url in scope.start_urls(base):
            if request := self.follow(scope, url, priority=90):
                yield request
        for url in sitemaps:
            if request := self.follow(scope, url, kind="sitemap", priority=80):
                yield request

    def parse(self, response: Response) -> Iterator[Any]:
        scope = self.scopes[response.meta["institution"]]
        kind = response.meta["ws_kind"]
        if response.status >= 400:
            yield from self._item(scope, response, kind="error")
            return
        if kind == "sitemap":
            yield from self._sitemap(scope, response)
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if is_pdf(response.body, content_type):
            text = pdf_text(response.body)
            self.stat(scope.name, "pdf")
            yield from self._item(scope, response, kind="pdf", text=text)
            return
        is_html = content_type.lower().startswith(_HTML_TYPES)
        if not is_html and not isinstance(response, HtmlResponse):
            yield from self._item(scope, response, kind="page")
            return
        # a rendered response carries the DOM (crawler.render_handler.RenderHandler)
        yield from self._html(scope, response, rendered=bool(response.meta.get("ws_rendered")))

    def _sitemap(self, scope: InstitutionScope, response: Response) -> Iterator[Any]:
        self.stat(scope.name, "sitemaps")
        yield from self._item(scope, response, kind="sitemap")
        links = parse_sitemap(response.body, response.url)
        depth = response.meta["ws_depth"]
        for url in links.sitemaps:
            if request := self.follow(scope, url, kind="sitemap", depth=depth, priority=80):
                yield request
        # The budget is spent when a URL is admitted: admit the best-scoring URLs first.
        for url in sorted(links.pages, key=score_link, reverse=True):
            if request := self.follow(scope, url, depth=depth + 1):
                yield request

    def _html(
        self, scope: InstitutionScope, response: Response, *, rendered: bool
    ) -> Iterator[Any]:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        decoded = decode_html(response.body, content_type)
        sel = Selector(text=decoded.text or "<html></html>")  # parsed once for every check
        if response.meta["ws_depth"] == 0 and response.meta.get("redirect_urls"):
            scope.adopt_host(response.url)
        canonical = canonical_link(sel, response.url)
        if canonical:
            scope.mark_seen(canonical)
        gone = soft_404_reason(
            response.meta["ws_url"],
            response.url,
            bool(response.meta.get("redirect_urls")),
            response.status,
            sel,
        )
        yield from self._item(
            scope,
            response,
            kind="page",
            rendered=rendered,
            canonical_url=canonical,
            gone=gone,
            encoding=decoded.encoding,
        )
        if gone:
            return
        # On resume a replayed page asks again: a stored rendering is replayed in turn.
        if not rendered and scope.render == "auto":
            reason = rendering_reason(sel)
            if self.render_plan.observe(scope.name, reason is not None):
                logger.info("rendering %s's later pages directly: script-built", scope.name)
            if reason:
                self.stat(scope.name, "render_auto")
                logger.info("rendering %s: %s", response.url, reason)
                yield self._render_request(
                    scope, response.meta["ws_url"], response.meta["ws_depth"], 95, rerender=True
                )
        depth = response.meta["ws_depth"] + 1
        links = page_links(sel, response.url)
        for url, text in sorted(links, key=lambda link: score_link(*link), reverse=True):
            if request := self.follow(scope, url, depth=depth, text=text):
                yield request

    # ----------------------------------------------------------------------------- items

    def robots_fetched(self, response: Response, request: Request) -> None:
        """Called by ArchivedRobotsTxtMiddleware when it had to fetch a robots.txt itself
        (a host the spider did not know yet, e.g. the www. twin a start URL redirected to):
        the response is archived with the next item of that institution."""
        institution = request.meta.get("institution")
        if institution in self.scopes:
            self.robots_pending.append((institution, response))

    def _pending_robots(self, scope: InstitutionScope) -> Iterator[FetchedPage]:
        keep = []
        for institution, response in self.robots_pending:
            if institution != scope.name:
                keep.append((institution, response))
                continue
            self.counters.inc(institution, "robots_by_middleware")
            yield FetchedPage(
                round=self.round_label or "",
                institution=institution,
                url=response.url,
                final_url=response.url,
                status=response.status,
                headers=_headers(response),
                body=response.body,
                kind="robots",
                fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        self.robots_pending = keep

    def _item(
        self,
        scope: InstitutionScope,
        response: Response,
        *,
        kind: str,
        rendered: bool | None = None,
        text: str | None = None,
        canonical_url: str | None = None,
        gone: str | None = None,
        encoding: str | None = None,
    ) -> Iterator[FetchedPage]:
        """Count the response and, unless it was replayed from the archive, yield it."""
        replayed = "replayed" in response.flags
        if self.robots_pending:
            yield from self._pending_robots(scope)
        self.counters.response(scope.name, response, kind, gone=bool(gone), replayed=replayed)
        if replayed:
            return
        extra: dict[str, Any] = {}
        if gone:
            extra["gone_reason"] = gone
        if response.meta.get("redirect_urls"):
            extra["redirect_urls"] = list(response.meta["redirect_urls"])
        yield FetchedPage(
            round=self.round_label or "",
            institution=scope.name,
            url=response.meta["ws_url"],
            final_url=response.url,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            kind=kind,
            rendered=bool(response.meta.get("ws_rendered")) if rendered is None else rendered,
            canonical_url=canonical_url,
            gone=bool(gone),
            text=text,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            encoding=encoding,
            extra=extra,
        )

    def failed(self, failure: Failure) -> Iterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        self.counters.failure(request.meta["institution"], request, failure)
        return iter(())


def _netloc(url: str) -> str:
    return urlsplit(url).netloc


def _headers(response: Response) -> list[tuple[str, str]]:
    pairs = []
    for key, values in response.headers.items():
        name = key.decode("latin-1")
        if name.lower() in _DROPPED_HEADERS:
            continue
        for value in values:
            pairs.append((name, value.decode("latin-1")))
    return pairs
