"""RenderPool: one browser context per institution, a bounded pool of reusable pages in each.

The pool only counts and hands out pages; the download handler (crawler.render_handler)
creates contexts and pages through scrapy-playwright and closes what the pool evicts.

- At most `max_contexts` contexts are open. An institution that needs one while all are open
  waits until some context has no page in use, which is then closed (least recently used
  first). Waiting for a *busy* context would deadlock: the waiting requests fill the
  downloader, so the busy institution's next requests never arrive to finish it.
- At most `max_pages` pages per context; a page that rendered cleanly goes back to the pool
  for the institution's next URL (a new page per URL costs ~3x more CPU).
- A context with no page in use for `idle_seconds` is closed: its institution is done with
  rendering, and its cookies, storage and renderer memory go with it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import IgnoreRequest


class RenderStopped(IgnoreRequest):
    """The crawl is stopping (Ctrl-C): a render waiting for a page is dropped, not failed."""


@dataclass
class InstitutionContext:
    name: str
    #: scrapy-playwright's context name: unique per opening, so a context still closing never
    #: shares its name (and the plugin's bookkeeping) with the institution's next one.
    context_name: str
    idle_pages: list[Any] = field(default_factory=list)
    pages: int = 0  # open pages, idle or in use, plus pages being created
    in_use: int = 0
    last_used: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Lease:
    context_name: str
    page: Any | None  # None: the handler lets scrapy-playwright create the page


@dataclass
class PoolCounts:
    contexts_opened: int = 0
    contexts_closed: int = 0
    pages_created: int = 0
    pages_reused: int = 0
    pages_closed: int = 0
    max_open_pages: int = 0


class RenderPool:
    """Page leases per institution; `close_context(context_name, idle_pages)` closes one."""

    def __init__(
        self,
        max_contexts: int,
        max_pages: int,
        idle_seconds: float,
        close_context: Callable[[str, list[Any]], Awaitable[None]],
        stopping: Callable[[], bool],
    ) -> None:
        self.max_contexts = max_contexts
        self.max_pages = max_pages
        self.idle_seconds = idle_seconds
        self._close_context = close_context
        self._stopping = stopping
        self.contexts: dict[str, InstitutionContext] = {}
        self.counts = PoolCounts()
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_for_change(self) -> None:
        if self._stopping():
            raise RenderStopped("crawl stopped while this page waited for a browser page")
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout=0.25)
        except TimeoutError:
            pass

    async def acquire(self, name: str) -> Lease:
        """A page of institution `name`'s context to reuse, or a lease without a page: the
        caller creates one (already counted). Hand it back with `release`."""
        while True:
            ctx = self.contexts.get(name)
            if ctx is None:
                if len(self.contexts) >= self.max_contexts:
                    if not await self._evict_one():
                        await self._wait_for_change()
                    continue
                self.counts.contexts_opened += 1
                context_name = f"{name}#{self.counts.contexts_opened}"
                ctx = self.contexts[name] = InstitutionContext(name, context_name)
            if ctx.idle_pages:
                ctx.in_use += 1
                self.counts.pages_reused += 1
                return Lease(ctx.context_name, ctx.idle_pages.pop())
            if ctx.pages < self.max_pages:
                ctx.pages += 1
                ctx.in_use += 1
                self.counts.pages_created += 1
                open_pages = sum(c.pages for c in self.contexts.values())
                self.counts.max_open_pages = max(self.counts.max_open_pages, open_pages)
                return Lease(ctx.context_name, None)
            await self._wait_for_change()

    def release(self, name: str, page: Any | None, *, reusable: bool) -> None:
        """Give a leased page back: to the pool when `reusable`, else it is gone (the caller
        closed it, or creating it failed)."""
        ctx = self.contexts.get(name)
        if ctx is None:  # evicted meanwhile cannot happen while in use; be safe
            return
        ctx.in_use -= 1
        ctx.last_used = time.monotonic()
        if reusable and page is not None and not page.is_closed():
            ctx.idle_pages.append(page)
        else:
            ctx.pages -= 1
            self.counts.pages_closed += 1
        self._notify()

    async def _evict_one(self) -> bool:
        idle = [c for c in self.contexts.values() if c.in_use == 0]
        if not idle:
            return False
        await self._close(min(idle, key=lambda c: c.last_used))
        return True

    async def close_idle(self) -> None:
        """Close the contexts that had no page in use for `idle_seconds`."""
        now = time.monotonic()
        for ctx in list(self.contexts.values()):
            if ctx.in_use == 0 and now - ctx.last_used >= self.idle_seconds:
                await self._close(ctx)

    async def _close(self, ctx: InstitutionContext) -> None:
        if self.contexts.get(ctx.name) is not ctx:
            return
        del self.contexts[ctx.name]
        pages, ctx.idle_pages = ctx.idle_pages, []
        self.counts.contexts_closed += 1
        self.counts.pages_closed += len(pages)
        try:
            await self._close_context(ctx.context_name, pages)
        finally:
            self._notify()
