"""The crawler's components share one database connection per crawl, closed at engine stop."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.database import shared_database
from crawler.downloadermiddlewares.resume import ResumeMiddleware
from crawler.extensions import CrawlHealth
from crawler.pipelines import ArchivePipeline


def _crawler(path: Path):
    return get_crawler(
        settings_dict={
            "WEBSEARCH_WORKSPACE": str(path),
            "WEBSEARCH_ROUND": "2026-11",
            "WEBSEARCH_RESUME": True,
        }
    )


def test_components_share_one_connection_closed_when_the_engine_stops(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path)
    pipeline = ArchivePipeline.from_crawler(crawler)
    resume = ResumeMiddleware.from_crawler(crawler)
    health = CrawlHealth.from_crawler(crawler)
    assert pipeline.database is resume.database is health.database is shared_database(crawler)

    pipeline.open_spider()
    assert resume.db is pipeline.database.db  # the very same sqlite connection
    pipeline.close_spider()
    assert pipeline.database.is_open  # crawl health is still to be recorded

    crawler.signals.send_catch_log(signal=signals.engine_stopped)
    assert not pipeline.database.is_open


def test_each_crawl_has_its_own_connection(tmp_path: Path) -> None:
    first, second = _crawler(tmp_path / "a"), _crawler(tmp_path / "b")
    assert shared_database(first) is not shared_database(second)
    assert shared_database(first).workspace.path == tmp_path / "a"
