"""Retries with exponential back-off, honouring Retry-After on 429 and 503."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)
RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware retries at once. This one waits first: Retry-After when a
    429/503 gives one (capped by WEBSEARCH_RETRY_AFTER_MAX; longer waits give up), otherwise
    WEBSEARCH_BACKOFF_BASE x 2^attempt seconds (capped by WEBSEARCH_BACKOFF_MAX)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("WEBSEARCH_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("WEBSEARCH_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("WEBSEARCH_RETRY_AFTER_MAX")

    def backoff(self, request: Request) -> float:
        attempt = int(request.meta.get("retry_times", 0))
        return float(min(self.backoff_max, self.backoff_base * (2**attempt)))

    # Scrapy accepts coroutine middleware methods; the base class declares plain ones.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = self.backoff(request)
        if response.status in RETRY_AFTER_STATUSES:
            told = retry_after_seconds(response.headers.get(b"Retry-After"))
            if told is not None:
                if told > self.retry_after_max:
                    logger.info("Retry-After %.0f s too long for %s; giving up", told, request)
                    self._count(request, "retry_after_too_long")
                    return response
                wait = told
                self._count(request, "retry_after")
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(request, wait)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        wait = self.backoff(request)
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._wait(request, wait)
        return retry

    async def _wait(self, request: Request, seconds: float) -> None:
        self._count(request, "retries")
        if seconds > 0:
            logger.debug("waiting %.1f s before retrying %s", seconds, request)
            await asyncio.sleep(seconds)

    def _count(self, request: Request, key: str) -> None:
        institution = request.meta.get("institution")
        if institution and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"websearch/{institution}/{key}")
