"""Browser side of rendering: wait until a page has settled, take its DOM, close it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

logger = logging.getLogger(__name__)

ABORTED_RESOURCES = frozenset({"image", "media", "font"})

# True once the DOM size has not changed for `ms` milliseconds (polled every 100 ms).
_STABLE_DOM = """(ms) => {
  const n = document.documentElement ? document.documentElement.outerHTML.length : 0;
  const now = Date.now();
  if (window.__wsLength !== n) { window.__wsLength = n; window.__wsSince = now; return false; }
  return now - window.__wsSince >= ms;
}"""


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, media and fonts are not needed to read a page."""
    return request.resource_type in ABORTED_RESOURCES


async def settle_and_close(page: Any, timeout_ms: int, stable_ms: int) -> str | None:
    """Wait for network idle, then for a DOM that stops changing (each bounded by
    `timeout_ms`: content inserted by scripts after `load` is racy otherwise); return the
    DOM as HTML and close the page."""
    try:
        try:
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
        except PlaywrightTimeoutError:
            logger.info("no network idle within %d ms: %s", timeout_ms, page.url)
        try:
            await page.wait_for_function(
                _STABLE_DOM, arg=stable_ms, polling=100, timeout=timeout_ms
            )
        except PlaywrightTimeoutError:
            logger.info("DOM still changing after %d ms: %s", timeout_ms, page.url)
        return await page.content()
    except PlaywrightError as exc:
        logger.warning("cannot read rendered page %s: %s", page.url, exc)
        return None
    finally:
        await close_quietly(page)


async def close_quietly(page: Any) -> None:
    try:
        await page.close()
    except PlaywrightError as exc:
        logger.debug("page already closed: %s", exc)


def close_later(page: Any) -> None:
    """Close a page from synchronous code (errbacks) on the running event loop."""
    asyncio.ensure_future(close_quietly(page))
