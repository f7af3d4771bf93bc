"""Browser side of rendering: wait until a page has settled, and what a page may load.

Every step is bounded: scrapy-playwright's navigation time-out bounds `goto`, `settle` bounds
the waits, and the download handler bounds the whole render (content read included).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

logger = logging.getLogger(__name__)

ABORTED_RESOURCES = frozenset({"image", "media", "font"})
#: The browser's own requests for a page's icon have resource type "other": told by the path.
ICON_SUFFIXES = (".ico", ".png", ".svg", ".gif", ".jpg", ".jpeg", ".webp")

#: Installed in every page of a context before its scripts run: the time of the last change
#: to the DOM's nodes or text (attribute changes, i.e. animations, do not count), and
#: `__wsSettled(stableMs, timeoutMs)`, a promise of true once the DOM has not changed for
#: stableMs, false after timeoutMs. It sleeps until the quiet window could have passed instead
#: of polling, and needs none of Playwright's injected scripts (wait_for_function polls through
#: them: ~10 % more CPU per page). Timers and clock are captured before the page's scripts run.
MUTATION_CLOCK = """
(() => {
  const now = Date.now.bind(Date), later = window.setTimeout.bind(window);
  let lastChange = now();
  new MutationObserver(() => { lastChange = now(); })
    .observe(document, {childList: true, subtree: true, characterData: true});
  window.__wsSettled = (stableMs, timeoutMs) => new Promise(resolve => {
    const started = now();
    const check = () => {
      const t = now(), quiet = t - lastChange, waited = t - started;
      if (quiet >= stableMs) resolve(true);
      else if (waited >= timeoutMs) resolve(false);
      else later(check, Math.min(stableMs - quiet, timeoutMs - waited));
    };
    check();
  });
})();
"""
_SETTLED = """([stableMs, timeoutMs]) => typeof window.__wsSettled === "function"
  ? window.__wsSettled(stableMs, timeoutMs) : true"""
#: The page's document was replaced while we waited (a script navigated): wait in the new one.
_CONTEXT_GONE = ("Execution context was destroyed", "navigation", "Cannot find context")


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
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left_ms = int(1000 * (deadline - time.monotonic()))
        if left_ms <= 0:
            break
        try:
            settled = await page.evaluate(_SETTLED, [stable_ms, left_ms])
        except PlaywrightError as exc:
            if not any(gone in exc.message for gone in _CONTEXT_GONE):
                raise
            await _loaded(page, deadline)
            continue
        if settled is True:
            return
        break
    raise RenderTimeout(f"DOM still changing after {timeout_ms} ms: {page.url}")


async def _loaded(page: Any, deadline: float) -> None:
    """After a script navigated the page: its new document has loaded (bounded)."""
    left_ms = max(1, int(1000 * (deadline - time.monotonic())))
    try:
        await page.wait_for_load_state("load", timeout=left_ms)
    except PlaywrightTimeoutError:
        pass


@dataclass(frozen=True)
class ResourcePolicy:
    """What a rendered page may load: never images (icons included), media or fonts (no offer
    is read from them); with `same_site_only`, nothing from hosts outside the institution's own
    sites (trackers, widgets) except what the page navigates to itself."""

    hosts: frozenset[str]  # the institution's hosts, www. stripped
    same_site_only: bool = True

    def allows(self, resource_type: str, url: str, is_navigation: bool) -> bool:
        if resource_type in ABORTED_RESOURCES:
            return False
        if resource_type == "other" and urlsplit(url).path.lower().endswith(ICON_SUFFIXES):
            return False
        if not self.same_site_only or is_navigation or not url.startswith(("http:", "https:")):
            return True
        return _belongs(urlsplit(url).hostname or "", self.hosts)


def _belongs(host: str, hosts: frozenset[str]) -> bool:
    """The host is one of `hosts` or a subdomain of one (api.roc.nl belongs to roc.nl)."""
    host = host.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)
