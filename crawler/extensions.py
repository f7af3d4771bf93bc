"""CrawlHealth: per-institution health from the crawl's stats, plus a live progress file."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from twisted.internet import task

from crawler.database import shared_database
from crawler.health_rules import CrawlCounts, HealthThresholds, decide, suspect_reason
from snapshots.evidence import finish_round
from snapshots.health import Health, previous_pages, record_health

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider
    from sqlite_utils import Database

logger = logging.getLogger(__name__)


class CrawlHealth:
    """At spider close, turns each institution's `websearch/<name>/...` stats into
    ok | partial | failed (crawler.health_rules.RULES), flags a sharp drop against the
    previous round as suspect, and records it with snapshots.health.record_health.
    While crawling, writes one JSON line per institution to WEBSEARCH_PROGRESS_FILE."""

    def __init__(self, crawler: Crawler, thresholds: HealthThresholds) -> None:
        self.crawler = crawler
        self.thresholds = thresholds
        settings = crawler.settings
        self.database = shared_database(crawler)
        progress = settings.get("WEBSEARCH_PROGRESS_FILE")
        self.progress_path = Path(progress) if progress else None
        self.interval = settings.getfloat("WEBSEARCH_PROGRESS_INTERVAL")
        self._loop: task.LoopingCall | None = None
        self._written: dict[str, str] = {}  # last progress line per institution
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlHealth:
        s = crawler.settings
        return cls(
            crawler,
            HealthThresholds(
                failed_error_ratio=s.getfloat("WEBSEARCH_HEALTH_FAILED_ERROR_RATIO"),
                partial_error_ratio=s.getfloat("WEBSEARCH_HEALTH_PARTIAL_ERROR_RATIO"),
                suspect_drop=s.getfloat("WEBSEARCH_HEALTH_SUSPECT_DROP"),
                suspect_min_pages=s.getint("WEBSEARCH_HEALTH_SUSPECT_MIN_PAGES"),
            ),
        )

    def spider_opened(self, spider: Spider) -> None:
        if self.progress_path is not None:
            self._loop = task.LoopingCall(self.write_progress, spider)
            self._loop.start(self.interval, now=True)

    def _counts(self, spider: Spider) -> dict[str, CrawlCounts]:
        stats = self.crawler.stats.get_stats()
        return {
            name: CrawlCounts.from_stats(stats, name, scope.limits.max_pages)
            for name, scope in getattr(spider, "scopes", {}).items()
        }

    def write_progress(
        self, spider: Spider, final: dict[str, dict[str, Any]] | None = None
    ) -> None:
        assert self.progress_path is not None
        lines = []
        for name, c in self._counts(spider).items():
            line = {
                "institution": name,
                "pages": c.pages,
                "errors": c.errors,
                "requests": c.requests,
                "status": "crawling",
            }
            line.update((final or {}).get(name, {}))
            text = json.dumps(line)
            if self._written.get(name) != text:  # only institutions whose counts moved
                self._written[name] = text
                lines.append(text)
        if not lines:
            return
        with self.progress_path.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        round_label = self.crawler.settings.get("WEBSEARCH_ROUND")
        scopes = getattr(spider, "scopes", {})
        if not round_label or not scopes:
            return
        db = self.database.db
        final: dict[str, dict[str, Any]] = {}
        for name, counts in self._counts(spider).items():
            final[name] = self._record(
                db, round_label, scopes[name].institution.id, name, counts, reason
            )
        if reason == "finished":
            finish_round(db, round_label)
        if self.progress_path is not None:
            self.write_progress(spider, final)

    def _record(
        self,
        db: Database,
        round_label: str,
        institution_id: int,
        name: str,
        counts: CrawlCounts,
        close_reason: str,
    ) -> dict[str, Any]:
        health, why = decide(counts, self.thresholds)
        if close_reason != "finished" and health != Health.failed:
            health, why = Health.partial, f"crawl stopped early ({close_reason}); {why}"
        suspect = suspect_reason(
            counts.pages, previous_pages(db, round_label, institution_id), self.thresholds
        )
        prefix = f"websearch/{name}/"
        stats = {
            k[len(prefix) :]: v
            for k, v in self.crawler.stats.get_stats().items()
            if k.startswith(prefix)
        }
        start = self.crawler.stats.get_value("start_time")
        record_health(
            db,
            round_label,
            institution_id,
            health=health,
            reason=why,
            pages=counts.pages,
            errors=counts.errors,
            requests=counts.requests,
            suspect=suspect is not None,
            suspect_reason=suspect,
            stats=stats,
            started_at=start.isoformat(timespec="seconds") if start else None,
        )
        logger.info(
            "crawl health %s: %s (%s)%s",
            name,
            health,
            why,
            f"; suspect: {suspect}" if suspect else "",
        )
        return {"status": str(health), "reason": why, "suspect": suspect}
