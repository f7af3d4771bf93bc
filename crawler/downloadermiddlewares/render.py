"""RenderSwitchMiddleware: a page request of an institution that render=auto has switched to
direct rendering (crawler.render.RenderPlan) is rendered instead of fetched plain first.

Decided when the request is downloaded, not when it was made: a sitemap schedules hundreds of
pages before the first one shows the site is built by scripts. Runs before ResumeMiddleware,
so a resumed round looks such a page up under its rendered copy; the render handler asks
again (`render_directly`) when the request leaves its download slot, for the requests that
passed here before the switch and waited for their turn.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.links import is_document
from crawler.workspace import workspace_from_settings
from snapshots.index import pages_for_round
from snapshots.store import institution_names

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

    from crawler.render import RenderPlan

logger = logging.getLogger(__name__)


class RenderSwitchMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._resumed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderSwitchMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        plan = getattr(self.crawler.spider, "render_plan", None)
        if plan is not None and not self._resumed:
            self._resumed = True
            self._learn_from_archive(plan)
        render_directly(self.crawler, request)
        return None

    def _learn_from_archive(self, plan: RenderPlan) -> None:
        """On --resume, an institution whose pages were rendered without a plain copy had
        been switched: keep it switched, so those pages are replayed, not fetched again."""
        settings = self.crawler.settings
        if not settings.getbool("WEBSEARCH_RESUME"):
            return
        db = workspace_from_settings(settings).open()
        try:
            names = institution_names(db)
            plain: set[tuple[int, str]] = set()
            rendered: set[tuple[int, str]] = set()
            for page in pages_for_round(db, settings.get("WEBSEARCH_ROUND")):
                key = (page.institution_id, page.url)
                (rendered if page.rendered else plain).add(key)
        finally:
            db.close()
        for institution_id, _url in rendered - plain:
            plan.direct.add(names[institution_id])


def render_directly(crawler: Crawler, request: Request) -> bool:
    """Turn a plain page request of a switched institution into a rendered one."""
    meta = request.meta
    if meta.get("ws_kind") != "page" or meta.get("ws_rendered") or meta.get("playwright"):
        return False
    plan = getattr(crawler.spider, "render_plan", None)
    institution = meta.get("institution")
    if plan is None or not institution or not plan.renders_directly(institution):
        return False
    if is_document(meta.get("ws_url", "")):
        return False
    meta["playwright"] = True
    meta["ws_rendered"] = True
    crawler.stats.inc_value(f"websearch/{institution}/render_direct")
    return True
