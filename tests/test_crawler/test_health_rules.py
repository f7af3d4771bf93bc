"""Crawl health rules: named rules and thresholds (crawler/health_rules.py)."""

from __future__ import annotations

import pytest

from crawler.downloadermiddlewares.retry import retry_after_seconds
from crawler.health_rules import CrawlCounts, HealthThresholds, decide, suspect_reason

T = HealthThresholds()


@pytest.mark.parametrize(
    ("counts", "health", "fragment"),
    [
        (
            CrawlCounts(requests=4, responses=0, pages=0, errors=4, connection_refused=4),
            "failed",
            "connection refused",
        ),
        (
            CrawlCounts(requests=3, responses=3, pages=0, errors=0, robots_denied=2),
            "failed",
            "robots.txt denies",
        ),
        (CrawlCounts(requests=5, responses=5, pages=0, errors=0), "failed", "no pages"),
        (CrawlCounts(requests=10, responses=10, pages=3, errors=6), "failed", "most requests"),
        (
            CrawlCounts(requests=10, responses=10, pages=9, errors=0, budget_hit=True, max_pages=9),
            "partial",
            "budget of 9",
        ),
        (CrawlCounts(requests=10, responses=10, pages=9, errors=1), "partial", "1 of 10"),
        (CrawlCounts(requests=10, responses=10, pages=10, errors=0), "ok", "10 pages"),
    ],
)
def test_rules(counts, health, fragment):
    verdict, reason = decide(counts, T)
    assert verdict == health
    assert fragment in reason


def test_suspect_drop_against_previous_round():
    assert suspect_reason(40, 100, T) == "pages fell from 100 to 40 against the previous round"
    assert suspect_reason(60, 100, T) is None
    assert suspect_reason(1, 5, T) is None  # too small to judge
    assert suspect_reason(1, None, T) is None


def test_retry_after_seconds_and_dates():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Mon, 30 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon") is None
