"""Crawl health per (round, institution): ok | partial | failed, with reason and counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from snapshots import store
from snapshots.store import CrawlRecord as CrawlRecord
from snapshots.store import Health as Health
from snapshots.store import previous_pages as previous_pages

if TYPE_CHECKING:
    from sqlite_utils import Database


def record_health(
    db: Database,
    round_label: str,
    institution_id: int,
    *,
    health: Health | str,
    reason: str,
    pages: int,
    errors: int,
    requests: int,
    suspect: bool = False,
    suspect_reason: str | None = None,
    stats: dict[str, Any] | None = None,
    started_at: str | None = None,
) -> None:
    """Store (or replace, on a resumed round) the health of one institution's crawl."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    store.save_crawl(
        db,
        store.NewCrawl(
            round=round_label,
            institution_id=institution_id,
            health=Health(health),
            reason=reason,
            pages=pages,
            errors=errors,
            requests=requests,
            suspect=suspect,
            suspect_reason=suspect_reason,
            stats=stats or {},
            started_at=started_at or now,
            finished_at=now,
        ),
    )


def health_for_round(db: Database, round_label: str) -> dict[int, CrawlRecord]:
    """Recorded crawl health of every institution in a round, by institution id."""
    return {c.institution_id: c for c in store.crawls_for_round(db, round_label)}
