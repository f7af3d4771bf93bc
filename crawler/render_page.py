"""Browser side of rendering: wait until a page has settled, and what a page may load.

Every step is bounded: scrapy-playwright's navigation time-out bounds `goto`, `settle` bounds
the waits, and the download handler bounds the whole render (content read included).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import TimeoutError as PlaywrightTimeoutError

logger = logging.getLogger(__name__)

ABORTED_RESOURCES = frozenset({"image", "media", "font"})

#: Installed in every page of a context before its scripts run: the time of the last change
#: to the DOM's nodes or text (attribute changes, i.e. animations, do not count).
MUTATION_CLOCK = """
window.__wsLastChange = Date.now();
new MutationObserver(() => { window.__wsLastChange = Date.now(); })
  .observe(document, {childList: true, subtree: true, characterData: true});
"""
#: True once the DOM has not changed for `ms` milliseconds.
_DOM_QUIET = "(ms) => Date.now() - (window.__wsLastChange || 0) >= ms"


class RenderTimeout(Exception):
    """A browser step did not finish in time (the page is recorded as failed)."""


async def settle(page: Any, timeout_ms: int, stable_ms: int) -> None:
    """Wait for network idle (bounded; a page polling its server never gets there), then for
    a DOM that has stopped changing for `stable_ms`: content inserted by scripts after `load`
    is racy otherwise. A DOM still changing after `timeout_ms` raises RenderTimeout."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        logger.info("no network idle within %d ms: %s", timeout_ms, page.url)
    try:
        await page.wait_for_function(_DOM_QUIET, arg=stable_ms, polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError as exc:
        raise RenderTimeout(f"DOM still changing after {timeout_ms} ms: {page.url}") from exc


@dataclass(frozen=True)
class ResourcePolicy:
    """What a rendered page may load: never images, media or fonts (no offer is read from
    them); with `same_site_only`, nothing from hosts outside the institution's own sites
    (trackers, widgets) except what the page navigates to itself."""

    hosts: frozenset[str]  # the institution's hosts, www. stripped
    same_site_only: bool = True

    def allows(self, resource_type: str, url: str, is_navigation: bool) -> bool:
        if resource_type in ABORTED_RESOURCES:
            return False
        if not self.same_site_only or is_navigation or not url.startswith(("http:", "https:")):
            return True
        return _belongs(urlsplit(url).hostname or "", self.hosts)


def _belongs(host: str, hosts: frozenset[str]) -> bool:
    """The host is one of `hosts` or a subdomain of one (api.roc.nl belongs to roc.nl)."""
    host = host.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)
